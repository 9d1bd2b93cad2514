/// A problem document (RFC 7807) as ACME servers send it with every error (RFC 8555 §6.7).
public struct ACMEProblem: Error, Decodable, Sendable, Equatable, CustomStringConvertible {
    /// e.g. `urn:ietf:params:acme:error:badNonce`.
    public let type: String
    public let detail: String?
    public let status: Int?
    public let identifier: Identifier?
    public let subproblems: [ACMEProblem]?

    public init(type: String, detail: String?, status: Int? = nil, identifier: Identifier? = nil,
                subproblems: [ACMEProblem]? = nil) {
        self.type = type
        self.detail = detail
        self.status = status
        self.identifier = identifier
        self.subproblems = subproblems
    }

    /// The part after `urn:ietf:params:acme:error:`, e.g. `badNonce`; the whole type otherwise.
    public var acmeType: String {
        let prefix = "urn:ietf:params:acme:error:"
        return type.hasPrefix(prefix) ? String(type.dropFirst(prefix.count)) : type
    }

    public var description: String {
        var text = ServerText.printable(acmeType)
        if let identifier { text += " for \(ServerText.printable(identifier.value))" }
        if let detail, !detail.isEmpty { text += ": \(ServerText.printable(detail, limit: 1000))" }
        for sub in subproblems ?? [] { text += "; \(sub)" }
        return text
    }
}
