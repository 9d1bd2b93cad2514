#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NetworkAddresses

/// The names and number formats nft uses when it lists a table, so that ztpol prints the same text.
enum NftSymbols {
    /// nft's names of ICMP types; types without a name are printed as numbers.
    static let icmpTypeNames: [UInt8: String] = [
        0: "echo-reply", 3: "destination-unreachable", 4: "source-quench", 5: "redirect",
        8: "echo-request", 9: "router-advertisement", 10: "router-solicitation", 11: "time-exceeded",
        12: "parameter-problem", 13: "timestamp-request", 14: "timestamp-reply", 15: "info-request",
        16: "info-reply", 17: "address-mask-request", 18: "address-mask-reply",
    ]

    /// nft's names of ICMPv6 types.
    static let icmpv6TypeNames: [UInt8: String] = [
        1: "destination-unreachable", 2: "packet-too-big", 3: "time-exceeded", 4: "parameter-problem",
        128: "echo-request", 129: "echo-reply", 130: "mld-listener-query", 131: "mld-listener-report",
        132: "mld-listener-done", 133: "nd-router-solicit", 134: "nd-router-advert",
        135: "nd-neighbor-solicit", 136: "nd-neighbor-advert", 137: "nd-redirect",
        138: "router-renumbering", 141: "ind-neighbor-solicit", 142: "ind-neighbor-advert",
        143: "mld2-listener-report",
    ]

    static func icmpType(_ type: UInt8, family: IPFamily) -> String {
        let names = family == .ipv4 ? icmpTypeNames : icmpv6TypeNames
        return names[type] ?? String(type)
    }

    /// nft's standard priorities, in the order nft searches them.
    private static let standardPriorities: [(name: String, value: Int32)] = [
        ("raw", -300), ("mangle", -150), ("dstnat", -100), ("filter", 0), ("security", 50), ("srcnat", 100),
    ]

    /// `filter`, `filter + 10`, `mangle - 1` or a plain number, as nft lists a base chain's priority:
    /// a name within 10 of a standard priority that suits the hook, else the number.
    static func priority(_ value: Int32, hook: Hook) -> String {
        for standard in standardPriorities where abs(Int(value) - Int(standard.value)) <= 10 {
            // dstnat and srcnat only name priorities of the prerouting and postrouting hooks.
            if standard.name == "dstnat" || standard.name == "srcnat" { break }
            let offset = Int(value) - Int(standard.value)
            if offset == 0 { return standard.name }
            return offset > 0 ? "\(standard.name) + \(offset)" : "\(standard.name) - \(-offset)"
        }
        return String(value)
    }

    /// An address as nft prints it: `inet_ntop`, which uses the dotted tail for v4-mapped addresses.
    static func address(_ address: IPAddress) -> String {
        var text: [UInt8] = []
        append(address, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// An interval as nft prints it: `a`, `a/len` when it is exactly one prefix, else `a-b`.
    static func range(_ range: AddressRange) -> String {
        var text: [UInt8] = []
        append(range, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `range` as nft prints it, without the strings `range(_:)` would make on the way.
    static func append(_ range: AddressRange, to text: inout [UInt8]) {
        let first = range.first.value, last = range.last.value
        append(range.first, to: &text)
        if first == last { return }
        let span = last - first
        // A prefix spans 2^k - 1 above a start aligned to 2^k.
        if span & (span &+ 1) == 0 && first & span == 0 {
            text.append(UInt8(ascii: "/"))
            appendDecimal(range.family.bitWidth - (UInt128.bitWidth - span.leadingZeroBitCount), to: &text)
        } else {
            text.append(UInt8(ascii: "-"))
            append(range.last, to: &text)
        }
    }

    /// An address as `inet_ntop` writes it, which is how nft lists addresses. Written out here because
    /// glibc formats each IPv6 group with `sprintf`, which made up most of rendering a large table.
    static func append(_ address: IPAddress, to text: inout [UInt8]) {
        guard address.family == .ipv6 else { return appendIPv4(UInt32(truncatingIfNeeded: address.value), to: &text) }
        let word = { (index: Int) in UInt16(truncatingIfNeeded: address.value >> UInt128(112 - 16 * index)) }
        // The first longest run of two or more zero groups becomes `::`.
        var best = (start: -1, count: 0), run = (start: -1, count: 0)
        for index in 0..<8 {
            if word(index) == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.count + 1)
                if run.count > best.count { best = run }
            } else {
                run = (-1, 0)
            }
        }
        if best.count < 2 { best = (-1, 0) }
        for index in 0..<8 {
            if best.start >= 0 && index >= best.start && index < best.start + best.count {
                if index == best.start { text.append(UInt8(ascii: ":")) }
                continue
            }
            if index > 0 { text.append(UInt8(ascii: ":")) }
            // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses end in dotted decimal.
            if index == 6 && best.start == 0 && (best.count == 6 || (best.count == 5 && word(5) == 0xffff)) {
                return appendIPv4(UInt32(truncatingIfNeeded: address.value), to: &text)
            }
            appendHex(word(index), to: &text)
        }
        if best.start >= 0 && best.start + best.count == 8 { text.append(UInt8(ascii: ":")) }
    }

    private static func appendIPv4(_ value: UInt32, to text: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) {
            appendDecimal(Int(value >> UInt32(shift) & 0xff), to: &text)
            if shift > 0 { text.append(UInt8(ascii: ".")) }
        }
    }

    /// Lowercase hex without leading zeros, as `%x` prints.
    private static func appendHex(_ word: UInt16, to text: inout [UInt8]) {
        var shift = 12
        while shift > 0 && word >> UInt16(shift) == 0 { shift -= 4 }
        while shift >= 0 {
            let digit = UInt8(truncatingIfNeeded: word >> UInt16(shift) & 0xf)
            text.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            shift -= 4
        }
    }

    /// 0 through 255 (an octet or a prefix length) in decimal.
    private static func appendDecimal(_ number: Int, to text: inout [UInt8]) {
        let zero = UInt8(ascii: "0")
        if number >= 100 { text.append(zero + UInt8(number / 100)) }
        if number >= 10 { text.append(zero + UInt8(number / 10 % 10)) }
        text.append(zero + UInt8(number % 10))
    }

    /// A string in double quotes; ztpol's tables never hold a quote (see `Table.validate`).
    static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
