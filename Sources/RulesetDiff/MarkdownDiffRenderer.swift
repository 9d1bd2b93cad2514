/// The report as GitHub-flavoured Markdown for a CI job summary: a heading naming both sides, one line
/// of totals, then a heading per table that differs with its counts and a fenced `diff` block.
public struct MarkdownDiffRenderer: Sendable {
    /// The level of the first heading (2: `##`), so the summary can sit under a job's own heading.
    public var headingLevel: Int

    public init(headingLevel: Int = 2) {
        self.headingLevel = max(1, min(headingLevel, 5))
    }

    public func render(_ report: DiffReport) -> String {
        let table = report.tableText
        let top = String(repeating: "#", count: headingLevel)
        let sides = "\(code(report.old.label(table: table))) → \(code(report.new.label(table: table)))"
        var out = ["\(top) ztpol diff: \(sides)", ""]
        let changed = report.tables.filter { !$0.diff.isEmpty }
        let unchanged = report.tables.filter(\.diff.isEmpty)
        var totals: String
        if case .kernel = report.old {
            totals = changed.isEmpty ? "**No change**: the kernel's table matches the policy."
                : "**The kernel's table differs from the policy.**"
        } else {
            totals = changed.isEmpty ? "**No change** in \(counted(report.tables.count, "zone"))."
                : "**\(changed.count) of \(counted(report.tables.count, "zone")) change.**"
        }
        if !unchanged.isEmpty { totals += " Unchanged: " + unchanged.map { names($0) }.joined(separator: ", ") + "." }
        out += [totals, ""]
        for table in changed {
            out += ["\(top)# \(heading(table))", "", "\(table.changeSummary); \(table.actionSummary).", ""]
            let body = table.diff.lines().map(\.marked).joined(separator: "\n")
            let fence = String(repeating: "`", count: max(3, longestBacktickRun(body) + 1))
            out += ["\(fence)diff", body, fence, ""]
        }
        return out.joined(separator: "\n")
    }

    /// `zone `front` (was `web`)`.
    private func heading(_ table: TableReport) -> String {
        let noun = table.zones.count == 1 ? "zone" : "zones"
        let renamed = table.renamedFrom.map { " (was \(code($0)))" } ?? ""
        return "\(noun) \(names(table))\(renamed)"
    }

    private func names(_ table: TableReport) -> String { table.zones.map(code).joined(separator: ", ") }

    /// Inline code that survives backticks in the text.
    private func code(_ text: String) -> String {
        let ticks = String(repeating: "`", count: longestBacktickRun(text) + 1)
        let padding = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return ticks + padding + text + padding + ticks
    }

    private func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
