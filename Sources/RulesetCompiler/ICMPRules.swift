import NetworkAddresses
import Nftables
import PolicyModel

/// ICMP flows (`icmp/echo-request`, `icmpv6`) stay rules of the base chain, one per endpoint pair and
/// family with the types of all its flows merged: they are few, and a type is no port to dispatch on.
enum ICMPRules {
    static func rules(_ grants: [Grant], hook: Hook, addresses: inout AddressMatches, file: String) -> [Rule] {
        var order: [ICMPKey] = []
        var types: [ICMPKey: Set<UInt8>] = [:]  // empty: every type
        var every: Set<ICMPKey> = []
        var lines: [ICMPKey: [Int]] = [:]
        var services: [ICMPKey: [String]] = [:]
        for grant in grants {
            let family: IPFamily, listed: [UInt8]
            switch grant.item {
            case .ports: continue
            case .icmp(let values): (family, listed) = (.ipv4, values)
            case .icmpv6(let values): (family, listed) = (.ipv6, values)
            }
            let key = ICMPKey(pair: grant.pair, family: family)
            if types[key] == nil {
                order.append(key)
                types[key] = []
            }
            if listed.isEmpty { every.insert(key) } else { types[key]?.formUnion(listed) }
            lines[key, default: []].append(grant.line)
            services[key, default: []] += grant.services
        }
        return order.compactMap { key in
            // An `any -> any` pair still names its family: ICMP and ICMPv6 are different protocols.
            guard let matches = key.pair.isFamilyFree ? []
                : addresses.matches(key.pair, family: key.family, hook: hook) else { return nil }
            let typeMatch: Match = every.contains(key)
                ? .l4Protocol(key.family == .ipv4 ? .icmp : .icmpv6)
                : .icmpTypes(key.family, (types[key] ?? []).sorted())
            let pairRule = PairRule(pair: key.pair, matches: matches + [typeMatch])
            return pairRule.rule(lines: lines[key] ?? [], services: services[key] ?? [], hook: hook, file: file)
        }
    }

    private struct ICMPKey: Hashable {
        let pair: EndpointPair
        let family: IPFamily
    }
}
