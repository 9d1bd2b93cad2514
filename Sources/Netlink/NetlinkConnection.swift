import Nftables
import NetworkAddresses

/// A table as the kernel holds it, with what identifies this state of it.
public struct LiveTable: Sendable, Hashable {
    public var table: Table
    /// The kernel's handle of the table: a replaced table gets a new one.
    public var handle: UInt64
    /// The ruleset generation the table was read at; every commit moves it on.
    public var generation: UInt32
    /// What ztpol wrote with the table when it applied it (nil for a table it did not write).
    public var stamp: TableStamp?
    /// The kernel's handle of each rule, by chain, in the order of `table`'s rules: a rule is replaced in
    /// place by its handle.
    public var ruleHandles: [String: [UInt64]] = [:]

    public init(table: Table, handle: UInt64, generation: UInt32, stamp: TableStamp?,
                ruleHandles: [String: [UInt64]] = [:]) {
        self.table = table
        self.handle = handle
        self.generation = generation
        self.stamp = stamp
        self.ruleHandles = ruleHandles
    }
}

/// What an element-only change did.
public struct ElementChangeSummary: Sendable, Hashable {
    /// Intervals added and deleted, over all sets.
    public var added: Int
    public var removed: Int
    /// The transaction; nil when there was nothing to change and nothing was sent.
    public var batch: BatchSummary?
    /// The desired table's fingerprint and the generation the change created (or found, when
    /// nothing was sent). The kernel cannot update the stamp in the table's user data, so a caller
    /// that wants the next no-op recognised cheaply keeps this one and passes it to `holds`.
    public var stamp: TableStamp
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

    /// The socket's file descriptor, for handing its last close to another process (see
    /// `releaseAfterExit` in the command line); reading or writing it bypasses this connection.
    public var socketDescriptor: Int32 { socket.fd }

    /// The ruleset's generation: it moves on with every commit to any table, so an unchanged value
    /// proves that nothing was committed in between.
    public func generation() throws(NetlinkError) -> UInt32 { try socket.generation() }

    /// Replaces `table` as a whole, creating it if absent, in one transaction: the kernel applies all
    /// of it or, refusing any part, none, and leaves the previous table as it was. The table carries
    /// a `TableStamp`, so that `holds` can later recognise it without reading it back.
    ///
    /// - Parameter fingerprint: `table.fingerprint`, when the caller has it already (it digests every element).
    /// - Parameter generation: the generation the table it replaces was read (and judged) at: the kernel then
    ///   refuses the batch with `.rulesetChanged` if anything was committed since, where without it the
    ///   batch is sent again at each new generation, over whatever table is there by then.
    /// - Throws: `.invalidTable` before sending anything; `.rejected` naming the refused object.
    @discardableResult
    public func apply(_ table: Table, fingerprint: UInt64? = nil, generation: UInt32? = nil)
        throws(NetlinkError) -> BatchSummary {
        try write(table, fingerprint: fingerprint, replacing: true, generation: generation)
    }

    /// Creates `table` where the kernel has no table of that name: the same transaction as `apply`
    /// without deleting a table first. A deletion makes closing the socket wait for the kernel to free
    /// what it deleted (an RCU grace period, up to 20 ms); a creation leaves nothing to free. When a
    /// table of that name exists after all, the kernel refuses the whole batch with `EEXIST`.
    public func create(_ table: Table, fingerprint: UInt64? = nil) throws(NetlinkError) -> BatchSummary {
        try write(table, fingerprint: fingerprint, replacing: false)
    }

    private func write(_ table: Table, fingerprint: UInt64?, replacing: Bool, generation read: UInt32? = nil)
        throws(NetlinkError) -> BatchSummary {
        let problems = table.problems()
        guard problems.isEmpty else { throw NetlinkError(.invalidTable, problems: problems) }
        let fingerprint = fingerprint ?? table.fingerprint
        return try withCurrentGeneration(read) { (generation) throws(NetlinkError) in
            let stamp = TableStamp(fingerprint: fingerprint, generation: TableStamp.generation(after: generation))
            let batch = try BatchBuilder(family: table.family, tableName: table.name, generation: generation,
                                         sequence: socket.nextSequence)
            if replacing { try batch.replaceTable(stamp: stamp) } else { try batch.createTable(stamp: stamp) }
            for set in table.sets { try batch.addSet(set) }
            for chain in table.chains { try batch.addChain(chain) }
            for chain in table.chains {
                for (index, rule) in chain.rules.enumerated() {
                    try batch.addRule(rule, number: index + 1, chain: chain.name)
                }
            }
            try batch.finish()
            return try Transaction.run(batch, on: socket)
        }
    }

