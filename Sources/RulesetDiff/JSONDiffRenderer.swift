import Foundation

/// The report as JSON in the versioned schema of `docs/diff.md`: keys sorted, two-space indentation
/// as Foundation prints it, so equal reports are equal bytes.
public struct JSONDiffRenderer: Sendable {
    /// Bumped when a field changes meaning or goes away; new fields may appear within a version.
    public static let schemaVersion = 1

    public init() {}

    public func render(_ report: DiffReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(ReportDocument(report))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
