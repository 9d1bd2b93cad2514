/// `service NAME ITEMS`: items are literals or other services by name.
public struct ServiceDeclaration: Sendable, Hashable {
    public var name: NameSyntax
    public var items: [ServiceReferenceSyntax]
    public var hadErrors: Bool

    public init(name: NameSyntax, items: [ServiceReferenceSyntax], hadErrors: Bool) {
        self.name = name
        self.items = items
        self.hadErrors = hadErrors
    }
}
