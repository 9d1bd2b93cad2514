/// One line of a readable diff: a hunk header naming the object, or one nft statement that only the
/// old side has (`-`), only the new side has (`+`), or a comment that changes in place (`~`).
public struct DiffLine: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case hunk, added, removed, changed
    }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// The line with its marker, as in a unified diff: `@@ set web_v4 @@`, `+ add rule ...`.
    public var marked: String {
        switch kind {
        case .hunk: "@@ \(text) @@"
        case .added: "+ \(text)"
        case .removed: "- \(text)"
        case .changed: "~ \(text)"
        }
    }
}
