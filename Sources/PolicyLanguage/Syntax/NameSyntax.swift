/// A name as written: a zone, a service, a setting.
public struct NameSyntax: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation

    public init(_ text: String, at location: SourceLocation) {
        self.text = text
        self.location = location
    }

    public var length: Int { text.count }
}
