import NetworkAddresses
import Nftables
import PolicyLanguage
import PolicyModel

/// Compiles one host's part of a checked policy into the nftables table ztpol owns on that host.
public enum RulesetCompiler {
    /// Why a host's ruleset cannot be made.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownZone(String, known: [String])
        case noZone

        public var description: String {
            switch self {
            case .unknownZone(let name, let known):
                Suggestions.unknownZone(name, in: "the policy", known: known)
            case .noZone:
                "no host zone given"
            }
        }
    }

    /// The table for a host that belongs to `zoneNames` (a machine in several zones gets the union).
    public static func compile(_ policy: Policy, zones zoneNames: [String],
                               options: CompilerOptions = CompilerOptions()) throws(Failure) -> Table {
        try compileTracingSets(policy, zones: zoneNames, options: options).table
    }

    /// The table, and how it used each zone's addresses (see `ZoneSetUse`).
    public static func compileTracingSets(_ policy: Policy, zones zoneNames: [String],
                                          options: CompilerOptions = CompilerOptions())
        throws(Failure) -> (table: Table, zoneSetUse: ZoneSetUse) {
        guard !zoneNames.isEmpty else { throw .noZone }
        var hostAddresses = AddressSet()
        for name in zoneNames {
            guard let zone = policy.zone(named: name) else {
                throw .unknownZone(name, known: policy.zones.map(\.name))
            }
            hostAddresses = hostAddresses.union(zone.addresses)
        }
        var flows = FlowRules(policy: policy, hostAddresses: hostAddresses)
        var chains: [Chain] = []
        for hook in Hook.allCases {
            var rules = BaseRules.preamble(for: hook)
            if hook != .forward { rules += flows.rules(for: hook) }
            rules.append(BaseRules.dropCounter(for: hook, options: options))
            chains.append(Chain(name: hook.rawValue, base: Chain.Base(hook: hook, priority: 0, policy: .drop),
                                rules: rules))
        }
        // Port chains after the base chains: a reader meets the hooks first.
        let table = Table(family: .inet, name: options.tableName, sets: flows.sets, chains: chains + flows.portChains)
        return (table, flows.zoneSetUse)
    }
}
