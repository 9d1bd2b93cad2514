import Certificates

/// A challenge token joined to the account key's thumbprint (RFC 8555 §8.1), and the digest that
/// TLS-ALPN-01 puts into the challenge certificate (RFC 8737 §3).
struct KeyAuthorization {
    /// `token.thumbprint`. Secret until validation ends: never logged.
    let value: String

    init(token: String, thumbprint: String) {
        value = "\(token).\(thumbprint)"
    }

    /// SHA-256 of the key authorisation, the 32 bytes of the acmeIdentifier extension.
    var digest: [UInt8] {
        sha256(Array(value.utf8))
    }
}
