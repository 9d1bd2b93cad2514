import Foundation
import NetworkAddresses
import PolicyModel

/// The addresses of an ACME directory given by host name, resolved the way this host's clients will
/// resolve it (getaddrinfo: /etc/hosts, then DNS), so that the static proof covers every one of them.
enum DirectoryAddresses {
    static func resolve(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var head: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &head)
        guard status == 0 else {
            throw BootstrapFailure(step: .check, reason: "cannot resolve the ACME directory's host '\(host)': "
                                   + String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(head) }
        var addresses: Set<IPAddress> = []
        var cursor = head
        while let entry = cursor {
            defer { cursor = entry.pointee.ai_next }
            if let socketAddress = entry.pointee.ai_addr, let address = IPAddress(socketAddress: socketAddress) {
                addresses.insert(address)
            }
        }
        return addresses.sorted()
    }
}
