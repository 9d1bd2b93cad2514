import Foundation

/// Parsed zones kept one file per statement, named by its key, in a folder only root can read: a load
/// reads only the statements it meets, and a load that read a statement anew writes only that one.
/// Whatever stands in the way (no file, an unreadable one, one another build wrote, a damaged one)
/// only means the statement is parsed again; failing to save only costs the next load a parse.
public struct ParsedZoneFolder: Sendable {
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
    public func zone(for text: UnsafeBufferPointer<UInt8>, key: UInt64) -> KeptZone? {
        ParsedZoneFolder.contents(file(key), atMost: ParsedZone.largestEncoding(of: text.count, identity: identity)) {
            ParsedZone.kept(in: $0, identity: identity, matching: text)
        }
    }

    /// Keeps `learned` and marks the zones of `used` (keys) as used now; then, beyond twice as many files
    /// as this load needed, drops the least recently used: an edited statement's previous version stays
    /// a while, so that going back to it finds it.
    public func save(learned: [ParsedZone], used: [UInt64]) {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        for zone in learned { CacheFile.write(zone.encoded(identity: identity), to: file(zone.key)) }
        for key in used { utimensat(AT_FDCWD, file(key), nil, 0) }
        prune(keeping: max(ParsedZoneFolder.minimumKept, 2 * (learned.count + used.count)))
    }

    func file(_ key: UInt64) -> String {
        let hex = String(key, radix: 16)
        return "\(path)/\(String(repeating: "0", count: 16 - hex.count))\(hex).zone"
    }

    private func prune(keeping limit: Int) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        // A write cut short by a killed process leaves its temporary file; nobody writes one for an hour.
        for name in names where name.hasSuffix(".tmp") {
            var status = stat()
            let file = "\(path)/\(name)"
            if stat(file, &status) == 0, time(nil) - status.st_mtim.tv_sec > 3600 { unlink(file) }
        }
        let files = names.filter { $0.hasSuffix(".zone") }.map { "\(path)/\($0)" }
        guard files.count > limit else { return }
        let modified = Dictionary(files.map { file in
            var status = stat()
            guard stat(file, &status) == 0 else { return (file, 0.0) }
            return (file, Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
        }, uniquingKeysWith: { first, _ in first })
        for file in files.sorted(by: { modified[$0]! < modified[$1]! }).dropLast(limit) { unlink(file) }
    }

    /// `body` over a private copy of the whole file. Only a regular file of this user's that no one else
    /// may write: what it says becomes part of the firewall.
    ///
    /// Read, not mapped: a mapped file that shrinks while it is read (`truncate`, or anything of root's
    /// that rewrites it in place) kills the process with SIGBUS, and bytes that change under a mapping
    /// after their checksum was taken would be decoded unchecked. A copy is checked and decoded as one
    /// snapshot, and is faster too: reading 80 kept files of a 100k-prefix policy took 1.0 ms, mapping
    /// them 2.3 ms, most of it page faults.
    /// A file of more than `limit` bytes is not read: it cannot be the one looked for, and a huge one (a
    /// sparse file claims any size) would take that much memory.
    static func contents<Result>(_ path: String, atMost limit: Int = .max,
                                 _ body: (UnsafeRawBufferPointer) -> Result?) -> Result? {
        // O_NONBLOCK: opening a named pipe to read would otherwise wait for a writer that never comes.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0,
              status.st_size <= limit, status.st_uid == geteuid(), status.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            return nil
        }
        // One byte more than the size: a file that grew since `fstat` fills it and is passed over, as is one
        // that shrank.
        let size = Int(status.st_size)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 1, alignment: 16)
        defer { buffer.deallocate() }
        var count = 0
        while count < buffer.count {
            let got = read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            count += got
        }
        guard count == size else { return nil }
        return body(UnsafeRawBufferPointer(rebasing: buffer[..<size]))
    }
}
