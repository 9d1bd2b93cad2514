import Certificates
import Foundation

/// The public half of an account key as a JSON Web Key (RFC 7517), and its thumbprint (RFC 7638).
enum JWK: Encodable, Equatable {
    case ec(crv: String, x: String, y: String)
    case rsa(e: String, n: String)

    init(_ key: PrivateKey) throws {
        switch key.type {
        case .ec256, .ec384:
            let width = key.type == .ec256 ? 32 : 48
            self = .ec(crv: key.type == .ec256 ? "P-256" : "P-384",
                       x: Base64URL.encode(try key.publicParameter("qx", width: width)),
                       y: Base64URL.encode(try key.publicParameter("qy", width: width)))
        case .rsa2048, .rsa3072, .rsa4096:
            self = .rsa(e: Base64URL.encode(try key.publicParameter("e")),
                        n: Base64URL.encode(try key.publicParameter("n")))
        case nil:
            throw ACMEError.unsupportedKey
        }
    }

    private enum Member: String, CodingKey { case crv, e, kty, n, x, y }

    func encode(to encoder: any Encoder) throws {
        var members = encoder.container(keyedBy: Member.self)
        switch self {
        case let .ec(crv, x, y):
            try members.encode(crv, forKey: .crv)
            try members.encode("EC", forKey: .kty)
            try members.encode(x, forKey: .x)
            try members.encode(y, forKey: .y)
        case let .rsa(e, n):
            try members.encode(e, forKey: .e)
            try members.encode("RSA", forKey: .kty)
            try members.encode(n, forKey: .n)
        }
    }

    /// The required members in lexicographic order with no whitespace: the thumbprint's input.
    var canonicalJSON: [UInt8] {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Array(try encoder.encode(self))
        }
    }

    /// base64url(SHA-256(canonical JSON)), the account's half of every key authorisation.
    var thumbprint: String {
        get throws { Base64URL.encode(sha256(try canonicalJSON)) }
    }
}
