import Foundation

/// What an issuance produced and where it was written; `--json` prints this.
public struct IssuedCertificate: Sendable, Codable, Equatable {
    public let identifiers: [String]
    public let keyType: KeyType
    public let directory: String
    public let certificatePath: String
    public let chainPath: String
    public let fullChainPath: String
    public let keyPath: String
    public let notBefore: Date
    public let notAfter: Date
    public let issuer: String?
    /// The URL the certificate was downloaded from.
    public let certificateURL: String
    /// Authorisations the server had already validated and reused.
    public let reusedAuthorizations: Int
    /// Wall time from start to stored files, in seconds.
    public let seconds: Double
}
