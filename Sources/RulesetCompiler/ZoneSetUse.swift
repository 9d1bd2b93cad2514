import NetworkAddresses

/// How a compile used each zone's addresses: everything, besides the sets' elements, that the compiled
/// table takes from them. A later edit of a zone's addresses that keeps all of it leaves the table the
/// same but for that zone's elements (see `ZoneEdit` in the ztpol target).
public struct ZoneSetUse: Sendable, Equatable {
    /// Per zone and family the compiler asked for: the set that holds them, or nil when the zone had no
    /// address of that family (its rules for that family were then left out). A family never asked for is absent.
    public var zones: [String: [IPFamily: String?]] = [:]
    /// Sets that more than one endpoint (zone or address literal) resolved to: their elements are not one zone's.
    public var sharedSets: Set<String> = []

    public init(zones: [String: [IPFamily: String?]] = [:], sharedSets: Set<String> = []) {
        self.zones = zones
        self.sharedSets = sharedSets
    }
}
