import Nftables
import NetworkAddresses

/// A table as the kernel holds it, with what identifies this state of it.
public struct LiveTable: Sendable, Hashable {
    public var table: Table
    /// The kernel's handle of the table: a replaced table gets a new one.
    public var handle: UInt64
    /// The ruleset generation the table was read at; every commit moves it on.
    public var generation: UInt32
}

/// What an element-only change did.
public struct ElementChangeSummary: Sendable, Hashable {
    /// Intervals added and deleted, over all sets.
    public var added: Int
    public var removed: Int
    /// The transaction; nil when there was nothing to change and nothing was sent.
    public var batch: BatchSummary?
}

/// ztpol's connection to nftables in the kernel: applies its table in one atomic transaction, reads it
/// back, and changes set elements alone. It only ever names the table it is given; other tables are
/// neither read nor written.
///
/// Not thread-safe: one connection serves one caller at a time.
public final class NetlinkConnection {
    private let socket: NetlinkSocket

    /// Connects to the current network namespace, or to `namespace` (a name under /run/netns, as
    /// `ip netns add` makes, or a path). Needs CAP_NET_ADMIN.
    public init(namespace: String? = nil) throws(NetlinkError) {
        socket = try NetlinkSocket(namespace: namespace)
    }

    /// The ruleset's generation: it moves on with every commit to any table, so an unchanged value
    /// proves that nothing was committed in between.
    public func generation() throws(NetlinkError) -> UInt32 { try socket.generation() }

    /// Replaces `table` as a whole, creating it if absent, in one transaction: the kernel applies all
    /// of it or, refusing any part, none, and leaves the previous table as it was.
    ///
    /// - Throws: `.invalidTable` before sending anything; `.rejected` naming the refused object.
    @discardableResult
    public func apply(_ table: Table) throws(NetlinkError) -> BatchSummary {
        let problems = table.problems()
        guard problems.isEmpty else { throw NetlinkError(.invalidTable, problems: problems) }
        let batch = try BatchBuilder(family: table.family, tableName: table.name, sequence: socket.nextSequence)
        try batch.replaceTable()
        for set in table.sets { try batch.addSet(set) }
        for chain in table.chains { try batch.addChain(chain) }
        for chain in table.chains {
            for (index, rule) in chain.rules.enumerated() { try batch.addRule(rule, number: index + 1, chain: chain.name) }
        }
        try batch.finish()
        return try Transaction.run(batch, on: socket)
    }

    /// Deletes ztpol's table `name` in one transaction; a table that is already absent is not an error.
    public func remove(family: TableFamily = .inet, name: String) throws(NetlinkError) {
        let batch = try BatchBuilder(family: family, tableName: name, sequence: socket.nextSequence)
        try batch.deleteTable()
        try batch.finish()
        try Transaction.run(batch, on: socket)
    }

    /// The table `name` as the kernel holds it, or nil when there is none. The parts are read by
    /// separate dumps; when a commit lands in between, the read starts over.
    public func readBack(family: TableFamily = .inet, name: String) throws(NetlinkError) -> LiveTable? {
        var attempts = 0
        while true {
            attempts += 1
            let before = try socket.generation()
            do throws(NetlinkError) {
                let read = try TableReader(socket: socket, family: family, name: name).read()
                guard try socket.generation() == before else { throw NetlinkError(.rulesetChanged) }
                return read.map { LiveTable(table: $0.table, handle: $0.handle, generation: before) }
            } catch where error.code == .rulesetChanged && attempts < 5 {
                continue
            }
        }
    }

    /// Adds and deletes just the set elements in which `desired` differs from `live`, in one
    /// transaction. With `generation` (from `readBack`), the kernel refuses the change when anything
    /// was committed since, so a stale `live` cannot delete the wrong elements. Sends nothing when
    /// the elements are the same.
    ///
    /// - Throws: `.notElementOnly` when the tables differ in anything but elements.
    @discardableResult
    public func applyElementChanges(from live: Table, to desired: Table,
                                    generation: UInt32? = nil) throws(NetlinkError) -> ElementChangeSummary {
        let problems = desired.problems()
        guard problems.isEmpty else { throw NetlinkError(.invalidTable, problems: problems) }
        guard live.canonical.withoutElements == desired.canonical.withoutElements else {
            throw NetlinkError(.notElementOnly, detail: "tables, sets, chains or rules differ")
        }
        var changes: [(set: NamedSet, added: [AddressRange], removed: [AddressRange])] = []
        for (before, after) in zip(live.sets, desired.sets) where before.elements != after.elements {
            let old = Set(before.elements), new = Set(after.elements)
            changes.append((after, after.elements.filter { !old.contains($0) }, before.elements.filter { !new.contains($0) }))
        }
        let added = changes.reduce(0) { $0 + $1.added.count }, removed = changes.reduce(0) { $0 + $1.removed.count }
        guard !changes.isEmpty else { return ElementChangeSummary(added: 0, removed: 0, batch: nil) }

        let batch = try BatchBuilder(family: desired.family, tableName: desired.name, generation: generation,
                                     sequence: socket.nextSequence)
        // Deletions first, so that an interval that changes shape is free to be added back.
        for change in changes where !change.removed.isEmpty {
            let elements = SetElement.intervals(change.removed, family: change.set.family, leadingZero: false)
            try batch.addElements(elements, keyWidth: change.set.family.bitWidth / 8, to: change.set.name, delete: true)
        }
        for change in changes where !change.added.isEmpty {
            let elements = SetElement.intervals(change.added, family: change.set.family, leadingZero: false)
            try batch.addElements(elements, keyWidth: change.set.family.bitWidth / 8, to: change.set.name)
        }
        try batch.finish()
        return ElementChangeSummary(added: added, removed: removed, batch: try Transaction.run(batch, on: socket))
    }
}

extension Table {
    /// The table with every set emptied: equal for two tables that differ only in elements.
    var withoutElements: Table {
        var copy = self
        copy.sets = sets.map { set in
            var set = set
            set.elements = []
            return set
        }
        return copy
    }
}
