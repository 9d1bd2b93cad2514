import NetworkAddresses
import Nftables
import PolicyModel

/// What one flow allows one host for one pair of endpoints and one service item: the unit the compiler
/// regroups. A flow `z1, z2 -> web https` gives the web host two grants (z1 → web and z2 → web), so
/// that each zone keeps one set of its own instead of a union per flow.
struct Grant {
    /// The other end of the connection, and the end on this host (`.any` matches every address).
    let pair: EndpointPair
    let item: ServiceItem
    /// The flow's line, for comments.
    let line: Int
    /// The flow's service names, for comments.
    let services: [String]

    /// Every grant the policy's flows give the host in `hook`'s direction, in policy order.
    /// Input: the host is a destination and the peer a source; output the other way round.
    static func all(in policy: Policy, hostAddresses: AddressSet, hook: Hook) -> [Grant] {
        var grants: [Grant] = []
        for flow in policy.flows {
            let peers = Grant.grouped(hook == .input ? flow.sources : flow.destinations)
            // The host's part of the flow: only the endpoints of its side that it belongs to, so that
            // `ra, services -> web` opens nothing for ra's addresses on a services host.
            let hosts = Grant.grouped(hook == .input ? flow.destinations : flow.sources).filter {
                Grant.addresses(of: $0, in: policy)?.intersects(hostAddresses) ?? true
            }
            // A flow concerns the host when its side does: that is, when one of the side's endpoints does.
            // (Asking per endpoint spares merging the whole side's addresses.)
            guard !hosts.isEmpty else { continue }
            for item in flow.services {
                for peer in peers {
                    for host in hosts {
                        grants.append(Grant(pair: EndpointPair(peer: peer, host: host), item: item,
                                            line: flow.location.line, services: flow.serviceNames))
                    }
                }
            }
        }
        return grants
    }

    /// A zone's or a literal's addresses; nil for `any`.
    static func addresses(of endpoint: Endpoint, in policy: Policy) -> AddressSet? {
        switch endpoint {
        case .zone(let name): policy.zone(named: name)?.addresses ?? AddressSet()
        case .literal(let addresses, _): addresses
        case .any: nil
        }
    }

    /// A side's zones one by one, and its address literals as one endpoint: literals have no name to
    /// share a set by, and a list of sixty addresses should stay one set and one rule.
    static func grouped(_ endpoints: [Endpoint]) -> [Endpoint] {
        var result: [Endpoint] = []
        var literals = AddressSet()
        var texts: [String] = []
        for endpoint in endpoints {
            if case .literal(let addresses, let text) = endpoint {
                literals = literals.union(addresses)
                texts.append(text)
            } else if !result.contains(endpoint) {
                result.append(endpoint)
            }
        }
        if !texts.isEmpty { result.append(.literal(literals, text: texts.joined(separator: ", "))) }
        return result
    }
}

/// The two ends a rule checks: `ip saddr @peer ip daddr @host` in input, the reverse in output.
struct EndpointPair: Hashable {
    let peer: Endpoint
    let host: Endpoint

    /// Neither end names addresses: one rule serves both families.
    var isFamilyFree: Bool { peer == .any && host == .any }

    /// `ra -> web` in input, `web -> ra` in output, for comments.
    func text(for hook: Hook) -> String {
        hook == .input ? "\(peer) -> \(host)" : "\(host) -> \(peer)"
    }
}
