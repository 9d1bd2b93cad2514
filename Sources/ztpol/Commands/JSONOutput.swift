import Foundation

/// The one JSON style of ztpol's `--json` outputs: sorted keys, ISO 8601 dates, indented.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        // Foundation on Linux prints an empty array or object over lines ("[\n\n]"). A raw line break is
        // never inside a JSON string, so one between brackets with nothing else is always an empty value.
        return text.replacing(/\[\n\s*\]/, with: "[]").replacing(/\{\n\s*\}/, with: "{}")
    }
}
