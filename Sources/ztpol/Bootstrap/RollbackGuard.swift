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
    /// True when an earlier run was still armed (killed before it finished): its saved table, the last one
    /// a run confirmed, is kept rather than the table that run left half-way in the kernel.
    private(set) var keptEarlierRun = false

    /// Where the armed rollback of table `name` lives under the state directory.
    static func file(stateDirectory: String, table name: String) -> URL {
        URL(fileURLWithPath: stateDirectory).appendingPathComponent("rollback").appendingPathComponent("\(name).json")
    }

    /// Saves `previous` and starts the watchdog, which restores it after `seconds` unless disarmed.
    ///
    /// When an earlier run is still armed (it was killed, and its watchdog has not fired yet), the live
    /// table is that run's unconfirmed one: the earlier saved table is kept, and its watchdog stopped. A
    /// stale arming (deadline passed, watchdog gone: its restore failed long ago) is not pending any more
    /// and is replaced, or a table from long ago would come back.
    static func arm(previous: Table?, family: TableFamily, name: String, stateDirectory: String,
                    seconds: Int, namespace: String?) throws -> RollbackGuard {
        let file = file(stateDirectory: stateDirectory, table: name)
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let earlier = try load(stateDirectory: stateDirectory, table: name).flatMap { $0.isPending ? $0 : nil }
        earlier?.stopWatchdog()
        var guardian = RollbackGuard(file: file, saved: Saved(
            family: family, name: name, previous: earlier.map(\.saved.previous) ?? previous,
            deadline: Date().timeIntervalSince1970 + Double(seconds), watchdog: nil))
        guardian.keptEarlierRun = earlier != nil
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

    /// Whether this arming can still restore: its deadline is ahead, or its watchdog still runs.
    var isPending: Bool {
        saved.deadline > Date().timeIntervalSince1970
            || saved.watchdog.map { RollbackGuard.isWatchdog($0, table: saved.name) } == true
    }

    /// True when this process is the watchdog armed with this rollback, or when no watchdog was recorded
    /// (the run died between starting it and writing its id): a watchdog restores only its own arming.
    var isOwnedByThisProcess: Bool { saved.watchdog.map { $0 == getpid() } ?? true }

    private func stopWatchdog() {
        // Never signal ourselves: the watchdog itself calls restore. The id may be stale (the watchdog
        // died, the machine rebooted): signal it only while it is still this table's watchdog.
        if let pid = saved.watchdog, pid != getpid(), RollbackGuard.isWatchdog(pid, table: saved.name) {
            kill(pid, SIGTERM)
        }
    }

    /// Whether process `pid` runs this program as `rollback --table NAME --at-deadline`.
    static func isWatchdog(_ pid: pid_t, table name: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
              let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              let theirs = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"),
              own == theirs else { return false }
        let words = data.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard words.count > 1, words[1] == "rollback", words.contains("--at-deadline"),
              let table = words.firstIndex(of: "--table"), table + 1 < words.count else { return false }
        return words[table + 1] == name
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
