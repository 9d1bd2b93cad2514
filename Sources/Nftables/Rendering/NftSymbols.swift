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
        let bytes = address.bytes
        var text = [CChar](repeating: 0, count: 48)
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { source in
            inet_ntop(family, source.baseAddress, &text, socklen_t(text.count)) != nil
        }
        guard ok else { return address.description }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An interval as nft prints it: `a`, `a/len` when it is exactly one prefix, else `a-b`.
    static func range(_ range: AddressRange) -> String {
        let first = range.first.value, last = range.last.value
        if first == last { return address(range.first) }
        let span = last - first
        // A prefix spans 2^k - 1 above a start aligned to 2^k.
        if span & (span &+ 1) == 0 && first & span == 0 {
            let length = range.family.bitWidth - (UInt128.bitWidth - span.leadingZeroBitCount)
            return "\(address(range.first))/\(length)"
        }
        return "\(address(range.first))-\(address(range.last))"
    }

    /// A string in double quotes; ztpol's tables never hold a quote (see `Table.validate`).
    static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
