import Foundation

/// The signed-request layer of one ACME session: the directory, nonces, the account key and its URL,
/// and problem documents turned into errors. Every POST goes through `post`.
final class Connection {
    let http: HTTPClient
    let directoryURL: String
    let directory: Directory
    let accountKey: PrivateKey
    let jwk: JWK
    /// Known once the account exists; requests are then signed with `kid` instead of `jwk`.
    var accountURL: String?

    private var nonces = NoncePool()

    /// Retries after `badNonce`: a server may reject any nonce (pebble rejects a set share on
    /// purpose), and each retry costs one round trip with the nonce the rejection carried.
    static let badNonceRetries = 40

    init(directoryURL: String, http: HTTPClient, accountKey: PrivateKey) throws {
        self.http = http
        self.directoryURL = directoryURL
        self.accountKey = accountKey
        self.jwk = try JWK(accountKey)
        let response = try http.send(.get, directoryURL, accept: "application/json")
        directory = try Self.decode(Directory.self, from: response, request: "GET directory \(directoryURL)")
    }

    /// A signed POST whose payload is `body` encoded as JSON, or empty for POST-as-GET (`body` nil).
    func post(_ url: String, body: (some Encodable)?, request: String, signedWithJWK: Bool = false,
              accept: String? = nil) throws -> HTTPResponse {
        let payload = try body.map { try JSONEncoder.acme.encode($0) }
        var attempts = 0
        while true {
            let nonce = try nextNonce()
            let signer: JWS.Signer
            if signedWithJWK {
                signer = .jwk(jwk)
            } else if let accountURL {
                signer = .kid(accountURL)
            } else {
                throw ACMEError.invalidRequest("\(request) needs an account first")
            }
            let jws = try JWS.sign(payload: payload, url: url, nonce: nonce, key: accountKey, signer: signer)
            let response = try http.send(.post, url, body: try JSONEncoder.acme.encode(jws),
                                         contentType: "application/jose+json", accept: accept)
            nonces.keep(from: response)
            guard response.status >= 400 else { return response }
            let problem = Self.problem(in: response)
            if problem?.acmeType == "badNonce", attempts < Self.badNonceRetries {
                attempts += 1
                continue
            }
            if let problem { throw ACMEError.server(request: request, problem: problem) }
            throw ACMEError.unexpectedResponse(request: request, status: response.status, excerpt: response.excerpt)
        }
    }

    /// POST-as-GET (RFC 8555 §6.3): fetching a resource with an empty, signed payload.
    func fetch(_ url: String, request: String, accept: String? = nil) throws -> HTTPResponse {
        try post(url, body: Optional<Empty>.none, request: request, accept: accept)
    }

    /// POST-as-GET, decoding the JSON object that comes back.
    func fetch<T: Decodable>(_ type: T.Type, _ url: String, request: String) throws -> (T, HTTPResponse) {
        let response = try fetch(url, request: request)
        return (try Self.decode(type, from: response, request: request), response)
    }

    private func nextNonce() throws -> String {
        if let nonce = nonces.take() { return nonce }
        let response = try http.send(.head, directory.newNonce)
        nonces.keep(from: response)
        guard let nonce = nonces.take() else {
            throw ACMEError.unexpectedResponse(request: "HEAD newNonce", status: response.status,
                                               excerpt: "no Replay-Nonce header")
        }
        return nonce
    }

    static func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, request: String) throws -> T {
        if response.status >= 400, let problem = problem(in: response) {
            throw ACMEError.server(request: request, problem: problem)
        }
        guard response.status < 300 else {
            throw ACMEError.unexpectedResponse(request: request, status: response.status, excerpt: response.excerpt)
        }
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch let error as DecodingError {
            throw ACMEError.malformedResponse(request: request, status: response.status, reason: error.summary,
                                              excerpt: response.excerpt)
        }
    }

    static func problem(in response: HTTPResponse) -> ACMEProblem? {
        try? JSONDecoder().decode(ACMEProblem.self, from: response.body)
    }
}

/// The `{}` payload that tells the server to validate a challenge (RFC 8555 §7.5.1).
struct Empty: Codable {}
