import ACME
import Foundation

/// The flags of `ztpol cert`; lego and certbot users find their usual names (`--domain`/`-d`,
/// `--email`, `--eab-kid`, `--eab-hmac`, `--key-type`).
enum CertFlags {
    /// The request of `ztpol cert --directory URL --trust FILE --domain NAME ...`, without a policy.
    static func request(directory: String, _ arguments: inout Arguments) throws -> CertificateRequest {
        let publicRoots = arguments.flag("--public-roots")
        let trust: TrustAnchors
        switch (try arguments.option("--trust"), publicRoots) {
        case let (file?, false): trust = .only(rootFile: file)
        case let (file?, true): trust = .rootFileAndPublicRoots(rootFile: file)
        case (nil, true): trust = .publicRoots
        case (nil, false):
            throw UsageError("missing --trust FILE (the root of the directory's HTTPS), or --public-roots")
        }
        let domains = try arguments.options("--domain") + arguments.options("-d")
        guard !domains.isEmpty else { throw UsageError("missing --domain NAME") }
        var request = CertificateRequest(directoryURL: directory, trust: trust,
                                         identifiers: domains.map(Identifier.init))
        try Refinements(&arguments).apply(to: &request)
        return request
    }

    /// The flags that also refine a policy's `acme` block: how and where to issue, not from whom.
    struct Refinements {
        var email: String?
        var binding: ExternalAccountBinding?
        var keyType: KeyType?
        var stateDirectory: String?
        var tlsPort: UInt16?
        var listenAddresses: [String]
        var reloadCommand: String?
        var preferredChain: String?
        var timeout: TimeInterval?

        init(_ arguments: inout Arguments) throws {
            email = try arguments.option("--email")
            binding = try Self.binding(&arguments)
            if let name = try arguments.option("--key-type") {
                guard let type = KeyType(name: name) else {
                    throw UsageError("unknown --key-type '\(name)'; use ec256, ec384, rsa2048, rsa3072 or rsa4096")
                }
                keyType = type
            }
            stateDirectory = try arguments.option("--state-dir")
            tlsPort = try arguments.integer("--tls-port", in: 1...65535).map { UInt16($0) }
            listenAddresses = try arguments.options("--listen")
            reloadCommand = try arguments.option("--reload-command")
            preferredChain = try arguments.option("--preferred-chain")
            timeout = try arguments.integer("--timeout", in: 1...3600).map { TimeInterval($0) }
        }

        /// Each flag given replaces the request's value; the others leave it alone.
        func apply(to request: inout CertificateRequest) {
            request.contactEmail = email ?? request.contactEmail
            request.externalAccountBinding = binding ?? request.externalAccountBinding
            request.keyType = keyType ?? request.keyType
            request.stateDirectory = stateDirectory ?? request.stateDirectory
            request.tlsPort = tlsPort ?? request.tlsPort
            if !listenAddresses.isEmpty { request.listenAddresses = listenAddresses }
            request.reloadCommand = reloadCommand ?? request.reloadCommand
            request.preferredChain = preferredChain ?? request.preferredChain
            request.timeout = timeout ?? request.timeout
        }

        private static func binding(_ arguments: inout Arguments) throws -> ExternalAccountBinding? {
            let keyID = try arguments.option("--eab-kid")
            var hmac = try arguments.option("--eab-hmac")
            if let file = try arguments.option("--eab-hmac-file") {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    throw UsageError("cannot read --eab-hmac-file \(file)")
                }
                hmac = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            switch (keyID, hmac) {
            case (nil, nil): return nil
            case let (keyID?, hmac?): return ExternalAccountBinding(keyID: keyID, hmacKey: hmac)
            default: throw UsageError("--eab-kid and --eab-hmac go together")
            }
        }
    }
}
