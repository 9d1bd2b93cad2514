/// The kind of private key for a certificate: ECDSA P-256 by default, as most ACME clients do.
public enum KeyType: String, Sendable, Codable, CaseIterable {
    case ec256, ec384, rsa2048, rsa3072, rsa4096

    /// The names the command line and the policy's `acme` block accept, matching lego's spelling.
    public init?(name: String) {
        switch name.lowercased() {
        case "ec256", "p256", "p-256": self = .ec256
        case "ec384", "p384", "p-384": self = .ec384
        case "rsa2048": self = .rsa2048
        case "rsa3072": self = .rsa3072
        case "rsa4096": self = .rsa4096
        default: return nil
        }
    }

    var curveName: String? {
        switch self {
        case .ec256: "P-256"
        case .ec384: "P-384"
        case .rsa2048, .rsa3072, .rsa4096: nil
        }
    }

    var rsaBits: UInt32? {
        switch self {
        case .rsa2048: 2048
        case .rsa3072: 3072
        case .rsa4096: 4096
        case .ec256, .ec384: nil
        }
    }
}
