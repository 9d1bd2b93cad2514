/// `acme ZONE { SETTINGS }`: where the zone's hosts get their certificate.
public struct AcmeDeclaration: Sendable, Hashable {
    /// The `acme` keyword.
    public var location: SourceLocation
    public var zone: NameSyntax
    public var settings: [SettingSyntax]

    public init(at location: SourceLocation, zone: NameSyntax, settings: [SettingSyntax]) {
        self.location = location
        self.zone = zone
        self.settings = settings
    }
}
