/// One error, warning or note about a policy, as a value: where, what, and what would be right.
public struct Diagnostic: Sendable, Hashable, Error {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    /// A suggested edit: replace `length` characters at the diagnostic's location with `replacement`.
    public struct FixIt: Sendable, Hashable {
        public var replacement: String
        public var length: Int

        public init(replacement: String, length: Int) {
            self.replacement = replacement
            self.length = length
        }
    }

    public var severity: Severity
    /// A stable identifier for tests and tooling, e.g. `host-bits-set`, `unknown-zone`.
    public var id: String
    public var message: String
    public var location: SourceLocation
    /// How many characters the caret underlines (at least 1).
    public var length: Int
    public var fixIt: FixIt?
    public var notes: [String]
    /// Notes that point somewhere else in the source, e.g. at the first declaration of a duplicate name.
    public var related: [Diagnostic]

    public init(_ severity: Severity, id: String, _ message: String, at location: SourceLocation, length: Int = 1,
                fixIt: FixIt? = nil, notes: [String] = [], related: [Diagnostic] = []) {
        self.severity = severity
        self.id = id
        self.message = message
        self.location = location
        self.length = max(1, length)
        self.fixIt = fixIt
        self.notes = notes
        self.related = related
    }

    /// `file:line:col: error: message`, the first line of the rendered diagnostic.
    public var headline: String { "\(location): \(severity.rawValue): \(message)" }

    /// Sorted by location; those at the same place keep the order they were made in.
    public static func inSourceOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted {
            ($0.element.location, $0.offset) < ($1.element.location, $1.offset)
        }.map(\.element)
    }

    /// The most diagnostics one load reports. Text that is not a policy at all (a binary, a file of zeros)
    /// gives one per byte: past this many, the lexer and parser only count on, so that a 256 MiB file
    /// costs a scan rather than gigabytes of diagnostics and a screen that nobody reads.
    public static let reportLimit = 100

    /// The id of the diagnostic that ends a report cut at the limit.
    public static let tooManyErrorsID = "too-many-errors"

    /// The diagnostics in source order, at most `reportLimit` of them, and when there were more a last one
    /// that says so.
    public static func reported(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let sorted = inSourceOrder(diagnostics)
        guard sorted.count > reportLimit else { return sorted }
        return Array(sorted.prefix(reportLimit))
            + [Diagnostic(.tooManyErrors(limit: reportLimit), at: sorted[reportLimit].location)]
    }
}
