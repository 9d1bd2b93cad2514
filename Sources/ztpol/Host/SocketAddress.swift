import Foundation
import NetworkAddresses

extension IPAddress {
    /// The address in a C `sockaddr` of family AF_INET or AF_INET6 (as getifaddrs and getaddrinfo hand
    /// them out); nil for any other family.
    init?(socketAddress: UnsafeMutablePointer<sockaddr>) {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            let v4 = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            self.init(bytes: withUnsafeBytes(of: v4.s_addr) { Array($0) })
        case AF_INET6:
            let v6 = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            self.init(bytes: withUnsafeBytes(of: v6) { Array($0) })
        default:
            return nil
        }
    }

    /// 127.0.0.0/8, ::1, and fe80::/10: addresses no fleet zone names, so they never decide a host's zone.
    var isLoopbackOrLinkLocal: Bool {
        let bytes = self.bytes
        switch family {
        case .ipv4: return bytes[0] == 127
        case .ipv6: return value == 1 || (bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80)
        }
    }
}
