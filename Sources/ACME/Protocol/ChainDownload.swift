import Certificates

/// Downloads the issued chain (RFC 8555 §7.4.2), and when asked for a preferred issuer, the
/// alternate chains the server links with `rel="alternate"`.
enum ChainDownload {
    static let mediaType = "application/pem-certificate-chain"

    /// - Returns: the chain's certificates, leaf first, and the URL it came from.
    static func download(_ url: String, preferredIssuer: String?, connection: Connection) throws
        -> (chain: [PEMBlock], url: String) {
        let response = try connection.fetch(url, request: "certificate", accept: mediaType)
        let first = try certificates(in: response, request: "certificate")
        guard let preferredIssuer else { return (first, url) }
        if try topIssuer(first) == preferredIssuer { return (first, url) }
        for alternate in response.links(relation: "alternate") {
            let other = try connection.fetch(alternate, request: "alternate certificate", accept: mediaType)
            let chain = try certificates(in: other, request: "alternate certificate")
            if try topIssuer(chain) == preferredIssuer { return (chain, alternate) }
        }
        // Like other clients: no chain matches, so the server's default stands.
        return (first, url)
    }

    private static func certificates(in response: HTTPResponse, request: String) throws -> [PEMBlock] {
        let blocks = (try? parsePEMBlocks(String(decoding: response.body, as: UTF8.self))) ?? []
        let certificates = blocks.filter { $0.label == "CERTIFICATE" }
        guard !certificates.isEmpty else {
            throw ACMEError.unexpectedResponse(request: request, status: response.status, excerpt: response.excerpt)
        }
        return certificates
    }

    /// The common name of the issuer of the chain's last certificate: the root it leads to.
    static func topIssuer(_ chain: [PEMBlock]) throws -> String? {
        guard let last = chain.last else { return nil }
        return commonName(rfc2253: try X509Certificate(der: last.der).issuer)
    }

    /// The `CN` of a name in RFC 2253 form (`CN=Pebble Root CA 1f,O=Pebble`), with `\` escapes undone.
    static func commonName(rfc2253 name: String) -> String? {
        var components: [String] = []
        var current = ""
        var escaped = false
        for character in name {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                components.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        components.append(current)
        return components.first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) }
    }
}
