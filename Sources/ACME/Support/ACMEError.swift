/// Everything that can stop an issuance, each case saying what failed and what the server said.
public enum ACMEError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered `request` with a problem document.
    case server(request: String, problem: ACMEProblem)
    /// The server answered `request` with something that is not ACME (status and a body excerpt).
    case unexpectedResponse(request: String, status: Int, excerpt: String)
    /// The server answered `request` with a success whose body is not the JSON object ACME specifies.
    case malformedResponse(request: String, status: Int, reason: String, excerpt: String)
    /// The CA could not validate `identifier`; `problem` is the reason it gave.
    case challengeFailed(identifier: String, problem: ACMEProblem?)
    /// The CA offered no TLS-ALPN-01 challenge for `identifier` (ztpol answers no other kind).
    case noTLSALPNChallenge(identifier: String, offered: [String])
    /// The order ended `invalid` after finalisation.
    case orderFailed(problem: ACMEProblem?)
    /// `what` did not finish within the time allowed.
    case timedOut(what: String, seconds: Int)
    /// The request cannot be sent as given.
    case invalidRequest(String)
    /// A key type that JWS or the CSR cannot use.
    case unsupportedKey

    public var description: String {
        switch self {
        case let .server(request, problem):
            "\(request): the server refused: \(problem)"
        case let .unexpectedResponse(request, status, excerpt):
            "\(request): unexpected HTTP \(status) response: \(excerpt)"
        case let .malformedResponse(request, status, reason, excerpt):
            "\(request): the HTTP \(status) response is not what ACME specifies (\(reason)): \(excerpt)"
        case let .challengeFailed(identifier, problem):
            "validation of \(identifier) failed: \(problem.map(String.init(describing:)) ?? "no reason given")"
        case let .noTLSALPNChallenge(identifier, offered):
            "the server offers no tls-alpn-01 challenge for \(identifier) (offered: \(offered.joined(separator: ", ")))"
        case let .orderFailed(problem):
            "the order became invalid: \(problem.map(String.init(describing:)) ?? "no reason given")"
        case let .timedOut(what, seconds):
            "\(what) did not finish within \(seconds) s"
        case let .invalidRequest(reason):
            "invalid request: \(reason)"
        case .unsupportedKey:
            "unsupported key type (use ec256, ec384, rsa2048, rsa3072 or rsa4096)"
        }
    }
}
