/// Satisfies an order's authorisations with TLS-ALPN-01 (RFC 8555 §7.5, RFC 8737): skips those the
/// server already holds valid (reuse), answers the rest all at once, then polls them together.
struct Authorizer {
    let connection: Connection
    let responder: TLSALPNResponder
    let progress: ACMEProgressHandler?
    let timeout: Double

    /// - Returns: how many authorisations were already valid.
    func satisfy(_ urls: [String]) throws -> Int {
        let thumbprint = try connection.jwk.thumbprint
        var pending: [(url: String, identifier: Identifier)] = []
        var reused = 0
        defer { pending.forEach { responder.remove(identifier: $0.identifier) } }

        for url in urls {
            let (authorization, _) = try connection.fetch(Authorization.self, url, request: "authorization")
            let identifier = authorization.identifier
            switch authorization.status {
            case .valid:
                reused += 1
                progress?(ACMEProgress(.authorization, "\(identifier.value): already valid, reused"))
                continue
            case .pending:
                break
            case .invalid, .deactivated, .expired, .revoked:
                throw ACMEError.challengeFailed(identifier: identifier.value, problem: authorization.failure)
            }
            guard let challenge = authorization.challenges.first(where: { $0.type == Challenge.tlsALPN01 }),
                  let token = challenge.token else {
                throw ACMEError.noTLSALPNChallenge(identifier: identifier.value,
                                                   offered: authorization.challenges.map(\.type))
            }
            let keyAuthorization = KeyAuthorization(token: token, thumbprint: thumbprint)
            try responder.add(identifier: identifier, keyAuthorizationDigest: keyAuthorization.digest)
            pending.append((url, identifier))
            if challenge.status == .pending {
                progress?(ACMEProgress(.challenge,
                                       "\(identifier.value): answering tls-alpn-01 on tcp/\(responder.port)"))
                _ = try connection.post(challenge.url, body: Empty(), request: "challenge \(identifier.value)")
            }
        }

        var waiting = pending
        var poller = Poller(what: "validation", timeout: timeout)
        var retryAfter: Double? = nil
        while !waiting.isEmpty {
            try poller.wait(retryAfter: retryAfter)
            var stillWaiting: [(url: String, identifier: Identifier)] = []
            retryAfter = nil
            for entry in waiting {
                let (authorization, response) = try connection.fetch(Authorization.self, entry.url,
                                                                     request: "authorization")
                switch authorization.status {
                case .valid:
                    progress?(ACMEProgress(.validation, "\(entry.identifier.value): valid"))
                case .pending:
                    stillWaiting.append(entry)
                    retryAfter = response.retryAfter()
                case .invalid, .deactivated, .expired, .revoked:
                    throw ACMEError.challengeFailed(identifier: entry.identifier.value, problem: authorization.failure)
                }
            }
            waiting = stillWaiting
        }
        return reused
    }
}
