/// One side of a flow or expectation as written: a zone's name, an address literal, or `any`.
public enum EndpointSyntax: Sendable, Hashable {
    case name(NameSyntax)
    case address(AddressLiteralSyntax)
    case any(SourceLocation)

    public var text: String {
        switch self {
        case .name(let name): name.text
        case .address(let literal): literal.text
        case .any: "any"
        }
    }

    public var location: SourceLocation {
        switch self {
        case .name(let name): name.location
        case .address(let literal): literal.location
        case .any(let location): location
        }
    }

    public var length: Int { text.count }
}
