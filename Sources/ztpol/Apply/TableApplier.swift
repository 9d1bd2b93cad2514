import Netlink
import Nftables
import RulesetCompiler

/// Brings the kernel's copy of ztpol's table to a desired state with the least the kernel must do:
/// nothing when it already matches, just the set elements when only they differ, else the whole
/// table replaced. Each is one atomic transaction.
struct TableApplier {
    let connection: NetlinkConnection

    enum Outcome {
        /// The live table already matched; nothing was sent.
        case unchanged
        /// Only set elements differed; this many intervals were added and deleted.
        case elements(added: Int, removed: Int)
        /// The table was created or replaced as a whole.
        case replaced(created: Bool)

        func summary(_ table: Table, milliseconds: Double) -> String {
            let time = String(format: "%.1f ms", milliseconds)
            let what = "table \(table.family.rawValue) \(table.name)"
            let size = "\(counted(table.chains.count, "chain")), \(counted(table.ruleCount, "rule")), "
                + "\(counted(table.elementCount, "set element"))"
            switch self {
            case .unchanged:
                return "unchanged \(what): \(size) already in the kernel; nothing committed (\(time))"
            case .elements(let added, let removed):
                return "updated \(what): \(added) set elements added, \(removed) removed; \(size) in \(time)"
            case .replaced(let created):
                return "applied \(what): \(size) in \(time)\(created ? " (created)" : "")"
            }
        }
    }

    /// A table given with `--table` that exists without ztpol's stamp belongs to someone else (Debian's own
    /// /etc/nftables.conf is `table inet filter`): replacing it as a whole would delete their rules. The
    /// default name is ztpol's by convention, so a table loaded there with `nft -f` from `ztpol compile`
    /// is still taken over.
    static func checkOwnership(_ live: LiveTable, name: String) throws {
        guard live.stamp == nil, name != CompilerOptions().tableName else { return }
        throw ForeignTableError(family: live.table.family.rawValue, name: name)
    }

    func apply(_ desired: Table) throws -> Outcome {
        // Fast path: a stamp with this table's fingerprint at the current generation proves nothing
        // changed since ztpol wrote it, without reading a single element back.
        if try connection.holds(desired, stamps: StampStore.load(table: desired.name)) { return .unchanged }
        let comparison = try LiveComparison(desired: desired, connection: connection)
        switch comparison.diff.action {
        case .none:
            return .unchanged
        case .elements:
            guard let live = comparison.live else { preconditionFailure("an element change needs a live table") }
            // The generation guard makes the kernel refuse the change if anyone committed since the read.
            let summary = try connection.applyElementChanges(from: live.table, to: desired, generation: live.generation)
            StampStore.save(summary.stamp, table: desired.name)
            return .elements(added: summary.added, removed: summary.removed)
        case .create, .replace, .delete:
            // `.delete` cannot occur: there is always a desired table.
            if let live = comparison.live { try TableApplier.checkOwnership(live, name: desired.name) }
            try connection.apply(desired)
            StampStore.save(nil, table: desired.name)
            return .replaced(created: comparison.live == nil)
        }
    }
}

/// Refusal to replace a table that ztpol did not write.
struct ForeignTableError: Error, CustomStringConvertible {
    let family: String
    let name: String
    var description: String {
        "table \(family) \(name) exists and was not written by ztpol (it carries no ztpol stamp): ztpol replaces "
            + "its table as a whole and will not take over another one; choose another --table, or remove that "
            + "table first if nothing needs it (nft delete table \(family) \(name)); nothing was changed"
    }
}
