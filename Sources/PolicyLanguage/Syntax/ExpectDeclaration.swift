/// `expect SOURCE -> DESTINATION SERVICE allow|deny`.
public struct ExpectDeclaration: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable {
        case allow, deny
    }

    /// The `expect` keyword.
    public var location: SourceLocation
    public var source: EndpointSyntax
    public var destination: EndpointSyntax
    public var service: ServiceReferenceSyntax
    public var verdict: Verdict

    public init(at location: SourceLocation, source: EndpointSyntax, destination: EndpointSyntax,
                service: ServiceReferenceSyntax, verdict: Verdict) {
        self.location = location
        self.source = source
        self.destination = destination
        self.service = service
        self.verdict = verdict
    }
}