    /// Runs `body` with the current generation; when another commit gets in between (the kernel
    /// refuses a batch for a past generation), tries again with the new one. With `fixed`, runs `body`
    /// once with that generation.
    private func withCurrentGeneration<Result>(_ fixed: UInt32? = nil, _ body: (UInt32) throws(NetlinkError) -> Result)
        throws(NetlinkError) -> Result {
        if let fixed { return try body(fixed) }
        var attempts = 0
        while true {
            attempts += 1
            do throws(NetlinkError) {
                return try body(try socket.generation())
            } catch where error.code == .rulesetChanged && attempts < 5 {
                continue
            }
        }
    }

    /// True when the kernel certainly holds `table` exactly, found with two small requests and without
    /// reading the table: a stamp (the one in the kernel's table, or one of `stamps` kept from
    /// element-only changes) has `table`'s fingerprint and the current generation, so nothing was
    /// committed since that table was written. False means "not known": read it back and compare.
    public func holds(_ table: Table, stamps: [TableStamp] = []) throws(NetlinkError) -> Bool {
        try generation(holding: table.fingerprint, family: table.family, name: table.name, stamps: stamps) != nil
    }

    /// The current generation when the kernel certainly holds the table with `fingerprint` (see
    /// `holds`), else nil. For a caller that knows a table only by its fingerprint.
    public func generation(holding fingerprint: UInt64, family: TableFamily = .inet, name: String,
                           stamps: [TableStamp] = []) throws(NetlinkError) -> UInt32? {
        guard let header = try TableReader(socket: socket, family: family, name: name).header() else { return nil }
        let current = try socket.generation()
        let candidates = stamps + [header.stamp].compactMap { $0 }
        return candidates.contains { $0.generation == current && $0.fingerprint == fingerprint } ? current : nil
    }

    /// Identifies the network namespace this connection talks to for as long as the system runs:
    /// unlike its inode number, the kernel never gives a namespace's cookie to another one.
    public func namespaceCookie() throws(NetlinkError) -> UInt64 { try socket.namespaceCookie() }

    /// Deletes ztpol's table `name` in one transaction; a table that is already absent is not an error.
    public func remove(family: TableFamily = .inet, name: String) throws(NetlinkError) {
        try withCurrentGeneration { (generation) throws(NetlinkError) in
            let batch = try BatchBuilder(family: family, tableName: name, generation: generation,
                                         sequence: socket.nextSequence)
            try batch.deleteTable()
            try batch.finish()
            _ = try Transaction.run(batch, on: socket)
        }
    }

    /// The table `name` as the kernel holds it, or nil when there is none. The parts are read by
    /// separate dumps; when a commit lands in between, the read starts over.
    public func readBack(family: TableFamily = .inet, name: String) throws(NetlinkError) -> LiveTable? {
        let (read, generation) = try readAtOneGeneration(family: family, name: name) { (reader) throws(NetlinkError) in
            try reader.read()
        }
        return read.map {
            LiveTable(table: $0.table, handle: $0.handle, generation: generation, stamp: $0.stamp,
                      ruleHandles: $0.ruleHandles)
        }
    }

    /// What `read` reads of table `name` and the generation it was all read at: when a commit lands during
    /// the read, it starts over (at most five times).
    private func readAtOneGeneration<Value>(family: TableFamily, name: String,
                                            _ read: (TableReader) throws(NetlinkError) -> Value)
        throws(NetlinkError) -> (Value, UInt32) {
        var attempts = 0
        while true {
            attempts += 1
            let before = try socket.generation()
            do throws(NetlinkError) {
                let value = try read(TableReader(socket: socket, family: family, name: name))
                guard try socket.generation() == before else { throw NetlinkError(.rulesetChanged) }
                return (value, before)
            } catch where error.code == .rulesetChanged && attempts < 5 {
                continue
            }
        }
    }

