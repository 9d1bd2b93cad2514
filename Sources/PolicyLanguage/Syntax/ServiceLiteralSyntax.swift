import NetworkAddresses

/// The protocols a service literal can name.
public enum ServiceProtocolSyntax: String, Sendable, Hashable, CaseIterable {
    case tcp, udp, icmp, icmpv6
}

/// A service written inline: `tcp/443`, `udp/8000-8999`, `icmp/echo-request`, `icmpv6/128`, or a bare `icmp`.
public struct ServiceLiteralSyntax: Sendable, Hashable {
    public enum Spec: Sendable, Hashable {
        /// TCP or UDP destination ports.
        case ports(ServiceProtocolSyntax, PortRange)
        /// One ICMP or ICMPv6 message type, or every type when `type` is nil.
        case icmp(ServiceProtocolSyntax, type: UInt8?)
    }

    public var text: String
    public var location: SourceLocation
    public var spec: Spec

    public init(_ text: String, at location: SourceLocation, spec: Spec) {
        self.text = text
        self.location = location
        self.spec = spec
    }

    public var length: Int { text.count }
}

/// A service where one is expected: a declared service's name or a literal.
public enum ServiceReferenceSyntax: Sendable, Hashable {
    case name(NameSyntax)
    case literal(ServiceLiteralSyntax)

    public var text: String {
        switch self {
        case .name(let name): name.text
        case .literal(let literal): literal.text
        }
    }

    public var location: SourceLocation {
        switch self {
        case .name(let name): name.location
        case .literal(let literal): literal.location
        }
    }

    public var length: Int { text.count }
}
