import Certificates
import COpenSSL
import Foundation

/// A JSON Web Signature in flattened JSON serialisation (RFC 7515 §7.2.2), the body of every ACME POST.
struct JWS: Encodable {
    let protected: String
    let payload: String
    let signature: String

    /// Who signs: a new account identifies itself by its public key, a known one by its URL.
    enum Signer {
        case jwk(JWK)
        case kid(String)
    }

    /// Signs `payload` (nil for POST-as-GET, whose payload is the empty string) for `url`.
    static func sign(payload: Data?, url: String, nonce: String, key: PrivateKey, signer: Signer) throws -> JWS {
        let header = ProtectedHeader(alg: try algorithm(of: key), jwk: signer.jwk, kid: signer.kid,
                                     nonce: nonce, url: url)
        let protected = Base64URL.encode(try JSONEncoder.acme.encode(header))
        let encodedPayload = payload.map { Base64URL.encode($0) } ?? ""
        let signingInput = Array("\(protected).\(encodedPayload)".utf8)
        let signature = try signatureBytes(for: signingInput, key: key)
        return JWS(protected: protected, payload: encodedPayload, signature: Base64URL.encode(signature))
    }

    /// The JWS algorithm for the account key: ES256 for P-256 (ztpol's accounts), ES384, or RS256.
    static func algorithm(of key: PrivateKey) throws -> String {
        switch key.type {
        case .ec256: "ES256"
        case .ec384: "ES384"
        case .rsa2048, .rsa3072, .rsa4096: "RS256"
        case nil: throw ACMEError.unsupportedKey
        }
    }

    /// ECDSA signatures in JWS are r‖s, each left-padded to the curve's size (RFC 7518 §3.4), not
    /// the DER that OpenSSL produces.
    static func signatureBytes(for input: [UInt8], key: PrivateKey) throws -> [UInt8] {
        switch key.type {
        case .ec256: return try rawECDSA(key.sign(input, digest: EVP_sha256()), width: 32)
        case .ec384: return try rawECDSA(key.sign(input, digest: EVP_sha384()), width: 48)
        case .rsa2048, .rsa3072, .rsa4096: return try key.sign(input, digest: EVP_sha256())
        case nil: throw ACMEError.unsupportedKey
        }
    }

    static func rawECDSA(_ der: [UInt8], width: Int) throws -> [UInt8] {
        let signature = try der.withUnsafeBufferPointer { buffer throws -> OpaquePointer in
            var cursor = buffer.baseAddress
            return try checkOpenSSL(d2i_ECDSA_SIG(nil, &cursor, der.count), "d2i_ECDSA_SIG")
        }
        defer { ECDSA_SIG_free(signature) }
        var raw = [UInt8](repeating: 0, count: 2 * width)
        try raw.withUnsafeMutableBufferPointer { out in
            try checkOpenSSL(BN_bn2binpad(ECDSA_SIG_get0_r(signature), out.baseAddress, Int32(width)), "BN_bn2binpad")
            try checkOpenSSL(BN_bn2binpad(ECDSA_SIG_get0_s(signature), out.baseAddress! + width, Int32(width)),
                             "BN_bn2binpad")
        }
        return raw
    }
}

private struct ProtectedHeader: Encodable {
    let alg: String
    let jwk: JWK?
    let kid: String?
    let nonce: String
    let url: String
}

extension JWS.Signer {
    var jwk: JWK? { if case let .jwk(key) = self { key } else { nil } }
    var kid: String? { if case let .kid(url) = self { url } else { nil } }
}

extension JSONEncoder {
    /// Compact, sorted and with `/` unescaped: stable bytes that read well in a debugger.
    static var acme: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
