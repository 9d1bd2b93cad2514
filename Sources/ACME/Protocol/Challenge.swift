/// One way to prove control of an identifier (RFC 8555 §7.1.5); ztpol answers `tls-alpn-01` only.
struct Challenge: Decodable, Sendable {
    enum Status: String, Decodable, Sendable {
        case pending, processing, valid, invalid
    }

    static let tlsALPN01 = "tls-alpn-01"

    let type: String
    let url: String
    let status: Status
    /// Secret until validation ends: never logged.
    let token: String?
    let error: ACMEProblem?
}
