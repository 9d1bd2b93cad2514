import Foundation
import Netlink

/// Where apply keeps the stamp of its last element-only change. The kernel cannot update the stamp in
/// the table's own user data without replacing the table, so the stamp that proves "the kernel holds
/// exactly this" after such a change lives here, in /run (gone at reboot, as the ruleset generation
/// it names is). Keyed by the network namespace's inode: generations are per namespace.
enum StampStore {
    static let folder = "/run/ztpol/stamps"

    private static func file(table: String) -> String? {
        var status = stat()
        guard stat("/proc/self/ns/net", &status) == 0 else { return nil }
        return "\(folder)/netns-\(status.st_ino)-\(table)"
    }

    /// The kept stamp for `table` in this namespace; empty when there is none or it cannot be read.
    static func load(table: String) -> [TableStamp] {
        guard let file = file(table: table), let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            return []
        }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let fingerprint = UInt64(parts[0]), let generation = UInt32(parts[1]) else { return [] }
        return [TableStamp(fingerprint: fingerprint, generation: generation)]
    }

    /// Keeps `stamp` (nil forgets it). Failing to keep it only costs the next no-op a full read-back.
    static func save(_ stamp: TableStamp?, table: String) {
        guard let file = file(table: table) else { return }
        guard let stamp else {
            try? FileManager.default.removeItem(atPath: file)
            return
        }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        try? "\(stamp.fingerprint) \(stamp.generation)".write(toFile: file, atomically: true, encoding: .utf8)
    }
}
