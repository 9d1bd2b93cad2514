import CNetfilter
import Glibc
import NetworkAddresses
import Nftables

/// A set as the kernel lists it: its attributes and its elements as stored (interval ends included).
struct ReadSet {
    let name: String
    let flags: UInt32
    let keyType: UInt32
    let keyLength: Int
    let comment: String?
    /// A map's data type (`NFT_DATA_VERDICT` for a verdict map); nil for a set.
    let dataType: UInt32?
    /// Elements in the order the kernel sent them (an interval set's come highest key first).
    var keys: [(key: UInt128, isEnd: Bool)] = []
    /// A verdict map's values by their element's key.
    var verdicts: [UInt128: KernelVerdict] = [:]
    /// Elements that carry more than a key, flags and data (a comment, a counter, a timeout): the model
    /// holds none of that, so a set with any is not what ztpol wrote.
    var decorated = 0

    var isInterval: Bool { flags & UInt32(NFT_SET_INTERVAL.rawValue) != 0 }
    var isAnonymous: Bool { flags & UInt32(NFT_SET_ANONYMOUS.rawValue) != 0 }
    var isMap: Bool { flags & UInt32(NFT_SET_MAP.rawValue) != 0 }

    init(_ set: borrowing NftnlSet) {
        name = set.string(attribute(NFTNL_SET_NAME)) ?? ""
        flags = set.integer(attribute(NFTNL_SET_FLAGS), as: UInt32.self) ?? 0
        keyType = set.integer(attribute(NFTNL_SET_KEY_TYPE), as: UInt32.self) ?? 0
        keyLength = Int(set.integer(attribute(NFTNL_SET_KEY_LEN), as: UInt32.self) ?? 0)
        dataType = set.integer(attribute(NFTNL_SET_DATA_TYPE), as: UInt32.self)
        let userData = set.bytes(attribute(NFTNL_SET_USERDATA)).map(UserData.decode) ?? [:]
        comment = UserData.string(userData[UInt8(NFTNL_UDATA_SET_COMMENT.rawValue)])
    }

    /// The intervals the elements stand for, lowest first: each start runs to the element after it
    /// (an end element one past the interval, or the next start where intervals touch, as in a map),
    /// a start with nothing after it runs to `maximum`, and nft's leading end element at 0 pairs with
    /// nothing. Elements of a set without intervals are single keys.
    func ranges(maximum: UInt128) -> [(first: UInt128, last: UInt128)] {
        guard isInterval else { return keys.map { ($0.key, $0.key) }.sorted { $0.first < $1.first } }
        return ReadSet.intervals(keys, maximum: maximum)
    }

    /// The intervals an interval set's elements stand for, as `ranges(maximum:)` describes.
    static func intervals(_ keys: [(key: UInt128, isEnd: Bool)], maximum: UInt128)
        -> [(first: UInt128, last: UInt128)] {
        // At equal keys an end comes before a start: [a, b) then [b, c) when two intervals touch.
        let before = { (a: (key: UInt128, isEnd: Bool), b: (key: UInt128, isEnd: Bool)) in
            a.key < b.key || (a.key == b.key && a.isEnd && !b.isEnd)
        }
        var sorted = Array(keys.reversed())
        if !zip(sorted, sorted.dropFirst()).allSatisfy({ !before($1, $0) }) { sorted.sort(by: before) }
        var ranges: [(first: UInt128, last: UInt128)] = []
        ranges.reserveCapacity(sorted.count / 2 + 1)
        var start: UInt128?
        for element in sorted {
            if element.isEnd {
                if let first = start, element.key > first { ranges.append((first, element.key - 1)) }
                start = nil
            } else {
                // The kernel's lookup finds the closest start below a key: this one ends at the next.
                if let first = start, element.key > first { ranges.append((first, element.key - 1)) }
                start = element.key
            }
        }
        if let first = start { ranges.append((first, maximum)) }
        return ranges
    }
}

extension ReadSet {
    /// The entries of an anonymous verdict map of ports, or nil when the set is not one or holds a
    /// verdict ztpol does not write.
    var portVerdictMap: [VerdictMap.Entry]? {
        guard isMap, dataType == NFT_DATA_VERDICT.rawValue, keyType == DataType.inetService, keyLength == 2 else {
            return nil
        }
        var entries: [VerdictMap.Entry] = []
        for range in ranges(maximum: UInt128(UInt16.max)) {
            guard let verdict = verdicts[range.first]?.verdict else { return nil }
            let ports = PortRange(UInt16(range.first), UInt16(range.last))
            entries.append(VerdictMap.Entry(ports: ports, verdict: verdict))
        }
        return entries.isEmpty ? nil : entries
    }
}

