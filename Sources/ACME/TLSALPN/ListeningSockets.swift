import Foundation

/// The TCP listeners of the responder: one IPv6 socket (IPv6 only) and one IPv4 socket on the same
/// port, so that a validator reaching either family finds it.
enum ListeningSockets {
    /// Binds and listens; the caller owns the returned descriptors.
    /// - Parameter addresses: the local addresses to listen on; the wildcards `::` and `0.0.0.0` when empty.
    /// - Throws: `ResponderError`, naming the port when it is taken.
    static func open(port: UInt16, addresses: [String]) throws -> [Int32] {
        let wanted = addresses.isEmpty ? ["::", "0.0.0.0"] : addresses
        var descriptors: [Int32] = []
        do {
            for address in wanted {
                if let descriptor = try listen(on: address, port: port, required: !addresses.isEmpty) {
                    descriptors.append(descriptor)
                }
            }
        } catch {
            descriptors.forEach { close($0) }
            throw error
        }
        return descriptors
    }

    /// nil when the address family is unavailable on this host and the address was not asked for.
    private static func listen(on address: String, port: UInt16, required: Bool) throws -> Int32? {
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET6, address, &v6.sin6_addr) == 1 {
            family = AF_INET6
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
        } else if inet_pton(AF_INET, address, &v4.sin_addr) == 1 {
            family = AF_INET
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
        } else {
            throw ResponderError.socket(call: "inet_pton", address: address, port: port, reason: "not an IP address")
        }
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            if !required && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT) { return nil }
            throw failure("socket", address, port, errno)
        }
        var one: Int32 = 1
        // SO_REUSEADDR lets a restart bind while old connections linger in TIME_WAIT; it does not
        // let two listeners share the port on Linux.
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if family == AF_INET6 {
            setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = family == AF_INET6
            ? withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
            : withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            // No IPv6 on this host (disabled, or no address yet): IPv4 alone still works.
            if !required && family == AF_INET6 && (code == EADDRNOTAVAIL || code == EAFNOSUPPORT) { return nil }
            throw failure("bind", address, port, code)
        }
        guard Glibc.listen(descriptor, 64) == 0 else {
            let code = errno
            close(descriptor)
            throw failure("listen", address, port, code)
        }
        return descriptor
    }

    private static func failure(_ call: String, _ address: String, _ port: UInt16, _ code: Int32) -> ResponderError {
        let shown = address.contains(":") ? "[\(address)]" : address
        switch code {
        case EADDRINUSE: return .portInUse(port: port, address: shown)
        case EACCES: return .permissionDenied(port: port, address: shown)
        default: return .socket(call: call, address: shown, port: port, reason: String(cString: strerror(code)))
        }
    }
}
