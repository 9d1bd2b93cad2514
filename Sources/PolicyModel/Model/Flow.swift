import NetworkAddresses
import PolicyLanguage

/// One side of a flow or expectation as written: a zone, an address literal, or `any`.
public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
    case zone(String)
    case literal(AddressSet, text: String)
    case any

    public var description: String {
        switch self {
        case .zone(let name): name
        case .literal(_, let text): text
        case .any: "any"
        }
    }
}

/// `SOURCES -> DESTINATIONS SERVICES`: the only way traffic is allowed.
public struct Flow: Sendable, Hashable {
    public var sources: [Endpoint]
    public var destinations: [Endpoint]
    /// True when a side was written as `any`: the compiler then matches no address on that side.
    public var sourceIsAny: Bool
    public var destinationIsAny: Bool
    /// Service names as written (inline services get their text, e.g. `tcp/22`).
    public var serviceNames: [String]
    /// The service items, flattened from every named or inline service.
    public var services: [ServiceItem]
    public var location: SourceLocation
    private var sourceUnion: AddressUnion
    private var destinationUnion: AddressUnion

    /// Every address the source side covers (`any` → every address of both families), merged from its
    /// endpoints when first asked for.
    public var sourceAddresses: AddressSet {
        get { sourceUnion.value }
        set { sourceUnion = AddressUnion([newValue]) }
    }

    public var destinationAddresses: AddressSet {
        get { destinationUnion.value }
        set { destinationUnion = AddressUnion([newValue]) }
    }

    public init(sources: [Endpoint], destinations: [Endpoint], sourceAddresses: AddressSet,
                destinationAddresses: AddressSet, sourceIsAny: Bool, destinationIsAny: Bool,
                serviceNames: [String], services: [ServiceItem], location: SourceLocation) {
        self.init(sources: sources, destinations: destinations, sourceUnion: AddressUnion([sourceAddresses]),
                  destinationUnion: AddressUnion([destinationAddresses]), sourceIsAny: sourceIsAny,
                  destinationIsAny: destinationIsAny, serviceNames: serviceNames, services: services,
                  location: location)
    }

    init(sources: [Endpoint], destinations: [Endpoint], sourceUnion: AddressUnion, destinationUnion: AddressUnion,
         sourceIsAny: Bool, destinationIsAny: Bool, serviceNames: [String], services: [ServiceItem],
         location: SourceLocation) {
        self.sources = sources
        self.destinations = destinations
        self.sourceUnion = sourceUnion
        self.destinationUnion = destinationUnion
        self.sourceIsAny = sourceIsAny
        self.destinationIsAny = destinationIsAny
        self.serviceNames = serviceNames
        self.services = services
        self.location = location
    }

    public static func == (lhs: Flow, rhs: Flow) -> Bool {
        lhs.sources == rhs.sources && lhs.destinations == rhs.destinations && lhs.sourceIsAny == rhs.sourceIsAny
            && lhs.destinationIsAny == rhs.destinationIsAny && lhs.serviceNames == rhs.serviceNames
            && lhs.services == rhs.services && lhs.location == rhs.location
            && lhs.sourceAddresses == rhs.sourceAddresses && lhs.destinationAddresses == rhs.destinationAddresses
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sources)
        hasher.combine(destinations)
        hasher.combine(serviceNames)
        hasher.combine(location)
    }

    /// The flow as the user wrote it, for rule comments and messages: `ra, services -> web https`.
    public var summary: String {
        let from = sources.map(\.description).joined(separator: ", ")
        let to = destinations.map(\.description).joined(separator: ", ")
        return "\(from) -> \(to) \(serviceNames.joined(separator: ", "))"
    }
}
