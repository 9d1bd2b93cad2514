import CNetfilter

/// Names the attribute the kernel pointed at in a refused message (its extended acknowledgement gives
/// only a byte offset): "expression 4 (immediate)", "element 12", "the chain's hook".
enum AttributeLocator {
    private static let headerBytes = MemoryLayout<nlmsghdr>.size + MemoryLayout<nfgenmsg>.size

    static func describe(offset: Int, in message: UnsafeRawBufferPointer) -> String? {
        guard let (type, start, length) = attribute(containing: offset, from: headerBytes, to: message.count,
                                                     in: message) else { return nil }
        let messageType = UInt32(message.loadUnaligned(fromByteOffset: 4, as: UInt16.self) & 0xff)
        switch (messageType, type) {
        case (NFT_MSG_NEWRULE.rawValue, UInt16(NFTA_RULE_EXPRESSIONS.rawValue)):
            return nested(offset, start: start, length: length, in: message, noun: "expression") { element in
                // An expression's first attribute is its name.
                guard let (nameType, nameStart, nameLength) = attribute(at: element + 4, in: message),
                      nameType == UInt16(NFTA_EXPR_NAME.rawValue) else { return nil }
                let bytes = UnsafeRawBufferPointer(rebasing: message[(nameStart + 4)..<(nameStart + nameLength)])
                return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
        case (NFT_MSG_NEWSETELEM.rawValue, UInt16(NFTA_SET_ELEM_LIST_ELEMENTS.rawValue)),
             (NFT_MSG_DELSETELEM.rawValue, UInt16(NFTA_SET_ELEM_LIST_ELEMENTS.rawValue)):
            return nested(offset, start: start, length: length, in: message, noun: "element") { _ in nil }
        case (NFT_MSG_NEWCHAIN.rawValue, UInt16(NFTA_CHAIN_HOOK.rawValue)): return "the chain's hook"
        case (NFT_MSG_NEWCHAIN.rawValue, UInt16(NFTA_CHAIN_POLICY.rawValue)): return "the chain's policy"
        case (NFT_MSG_NEWCHAIN.rawValue, UInt16(NFTA_CHAIN_TYPE.rawValue)): return "the chain's type"
        case (_, 1): return "the table name"
        default: return "attribute \(type)"
        }
    }

    /// "expression 3 (cmp)": which entry of a list attribute holds `offset`.
    private static func nested(_ offset: Int, start: Int, length: Int, in message: UnsafeRawBufferPointer,
                               noun: String, name: (Int) -> String?) -> String {
        var cursor = start + 4, index = 1
        while let (_, entryStart, entryLength) = attribute(at: cursor, in: message), cursor < start + length {
            if offset < entryStart + entryLength {
                return name(entryStart).map { "\(noun) \(index) (\($0))" } ?? "\(noun) \(index)"
            }
            cursor = entryStart + ((entryLength + 3) & ~3)
            index += 1
        }
        return "the \(noun) list"
    }

    private static func attribute(containing offset: Int, from start: Int, to end: Int,
                                  in message: UnsafeRawBufferPointer) -> (UInt16, Int, Int)? {
        var cursor = start
        while cursor < end, let (type, attributeStart, length) = attribute(at: cursor, in: message) {
            if offset >= attributeStart && offset < attributeStart + length { return (type, attributeStart, length) }
            cursor = attributeStart + ((length + 3) & ~3)
        }
        return nil
    }

    /// Type (without the nested/byte-order bits), start and length of the attribute at `cursor`.
    private static func attribute(at cursor: Int, in message: UnsafeRawBufferPointer) -> (UInt16, Int, Int)? {
        guard cursor + 4 <= message.count else { return nil }
        let length = Int(message.loadUnaligned(fromByteOffset: cursor, as: UInt16.self))
        // NLA_TYPE_MASK: the type without the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits.
        let type = message.loadUnaligned(fromByteOffset: cursor + 2, as: UInt16.self) & 0x3fff
        guard length >= 4, cursor + length <= message.count else { return nil }
        return (type, cursor, length)
    }
}
