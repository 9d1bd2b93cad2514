import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How much a log line matters. Library code logs at `info` or below; the command line decides what to show.
public enum TrustLogLevel: Int, Comparable, Sendable {
    case debug
    case info

    public static func < (lhs: TrustLogLevel, rhs: TrustLogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where the library's log lines go. It never prints by itself.
public typealias TrustLogger = @Sendable (TrustLogLevel, String) -> Void

/// Installs private roots into the trust stores of one system (this host, or a container image or chroot
/// tree), keeping a journal so that every change can be undone byte for byte.
///
/// ```swift
/// let installer = TrustInstaller(rootDirectory: "/", log: { level, line in print(line) })
/// let root = try PrivateRoot(contents: bytes, source: "ra-root.pem")
/// try installer.install(root: root, name: "ra-root", stores: [.system, .python, .env], pythons: [])
/// ```
public struct TrustInstaller: Sendable {
    /// The directory holding the system to change, `/` for this host.
    public let rootDirectory: String
    /// The host directory of the journal. Inside the root by default, so it travels with an image.
    public let stateDirectory: String
    let filesystem: RootFilesystem
    let log: TrustLogger

    /// The journal's default place, as a path inside the root.
    public static let defaultStatePath = "/var/lib/ztpol/trust"

    /// - Parameters:
    ///   - rootDirectory: `/`, or the directory of a container image or chroot tree.
    ///   - stateDirectory: where the journal lives on the host; `ROOT/var/lib/ztpol/trust` when nil.
    ///   - log: receives progress lines.
    public init(rootDirectory: String = "/", stateDirectory: String? = nil, log: @escaping TrustLogger) {
        filesystem = RootFilesystem(root: rootDirectory)
        self.rootDirectory = filesystem.root
        self.stateDirectory = stateDirectory ?? filesystem.hostPath(Self.defaultStatePath)
        self.log = log
    }

    var journalPath: String { stateDirectory + "/journal.json" }

    /// Reads the journal; an empty one when there is none yet.
    func loadJournal() throws(TrustError) -> Journal {
        guard FileManager.default.fileExists(atPath: journalPath) else { return Journal() }
        guard let data = FileManager.default.contents(atPath: journalPath) else {
            throw TrustError(.fileSystem, "cannot read \(journalPath)")
        }
        return try Journal.decode(data, source: journalPath)
    }

    /// Writes the journal atomically, or deletes it (and the state directory, if empty) when nothing is left.
    func saveJournal(_ journal: Journal) throws(TrustError) {
        let host = RootFilesystem(root: "/")
        if journal.installations.isEmpty && journal.records.isEmpty {
            try host.apply(.absent, at: journalPath)
            try? host.apply(.absent, at: lockPath)
            for directory in journal.createdStateDirectories ?? [stateDirectory] { rmdir(directory) }
            return
        }
        try host.apply(.file(contents: journal.encoded(), mode: 0o600), at: journalPath)
    }

    var lockPath: String { stateDirectory + "/lock" }

    /// `path` and those of its ancestors that do not exist, deepest first.
    static func missingDirectories(_ path: String) -> [String] {
        var missing: [String] = []
        var directory = path
        while directory != "/" && !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            missing.append(directory)
            directory = (directory as NSString).deletingLastPathComponent
        }
        return missing
    }

    /// Runs `body` holding an exclusive lock on the state directory, so two runs cannot interleave. `body` is
    /// told which directories were created for the state directory (deepest first).
    /// A state directory this call creates is removed again if `body` fails, so a refusal leaves no trace.
    func withLock<Result>(_ body: (_ createdDirectories: [String]) throws(TrustError) -> Result)
        throws(TrustError) -> Result
    {
        let missing = Self.missingDirectories(stateDirectory)
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw TrustError(.fileSystem,
                             "cannot create state directory \(stateDirectory): \(error.localizedDescription)")
        }
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RootFilesystem.failure("open", lockPath) }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw RootFilesystem.failure("flock", lockPath) }
        do {
            return try body(missing)
        } catch {
            if !missing.isEmpty && !FileManager.default.fileExists(atPath: journalPath) {
                unlink(lockPath)
                missing.forEach { rmdir($0) }
            }
            throw error
        }
    }

    /// The distribution family of the root, from `/etc/os-release` (or `/usr/lib/os-release`).
    public func distributionFamily() throws(TrustError) -> DistributionFamily {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            if let data = filesystem.contentsFollowingLinks(path) {
                let text = String(decoding: data, as: UTF8.self)
                return try DistributionFamily.detect(OSRelease(text: text), source: filesystem.hostPath(path))
            }
        }
        throw TrustError(.missingOSRelease, "\(filesystem.hostPath("/etc/os-release")) not found (nor "
            + "/usr/lib/os-release): cannot tell which distribution \(rootDirectory) is")
    }

    /// A name for a root that has none given: its common name, made safe for a file name.
    public static func defaultName(for root: PrivateRoot) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        var name = String((root.commonName ?? "").lowercased().map { allowed.contains($0) ? $0 : "-" })
        while name.contains("--") { name = name.replacingOccurrences(of: "--", with: "-") }
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "-._"))
        if name.isEmpty { name = "root-" + root.fingerprint.prefix(12) }
        return "ztpol-" + name.prefix(50)
    }

    /// Checks that `name` can be a file name in every anchors directory.
    static func validate(name: String) throws(TrustError) {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy(allowed.contains), name.first != ".",
            name.first != "-"
        else {
            throw TrustError(.invalidName, "name '\(name)' is not usable as a file name: expected 1 to 64 letters, "
                + "digits, '-', '_' or '.', not starting with '.' or '-'")
        }
    }
}
