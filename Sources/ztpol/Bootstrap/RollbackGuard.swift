import Foundation
import Netlink
import Nftables

/// An armed rollback of ztpol's table: the table as it was before a run changed it, saved to the state
/// directory, and a detached watchdog that puts it back at a deadline unless the run disarms it first.
///
/// The run itself rolls back at once when a later step fails; the watchdog is for the run that never
/// gets that far (killed, hung, the machine's operator cut off by the new rules).
struct RollbackGuard {
    /// What is saved: enough for another process to restore the table.
    struct Saved: Codable {
        var family: TableFamily
        var name: String
        /// The table before the run; nil when there was none (the rollback deletes the table).
        var previous: Table?
        /// Seconds since 1970 after which the watchdog restores.
        var deadline: Double
        var watchdog: Int32?
    }

    let file: URL
    private(set) var saved: Saved

    /// Where the armed rollback of table `name` lives under the state directory.
    static func file(stateDirectory: String, table name: String) -> URL {
        URL(fileURLWithPath: stateDirectory).appendingPathComponent("rollback").appendingPathComponent("\(name).json")
    }

    /// Saves `previous` and starts the watchdog, which restores it after `seconds` unless disarmed.
    static func arm(previous: Table?, family: TableFamily, name: String, stateDirectory: String,
                    seconds: Int, namespace: String?) throws -> RollbackGuard {
        let file = file(stateDirectory: stateDirectory, table: name)
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var guardian = RollbackGuard(file: file, saved: Saved(
            family: family, name: name, previous: previous,
            deadline: Date().timeIntervalSince1970 + Double(seconds), watchdog: nil))
        try guardian.write()
        var arguments = ["rollback", "--state-dir", stateDirectory, "--table", name, "--at-deadline"]
        if let namespace { arguments += ["--netns", namespace] }
        guardian.saved.watchdog = try DetachedProcess.spawnSelf(
            arguments, log: folder.appendingPathComponent("watchdog.log").path)
        try guardian.write()
        return guardian
    }

    /// Reads an armed rollback, or nil when none is armed for this table.
    static func load(stateDirectory: String, table name: String) throws -> RollbackGuard? {
        let file = file(stateDirectory: stateDirectory, table: name)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return RollbackGuard(file: file, saved: try JSONDecoder().decode(Saved.self, from: data))
    }

    /// The run went well: the watchdog stands down and the saved table is forgotten.
    func disarm() {
        try? FileManager.default.removeItem(at: file)
        stopWatchdog()
    }

    /// Puts the saved table back (or deletes the table when there was none before), then disarms.
    /// Returns what was done, for the run's message.
    @discardableResult
    func restore(using connection: NetlinkConnection) throws -> String {
        let what: String
        if let previous = saved.previous {
            try connection.apply(previous)
            what = "restored table \(saved.family.rawValue) \(saved.name) as it was before the run"
        } else {
            try connection.remove(family: saved.family, name: saved.name)
            what = "removed table \(saved.family.rawValue) \(saved.name), which did not exist before the run"
        }
        disarm()
        return what
    }

    private func stopWatchdog() {
        // Never signal ourselves: the watchdog itself calls restore.
        if let pid = saved.watchdog, pid != getpid() { kill(pid, SIGTERM) }
    }

    /// Writes the saved state atomically, readable by root alone.
    private func write() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(saved)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data,
                                             attributes: [.posixPermissions: 0o600]) else {
            throw HostError.systemCall("create \(temporary.path)", errno: errno)
        }
        guard rename(temporary.path, file.path) == 0 else { throw HostError.systemCall("rename", errno: errno) }
    }
}
