import NetworkAddresses
import PolicyLanguage

/// Key types for a certificate's private key.
public enum CertificateKeyType: String, Sendable, Hashable, CaseIterable {
    case ec256, ec384, rsa2048, rsa3072, rsa4096
}

/// `acme ZONE { ... }`: hosts of ZONE obtain their certificate from this directory with TLS-ALPN-01.
public struct AcmeBlock: Sendable, Hashable {
    public var zone: String
    /// The directory URL as written (`https://10.77.0.1/dir`).
    public var directory: String
    /// The root the directory's HTTPS chains to, resolved against the policy's folder.
    public var trustRoot: String
    public var domains: [String]
    public var email: String?
    public var eabKeyID: String?
    /// The EAB HMAC key as written (base64url); never logged.
    public var eabHMACKey: String?
    public var keyType: CertificateKeyType
    public var stateDirectory: String?
    public var reloadCommand: String?
    public var location: SourceLocation

    public init(zone: String, directory: String, trustRoot: String, domains: [String], email: String? = nil,
                eabKeyID: String? = nil, eabHMACKey: String? = nil, keyType: CertificateKeyType = .ec256,
                stateDirectory: String? = nil, reloadCommand: String? = nil, location: SourceLocation) {
        self.zone = zone
        self.directory = directory
        self.trustRoot = trustRoot
        self.domains = domains
        self.email = email
        self.eabKeyID = eabKeyID
        self.eabHMACKey = eabHMACKey
        self.keyType = keyType
        self.stateDirectory = stateDirectory
        self.reloadCommand = reloadCommand
        self.location = location
    }
}

/// `trust ZONE { ... }`: hosts of ZONE install this root into their trust stores.
public struct TrustBlock: Sendable, Hashable {
    public var zone: String
    /// The root certificate, resolved against the policy's folder.
    public var root: String
    /// The name the root is installed under (default: the file's base name).
    public var name: String?
    /// Which stores (`system`, `python`, `env`); empty means all.
    public var stores: [String]
    /// Extra Python interpreters or virtual environments.
    public var pythons: [String]
    public var location: SourceLocation

    public init(zone: String, root: String, name: String? = nil, stores: [String] = [], pythons: [String] = [],
                location: SourceLocation) {
        self.zone = zone
        self.root = root
        self.name = name
        self.stores = stores
        self.pythons = pythons
        self.location = location
    }
}

/// The verdict an expectation asserts.
public enum ExpectedVerdict: String, Sendable, Hashable {
    case allow, deny
}

/// `expect SOURCE -> DESTINATION SERVICE allow|deny`: a self-test run by every command.
public struct Expectation: Sendable, Hashable {
    public var source: Endpoint
    public var destination: Endpoint
    public var sourceAddresses: AddressSet
    public var destinationAddresses: AddressSet
    public var serviceName: String
    public var services: [ServiceItem]
    public var verdict: ExpectedVerdict
    public var location: SourceLocation

    public init(source: Endpoint, destination: Endpoint, sourceAddresses: AddressSet,
                destinationAddresses: AddressSet, serviceName: String, services: [ServiceItem],
                verdict: ExpectedVerdict, location: SourceLocation) {
        self.source = source
        self.destination = destination
        self.sourceAddresses = sourceAddresses
        self.destinationAddresses = destinationAddresses
        self.serviceName = serviceName
        self.services = services
        self.verdict = verdict
        self.location = location
    }
}
