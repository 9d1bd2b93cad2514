import NetworkAddresses
import PolicyLanguage

extension PolicyChecker {
    /// The expectation as the model holds it; nil when a name is unknown or it can never match.
    mutating func checkExpectation(_ declaration: ExpectDeclaration) -> Expectation? {
        let source = resolveSide([declaration.source])
        let destination = resolveSide([declaration.destination])
        guard let items = serviceItems(declaration.service), let source, let destination else { return nil }
        // One endpoint a side: its union is its one set.
        let (sourceUnion, destinationUnion) = (source.union, destination.union)
        guard checkFamilies("expectation", at: declaration.location, length: "expect".count,
                            sources: sourceUnion.families, destinations: destinationUnion.families,
                            services: [(declaration.service, items)]) else { return nil }
        return Expectation(source: source.endpoints[0], destination: destination.endpoints[0],
                           sourceAddresses: sourceUnion.value, destinationAddresses: destinationUnion.value,
                           serviceName: declaration.service.text, services: ServiceItem.normalised(items),
                           verdict: declaration.verdict == .allow ? .allow : .deny, location: declaration.location)
    }

    /// Evaluates an expectation against the union of the flows (see `Expectation.failures(against:)`).
    func evaluate(_ expectation: Expectation, flows: [Flow]) -> [Diagnostic] {
        expectation.failures(against: flows)
    }
}

extension Expectation {
    /// What is wrong with this expectation under `flows`, as diagnostics at the `expect`; empty when it holds.
    ///
    /// Only traffic that can exist counts: a source and a destination of the same family, on a service of that
    /// family. `allow` holds when the union of the flows admits every such (source, destination, service);
    /// `deny` holds when no flow admits any of them.
    public func failures(against flows: [Flow]) -> [Diagnostic] {
        let wanted = TrafficBox.boxes(sources: sourceAddresses, destinations: destinationAddresses,
                                      services: ServiceSpace(services))
        let length = "expect".count
        switch verdict {
        case .allow:
            let missing = Coverage.uncovered(wanted, by: flows)
            guard let first = missing.first else { return [] }
            return [Diagnostic(.expectationAllowFails(missing: first.description, more: missing.count - 1),
                               at: location, length: length)]
        case .deny:
            for flow in flows {
                for box in Coverage.boxes(of: flow) {
                    guard let admitted = wanted.lazy.compactMap({ $0.intersection(box) }).first else { continue }
                    let note = Diagnostic(.flowAdmitsIt(), at: flow.location, length: flow.sources[0].description.count)
                    return [Diagnostic(.expectationDenyFails(flow: flow.summary, at: flow.location,
                                                             sample: admitted.description),
                                       at: location, length: length, related: [note])]
                }
            }
            return []
        }
    }
}
