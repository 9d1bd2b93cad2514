import Foundation

/// The fields of an `os-release` file (see os-release(5)): `KEY=value` lines, values optionally quoted.
struct OSRelease: Equatable {
    let fields: [String: String]

    init(text: String) {
        var fields: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals])
            fields[key] = Self.unquote(String(line[line.index(after: equals)...]))
        }
        self.fields = fields
    }

    /// `ID`, lowercase, or an empty string.
    var id: String { fields["ID", default: ""].lowercased() }

    /// The words of `ID_LIKE`, lowercase, closest relative first.
    var idLike: [String] {
        fields["ID_LIKE", default: ""].lowercased().split(separator: " ").map(String.init)
    }

    private static func unquote(_ value: String) -> String {
        guard let first = value.first, first == "\"" || first == "'", value.count >= 2, value.last == first else {
            return value
        }
        var result = ""
        var escaped = false
        for character in value.dropFirst().dropLast() {
            if escaped || character != "\\" || first == "'" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}