/// Set-element dump replies decoded straight from their attributes. libnftnl would allocate an object
/// per element, and a large table's read-back has millions of them.
enum ElementReply {
    /// Calls `body` with the key, flags (host order) and map data (`NFTA_SET_ELEM_DATA`'s payload) of
    /// each element of a set-element message, and whether it carries anything else (`decorated`).
    static func forEachElement(in message: UnsafePointer<nlmsghdr>,
                               _ body: (UnsafeRawBufferPointer, UInt32, UnsafeRawBufferPointer?, Bool) -> Void)
        throws(NetlinkError) {
        let whole = UnsafeRawBufferPointer(start: message, count: Int(message.pointee.nlmsg_len))
        let headers = MemoryLayout<nlmsghdr>.size + MemoryLayout<nfgenmsg>.size
        guard whole.count >= headers else { throw NetlinkError(.malformedReply, detail: "short set-element message") }
        let attributes = UnsafeRawBufferPointer(rebasing: whole[headers...])
        try forEachAttribute(in: attributes) { (type, list) throws(NetlinkError) in
            guard type == UInt16(NFTA_SET_ELEM_LIST_ELEMENTS.rawValue) else { return }
            try forEachAttribute(in: list) { (_, element) throws(NetlinkError) in
                var key: UnsafeRawBufferPointer?
                var data: UnsafeRawBufferPointer?
                var flags: UInt32 = 0
                var decorated = false
                try forEachAttribute(in: element) { (type, value) throws(NetlinkError) in
                    switch UInt32(type) {
                    case NFTA_SET_ELEM_KEY.rawValue:
                        try forEachAttribute(in: value) { (type, data) throws(NetlinkError) in
                            if type == UInt16(NFTA_DATA_VALUE.rawValue) { key = data }
                        }
                    case NFTA_SET_ELEM_DATA.rawValue:
                        data = value
                    case NFTA_SET_ELEM_FLAGS.rawValue where value.count == 4:
                        flags = UInt32(bigEndian: value.loadUnaligned(as: UInt32.self))
                    case NFTA_SET_ELEM_USERDATA.rawValue:
                        // nft and ztpol mark an interval open to the end of the address space here; anything
                        // else (a comment) the model does not hold.
                        let openInterval = UInt8(NFTNL_UDATA_SET_ELEM_FLAGS.rawValue)
                        decorated = decorated || UserData.decode(Array(value)).keys.contains { $0 != openInterval }
                    case NFTA_SET_ELEM_TIMEOUT.rawValue, NFTA_SET_ELEM_EXPIRATION.rawValue, NFTA_SET_ELEM_EXPR.rawValue,
                         NFTA_SET_ELEM_OBJREF.rawValue, NFTA_SET_ELEM_EXPRESSIONS.rawValue:
                        decorated = true
                    default:
                        break
                    }
                }
                if let key { body(key, flags, data, decorated) }
            }
        }
    }

    /// The top-level attributes of a reply, each read as a string (a name, a table's name): for replies
    /// about objects the model has no type for, of which only the names are wanted.
    static func attributes(of message: UnsafePointer<nlmsghdr>) -> [UInt16: String] {
        let whole = UnsafeRawBufferPointer(start: message, count: Int(message.pointee.nlmsg_len))
        let headers = MemoryLayout<nlmsghdr>.size + MemoryLayout<nfgenmsg>.size
        guard whole.count >= headers else { return [:] }
        var found: [UInt16: String] = [:]
        let attributes = UnsafeRawBufferPointer(rebasing: whole[headers...])
        try? forEachAttribute(in: attributes) { (type, value) throws(NetlinkError) in
            found[type] = String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
        }
        return found
    }

    /// The verdict in an element's data (`NFTA_DATA_VERDICT`), or nil when it holds another kind of value.
    static func verdict(in data: UnsafeRawBufferPointer) throws(NetlinkError) -> KernelVerdict? {
        var result: KernelVerdict?
        try forEachAttribute(in: data) { (type, verdict) throws(NetlinkError) in
            guard type == UInt16(NFTA_DATA_VERDICT.rawValue) else { return }
            var code: Int32?
            var chain: String?
            try forEachAttribute(in: verdict) { (type, value) throws(NetlinkError) in
                switch UInt32(type) {
                case NFTA_VERDICT_CODE.rawValue where value.count == 4:
                    code = Int32(bitPattern: UInt32(bigEndian: value.loadUnaligned(as: UInt32.self)))
                case NFTA_VERDICT_CHAIN.rawValue:
                    chain = String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
                default:
                    break
                }
            }
            result = code.map { KernelVerdict(code: $0, chain: chain) }
        }
        return result
    }

    /// Calls `body` with the type (without the nested and byte-order bits) and payload of each
    /// attribute in `bytes`.
    private static func forEachAttribute(in bytes: UnsafeRawBufferPointer,
                                         _ body: (UInt16, UnsafeRawBufferPointer) throws(NetlinkError) -> Void)
        throws(NetlinkError) {
        var offset = 0
        while offset + 4 <= bytes.count {
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            // The type without NLA_F_NESTED and NLA_F_NET_BYTEORDER.
            let type = bytes.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self) & 0x3fff
            guard length >= 4, offset + length <= bytes.count else {
                throw NetlinkError(.malformedReply,
                                   detail: "attribute of \(length) bytes at \(offset) of \(bytes.count)")
            }
            try body(type, UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(offset + length)]))
            offset += (length + 3) & ~3
        }
    }
}
