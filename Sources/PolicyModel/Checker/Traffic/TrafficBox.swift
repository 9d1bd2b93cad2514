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

    func intersection(_ other: TrafficBox) -> TrafficBox? {
        guard family == other.family else { return nil }
        let box = TrafficBox(family: family, sources: sources.intersection(other.sources),
                             destinations: destinations.intersection(other.destinations),
                             services: services.intersection(other.services))
        return box.isEmpty ? nil : box
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
