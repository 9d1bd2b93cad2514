/// `zone NAME ITEMS [except ITEMS]`.
public struct ZoneDeclaration: Sendable, Hashable {
    /// An element of a zone: another zone by name, or an address literal.
    public enum Item: Sendable, Hashable {
        case name(NameSyntax)
        case address(AddressLiteralSyntax)
    }

    public var name: NameSyntax
    public var items: [Item]
    /// What `except` removes from the union of `items`.
    public var exclusions: [Item]
    /// True when part of the declaration could not be read; the checker then stays quiet about its consequences.
    public var hadErrors: Bool

    public init(name: NameSyntax, items: [Item], exclusions: [Item], hadErrors: Bool) {
        self.name = name
        self.items = items
        self.exclusions = exclusions
        self.hadErrors = hadErrors
    }
}
