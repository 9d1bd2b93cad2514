import NetworkAddresses
import Nftables
import PolicyModel

/// ICMP flows (`icmp/echo-request`, `icmpv6`) stay rules of the base chain, one per address match and
/// family with the types of all its flows merged: they are few, and a type is no port to dispatch on.
enum ICMPRules {
    static func rules(_ grants: [Grant], hook: Hook, addresses: inout AddressMatches, file: String) -> [Rule] {
        var order: [ICMPKey] = []
        var types: [ICMPKey: Set<UInt8>] = [:]
        var every: Set<ICMPKey> = []  // a flow allows every type
        var origins: [ICMPKey: RuleOrigins] = [:]
        for grant in grants {
            let family: IPFamily, listed: [UInt8]
            switch grant.item {
            case .ports: continue
            case .icmp(let values): (family, listed) = (.ipv4, values)
            case .icmpv6(let values): (family, listed) = (.ipv6, values)
            }
            // An `any -> any` pair still names its family: ICMP and ICMPv6 are different protocols.
            guard let matches = grant.pair.isFamilyFree ? []
                : addresses.matches(grant.pair, family: family, hook: hook) else { continue }
            // Keyed by what the rule matches: zones with the same addresses share a set, and a rule.
            let key = ICMPKey(matches: matches, family: family)
            if types[key] == nil {
                order.append(key)
                types[key] = []
            }
            if listed.isEmpty { every.insert(key) } else { types[key]?.formUnion(listed) }
            origins[key, default: RuleOrigins()].add(grant, hook: hook)
        }
        return order.map { key in
            let typeMatch: Match = every.contains(key)
                ? .l4Protocol(key.family == .ipv4 ? .icmp : .icmpv6)
                : .icmpTypes(key.family, (types[key] ?? []).sorted())
            return Rule(key.matches + [typeMatch], verdict: .accept, comment: origins[key]?.comment(file: file))
        }
    }

    private struct ICMPKey: Hashable {
        let matches: [Match]
        let family: IPFamily
    }
}
