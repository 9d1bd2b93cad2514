import Foundation

/// Parsed zones kept one file per statement, named by its key, in a folder only root can read: a load
/// reads only the statements it meets, and a load that read a statement anew writes only that one.
/// Whatever stands in the way (no file, an unreadable one, one another build wrote, a damaged one)
/// only means the statement is parsed again; failing to save only costs the next load a parse.
public struct ParsedZoneFolder {
    public let path: String
    /// Who may use the files: the program that wrote them (see `ParsedZone.encoded(identity:)`).
    public let identity: String
    /// Files beyond this many, and beyond twice what the last saving load used, go, oldest first.
    static let minimumKept = 64

    public init(path: String, identity: String) {
        self.path = path
        self.identity = identity
    }

    /// The zone kept for exactly `text`, whose key is `key`.
    public func zone(for text: UnsafeBufferPointer<UInt8>, key: UInt64) -> ParsedZone? {
        guard let data = ParsedZoneFolder.read(file(key)), let zone = ParsedZone(encoded: data, identity: identity),
              zone.matches(text) else { return nil }
        return zone
    }

    /// Keeps `learned` and marks the zones of `used` (keys) as used now; then, beyond twice as many files
    /// as this load needed, drops the least recently used: an edited statement's previous version stays
    /// a while, so that going back to it finds it.
    public func save(learned: [ParsedZone], used: [UInt64]) {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        for zone in learned {
            try? Data(zone.encoded(identity: identity)).write(to: URL(fileURLWithPath: file(zone.key)),
                                                              options: .atomic)
        }
        for key in used { utimensat(AT_FDCWD, file(key), nil, 0) }
        prune(keeping: max(ParsedZoneFolder.minimumKept, 2 * (learned.count + used.count)))
    }

    func file(_ key: UInt64) -> String {
        let hex = String(key, radix: 16)
        return "\(path)/\(String(repeating: "0", count: 16 - hex.count))\(hex).zone"
    }

    private func prune(keeping limit: Int) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        let files = names.filter { $0.hasSuffix(".zone") }.map { "\(path)/\($0)" }
        guard files.count > limit else { return }
        let modified = Dictionary(files.map { file in
            var status = stat()
            guard stat(file, &status) == 0 else { return (file, 0.0) }
            return (file, Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
        }, uniquingKeysWith: { first, _ in first })
        for file in files.sorted(by: { modified[$0]! < modified[$1]! }).dropLast(limit) { unlink(file) }
    }

    /// The whole file in one buffer, read straight into it (through `Data` it was copied twice). Only a
    /// regular file of this user's that no one else may write: what it says becomes part of the firewall.
    static func read(_ path: String) -> [UInt8]? {
        // O_NONBLOCK: opening a named pipe to read would otherwise wait for a writer that never comes.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0,
              status.st_uid == geteuid(), status.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            return nil
        }
        let size = Int(status.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let got = Foundation.read(descriptor, buffer.baseAddress! + count, size - count)
                guard got > 0 else {
                    complete = false
                    break
                }
                count += got
            }
        }
        return complete ? bytes : nil
    }
}
