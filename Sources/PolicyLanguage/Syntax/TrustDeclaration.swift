/// `trust ZONE { SETTINGS }`: which private root the zone's hosts install into their trust stores.
public struct TrustDeclaration: Sendable, Hashable {
    /// The `trust` keyword.
    public var location: SourceLocation
    public var zone: NameSyntax
    public var settings: [SettingSyntax]

    public init(at location: SourceLocation, zone: NameSyntax, settings: [SettingSyntax]) {
        self.location = location
        self.zone = zone
        self.settings = settings
    }
}
