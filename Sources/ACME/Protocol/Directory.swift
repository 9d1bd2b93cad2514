/// A server's directory (RFC 8555 §7.1.1): the URLs of its resources and what it asks of clients.
struct Directory: Decodable, Sendable {
    let newNonce: String
    let newAccount: String
    let newOrder: String
    let revokeCert: String?
    let keyChange: String?
    /// ACME Renewal Information (RFC 9773), when the server offers it.
    let renewalInfo: String?
    let meta: Meta?

    struct Meta: Decodable, Sendable {
        let termsOfService: String?
        let externalAccountRequired: Bool?
    }
}
