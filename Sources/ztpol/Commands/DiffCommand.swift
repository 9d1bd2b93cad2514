import Foundation
import RulesetDiff

/// `ztpol diff POLICY` (against the live kernel) and `ztpol diff OLD NEW` (two policies, no kernel).
enum DiffCommand: Command {
    static let name = "diff"
    static let summary = "show what apply would change in the kernel, or what a policy edit does to each zone"
    static let help = """
        usage: ztpol diff POLICY [--zone NAME ...] [--netns NAME] [RULESET] [--format FORMAT] [--label TEXT]
               ztpol diff OLD NEW [--zone NAME ... | --all-zones] [RULESET] [--format FORMAT]
                                  [--label TEXT --label TEXT]
        where RULESET is [--table NAME] [--log-dropped]

        With one policy: reads ztpol's table back from the running kernel through netlink and shows
        what 'ztpol apply POLICY' would change: sets, set elements, chains and rules only in the kernel
        (-) or only in the policy (+), and drift from hand edits. Changes nothing. Needs CAP_NET_ADMIN.

        With two policies: needs no root and no kernel. For each host zone, compiles its ruleset from
        OLD and from NEW and shows the difference. A zone renamed with the same addresses is reported
        as a rename. Each --zone names one zone (old or new name) to report; the default, --all-zones,
        is every zone of either policy.

        Exit code 0 when nothing differs, 2 when something does, 1 on error.

        options:
          --zone NAME        the zone to report (repeatable); default with POLICY: the zones holding this
                             machine's addresses (also with --netns); with OLD NEW: every zone
          --table NAME       the inet table ztpol owns (default: ztpol)
          --log-dropped      also log dropped packets, at most 10 lines a minute per chain
          --all-zones        (OLD NEW) report every zone of either policy; the default without --zone
          --netns NAME       (POLICY) read the table in the network namespace NAME; without --zone, the
                             zones are found from NAME's addresses
          --format FORMAT    text (default; coloured on a terminal unless NO_COLOR is set), json (the
                             versioned schema of docs/diff.md) or markdown (for a CI job summary)
          --label TEXT       show TEXT instead of a policy's path, e.g. 'main:policies/site.zt' for a
                             copy from 'git show'; give it twice for OLD, then NEW. Rule comments
                             still name each policy's file: compare copies with the same file name
        """

    enum Format: String {
        case text, json, markdown
    }

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let options = try RulesetOptions(&arguments)
        let namespace = try NamespaceOption.read(&arguments)
        let allZones = arguments.flag("--all-zones")
        let formatName = try arguments.option("--format") ?? Format.text.rawValue
        guard let format = Format(rawValue: formatName) else {
            throw UsageError("unknown format '\(formatName)'; formats are text, json and markdown")
        }
        let labels = try arguments.options("--label")
        let paths = try arguments.positionals()
        if labels.count > max(paths.count, 1) {
            throw UsageError("--label names the policies: give it at most once per policy")
        }
        let report: DiffReport?
        switch paths.count {
        case 1:
            if allZones { throw UsageError("--all-zones compares two policies: give OLD and NEW") }
            report = try kernelReport(paths[0], options: options, namespace: namespace, console: console)
        case 2:
            if namespace != nil { throw UsageError("--netns reads the kernel: give one policy, not two") }
            if allZones && !options.zones.isEmpty { throw UsageError("give either --zone or --all-zones, not both") }
            report = try policiesReport(old: paths[0], new: paths[1], options: options, console: console)
        default:
            throw UsageError(paths.isEmpty ? "missing POLICY" : "unexpected argument '\(paths[2])'")
        }
        guard var report else { return .failure }
        report.relabel(labels)
        switch format {
        case .text: console.out(TextDiffRenderer(colour: console.colourOnStandardOutput).render(report), terminator: "")
        case .json: console.out(try JSONDiffRenderer().render(report), terminator: "")
        case .markdown: console.out(MarkdownDiffRenderer().render(report), terminator: "")
        }
        return report.differs ? .differs : .success
    }
}

extension DiffReport {
    /// Replaces the paths of the policy sides, in order, by `labels`.
    mutating func relabel(_ labels: [String]) {
        var labels = labels[...]
        for side in [\DiffReport.old, \DiffReport.new] {
            guard case .policy = self[keyPath: side], let label = labels.popFirst() else { continue }
            self[keyPath: side] = .policy(path: label)
        }
    }
}
