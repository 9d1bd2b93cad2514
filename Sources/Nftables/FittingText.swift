/// Text from a policy (file names, zone names, address lists) made to fit where nft keeps it, so that a
/// compiled table never breaks one of the limits `Table.problems()` checks.
public enum FittingText {
    /// Longest set name the compiler makes before its family and collision suffixes (`_v4`, `_v4_12`).
    public static let setNameStemCharacters = 64

    /// `text` as a comment nft can store and print: quotes become `'`, line breaks and other control
    /// characters become spaces, and text over `Table.maximumCommentBytes` bytes of UTF-8 is cut at a
    /// character boundary and ends in `...`.
    public static func comment(_ text: String) -> String {
        // Most comments are short printable ASCII without quotes: nothing to change.
        if text.utf8.count <= Table.maximumCommentBytes
            && text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") }) {
            return text
        }
        let cleaned = String(text.map { character -> Character in
            if character == "\"" { return "'" }
            let isControl = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
            if character.isNewline || isControl {
                return " "
            }
            return character
        })
        let limit = Table.maximumCommentBytes
        guard cleaned.utf8.count > limit else { return cleaned }
        let marker = "..."
        var kept = ""
        var bytes = 0
        for character in cleaned {
            let size = character.utf8.count
            if bytes + size > limit - marker.utf8.count { break }
            kept.append(character)
            bytes += size
        }
        return kept + marker
    }

    /// The first `setNameStemCharacters` characters of an ASCII identifier.
    public static func setNameStem(_ identifier: String) -> String {
        String(identifier.prefix(setNameStemCharacters))
    }
}
