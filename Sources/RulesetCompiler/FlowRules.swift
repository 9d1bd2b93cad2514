import NetworkAddresses
import Nftables
import PolicyModel

/// Turns the flows that concern one host into rules of its input and output chains.
///
/// A flow opens the source hosts' output and the destination hosts' input; each direction becomes one
/// rule per address family and transport (or ICMP family) that the flow can carry.
struct FlowRules {
    let policy: Policy
    /// Every address of the zones the host belongs to.
    let hostAddresses: AddressSet
    var sets = SetAllocator()

    init(policy: Policy, hostAddresses: AddressSet) {
        self.policy = policy
        self.hostAddresses = hostAddresses
    }

    /// Rules for `hook` (input: the host is a destination; output: the host is a source).
    mutating func rules(for hook: Hook) -> [Rule] {
        var rules: [Rule] = []
        for flow in policy.flows {
            let hostSide = hook == .input ? flow.destinationAddresses : flow.sourceAddresses
            guard hostSide.intersects(hostAddresses) else { continue }
            rules += self.rules(for: flow)
        }
        return rules
    }

    /// The rules of one flow, the same in input and output: they match both ends of the connection.
    private mutating func rules(for flow: Flow) -> [Rule] {
        let comment = FlowRules.comment(for: flow, policyPath: policy.path)
        var rules: [Rule] = []
        for (family, services) in FlowRules.servicesByFamily(flow) {
            let addressMatches: [Match]
            if flow.sourceIsAny && flow.destinationIsAny {
                addressMatches = []
            } else {
                guard let matches = self.addressMatches(flow, family: family) else { continue }
                addressMatches = matches
            }
            for service in services {
                rules.append(Rule(addressMatches + [service], verdict: .accept, comment: comment))
            }
        }
        return rules
    }

    /// `ip saddr @S ip daddr @D` for one family, or nil when a side has no address of that family.
    private mutating func addressMatches(_ flow: Flow, family: IPFamily) -> [Match]? {
        var matches: [Match] = []
        let sides: [(Direction, Bool, AddressSet, [Endpoint])] = [
            (.source, flow.sourceIsAny, flow.sourceAddresses, flow.sources),
            (.destination, flow.destinationIsAny, flow.destinationAddresses, flow.destinations),
        ]
        for (direction, isAny, addresses, endpoints) in sides {
            if isAny { continue }
            guard !addresses.ranges(family).isEmpty else { return nil }
            let name = FlowRules.setName(endpoints, flow: flow, direction: direction)
            let setName = sets.set(for: addresses, family: family, preferredName: name,
                                   comment: endpoints.map(\.description).joined(separator: ", "))
            matches.append(.addressInSet(direction, family, set: setName))
        }
        return matches
    }

    /// A zone's own name when the side is one zone, else a name from the flow's line.
    static func setName(_ endpoints: [Endpoint], flow: Flow, direction: Direction) -> String {
        if endpoints.count == 1, case .zone(let name) = endpoints[0] { return name }
        let side = direction == .source ? "src" : "dst"
        return "flow\(flow.location.line)_\(side)"
    }

    /// The flow's service items as one match each, grouped by the family they run in.
    /// Ports are merged per transport; when neither side names addresses, a port match serves both
    /// families at once and is listed under IPv4 only.
    static func servicesByFamily(_ flow: Flow) -> [(IPFamily, [Match])] {
        var ports: [TransportProtocol: [PortRange]] = [:]
        var icmp: [UInt8] = [], icmpv6: [UInt8] = []
        var anyICMP = false, anyICMPv6 = false
        for item in flow.services {
            switch item {
            case .ports(let proto, let ranges): ports[proto, default: []] += ranges
            case .icmp(let types): if types.isEmpty { anyICMP = true } else { icmp += types }
            case .icmpv6(let types): if types.isEmpty { anyICMPv6 = true } else { icmpv6 += types }
            }
        }
        let portMatches: [Match] = TransportProtocol.allCases.compactMap { proto in
            guard let ranges = ports[proto] else { return nil }
            return .ports(proto == .tcp ? .tcp : .udp, .destination, PortRange.normalise(ranges))
        }
        let familyFree = flow.sourceIsAny && flow.destinationIsAny
        var v4 = portMatches, v6 = familyFree ? [] : portMatches
        if anyICMP {
            v4.append(.l4Protocol(.icmp))
        } else if !icmp.isEmpty {
            v4.append(.icmpTypes(.ipv4, uniqueSorted(icmp)))
        }
        if anyICMPv6 { v6.append(.l4Protocol(.icmpv6)) } else if !icmpv6.isEmpty {
            v6.append(.icmpTypes(.ipv6, uniqueSorted(icmpv6)))
        }
        return [(.ipv4, v4), (.ipv6, v6)].filter { !$0.1.isEmpty }
    }

    static func uniqueSorted(_ values: [UInt8]) -> [UInt8] { Array(Set(values)).sorted() }

    /// `webserver.zt:8: ra, services -> web https`, cut to what nft keeps in a comment.
    static func comment(for flow: Flow, policyPath: String) -> String {
        let file = policyPath.split(separator: "/").last.map(String.init) ?? policyPath
        return FittingText.comment("\(file):\(flow.location.line): \(flow.summary)")
    }
}
