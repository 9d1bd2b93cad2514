/// One line of an `acme` or `trust` block: a setting's name and its values, e.g. `domain web.test, www.web.test`.
///
/// Values are kept as written; which settings exist and what they accept is the checker's knowledge.
public struct SettingSyntax: Sendable, Hashable {
    public struct Value: Sendable, Hashable {
        /// The value, with a string's quotes removed and escapes decoded.
        public var text: String
        public var isQuoted: Bool
        public var location: SourceLocation
        /// Characters spanned in the source, quotes included.
        public var length: Int

        public init(_ text: String, isQuoted: Bool, at location: SourceLocation, length: Int) {
            self.text = text
            self.isQuoted = isQuoted
            self.location = location
            self.length = length
        }
    }

    public var name: NameSyntax
    public var values: [Value]

    public init(name: NameSyntax, values: [Value]) {
        self.name = name
        self.values = values
    }
}
