/// The two address families a policy can speak of.
public enum IPFamily: String, Sendable, Hashable, Comparable, CaseIterable {
    case ipv4
    case ipv6

    /// Number of bits in an address of this family.
    public var bitWidth: Int { self == .ipv4 ? 32 : 128 }

    /// The largest address value of this family.
    @inlinable public var maxValue: UInt128 { self == .ipv4 ? UInt128(UInt32.max) : UInt128.max }

    public static func < (lhs: IPFamily, rhs: IPFamily) -> Bool { lhs == .ipv4 && rhs == .ipv6 }

    // By case, not by the raw value: the String raw value made hashing and comparing every address
    // cost a string operation.
    @inlinable public static func == (lhs: IPFamily, rhs: IPFamily) -> Bool {
        switch (lhs, rhs) {
        case (.ipv4, .ipv4), (.ipv6, .ipv6): true
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(self == .ipv4) }
}

/// One IPv4 or IPv6 address, held as an unsigned integer so that ranges and prefixes are plain arithmetic.
public struct IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let family: IPFamily
    /// The address as a number; IPv4 addresses use the low 32 bits.
    public let value: UInt128

    @inlinable public init(family: IPFamily, value: UInt128) {
        precondition(value <= family.maxValue, "address value out of range for \(family)")
        self.family = family
        self.value = value
    }

    /// For a value already known to fit its family (an end of an `AddressRange`).
    @inlinable init(checkedFamily family: IPFamily, value: UInt128) {
        self.family = family
        self.value = value
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an IPv4 tail); nil when it is neither.
    public init?(_ text: some StringProtocol) {
        // Addresses are ASCII; reading bytes instead of characters keeps 100k-prefix zones cheap.
        let parsed = text.utf8.withContiguousStorageIfAvailable(IPAddress.parse)
            ?? Array(text.utf8).withUnsafeBufferPointer(IPAddress.parse)
        guard let (family, value) = parsed else { return nil }
        self.init(family: family, value: value)
    }

    /// Parses the same text as `init?(_:)`, given as its UTF-8 bytes: for callers that already hold the
    /// bytes, where a generic `StringProtocol` would cost more than the parse itself.
    public init?(utf8 text: UnsafeBufferPointer<UInt8>) {
        guard let (family, value) = IPAddress.parse(text) else { return nil }
        self.init(family: family, value: value)
    }

    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        let count = family.bitWidth / 8
        return (0..<count).map { UInt8(truncatingIfNeeded: value >> UInt128(8 * (count - 1 - $0))) }
    }

    /// Builds an address from network-order bytes (4 or 16 of them).
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        let value = bytes.reduce(UInt128(0)) { ($0 << 8) | UInt128($1) }
        self.init(family: bytes.count == 4 ? .ipv4 : .ipv6, value: value)
    }

    public var description: String {
        family == .ipv4 ? IPAddress.formatIPv4(UInt32(value)) : IPAddress.formatIPv6(value)
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.family, lhs.value) < (rhs.family, rhs.value)
    }

    /// The next address, or nil at the top of the family.
    public var successor: IPAddress? {
        value == family.maxValue ? nil : IPAddress(family: family, value: value + 1)
    }

    /// The previous address, or nil at zero.
    public var predecessor: IPAddress? {
        value == 0 ? nil : IPAddress(family: family, value: value - 1)
    }
}

// MARK: - Text forms

extension IPAddress {
    /// Both parsers refuse every byte that is not a digit, a hex digit, `.` or `:`, so text that is not
    /// ASCII needs no check of its own. IPv4 is tried first: it refuses IPv6 text at its first `:` or hex
    /// letter or fifth digit, which costs less than looking for a `:` in every IPv4 address.
    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> (IPFamily, UInt128)? {
        if let value = parseIPv4(text[...]) { return (.ipv4, UInt128(value)) }
        if text.contains(UInt8(ascii: ":")) { return parseIPv6(text[...]).map { (.ipv6, $0) } }
        return nil
    }

    /// Four decimal octets. Leading zeros are refused: "010" means octal to some tools and decimal to others.
    static func parseIPv4(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
        var value: UInt32 = 0, octet: UInt32 = 0
        var digits = 0, dots = 0, leadingZero = false
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                (octet, digits, dots) = (0, 0, dots + 1)
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits == 0 { leadingZero = byte == UInt8(ascii: "0") } else if leadingZero { return nil }
                digits += 1
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                guard digits <= 3, octet <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        return value << 8 | octet
    }

    /// Eight groups of one to four hex digits; `::` stands for one or more zero groups, and an IPv4
    /// address may stand for the last two (`::ffff:192.0.2.1`).
    static func parseIPv6(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> UInt128? {
        let colon = UInt8(ascii: ":")
        var end = text.endIndex
        var tail: (value: UInt128, groups: Int) = (0, 0)
        if let lastColon = text.lastIndex(of: colon), text[(lastColon + 1)...].contains(UInt8(ascii: ".")) {
            guard let v4 = parseIPv4(text[(lastColon + 1)...]) else { return nil }
            tail = (UInt128(v4), 2)
            end = lastColon + 1
            // A single colon only separates the tail; `::` before it still stands for zero groups.
            if !(end - text.startIndex >= 2 && text[end - 2] == colon) { end -= 1 }
        }
        var gap: Int?
        var index = text.startIndex
        while index + 1 < end {
            if text[index] == colon && text[index + 1] == colon {
                gap = index
                break
            }
            index += 1
        }
        guard let gap else {
            guard let head = groups(text[text.startIndex..<end]), head.count + tail.groups == 8 else { return nil }
            return head.value << (16 * UInt128(tail.groups)) | tail.value
        }
        guard let head = groups(text[text.startIndex..<gap]), let rest = groups(text[(gap + 2)..<end]),
              8 - head.count - rest.count - tail.groups >= 1 else { return nil }
        return head.value << (16 * UInt128(8 - head.count)) | rest.value << (16 * UInt128(tail.groups)) | tail.value
    }

    /// Colon-separated groups of one to four hex digits, as one number; nil for an empty group.
    private static func groups(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> (value: UInt128, count: Int)? {
        if text.isEmpty { return (0, 0) }
        var value: UInt128 = 0, group: UInt128 = 0
        var count = 0, digits = 0
        for byte in text {
            if byte == UInt8(ascii: ":") {
                guard digits > 0, count < 8 else { return nil }
                (value, group, count, digits) = (value << 16 | group, 0, count + 1, 0)
                continue
            }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            digits += 1
            guard digits <= 4 else { return nil }
            group = group << 4 | UInt128(digit)
        }
        guard digits > 0, count < 8 else { return nil }
        return (value << 16 | group, count + 1)
    }

    static func formatIPv4(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    /// RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as `::`;
    /// IPv4-mapped addresses keep their dotted tail (`::ffff:192.0.2.1`), as RFC 5952 section 5 asks.
    static func formatIPv6(_ value: UInt128) -> String {
        if value >> 32 == 0xffff {
            return "::ffff:" + formatIPv4(UInt32(truncatingIfNeeded: value))
        }
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: value >> UInt128(16 * (7 - $0))) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength { bestStart = runStart; bestLength = index - runStart }
                runStart = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let rest = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + rest
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
