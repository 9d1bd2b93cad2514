/// One lexical unit of a policy, with where it was written.
public struct Token: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A name or keyword: `web`, `zone`, `any`, `echo-request`.
        case identifier
        /// Digits only: `443`.
        case number
        /// An address, prefix or range by shape: `10.0.0.1`, `fd77::/64`, `10.0.0.5-10.0.0.9`. Checked by the parser.
        case address
        /// `PROTOCOL/SPEC`: `tcp/443`, `udp/8000-8999`, `icmp/echo-request`.
        case serviceLiteral
        /// A dotted name such as a domain: `web.test`.
        case dottedName
        /// Any other run of word characters, e.g. `-` or `/24`; always an error where it appears.
        case word
        /// A double-quoted string; `text` holds its value with escapes decoded.
        case string
        case arrow
        case comma
        case leftBrace
        case rightBrace
        /// The end of a line: statements end here unless the line ends in `,` or `->`.
        case newline
        case end
    }

    public var kind: Kind
    /// The token's text as written, except for strings, whose value it is.
    public var text: String
    public var location: SourceLocation
    /// How many characters the token spans in the source (for carets).
    public var length: Int

    public init(_ kind: Kind, _ text: String, at location: SourceLocation, length: Int) {
        self.kind = kind
        self.text = text
        self.location = location
        self.length = length
    }

    /// True for an identifier spelled `word` (keywords are identifiers the parser gives meaning to).
    public func isKeyword(_ word: String) -> Bool { kind == .identifier && text == word }

    /// How the token reads in an "expected …, found …" message.
    public var quoted: String {
        switch kind {
        case .newline: "end of line"
        case .end: "end of file"
        case .string: "\"\(text)\""
        default: "'\(text)'"
        }
    }
}
