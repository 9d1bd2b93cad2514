import Certificates

/// The file form shared by what apply keeps in /run/ztpol/applied: a header line, `key value` lines, and
/// last the SHA-256 of everything before it, so that a damaged file is known as such and not believed.
enum ChecksummedLines {
    /// `header`, then `lines`, then the checksum line.
    static func text(header: String, _ lines: [String]) -> String {
        let body = ([header] + lines).joined(separator: "\n") + "\n"
        return body + "checksum \(ApplyInputs.hexadecimal(sha256(Array(body.utf8))))\n"
    }

    /// The lines between `header` and a checksum that matches them; nil for anything else.
    static func lines(of text: Substring, header: String) -> ArraySlice<Substring>? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(header), lines.last == "", lines.count >= 3,
              case let sum = lines[lines.count - 2], sum.hasPrefix("checksum "),
              sum.dropFirst("checksum ".count) == ApplyInputs.hexadecimal(sha256(Array(text[..<sum.startIndex].utf8)))
        else { return nil }
        return lines[1..<(lines.count - 2)]
    }
}
