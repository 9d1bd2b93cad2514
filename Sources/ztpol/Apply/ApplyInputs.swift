import Certificates
import Foundation
import NetworkAddresses
import PolicyModel

/// Everything a host's compiled table depends on, so that re-applying an unchanged policy need not
/// read, check and compile it again (a third of a second at 100k prefixes): the policy's bytes and
/// path (rule comments name the file), the ruleset options, the host's zones or, without `--zone`,
/// the interface addresses they are found from (the namespace's, with `--netns`), and this very
/// executable (another build may compile differently). The files the policy names are kept by
/// identity: their absence or change would be a warning on a full run, so it forces one.
struct ApplyInputs: Equatable {
    var digest: String
    /// Resolved path → identity (device, inode, size, modification time), or "missing".
    var files: [String: String]

    /// The digest of `policy` compiled in `context`.
    static func digest(policy: [UInt8], context: [UInt8]) -> String {
        // The policy's own digest goes in, not the policy: it is not copied.
        hexadecimal(sha256(context + [0] + sha256(policy)))
    }

    /// Everything but the policy's bytes that the table depends on, as bytes to digest; nil when part of it
    /// cannot be known.
    /// - Parameter interfaces: the host's interface addresses, which its zones are found from without `--zone`.
    static func context(path: String, options: RulesetOptions, interfaces: [IPAddress]?) -> [UInt8]? {
        guard let executable = identity(of: "/proc/self/exe") else { return nil }
        // Written out field by field: `String(reflecting:)` cost 3 ms of runtime type lookups in this binary.
        var text = "ztpol apply inputs 2\0\(path)\0\(ztpolVersion)\0\(executable)\0\(options.compiler.identity)\0"
        text += options.zones.map { "\($0.utf8.count):\($0)" }.joined(separator: ",") + "\0"
        if options.zones.isEmpty {
            guard let interfaces else { return nil }
            text += interfaces.map(\.description).sorted().joined(separator: ",")
        }
        return Array(text.utf8)
    }

    /// Lowercase, two digits a byte.
    static func hexadecimal(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    init(digest: String, files: [String: String]) {
        self.digest = digest
        self.files = files
    }

    /// The inputs of a policy that loaded cleanly from bytes with `digest`.
    init(digest: String, policy: Policy) {
        self.digest = digest
        let named = policy.acme.map(\.trustRoot) + policy.trust.map(\.root)
        files = Dictionary(named.map { ($0, ApplyInputs.identity(of: $0) ?? "missing") },
                           uniquingKeysWith: { first, _ in first })
    }

    /// True when every file the policy names is as it was.
    var filesUnchanged: Bool { files.allSatisfy { ApplyInputs.identity(of: $0.key) ?? "missing" == $0.value } }

    /// Device, inode, size and modification time of `path`: a file that changed in place changes this.
    static func identity(of path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return "\(status.st_dev):\(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }
}
