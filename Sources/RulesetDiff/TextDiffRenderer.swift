/// The readable form of a report: `---`/`+++` naming both sides, then for each table that differs a
/// line of counts and what apply does, and its statements with `+`, `-` and `~`; unchanged tables are
/// listed on one line at the end. Colour (ANSI) only when asked, i.e. on a terminal.
public struct TextDiffRenderer: Sendable {
    public var colour: Bool

    public init(colour: Bool = false) {
        self.colour = colour
    }

    public func render(_ report: DiffReport) -> String {
        var out = [
            paint("--- \(report.old.label(table: report.tableText))", .bold),
            paint("+++ \(report.new.label(table: report.tableText))", .bold),
        ]
        let unchanged = report.tables.filter(\.diff.isEmpty)
        for table in report.tables where !table.diff.isEmpty {
            out.append("")
            out.append(paint("\(table.title): \(table.changeSummary); \(table.actionSummary)", .bold))
            out += table.diff.lines().map { paint($0.marked, Paint($0.kind)) }
        }
        if report.tables.isEmpty {
            out += ["", "nothing to compare: no zone in either policy"]
        } else if !unchanged.isEmpty {
            out.append("")
            out.append("unchanged: " + unchanged.map(\.title).joined(separator: "; "))
        }
        return out.joined(separator: "\n") + "\n"
    }

    private enum Paint: String {
        case bold = "1", red = "31", green = "32", yellow = "33", cyan = "36"

        init(_ kind: DiffLine.Kind) {
            switch kind {
            case .hunk: self = .cyan
            case .added: self = .green
            case .removed: self = .red
            case .changed: self = .yellow
            }
        }
    }

    private func paint(_ text: String, _ paint: Paint) -> String {
        colour ? "\u{1B}[\(paint.rawValue)m\(text)\u{1B}[0m" : text
    }
}
