import Netlink
import RulesetDiff

extension DiffCommand {
    /// The host's compiled table against the kernel's; nil when the policy cannot be used.
    static func kernelReport(_ path: String, options: RulesetOptions, namespace: String?,
                             console: Console) throws -> DiffReport? {
        guard let input = PolicyInput.load(path, console: console) else { return nil }
        let (zones, table) = try options.compile(input.policy, namespace: namespace)
        let connection = try NetlinkConnection(namespace: namespace)
        let comparison = try LiveComparison(desired: table, connection: connection)
        let kernel = DiffReport.Source.kernel(namespace: namespace, generation: comparison.live?.generation,
                                              handle: comparison.live?.handle)
        return DiffReport(old: kernel, new: .policy(path: path),
                          tables: [TableReport(zones: zones, diff: comparison.diff)])
    }

    /// Each chosen zone's table in OLD against its table in NEW; nil when a policy cannot be used.
    static func policiesReport(old oldPath: String, new newPath: String, options: RulesetOptions,
                               console: Console) throws -> DiffReport? {
        // Both are loaded before giving up, so that one run shows the problems of both.
        let loaded = (PolicyInput.load(oldPath, console: console), PolicyInput.load(newPath, console: console))
        guard let old = loaded.0, let new = loaded.1 else { return nil }
        let pairs = options.zones.isEmpty
            ? ZonePairing.pairs(old: old.policy, new: new.policy)
            : try ZonePairing.pairs(named: options.zones, old: old.policy, new: new.policy)
        let tables = try PolicyComparison.compare(old.policy, new.policy, pairs: pairs, options: options.compiler)
        return DiffReport(old: .policy(path: oldPath), new: .policy(path: newPath), tables: tables)
    }
}
