import NetworkAddresses
import PolicyLanguage

/// A policy that has been parsed and checked: every name resolved, every address normalised.
///
/// This is what the compiler, the ACME and trust stages read; nothing here refers back to raw text
/// except the source locations kept for messages and rule comments.
public struct Policy: Sendable, Equatable {
    /// The path the policy was read from, as given; files it names are resolved against its folder.
    public var path: String
    public var zones: [Zone]
    public var services: [Service]
    public var flows: [Flow]
    public var acme: [AcmeBlock]
    public var trust: [TrustBlock]
    public var expectations: [Expectation]

    public init(path: String, zones: [Zone] = [], services: [Service] = [], flows: [Flow] = [],
                acme: [AcmeBlock] = [], trust: [TrustBlock] = [], expectations: [Expectation] = []) {
        self.path = path
        self.zones = zones
        self.services = services
        self.flows = flows
        self.acme = acme
        self.trust = trust
        self.expectations = expectations
    }

    public func zone(named name: String) -> Zone? { zones.first { $0.name == name } }

    /// The zones whose addresses include any of `addresses`, in declaration order.
    public func zones(containing addresses: [IPAddress]) -> [Zone] {
        zones.filter { zone in addresses.contains { zone.addresses.contains($0) } }
    }
}

/// A named set of addresses, with nested zones and `except` already applied.
public struct Zone: Sendable, Hashable {
    public var name: String
    public var addresses: AddressSet
    public var location: SourceLocation

    public init(name: String, addresses: AddressSet, location: SourceLocation) {
        self.name = name
        self.addresses = addresses
        self.location = location
    }
}
