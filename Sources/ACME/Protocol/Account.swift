/// The body of a `newAccount` request (RFC 8555 §7.3).
struct NewAccount: Encodable {
    let contact: [String]?
    let termsOfServiceAgreed: Bool
    let externalAccountBinding: JWS?
}

/// The parts of an account object ztpol reads.
struct Account: Decodable, Sendable {
    let status: String
}
