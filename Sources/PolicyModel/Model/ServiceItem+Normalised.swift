import NetworkAddresses
import PolicyLanguage

extension ServiceItem: CustomStringConvertible {
    /// The item in policy syntax: `tcp/443`, `tcp/80, tcp/443`, `icmp/echo-request`, `icmpv6`.
    public var description: String {
        switch self {
        case .ports(let proto, let ranges):
            return ranges.map { "\(proto.rawValue)/\($0)" }.joined(separator: ", ")
        case .icmp(let types), .icmpv6(let types):
            let proto = families == [.ipv6] ? "icmpv6" : "icmp"
            if types.isEmpty { return proto }
            return types.map { "\(proto)/\(IcmpTypes.name(of: $0, ipv6: proto == "icmpv6") ?? String($0))" }
                .joined(separator: ", ")
        }
    }

    /// Merges items into at most one per protocol, in the order tcp, udp, icmp, icmpv6: port ranges sorted and
    /// joined, ICMP types sorted and deduplicated, and "every type" absorbing single types.
    public static func normalised(_ items: [ServiceItem]) -> [ServiceItem] {
        var ports: [TransportProtocol: [PortRange]] = [:]
        var icmp: Set<UInt8>?, icmpv6: Set<UInt8>?
        var everyIcmp = false, everyIcmpv6 = false
        for item in items {
            switch item {
            case .ports(let proto, let ranges): ports[proto, default: []] += ranges
            case .icmp(let types):
                everyIcmp = everyIcmp || types.isEmpty
                icmp = (icmp ?? []).union(types)
            case .icmpv6(let types):
                everyIcmpv6 = everyIcmpv6 || types.isEmpty
                icmpv6 = (icmpv6 ?? []).union(types)
            }
        }
        var result: [ServiceItem] = TransportProtocol.allCases.sorted().compactMap { proto in
            ports[proto].map { .ports(proto, PortRange.normalise($0)) }
        }
        if let icmp { result.append(.icmp(everyIcmp ? [] : icmp.sorted())) }
        if let icmpv6 { result.append(.icmpv6(everyIcmpv6 ? [] : icmpv6.sorted())) }
        return result
    }
}