    /// The elements of some sets of table `name`, as the kernel holds them, and the generation they
    /// were read at; when a commit lands during the read, it starts over. `sets` name interval sets of
    /// addresses the caller knows the table to have; the rest of the table is not read.
    public func readElements(of sets: [(name: String, family: IPFamily)], family: TableFamily = .inet,
                             table name: String)
        throws(NetlinkError) -> (sets: [String: [AddressRange]], generation: UInt32) {
        try readAtOneGeneration(family: family, name: name) { (reader) throws(NetlinkError) in
            try reader.readElements(of: sets)
        }
    }

    /// The comment and handle of every rule of table `name`, by chain in chain order, and the generation
    /// they were read at; when a commit lands during the read, it starts over. Nothing else is read: for a
    /// caller that knows the rest (see `applyCommentChanges`).
    public func readRuleComments(family: TableFamily = .inet, table name: String)
        throws(NetlinkError) -> (chains: [String: [(handle: UInt64, comment: String?)]], generation: UInt32) {
        try readAtOneGeneration(family: family, name: name) { (reader) throws(NetlinkError) in
            try reader.readRuleComments()
        }
    }

    /// Adds and deletes just the set elements in which `desired` differs from `live`, in one
    /// transaction. With `generation` (from `readBack`), the kernel refuses the change when anything
    /// was committed since, so a stale `live` cannot delete the wrong elements. Sends nothing when
    /// the elements are the same. `fingerprint` is `desired`'s, when the caller has it already.
    ///
    /// - Throws: `.notElementOnly` when the tables differ in anything but elements; `.invalidTable`, before
    ///   sending, when a changed set's elements are not sorted and disjoint ranges of its family;
    ///   `.rulesetChanged` when `generation` is no longer current.
    @discardableResult
    public func applyElementChanges(from live: Table, to desired: Table, generation: UInt32? = nil,
                                    fingerprint: UInt64? = nil) throws(NetlinkError) -> ElementChangeSummary {
        // Canonical forms only when the tables differ as given: each costs a copy of every rule.
        let (liveShape, desiredShape) = (live.withoutElements, desired.withoutElements)
        guard liveShape == desiredShape || liveShape.canonical == desiredShape.canonical else {
            throw NetlinkError(.notElementOnly, detail: "tables, sets, chains or rules differ")
        }
        return try sendChanges(from: live, to: desired, rules: [], generation: generation, fingerprint: fingerprint)
    }

    /// Like `applyElementChanges`, and besides replaces in place, by its handle, each rule of `live` that
    /// differs from `desired`'s rule at the same place in its comment alone (a flow that moved to another
    /// line), in the same transaction. `live` must come from `readBack`, for its rules' handles and
    /// generation. Rules that are the same keep their handles and counters.
    ///
    /// - Throws: `.notElementOnly` when the tables differ in anything but elements and rule comments, as
    ///   `applyElementChanges` does otherwise.
    @discardableResult
    public func applyCommentChanges(from live: LiveTable, to desired: Table, fingerprint: UInt64? = nil)
        throws(NetlinkError) -> (elements: ElementChangeSummary, rules: Int) {
        let differ = NetlinkError(.notElementOnly, detail: "tables, sets, chains or rules differ beyond comments")
        var (liveShape, desiredShape) = (live.table.withoutElements, desired.withoutElements)
        var rules: [RuleReplacement] = []
        guard liveShape.chains.map(\.name) == desiredShape.chains.map(\.name) else { throw differ }
        for (index, chain) in desiredShape.chains.enumerated() {
            let before = liveShape.chains[index].rules
            // A chain without rules has no entry.
            let handles = live.ruleHandles[chain.name] ?? []
            guard before.count == chain.rules.count, handles.count == before.count else { throw differ }
            for (number, (old, new)) in zip(before, chain.rules).enumerated() where old.comment != new.comment {
                rules.append(RuleReplacement(rule: new, number: number + 1, chain: chain.name, handle: handles[number]))
            }
        }
        // With every comment the desired one, nothing else may differ.
        for (index, chain) in desiredShape.chains.enumerated() {
            for (number, rule) in chain.rules.enumerated() {
                liveShape.chains[index].rules[number].comment = rule.comment
            }
        }
        guard liveShape == desiredShape || liveShape.canonical == desiredShape.canonical else { throw differ }
        let summary = try sendChanges(from: live.table, to: desired, rules: rules, generation: live.generation,
                                      fingerprint: fingerprint)
        return (summary, rules.count)
    }

