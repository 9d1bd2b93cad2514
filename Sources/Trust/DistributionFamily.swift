/// A group of distributions that keep their trust store the same way: where local anchors go, which command
/// folds them into the generated bundle, and where that bundle is.
public enum DistributionFamily: String, CaseIterable, Sendable {
    /// Debian, Ubuntu, Alpine and their derivatives: `update-ca-certificates`.
    case debian
    /// RHEL, Fedora, CentOS and rebuilds: `update-ca-trust` (p11-kit underneath).
    case redHat = "rhel"
    /// openSUSE and SLES: their own `update-ca-certificates` (p11-kit underneath).
    case suse
    /// Arch and derivatives: p11-kit's `trust`.
    case arch

    /// `os-release` IDs of each family; an `ID_LIKE` word counts too.
    private var memberIDs: Set<String> {
        switch self {
        case .debian: ["debian", "ubuntu", "alpine", "linuxmint", "raspbian", "devuan", "kali", "pop"]
        case .redHat: ["rhel", "fedora", "centos", "rocky", "almalinux", "ol", "amzn"]
        case .suse: ["suse", "opensuse", "opensuse-leap", "opensuse-tumbleweed", "sles", "sled"]
        case .arch: ["arch", "archarm", "manjaro", "endeavouros"]
        }
    }

    /// Human name for messages.
    public var displayName: String {
        switch self {
        case .debian: "Debian/Ubuntu/Alpine"
        case .redHat: "RHEL/Fedora"
        case .suse: "SUSE"
        case .arch: "Arch"
        }
    }

    /// The directory the family's refresh command reads local anchors from.
    public var anchorDirectory: String {
        switch self {
        case .debian: "/usr/local/share/ca-certificates"
        case .redHat: "/etc/pki/ca-trust/source/anchors"
        case .suse: "/usr/share/pki/trust/anchors"
        case .arch: "/etc/ca-certificates/trust-source/anchors"
        }
    }

    /// Where the anchor for `name` goes. Debian's tool only reads files ending `.crt`.
    public func anchorPath(name: String) -> String {
        switch self {
        case .debian, .arch: "\(anchorDirectory)/\(name).crt"
        case .redHat, .suse: "\(anchorDirectory)/\(name).pem"
        }
    }

    /// The command that regenerates the bundle from the anchors.
    public var refreshCommand: [String] {
        switch self {
        case .debian, .suse: ["update-ca-certificates"]
        case .redHat: ["update-ca-trust", "extract"]
        case .arch: ["trust", "extract-compat"]
        }
    }

    /// The full PEM bundle (public CAs and local anchors) that clients are pointed at. On RHEL and Arch this
    /// path is a link into the extracted directory; the link is the stable name.
    public var bundlePath: String {
        switch self {
        case .debian, .arch: "/etc/ssl/certs/ca-certificates.crt"
        case .redHat: "/etc/pki/tls/certs/ca-bundle.crt"
        case .suse: "/etc/ssl/ca-bundle.pem"
        }
    }

    /// Directories the refresh command writes its outputs to besides the bundle. Debian's tool leaves
    /// `NAME.pem` and hash links dangling when an anchor goes and its Java hook rewrites the keystore with new
    /// timestamps, so ztpol journals what changed there and puts it back itself.
    var generatedDirectories: [String] {
        switch self {
        case .debian: ["/etc/ssl/certs"]
        case .redHat: ["/etc/pki/ca-trust/extracted"]
        case .suse: ["/var/lib/ca-certificates"]
        case .arch: ["/etc/ca-certificates/extracted", "/etc/ssl/certs"]
        }
    }

    /// The family of the system that `osRelease` describes: its `ID` first, then each `ID_LIKE` word.
    static func detect(_ osRelease: OSRelease, source: String) throws(TrustError) -> DistributionFamily {
        for id in [osRelease.id] + osRelease.idLike {
            if let family = allCases.first(where: { $0.memberIDs.contains(id) }) {
                return family
            }
        }
        let like = osRelease.idLike.isEmpty ? "" : " (ID_LIKE '\(osRelease.idLike.joined(separator: " "))')"
        let supported = allCases.map(\.displayName).joined(separator: ", ")
        throw TrustError(.unsupportedDistribution, "\(source): distribution ID '\(osRelease.id)'\(like) is not "
            + "one ztpol knows how to install trust on; supported families: \(supported)")
    }
}
