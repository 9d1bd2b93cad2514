/// Anti-replay nonces (RFC 8555 §7.2): every response carries a fresh one in `Replay-Nonce`, which
/// pays for the next request; only when none is left does the client ask `newNonce` for one.
struct NoncePool {
    private var nonces: [String] = []

    /// Keeps the nonce a response carried, if any, error responses included.
    mutating func keep(from response: HTTPResponse) {
        if let nonce = response.header("replay-nonce"), !nonce.isEmpty {
            nonces.append(nonce)
        }
    }

    /// The newest nonce, or nil when the pool is empty.
    mutating func take() -> String? {
        nonces.popLast()
    }
}
