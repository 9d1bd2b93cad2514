/// Which certificate authorities the HTTPS connection to the ACME directory accepts.
///
/// The default for a private RA is its root alone: a bundle that also holds the public CAs would let
/// any of them vouch for the directory's name.
public enum TrustAnchors: Sendable, Equatable, Codable {
    /// Only the root(s) in this PEM file.
    case only(rootFile: String)
    /// The system's public roots (a public ACME CA).
    case publicRoots
    /// This PEM file and the system's public roots.
    case rootFileAndPublicRoots(rootFile: String)
}
