/// Why the TLS-ALPN-01 responder could not start.
public enum ResponderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process listens on the port already.
    case portInUse(port: UInt16, address: String)
    /// Ports below 1024 need root or CAP_NET_BIND_SERVICE.
    case permissionDenied(port: UInt16, address: String)
    /// Any other socket failure: the call and errno's text.
    case socket(call: String, address: String, port: UInt16, reason: String)

    public var description: String {
        switch self {
        case let .portInUse(port, address):
            "tcp/\(port) on \(address) is already in use: the CA validates TLS-ALPN-01 by connecting to this "
                + "port, so stop the service listening there while the certificate is issued "
                + "(`ss -ltnp 'sport = :\(port)'` shows which), or give a port that is free with --tls-port"
        case let .permissionDenied(port, address):
            "cannot listen on tcp/\(port) on \(address): ports below 1024 need root or CAP_NET_BIND_SERVICE"
        case let .socket(call, address, port, reason):
            "\(call) for tcp/\(port) on \(address) failed: \(reason)"
        }
    }
}
