import Certificates
import Foundation

/// Everything one certificate needs: which CA, how to trust it, for which names, and where the
/// result goes. The command line's flags and a policy's `acme` block both map onto this type.
public struct CertificateRequest: Sendable, Equatable, Codable {
    /// The ACME directory URL, e.g. `https://10.77.0.1/dir`.
    public var directoryURL: String
    /// The roots that may vouch for the directory's HTTPS.
    public var trust: TrustAnchors
    /// DNS names or IP addresses; the first names the certificate's directory in the state dir.
    public var identifiers: [Identifier]
    /// Contact address for the account (`mailto:` is added).
    public var contactEmail: String?
    /// Required by step-ca and commercial RAs for a new account. Never stored or logged.
    public var externalAccountBinding: ExternalAccountBinding?
    public var keyType: KeyType
    public var stateDirectory: String
    /// Where the TLS-ALPN-01 responder listens; real CAs validate on 443 only.
    public var tlsPort: UInt16
    /// Local addresses for the responder; every address (both families) when empty.
    public var listenAddresses: [String]
    /// Run through `/bin/sh -c` after a certificate was issued or renewed.
    public var reloadCommand: String?
    /// The issuer common name of the chain to prefer among the server's alternates.
    public var preferredChain: String?
    /// How long validation and issuance may take, in seconds.
    public var timeout: TimeInterval

    public init(directoryURL: String, trust: TrustAnchors, identifiers: [Identifier], contactEmail: String? = nil,
                externalAccountBinding: ExternalAccountBinding? = nil, keyType: KeyType = .ec256,
                stateDirectory: String = StateDirectory.defaultPath, tlsPort: UInt16 = 443,
                listenAddresses: [String] = [], reloadCommand: String? = nil, preferredChain: String? = nil,
                timeout: TimeInterval = 120) {
        self.directoryURL = directoryURL
        self.trust = trust
        self.identifiers = identifiers
        self.contactEmail = contactEmail
        self.externalAccountBinding = externalAccountBinding
        self.keyType = keyType
        self.stateDirectory = stateDirectory
        self.tlsPort = tlsPort
        self.listenAddresses = listenAddresses
        self.reloadCommand = reloadCommand
        self.preferredChain = preferredChain
        self.timeout = timeout
    }

    /// Convenience for names given as text: IP literals become `ip` identifiers, the rest `dns`.
    public init(directoryURL: String, trustRoot: String, domains: [String]) {
        self.init(directoryURL: directoryURL, trust: .only(rootFile: trustRoot),
                  identifiers: domains.map(Identifier.init))
    }

    /// The EAB key is deliberately left out: it is needed once, to create the account, and is a secret.
    private enum CodingKeys: String, CodingKey {
        case directoryURL, trust, identifiers, contactEmail, keyType, stateDirectory, tlsPort, listenAddresses
        case reloadCommand, preferredChain, timeout
    }

    /// An https URL with a host, a port that exists, and no credentials (ACME authenticates with its own
    /// signatures; a password in the URL would end up in messages and logs, so it is not repeated here).
    static func checkDirectoryURL(_ url: String) throws {
        guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else {
            throw ACMEError.invalidRequest("the directory URL '\(url)' is not a valid https URL with a host")
        }
        if parts.user != nil || parts.password != nil {
            throw ACMEError.invalidRequest("the directory URL must not carry a user name or password")
        }
        if let port = parts.port, !(1...65_535).contains(port) {
            throw ACMEError.invalidRequest("the directory URL's port \(port) is not between 1 and 65535")
        }
    }

    /// Refuses what cannot work before any network traffic.
    func validate() throws {
        guard directoryURL.hasPrefix("https://") else {
            throw ACMEError.invalidRequest("the directory URL must start with https:// (got '\(directoryURL)')")
        }
        try Self.checkDirectoryURL(directoryURL)
        guard !identifiers.isEmpty else { throw ACMEError.invalidRequest("no domain given") }
        if let bad = identifiers.first(where: { !$0.isWellFormed }) {
            throw ACMEError.invalidRequest("'\(bad.value)' is not a valid domain name or IP address")
        }
        if identifiers.contains(where: { $0.value.hasPrefix("*.") }) {
            throw ACMEError.invalidRequest("wildcard names need DNS-01, and ztpol answers TLS-ALPN-01 only")
        }
        if let email = contactEmail, !email.contains("@") || email.contains(",") {
            throw ACMEError.invalidRequest("'\(email)' is not an email address")
        }
        switch trust {
        case let .only(file), let .rootFileAndPublicRoots(file): try Self.checkRoot(file)
        case .publicRoots: break
        }
    }

    /// The trust file must hold PEM certificates, at least one of them a CA: anything else would
    /// only fail later, at the TLS handshake, with a less helpful message.
    private static func checkRoot(_ file: String) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ACMEError.invalidRequest("the trust root \(file) is missing or unreadable")
        }
        let blocks = ((try? parsePEMBlocks(text)) ?? []).filter { $0.label == "CERTIFICATE" }
        guard !blocks.isEmpty else {
            throw ACMEError.invalidRequest("the trust root \(file) holds no PEM certificate")
        }
        let authorities = blocks.filter { block in
            guard let certificate = try? X509Certificate(der: block.der),
                  case .certificateAuthority = try? certificate.basicConstraints() else { return false }
            return true
        }
        guard !authorities.isEmpty else {
            throw ACMEError.invalidRequest(
                "the trust root \(file) is not a CA certificate (no basicConstraints CA:TRUE)")
        }
    }
}
