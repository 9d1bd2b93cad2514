import Nftables
import PolicyModel
import RulesetCompiler

/// Two versions of a policy compared zone by zone: what the change does to each host zone's ruleset.
/// Needs neither root nor a kernel; this is what a CI job runs.
public enum PolicyComparison {
    /// The table diff of every pair: the old zone's table in the old policy against the new zone's
    /// table in the new policy (no table on the side where the zone does not exist).
    public static func compare(_ old: Policy, _ new: Policy, pairs: [ZonePair],
                               options: CompilerOptions = CompilerOptions()) throws -> [TableReport] {
        try pairs.map { pair in
            let before = try pair.old.map { try RulesetCompiler.compile(old, zones: [$0], options: options).canonical }
            let after = try pair.new.map { try RulesetCompiler.compile(new, zones: [$0], options: options).canonical }
            return TableReport(zones: [pair.name], renamedFrom: pair.isRename ? pair.old : nil,
                               diff: TableDiff(from: before, to: after))
        }
    }
}
