/// A whole policy file as written, in source order: what the parser hands to the checker.
public struct PolicySyntax: Sendable, Hashable {
    public enum Declaration: Sendable, Hashable {
        case zone(ZoneDeclaration)
        case service(ServiceDeclaration)
        case flow(FlowDeclaration)
        case acme(BlockDeclaration)
        case trust(BlockDeclaration)
        case expect(ExpectDeclaration)
    }

    public var file: String
    public var declarations: [Declaration]

    /// The largest policy file read (a policy of 10 million prefixes takes about 190 MiB): anything larger,
    /// `/dev/zero` say, is refused instead of being read until memory runs out, and not read again to quote it.
    public static let maximumBytes = 256 << 20

    public init(file: String, declarations: [Declaration]) {
        self.file = file
        self.declarations = declarations
    }

    /// The words that start statements or have a fixed meaning; none of them can name a zone or service.
    public static let reservedWords: Set<String> = [
        "zone", "service", "acme", "trust", "expect", "except", "any", "allow", "deny", "tcp", "udp", "icmp", "icmpv6",
    ]

    /// The words that start a statement, for "did you mean" on an unknown one.
    public static let statementKeywords = ["zone", "service", "acme", "trust", "expect"]
}
