import NetworkAddresses
import PolicyLanguage

extension PolicyChecker {
    /// The side of a flow or expectation: what it refers to and every address it covers.
    struct Side {
        var endpoints: [Endpoint] = []
        var addresses = AddressSet()
        var isAny = false
    }

    /// Resolves a list of endpoints; nil when one of them could not be resolved (reported).
    mutating func resolveSide(_ endpoints: [EndpointSyntax]) -> Side? {
        var side = Side()
        var complete = true
        for endpoint in endpoints {
            switch endpoint {
            case .any:
                side.endpoints.append(.any)
                side.addresses = .everything
                side.isAny = true
            case .address(let literal):
                let set = AddressSet([literal.range])
                side.endpoints.append(.literal(set, text: literal.text))
                side.addresses = side.addresses.union(set)
            case .name(let name):
                guard lookUp(name, as: .zone), let set = resolveZone(name.text) else {
                    complete = false
                    continue
                }
                side.endpoints.append(.zone(name.text))
                side.addresses = side.addresses.union(set)
            }
        }
        return complete ? side : nil
    }

    /// Checks that traffic from `sources` to `destinations` on `services` can exist at all: the sides share an
    /// address family, and each service reference exists in a shared family. Services that cannot match are
    /// warnings while another can; when none can, it is an error. Returns false after an error.
    mutating func checkFamilies(_ what: String, at location: SourceLocation, length: Int, sources: AddressSet,
                                destinations: AddressSet,
                                services: [(reference: ServiceReferenceSyntax, items: [ServiceItem])]) -> Bool {
        let shared = Set(sources.families).intersection(destinations.families)
        guard !shared.isEmpty else {
            report(.neverMatchesSides(what, sources: sources.families, destinations: destinations.families),
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
