/// An authorisation (RFC 8555 §7.1.4): the account's proof of control over one identifier.
struct Authorization: Decodable, Sendable {
    enum Status: String, Decodable, Sendable {
        case pending, valid, invalid, deactivated, expired, revoked
    }

    let identifier: Identifier
    let status: Status
    let challenges: [Challenge]
    let wildcard: Bool?

    /// The reason validation failed, from the challenge that carries one.
    var failure: ACMEProblem? {
        challenges.lazy.compactMap(\.error).first
    }
}
