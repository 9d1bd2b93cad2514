/// The two address families a policy can speak of.
public enum IPFamily: String, Sendable, Hashable, Comparable, CaseIterable {
    case ipv4
    case ipv6

    /// Number of bits in an address of this family.
    public var bitWidth: Int { self == .ipv4 ? 32 : 128 }

    /// The largest address value of this family.
    public var maxValue: UInt128 { self == .ipv4 ? UInt128(UInt32.max) : UInt128.max }

    public static func < (lhs: IPFamily, rhs: IPFamily) -> Bool { lhs == .ipv4 && rhs == .ipv6 }
}

/// One IPv4 or IPv6 address, held as an unsigned integer so that ranges and prefixes are plain arithmetic.
public struct IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let family: IPFamily
    /// The address as a number; IPv4 addresses use the low 32 bits.
    public let value: UInt128

    public init(family: IPFamily, value: UInt128) {
        precondition(value <= family.maxValue, "address value out of range for \(family)")
        self.family = family
        self.value = value
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an IPv4 tail); nil when it is neither.
    public init?(_ text: some StringProtocol) {
        if text.contains(":") {
            guard let value = IPAddress.parseIPv6(Substring(text)) else { return nil }
            self.init(family: .ipv6, value: value)
        } else {
            guard let value = IPAddress.parseIPv4(Substring(text)) else { return nil }
            self.init(family: .ipv4, value: UInt128(value))
        }
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
    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            // Leading zeros are refused: "010" means octal to some tools and decimal to others.
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit),
                  part.count == 1 || part.first != "0",
                  let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func parseIPv6(_ text: Substring) -> UInt128? {
        var text = text
        var tail: [UInt16] = []
        // An embedded IPv4 address may end the text (::ffff:192.0.2.1).
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = parseIPv4(text[text.index(after: lastColon)...]) else { return nil }
            tail = [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
            text = text[...lastColon]
            if text.hasSuffix("::") == false { text = text.dropLast() }
        }
        var halves: [String] = [String(text)]
        if let gap = text.firstRange(of: "::") {
            halves = [String(text[..<gap.lowerBound]), String(text[gap.upperBound...])]
            guard !halves[1].contains("::") else { return nil }
        }
        func groups(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var result: [UInt16] = []
            for group in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit),
                      let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all: [UInt16]
        if halves.count == 2 {
            guard let rest = groups(halves[1]) else { return nil }
            let missing = 8 - head.count - rest.count - tail.count
            guard missing >= 1 else { return nil }
            all = head + Array(repeating: 0, count: missing) + rest + tail
        } else {
            all = head + tail
        }
        guard all.count == 8 else { return nil }
        return all.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
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
