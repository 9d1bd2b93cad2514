import NetworkAddresses
import PolicyLanguage

extension PolicyChecker {
    /// The side of a flow or expectation: what it refers to and the sets of addresses it covers.
    struct Side {
        var endpoints: [Endpoint] = []
        /// One set per endpoint; their union is merged only when asked for (`AddressUnion`).
        var parts: [AddressSet] = []
        var isAny = false

        var union: AddressUnion { AddressUnion(parts) }
    }

    /// Resolves a list of endpoints; nil when one of them could not be resolved (reported).
    mutating func resolveSide(_ endpoints: [EndpointSyntax]) -> Side? {
        var side = Side()
        var complete = true
        for endpoint in endpoints {
            switch endpoint {
            case .any:
                side.endpoints.append(.any)
                side.parts.append(.everything)
                side.isAny = true
            case .address(let literal):
                let set = AddressSet([literal.range])
                side.endpoints.append(.literal(set, text: literal.text))
                side.parts.append(set)
            case .name(let name):
                guard lookUp(name, as: .zone), let set = resolveZone(name.text) else {
                    complete = false
                    continue
                }
                side.endpoints.append(.zone(name.text))
                side.parts.append(set)
            }
        }
        return complete ? side : nil
    }

    /// Checks that traffic from `sources` to `destinations` on `services` can exist at all: the sides share an
    /// address family, and each service reference exists in a shared family. Services that cannot match are
    /// warnings while another can; when none can, it is an error. Returns false after an error.
    mutating func checkFamilies(_ what: String, at location: SourceLocation, length: Int, sources: [IPFamily],
                                destinations: [IPFamily],
                                services: [(reference: ServiceReferenceSyntax, items: [ServiceItem])]) -> Bool {
        let shared = Set(sources).intersection(destinations)
        guard !shared.isEmpty else {
            report(.neverMatchesSides(what, sources: sources, destinations: destinations),
                   at: location, length: length)
            return false
        }
        let unmatched = services.filter { shared.isDisjoint(with: $0.items.flatMap(\.families)) }
        guard unmatched.count < services.count else {
            report(.neverMatchesServices(what, shared: shared.sorted()), at: location, length: length)
            return false
        }
        for service in unmatched {
            report(.serviceNeverMatches(service.reference.text, shared: shared.sorted()),
                   at: service.reference.location, length: service.reference.length)
        }
        return true
    }
}
