import NetworkAddresses
import PolicyLanguage

extension PolicyChecker {
    /// The flow as the model holds it; nil when a name is unknown or the flow can never match.
    mutating func checkFlow(_ declaration: FlowDeclaration) -> Flow? {
        let sources = resolveSide(declaration.sources)
        let destinations = resolveSide(declaration.destinations)
        var services: [(reference: ServiceReferenceSyntax, items: [ServiceItem])] = []
        var complete = !declaration.hadErrors
        for reference in declaration.services {
            if let items = serviceItems(reference) { services.append((reference, items)) } else { complete = false }
        }
        guard complete, let sources, let destinations else { return nil }
        let first = declaration.sources[0]
        let (sourceUnion, destinationUnion) = (sources.union, destinations.union)
        guard checkFamilies("flow", at: declaration.location, length: first.length, sources: sourceUnion.families,
                            destinations: destinationUnion.families, services: services) else { return nil }
        return Flow(sources: sources.endpoints, destinations: destinations.endpoints, sourceUnion: sourceUnion,
                    destinationUnion: destinationUnion, sourceIsAny: sources.isAny,
                    destinationIsAny: destinations.isAny,
                    serviceNames: services.map(\.reference.text),
                    services: ServiceItem.normalised(services.flatMap(\.items)), location: declaration.location)
    }
}
