import NetworkAddresses
import PolicyLanguage

/// A set of services as plain sets — ports per transport, ICMP types per family — so that expectations and
/// the ACME proof can intersect and subtract them.
struct ServiceSpace: Hashable, CustomStringConvertible {
    var tcp: [PortRange] = []
    var udp: [PortRange] = []
    var icmp: Set<UInt8> = []
    var icmpv6: Set<UInt8> = []

    private static let everyType = Set((0...255).map(UInt8.init))

    init() {}

    init(_ items: [ServiceItem]) {
        for item in ServiceItem.normalised(items) {
            switch item {
            case .ports(.tcp, let ranges): tcp = ranges
            case .ports(.udp, let ranges): udp = ranges
            case .icmp(let types): icmp = types.isEmpty ? Self.everyType : Set(types)
            case .icmpv6(let types): icmpv6 = types.isEmpty ? Self.everyType : Set(types)
            }
        }
    }

    var isEmpty: Bool { tcp.isEmpty && udp.isEmpty && icmp.isEmpty && icmpv6.isEmpty }

    /// What of this space can occur over `family`: ICMP only over IPv4, ICMPv6 only over IPv6.
    func restricted(to family: IPFamily) -> ServiceSpace {
        var result = self
        if family == .ipv4 { result.icmpv6 = [] } else { result.icmp = [] }
        return result
    }

    func intersection(_ other: ServiceSpace) -> ServiceSpace {
        combined(with: other, ports: PortRanges.intersection, types: { $0.intersection($1) })
    }

    func subtracting(_ other: ServiceSpace) -> ServiceSpace {
        combined(with: other, ports: PortRanges.subtracting, types: { $0.subtracting($1) })
    }

    /// Applies one set operation to each protocol's part of the two spaces.
    private func combined(with other: ServiceSpace, ports: ([PortRange], [PortRange]) -> [PortRange],
                          types: (Set<UInt8>, Set<UInt8>) -> Set<UInt8>) -> ServiceSpace {
        var result = ServiceSpace()
        result.tcp = ports(tcp, other.tcp)
        result.udp = ports(udp, other.udp)
        result.icmp = types(icmp, other.icmp)
        result.icmpv6 = types(icmpv6, other.icmpv6)
        return result
    }

    /// The space in policy syntax, e.g. `tcp/443, icmp/echo-request`; many ICMP types as number ranges.
    var description: String {
        var parts: [String] = []
        if !tcp.isEmpty { parts.append(ServiceItem.ports(.tcp, tcp).description) }
        if !udp.isEmpty { parts.append(ServiceItem.ports(.udp, udp).description) }
        if !icmp.isEmpty { parts.append(Self.describe(icmp, ipv6: false)) }
        if !icmpv6.isEmpty { parts.append(Self.describe(icmpv6, ipv6: true)) }
        return parts.joined(separator: ", ")
    }

    private static func describe(_ types: Set<UInt8>, ipv6: Bool) -> String {
        if types == everyType { return ipv6 ? "icmpv6" : "icmp" }
        if types.count <= 4 {
            let sorted = types.sorted()
            return (ipv6 ? ServiceItem.icmpv6(sorted) : ServiceItem.icmp(sorted)).description
        }
        let ranges = PortRange.normalise(types.map { PortRange(UInt16($0)) })
        return (ipv6 ? "icmpv6" : "icmp") + " types " + ranges.map(\.description).joined(separator: ", ")
    }
}
