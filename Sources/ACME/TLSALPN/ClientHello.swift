import Foundation

/// The two ClientHello extensions that decide whether a connection is a TLS-ALPN-01 validation:
/// server_name (RFC 6066 §3) and application_layer_protocol_negotiation (RFC 7301 §3.1), read from
/// their raw bytes as OpenSSL's client-hello callback hands them over.
enum ClientHello {
    static let serverNameExtension: UInt32 = 0
    static let alpnExtension: UInt32 = 16
    static let acmeProtocol = "acme-tls/1"

    /// The host_name entry of a server_name extension, lower-cased; nil when malformed or absent.
    static func serverName(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 2, Int(bytes[0]) << 8 | Int(bytes[1]) == bytes.count - 2 else { return nil }
        var index = 2
        while index + 3 <= bytes.count {
            let type = bytes[index]
            let length = Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            index += 3
            guard index + length <= bytes.count else { return nil }
            if type == 0 {
                return String(decoding: bytes[index..<index + length], as: UTF8.self).lowercased()
            }
            index += length
        }
        return nil
    }

    /// The protocol names an ALPN extension offers, in the client's order; nil when malformed.
    static func protocols(_ bytes: [UInt8]) -> [String]? {
        guard bytes.count >= 2, Int(bytes[0]) << 8 | Int(bytes[1]) == bytes.count - 2 else { return nil }
        var names: [String] = []
        var index = 2
        while index < bytes.count {
            let length = Int(bytes[index])
            index += 1
            guard length > 0, index + length <= bytes.count else { return nil }
            names.append(String(decoding: bytes[index..<index + length], as: UTF8.self))
            index += length
        }
        return names
    }

    /// The name a validator sends in SNI for an identifier: the DNS name itself, or for an IP
    /// address its reverse-mapping name (RFC 8738 §6), e.g. `1.0.0.127.in-addr.arpa`.
    static func sniName(for identifier: Identifier) -> String {
        guard identifier.type == .ip else { return identifier.value.lowercased() }
        var v4 = in_addr()
        if inet_pton(AF_INET, identifier.value, &v4) == 1 {
            let octets = withUnsafeBytes(of: &v4) { Array($0) }
            return octets.reversed().map(String.init).joined(separator: ".") + ".in-addr.arpa"
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, identifier.value, &v6) == 1 else { return identifier.value }
        let nibbles = withUnsafeBytes(of: &v6) { bytes in bytes.flatMap { [$0 >> 4, $0 & 0x0f] } }
        return nibbles.reversed().map { String($0, radix: 16) }.joined(separator: ".") + ".ip6.arpa"
    }
}
