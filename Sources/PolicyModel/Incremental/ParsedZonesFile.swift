import Foundation

/// `ParsedZones` kept in one file. Whatever stands in the way — no file, an unreadable one, one another
/// build wrote, a damaged one — loads as nothing kept; failing to save only costs the next load a parse.
public struct ParsedZonesFile {
    public let path: String
    /// Who may use the file: the program that wrote it (see `ParsedZones.encoded(identity:)`).
    public let identity: String

    public init(path: String, identity: String) {
        self.path = path
        self.identity = identity
    }

    public func load() -> ParsedZones {
        guard let data = FileManager.default.contents(atPath: path) else { return ParsedZones() }
        return ParsedZones(encoded: [UInt8](data), identity: identity) ?? ParsedZones()
    }

    /// Replaces the file at once (a reader sees the old or the new one), in a folder only root can read.
    public func save(_ zones: ParsedZones) {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        try? Data(zones.encoded(identity: identity)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
