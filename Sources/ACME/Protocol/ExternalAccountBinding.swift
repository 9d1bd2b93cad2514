import Foundation

/// The key a CA hands out to bind a new ACME account to an existing customer account (RFC 8555 §7.3.4).
public struct ExternalAccountBinding: Sendable, Equatable {
    /// The key identifier the CA gave.
    public let keyID: String
    /// The MAC key, base64url as CAs hand it out. Never logged.
    public let hmacKey: String

    public init(keyID: String, hmacKey: String) {
        self.keyID = keyID
        self.hmacKey = hmacKey
    }

    /// The inner JWS for `newAccount`: the account's JWK, signed with HS256 under the CA's MAC key.
    func jws(accountKey: JWK, newAccountURL: String) throws -> JWS {
        guard let macKey = Base64URL.decode(hmacKey), !macKey.isEmpty else {
            throw ACMEError.invalidRequest("the EAB HMAC key is not base64url")
        }
        let header = EABHeader(alg: "HS256", kid: keyID, url: newAccountURL)
        let protected = Base64URL.encode(try JSONEncoder.acme.encode(header))
        let payload = Base64URL.encode(try JSONEncoder.acme.encode(accountKey))
        let mac = try hmacSHA256(key: Array(macKey), message: Array("\(protected).\(payload)".utf8))
        return JWS(protected: protected, payload: payload, signature: Base64URL.encode(mac))
    }
}

private struct EABHeader: Encodable {
    let alg: String
    let kid: String
    let url: String
}