    /// A rule that takes the place of the live rule of `handle`.
    private struct RuleReplacement {
        let rule: Rule
        let number: Int
        let chain: String
        let handle: UInt64
    }

    /// One transaction: the element changes from `live` to `desired` (whose shapes the caller has compared),
    /// and `rules` replaced in place.
    private func sendChanges(from live: Table, to desired: Table, rules: [RuleReplacement], generation: UInt32?,
                             fingerprint: UInt64?) throws(NetlinkError) -> ElementChangeSummary {
        var changes: [(set: NamedSet, added: [AddressRange], removed: [AddressRange])] = []
        for (before, after) in zip(live.sets, desired.sets) where before.elements != after.elements {
            let (added, removed) = Table.difference(from: before.elements, to: after.elements)
            changes.append((after, added, removed))
        }
        // Everything else is the live table's, which the kernel took: the names, the rules (checked again
        // they cost 0.6 ms of a 30 ms change) and the other sets' elements.
        let problems = changes.flatMap { Table.elementProblems($0.set) }
        guard problems.isEmpty else { throw NetlinkError(.invalidTable, problems: problems) }
        let added = changes.reduce(0) { $0 + $1.added.count }, removed = changes.reduce(0) { $0 + $1.removed.count }
        let generation = if let generation { generation } else { try socket.generation() }
        let fingerprint = fingerprint ?? desired.fingerprint
        guard !changes.isEmpty || !rules.isEmpty else {
            let stamp = TableStamp(fingerprint: fingerprint, generation: generation)
            return ElementChangeSummary(added: 0, removed: 0, batch: nil, stamp: stamp)
        }

        let batch = try BatchBuilder(family: desired.family, tableName: desired.name, generation: generation,
                                     sequence: socket.nextSequence)
        // Deletions first, so that an interval that changes shape is free to be added back.
        for change in changes where !change.removed.isEmpty {
            try batch.addAddressIntervals(change.removed, family: change.set.family, leadingZero: false,
                                          to: change.set.name, delete: true)
        }
        for change in changes where !change.added.isEmpty {
            try batch.addAddressIntervals(change.added, family: change.set.family, leadingZero: false,
                                          to: change.set.name)
        }
        for replacement in rules {
            try batch.addRule(replacement.rule, number: replacement.number, chain: replacement.chain,
                              replacing: replacement.handle)
        }
        try batch.finish()
        let summary = try Transaction.run(batch, on: socket)
        return ElementChangeSummary(added: added, removed: removed, batch: summary,
                                    stamp: TableStamp(fingerprint: fingerprint, generation: summary.generation))
    }
}

extension Table {
    /// The intervals only in `new` and those only in `old`, by one merge of the two sorted lists
    /// (sorted first if they are not: `old` may come from anywhere).
    static func difference(from old: [AddressRange], to new: [AddressRange])
        -> (added: [AddressRange], removed: [AddressRange]) {
        let isSorted = { (list: [AddressRange]) in zip(list, list.dropFirst()).allSatisfy { $0 < $1 } }
        let old = isSorted(old) ? old : old.sorted(), new = isSorted(new) ? new : new.sorted()
        var added: [AddressRange] = [], removed: [AddressRange] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && old[i] < new[j]) {
                removed.append(old[i])
                i += 1
            } else if i == old.count || new[j] < old[i] {
                added.append(new[j])
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        return (added, removed)
    }

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
