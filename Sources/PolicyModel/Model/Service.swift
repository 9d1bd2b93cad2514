import NetworkAddresses
import PolicyLanguage

/// The transport protocols whose ports a service can name.
public enum TransportProtocol: String, Sendable, Hashable, Comparable, CaseIterable {
    case tcp
    case udp

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One item of a service: ports of a transport protocol, or ICMP / ICMPv6 message types.
public enum ServiceItem: Sendable, Hashable {
    /// Destination ports (normalised: sorted, merged).
    case ports(TransportProtocol, [PortRange])
    /// ICMP (IPv4) message types by number; empty means every type.
    case icmp([UInt8])
    /// ICMPv6 message types by number; empty means every type.
    case icmpv6([UInt8])

    /// The families this item can match: ports match both, ICMP only its own family.
    public var families: [IPFamily] {
        switch self {
        case .ports: [.ipv4, .ipv6]
        case .icmp: [.ipv4]
        case .icmpv6: [.ipv6]
        }
    }
}

/// A named list of service items (`service https tcp/443`).
public struct Service: Sendable, Hashable {
    public var name: String
    public var items: [ServiceItem]
    public var location: SourceLocation

    public init(name: String, items: [ServiceItem], location: SourceLocation) {
        self.name = name
        self.items = items
        self.location = location
    }
}
