import Foundation
import Netlink

/// `ztpol rollback`: put back the table an interrupted `bootstrap` replaced, if a rollback is still armed.
enum RollbackCommand: Command {
    static let name = "rollback"
    static let summary = "restore the firewall an unfinished bootstrap changed (armed rollback)"
    static let help = """
        usage: ztpol rollback [--state-dir DIR] [--table NAME] [--netns NAME] [--at-deadline]

        'ztpol bootstrap' saves ztpol's table before it changes it and arms a rollback: a watchdog
        process that restores the saved table at a deadline unless the run finishes. This command
        restores it now (or, with --at-deadline, waits for the deadline first: that is the watchdog).
        With nothing armed it does nothing and exits 0.

        options:
          --state-dir DIR    where bootstrap keeps its state (default: /var/lib/ztpol)
          --table NAME       ztpol's table (default: ztpol)
          --netns NAME       act inside the network namespace NAME
          --at-deadline      sleep until the armed deadline, then restore if still armed
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let stateDirectory = try arguments.option("--state-dir") ?? "/var/lib/ztpol"
        let table = try TableName.read(&arguments) ?? "ztpol"
        let namespace = try NamespaceOption.read(&arguments)
        let waits = arguments.flag("--at-deadline")
        _ = try arguments.positionals(exactly: [])
        guard var armed = try RollbackGuard.load(stateDirectory: stateDirectory, table: table) else {
            console.out("no rollback armed for table \(table) in \(stateDirectory)")
            return .success
        }
        if waits {
            let wait = armed.saved.deadline - Date().timeIntervalSince1970
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            // The run may have finished (disarmed) or rolled back by itself while we slept.
            guard let still = try RollbackGuard.load(stateDirectory: stateDirectory, table: table) else {
                return .success
            }
            // A later run re-armed it (keeping the saved table) and started its own watchdog.
            guard still.isOwnedByThisProcess else {
                console.out("the rollback of table \(table) was re-armed by a later run; its watchdog restores it")
                return .success
            }
            armed = still
        }
        let connection = try NetlinkConnection(namespace: namespace)
        console.out(try armed.restore(using: connection))
        return .success
    }
}
