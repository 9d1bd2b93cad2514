import Foundation
import Netlink
import NetworkAddresses

/// The addresses configured on this machine's interfaces (in the current network namespace).
enum InterfaceAddresses {
    /// The addresses inside network namespace `namespace` (getifaddrs asks the kernel over a netlink
    /// socket, which answers for the namespace the socket is made in), or of the current one.
    static func current(in namespace: String?) throws -> [IPAddress] {
        guard let namespace else { return try current() }
        let result = try NetworkNamespace.run(in: namespace) { () throws(NetlinkError) in
            Result { try current() }
        }
        return try result.get()
    }

    /// Every IPv4 and IPv6 address of every interface, loopback and link-local left out: they are in
    /// no zone of a fleet policy and would only make "which zone am I" ambiguous.
    static func current() throws -> [IPAddress] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0 else {
            throw HostError.systemCall("getifaddrs", errno: errno)
        }
        defer { freeifaddrs(head) }
        var result: [IPAddress] = []
        var cursor = head
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let socketAddress = entry.pointee.ifa_addr, let address = IPAddress(socketAddress: socketAddress),
                  !address.isLoopbackOrLinkLocal else { continue }
            result.append(address)
        }
        return Array(Set(result)).sorted()
    }
}

/// Failures while finding out about this host.
enum HostError: Error, CustomStringConvertible {
    case systemCall(String, errno: Int32)

    var description: String {
        switch self {
        case .systemCall(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
