/// ICMP and ICMPv6 message types by name, spelt as nftables spells them so that policies and rulesets read alike.
public enum IcmpTypes {
    /// ICMP (IPv4) types, RFC 792 and its successors.
    public static let icmp: KeyValuePairs<String, UInt8> = [
        "echo-reply": 0, "destination-unreachable": 3, "source-quench": 4, "redirect": 5, "echo-request": 8,
        "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11, "parameter-problem": 12,
        "timestamp-request": 13, "timestamp-reply": 14, "info-request": 15, "info-reply": 16,
        "address-mask-request": 17, "address-mask-reply": 18,
    ]

    /// ICMPv6 types, RFC 4443, 4861 and 3810.
    public static let icmpv6: KeyValuePairs<String, UInt8> = [
        "destination-unreachable": 1, "packet-too-big": 2, "time-exceeded": 3, "parameter-problem": 4,
        "echo-request": 128, "echo-reply": 129, "mld-listener-query": 130, "mld-listener-report": 131,
        "mld-listener-done": 132, "nd-router-solicit": 133, "nd-router-advert": 134, "nd-neighbor-solicit": 135,
        "nd-neighbor-advert": 136, "nd-redirect": 137, "router-renumbering": 138, "ind-neighbor-solicit": 141,
        "ind-neighbor-advert": 142, "mld2-listener-report": 143,
    ]

    /// The table for `icmp` (IPv4) or `icmpv6`.
    public static func table(ipv6: Bool) -> KeyValuePairs<String, UInt8> { ipv6 ? icmpv6 : icmp }

    /// The number for a type name, or nil when the protocol has no such type.
    public static func number(of name: String, ipv6: Bool) -> UInt8? {
        table(ipv6: ipv6).first { $0.key == name }?.value
    }

    /// The name of a type number, or nil for types without one.
    public static func name(of number: UInt8, ipv6: Bool) -> String? {
        table(ipv6: ipv6).first { $0.value == number }?.key
    }
}
