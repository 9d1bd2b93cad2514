/// `acme ZONE { SETTINGS }` and `trust ZONE { SETTINGS }`: the same shape, told apart by the declaration case.
///
/// `acme` says where the zone's hosts get their certificate; `trust` which private root they install.
public struct BlockDeclaration: Sendable, Hashable {
    /// The `acme` or `trust` keyword.
    public var location: SourceLocation
    public var zone: NameSyntax
    public var settings: [SettingSyntax]

    public init(at location: SourceLocation, zone: NameSyntax, settings: [SettingSyntax]) {
        self.location = location
        self.zone = zone
        self.settings = settings
    }
}
