import NetworkAddresses

/// Traffic of one address family from a set of sources to a set of destinations on a set of services: the
/// product of three sets, which is what a flow admits and what an expectation asks about.
struct TrafficBox: Hashable, CustomStringConvertible {
    var family: IPFamily
    var sources: AddressSet
    var destinations: AddressSet
    var services: ServiceSpace

    /// The boxes, one per family, of traffic that can actually occur between the two sides: a source and a
    /// destination of the same family, on a service that exists in that family.
    static func boxes(sources: AddressSet, destinations: AddressSet, services: ServiceSpace) -> [TrafficBox] {
        IPFamily.allCases.compactMap { family in
            let box = TrafficBox(family: family, sources: AddressSet(sources.ranges(family)),
                                 destinations: AddressSet(destinations.ranges(family)),
                                 services: services.restricted(to: family))
            return box.isEmpty ? nil : box
        }
    }

    var isEmpty: Bool { sources.isEmpty || destinations.isEmpty || services.isEmpty }

    /// The common part, or nil; each dimension is only computed when the ones before it overlap.
    func intersection(_ other: TrafficBox) -> TrafficBox? {
        guard family == other.family else { return nil }
        let commonServices = services.intersection(other.services)
        guard !commonServices.isEmpty else { return nil }
        let commonSources = sources.intersection(other.sources)
        guard !commonSources.isEmpty else { return nil }
        let commonDestinations = destinations.intersection(other.destinations)
        guard !commonDestinations.isEmpty else { return nil }
        return TrafficBox(family: family, sources: commonSources, destinations: commonDestinations,
                          services: commonServices)
    }

    /// This box less `other`, as at most three disjoint boxes: sources outside `other`; shared sources to
    /// destinations outside it; shared sources and destinations on services outside it.
    func subtracting(_ other: TrafficBox) -> [TrafficBox] {
        guard let common = intersection(other) else { return [self] }
        let pieces = [
            TrafficBox(family: family, sources: sources.subtracting(other.sources), destinations: destinations,
                       services: services),
            TrafficBox(family: family, sources: common.sources,
                       destinations: destinations.subtracting(other.destinations), services: services),
            TrafficBox(family: family, sources: common.sources, destinations: common.destinations,
                       services: services.subtracting(other.services)),
        ]
        return pieces.filter { !$0.isEmpty }
    }

    /// `10.77.0.3 -> 10.77.0.2 tcp/443`, long address lists cut short.
    var description: String {
        "\(TrafficBox.brief(sources)) -> \(TrafficBox.brief(destinations)) \(services)"
    }

    private static func brief(_ set: AddressSet) -> String {
        let ranges = set.allRanges
        let shown = ranges.prefix(3).map(\.description).joined(separator: ", ")
        return ranges.count > 3 ? shown + ", …" : shown
    }
}

/// What the union of flows admits, asked of boxes.
enum Coverage {
    /// The boxes of each flow (one per family).
    static func boxes(of flow: Flow) -> [TrafficBox] {
        TrafficBox.boxes(sources: flow.sourceAddresses, destinations: flow.destinationAddresses,
                         services: ServiceSpace(flow.services))
    }

    /// The part of `wanted` that no flow admits; empty when the flows admit all of it.
    ///
    /// Each subtraction may split a box in three, so an expectation as wide as `any` against a thousand flows
    /// over tens of thousands of prefixes takes seconds (about 3 s in a release build); ordinary policies take
    /// milliseconds. TODO: index flows by destination if generated policies start asking such questions.
    static func uncovered(_ wanted: [TrafficBox], by flows: [Flow]) -> [TrafficBox] {
        var remaining = wanted
        for flow in flows {
            for box in boxes(of: flow) {
                remaining = remaining.flatMap { $0.subtracting(box) }
                if remaining.isEmpty { return [] }
            }
        }
        return remaining
    }
}
