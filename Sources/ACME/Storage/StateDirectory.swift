import Certificates
import Foundation

/// Where ztpol keeps ACME state (default `/var/lib/ztpol`):
///
///     acme/accounts/<server>/account.key    the account key (0600), reused for every order
///     acme/accounts/<server>/account.json   the account URL
///     acme/certificates/<name>/privkey.pem  the certificate key (0600)
///     acme/certificates/<name>/cert.pem     the leaf certificate
///     acme/certificates/<name>/chain.pem    the intermediates
///     acme/certificates/<name>/fullchain.pem leaf and intermediates, for servers that want one file
///     acme/certificates/<name>/request.json what to renew with (never the EAB HMAC)
///
/// Every directory is 0700 and every key 0600; every file is replaced atomically.
public struct StateDirectory: Sendable {
    public static let defaultPath = "/var/lib/ztpol"

    public let root: String

    public init(_ root: String = StateDirectory.defaultPath) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    var acme: String { "\(root)/acme" }
    var accounts: String { "\(acme)/accounts" }
    var certificates: String { "\(acme)/certificates" }

    /// One account directory per ACME server: the directory URL's host and path, made file-safe,
    /// plus a short hash so that two similar URLs never share an account.
    func account(directoryURL: String) throws -> String {
        let readable = directoryURL
            .replacingOccurrences(of: "https://", with: "")
            .map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        let hash = Array(sha256(Array(directoryURL.utf8)).prefix(4)).hexString
        return "\(accounts)/\(String(readable.prefix(80)))-\(hash)"
    }

    /// One certificate directory per primary identifier; a wildcard's `*` becomes `_`.
    func certificate(primary: Identifier) -> String {
        let name = primary.value.replacingOccurrences(of: "*", with: "_").replacingOccurrences(of: ":", with: "_")
        return "\(certificates)/\(name)"
    }

    /// Creates the directory and its parents below the root, each 0700.
    func prepare(_ path: String) throws {
        for directory in [root, acme, (path as NSString).deletingLastPathComponent, path]
        where directory.hasPrefix(root) {
            try AtomicFile.makeDirectory(directory)
        }
    }

    /// The certificate directories that hold a `request.json`, sorted by name.
    func storedCertificates() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: certificates)) ?? []
        // Hidden names are the staging folders of a save that was stopped, not certificates.
        return names.sorted().filter { !$0.hasPrefix(".") }.map { "\(certificates)/\($0)" }
            .filter { FileManager.default.fileExists(atPath: "\($0)/request.json") }
    }
}
