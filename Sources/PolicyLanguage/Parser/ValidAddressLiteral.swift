import NetworkAddresses

/// The fast path for address literals: reads the range a valid address, prefix or range stands for
/// straight from the token's bytes, with no `Substring` and no diagnostics.
///
/// It answers only for literals the parser would accept, and nil for everything else, which the parser
/// then reads the general way (`Parser.parseAnyAddressLiteral`) to say what is wrong. The rules are the
/// general path's, step for step; the tests hold the two to the same answers.
enum ValidAddressLiteral {
    /// The range `text` means, or nil when it is not a valid literal (or when it is best left to the general
    /// path). IPv4-mapped addresses are not refused here: the parser checks every literal for them.
    static func range(of text: UnsafeBufferPointer<UInt8>) -> AddressRange? {
        var dash: Int?, slash: Int?
        for index in text.indices {
            if text[index] == UInt8(ascii: "-") {
                dash = index
                break
            }
            if text[index] == UInt8(ascii: "/") && slash == nil { slash = index }
        }
        if let dash {
            guard let first = address(text, 0..<dash), let last = address(text, (dash + 1)..<text.count),
                  first.family == last.family, first <= last else { return nil }
            return AddressRange(first: first, last: last)
        }
        if let slash {
            guard let network = address(text, 0..<slash),
                  let length = prefixLength(text, (slash + 1)..<text.count),
                  length <= network.family.bitWidth, !Prefix.hasHostBits(network, length: length) else { return nil }
            return Prefix(network: network, length: length).range
        }
        return address(text, 0..<text.count).map { AddressRange($0) }
    }

    private static func address(_ text: UnsafeBufferPointer<UInt8>, _ bytes: Range<Int>) -> IPAddress? {
        IPAddress(utf8: UnsafeBufferPointer(rebasing: text[bytes]))
    }

    /// One to three decimal digits, as the general path reads them.
    private static func prefixLength(_ text: UnsafeBufferPointer<UInt8>, _ bytes: Range<Int>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 3 else { return nil }
        var length = 0
        for index in bytes {
            let digit = Int(text[index]) - Int(UInt8(ascii: "0"))
            guard digit >= 0 && digit <= 9 else { return nil }
            length = length * 10 + digit
        }
        return length
    }
}
