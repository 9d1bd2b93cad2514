import Netlink
import Nftables

/// The kernel's copy of ztpol's table beside the table the policy wants, compared once. `apply` acts
/// on this comparison and `diff` reports it, so what `diff` promises is what `apply` does.
struct LiveComparison {
    /// The table as read back by netlink dumps; nil when the kernel has none.
    let live: LiveTable?
    let desired: Table
    let diff: TableDiff

    /// Reads the live table (never by running nft) and compares both in their canonical form.
    init(desired: Table, connection: NetlinkConnection) throws {
        live = try connection.readBack(family: desired.family, name: desired.name)
        self.desired = desired
        diff = TableDiff(from: live?.table.canonical, to: desired.canonical)
    }
}
