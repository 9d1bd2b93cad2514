/// What a diagnostic says, before it is placed in the source: severity, stable id and wording.
///
/// Every message the front end can produce is built in `Messages.swift`, so that wording stays
/// consistent and ids stay stable for tests and tooling.
public struct DiagnosticMessage: Sendable, Hashable {
    public var severity: Diagnostic.Severity
    public var id: String
    public var text: String

    public init(_ severity: Diagnostic.Severity, id: String, _ text: String) {
        self.severity = severity
        self.id = id
        self.text = text
    }
}

extension Diagnostic {
    /// Places a catalogue message at a span of the source.
    public init(_ message: DiagnosticMessage, at location: SourceLocation, length: Int = 1, fixIt: FixIt? = nil,
                notes: [String] = [], related: [Diagnostic] = []) {
        self.init(message.severity, id: message.id, message.text, at: location, length: length, fixIt: fixIt,
                  notes: notes, related: related)
    }
}

extension Diagnostic.FixIt {
    /// A fix that adds `line` as a line of its own before the diagnostic's location (which starts a line).
    public static func addLine(_ line: String) -> Self { Self(replacement: line + "\n", length: 0) }

    /// True for fixes made by `addLine`.
    public var addsLine: Bool { length == 0 && replacement.hasSuffix("\n") }
}
