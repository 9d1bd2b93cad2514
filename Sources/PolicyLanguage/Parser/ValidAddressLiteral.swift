import NetworkAddresses

/// The fast path for address literals: reads the range a valid address, prefix or range stands for
/// straight from the token's bytes, with no `Substring` and no diagnostics.
///
/// It answers exactly for the literals the parser accepts, and nil for everything else, which the parser
/// then reads the general way (`Parser.parseAddressLiteral`) to say what is wrong. The rules are the
/// general path's, step for step; the tests hold the two to the same answers.
enum ValidAddressLiteral {
    /// The range `text` means, or nil when it is not a valid literal.
    static func range(of text: UnsafeBufferPointer<UInt8>) -> AddressRange? {
        guard let range = anyRange(of: text) else { return nil }
        let mapped = Parser.ipv4Mapped
        if range.family == .ipv6 && mapped.first <= range.first && range.last <= mapped.last { return nil }
        return range
    }

    /// The range of an address, prefix or range, IPv4-mapped ones included.
    ///
    /// The general path looks for a `-`, then for a `/`, through the whole text. Here only the last four
    /// bytes are looked at for the `/` of a prefix: a length has at most three digits. That `/` is the one
    /// the general path finds when the prefix is valid, because an address holds no `/` or `-` and neither
    /// does a length. Without a `/` there, no valid literal holds one at all.
    private static func anyRange(of text: UnsafeBufferPointer<UInt8>) -> AddressRange? {
        if let slash = text[max(0, text.count - 4)...].lastIndex(of: UInt8(ascii: "/")) {
            guard let network = address(text, 0..<slash),
                  let length = prefixLength(text, (slash + 1)..<text.count),
                  length <= network.family.bitWidth, !Prefix.hasHostBits(network, length: length) else { return nil }
            return Prefix(network: network, length: length).range
        }
        if let dash = text.firstIndex(of: UInt8(ascii: "-")) {
            guard let first = address(text, 0..<dash), let last = address(text, (dash + 1)..<text.count),
                  first.family == last.family, first <= last else { return nil }
            return AddressRange(first: first, last: last)
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
