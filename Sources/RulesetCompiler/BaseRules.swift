import NetworkAddresses
import Nftables

/// The rules every host needs before any flow: without them a drop policy breaks the host itself.
enum BaseRules {
    /// ICMP errors that keep TCP working (path MTU discovery, unreachable, time exceeded): 3, 11, 12.
    static let icmpErrors: [UInt8] = [3, 11, 12]
    /// ICMPv6 errors: destination unreachable 1, packet too big 2, time exceeded 3, parameter problem 4.
    static let icmpv6Errors: [UInt8] = [1, 2, 3, 4]
    /// Neighbour discovery a host must receive: router advertisement 134, solicitation 135, advertisement 136.
    static let neighbourDiscoveryIn: [UInt8] = [134, 135, 136]
    /// Neighbour discovery a host must send: router solicitation 133, 135, 136, and MLDv2 reports 143
    /// (switches with multicast snooping forward solicited-node multicast only to reporting ports).
    static let neighbourDiscoveryOut: [UInt8] = [133, 135, 136, 143]

    /// Loopback, connection tracking and ICMP housekeeping for one base chain.
    static func preamble(for hook: Hook) -> [Rule] {
        var rules: [Rule] = []
        switch hook {
        case .input:
            rules.append(Rule([.interface(.source, name: "lo")], verdict: .accept, comment: "loopback"))
        case .output:
            rules.append(Rule([.interface(.destination, name: "lo")], verdict: .accept, comment: "loopback"))
        case .forward:
            break
        }
        rules.append(Rule([.connectionState(.invalid)], counter: true, verdict: .drop, comment: "invalid packets"))
        rules.append(Rule([.connectionState([.established, .related])], verdict: .accept,
                          comment: "replies to allowed connections"))
        guard hook != .forward else { return rules }
        let discovery = hook == .input ? neighbourDiscoveryIn : neighbourDiscoveryOut
        rules.append(Rule([.icmpTypes(.ipv6, discovery)], verdict: .accept, comment: "IPv6 neighbour discovery"))
        rules.append(Rule([.icmpTypes(.ipv4, icmpErrors)], verdict: .accept, comment: "ICMP errors"))
        rules.append(Rule([.icmpTypes(.ipv6, icmpv6Errors)], verdict: .accept, comment: "ICMPv6 errors"))
        return rules
    }

    /// The last rule of a base chain: count (and optionally log) what the policy is about to drop.
    static func dropCounter(for hook: Hook, options: CompilerOptions) -> Rule {
        let log = options.logDropped
            ? LogStatement(prefix: "ztpol drop \(hook.rawValue): ", ratePerMinute: options.logRatePerMinute)
            : nil
        return Rule([], counter: true, log: log, verdict: .drop, comment: "not allowed by the policy")
    }
}
