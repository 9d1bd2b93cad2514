/// An order (RFC 8555 §7.1.3): the identifiers asked for, the authorisations to satisfy, and
/// where to finalise and fetch the certificate.
struct Order: Decodable, Sendable {
    enum Status: String, Decodable, Sendable {
        case pending, ready, processing, valid, invalid
    }

    let status: Status
    let identifiers: [Identifier]
    let authorizations: [String]
    let finalize: String
    let certificate: String?
    let error: ACMEProblem?
}

/// The body of a `newOrder` request.
struct NewOrder: Encodable {
    let identifiers: [Identifier]
    /// The certificate this order replaces, by its ARI certificate ID (RFC 9773 §5).
    let replaces: String?
}
