/// `SOURCES -> DESTINATIONS SERVICES`.
public struct FlowDeclaration: Sendable, Hashable {
    public var sources: [EndpointSyntax]
    public var destinations: [EndpointSyntax]
    public var services: [ServiceReferenceSyntax]
    /// Where the flow starts: its first source.
    public var location: SourceLocation
    public var hadErrors: Bool

    public init(sources: [EndpointSyntax], destinations: [EndpointSyntax], services: [ServiceReferenceSyntax],
                location: SourceLocation, hadErrors: Bool) {
        self.sources = sources
        self.destinations = destinations
        self.services = services
        self.location = location
        self.hadErrors = hadErrors
    }
}
