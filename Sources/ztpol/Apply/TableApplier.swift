import Glibc
import Netlink
import NetworkAddresses
import Nftables
import RulesetCompiler

/// Brings the kernel's copy of ztpol's table to a desired state with the least the kernel must do:
/// nothing when it already matches, just the set elements when only they differ, else the whole
/// table replaced. Each is one atomic transaction.
///
/// What it did is remembered (`AppliedRecord`), so that the next run can prove a no-op, or find the
/// few sets an element change touches, without reading the whole table back: at 100k prefixes the
/// kernel takes about 0.2 s to dump the 99,105 elements of a 100k-prefix table.
struct TableApplier {
    let connection: NetlinkConnection
    /// What the table is compiled from, to remember with it (see `ApplyInputs`).
    var inputs: ApplyInputs?

    init(connection: NetlinkConnection, inputs: ApplyInputs? = nil) {
        self.connection = connection
        self.inputs = inputs
    }

    enum Outcome {
        /// The live table already matched; nothing was sent.
        case unchanged
        /// Only set elements differed, or those and rule comments: this many intervals were added and
        /// deleted, and this many rules replaced in place for their comments.
        case elements(added: Int, removed: Int, comments: Int = 0)
        /// The table was created or replaced as a whole.
        case replaced(created: Bool)

        func summary(_ table: Table, milliseconds: Double) -> String {
            summary(family: table.family, name: table.name, chains: table.chains.count, rules: table.ruleCount,
                    elements: table.elementCount, milliseconds: milliseconds)
        }

        /// - Parameter zones: the zones whose edit alone made the change, if known (`ZoneEdit`).
        func summary(family: TableFamily, name: String, chains: Int, rules: Int, elements: Int,
                     milliseconds: Double, zones: [String] = []) -> String {
            // Rounded by hand: String(format:) sets up Foundation's locale machinery, 0.7 ms of a 30 ms apply.
            let tenths = Int((milliseconds * 10).rounded())
            let time = "\(tenths / 10).\(tenths % 10) ms"
            let what = "table \(family.rawValue) \(name)"
            let size = "\(counted(chains, "chain")), \(counted(rules, "rule")), \(counted(elements, "set element"))"
            switch self {
            case .unchanged:
                return "unchanged \(what): \(size) already in the kernel; nothing committed (\(time))"
            case .elements(let added, let removed, let comments):
                let zoneList = zones.joined(separator: ", ")
                let edited = zones.isEmpty ? "" : " in zone\(zones.count == 1 ? "" : "s") \(zoneList)"
                let rewritten = comments == 0 ? "" : ", \(counted(comments, "rule comment")) rewritten"
                return "updated \(what): \(counted(added, "set element")) added, \(removed) removed"
                    + "\(edited)\(rewritten); \(size) in \(time)"
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

    /// - Parameter shape: gives `desired.shapeFingerprint`, when the caller has it computed elsewhere; asked
    ///   for once the sets' elements are digested. `commentless` likewise gives its `commentlessShapeFingerprint`.
    func apply(_ desired: Table, shape: (() -> UInt64)? = nil, commentless: (() -> UInt64)? = nil) throws -> Outcome {
        try applyRemembering(desired, shape: shape, commentless: commentless).outcome
    }

    /// Where the table's record is kept, and the record read from there, for a caller that has read it.
    struct Kept {
        var store: AppliedRecordStore
        var record: AppliedRecord?
    }

    /// `apply`, with the record it kept (nil on kernels where nothing is kept).
    /// - Parameter kept: the record store and what it held, when the caller read it already.
    func applyRemembering(_ desired: Table, shape: (() -> UInt64)? = nil, commentless: (() -> UInt64)? = nil,
                          kept: Kept? = nil) throws -> (outcome: Outcome, record: AppliedRecord?) {
        let kept = kept ?? AppliedRecordStore(connection: connection, family: desired.family, table: desired.name)
            .map { Kept(store: $0, record: $0.load()) }
        let (outcome, record) = try apply(desired, shape: shape ?? { desired.shapeFingerprint },
                                          commentless: commentless ?? { desired.commentlessShapeFingerprint },
                                          remembered: kept?.record)
        kept?.store.save(record)
        return (outcome, kept == nil ? nil : record)
    }

    /// True when the kernel provably still holds the table of `record` and that table was compiled from
    /// exactly `digest`: then the policy need not even be read.
    func unchanged(_ record: AppliedRecord, family: TableFamily, name: String, inputs digest: String) throws -> Bool {
        guard let inputs = record.inputs, inputs.digest == digest, inputs.filesUnchanged else { return false }
        return try connection.generation(holding: record.fingerprint, family: family, name: name,
                                         stamps: [record.stamp]) != nil
    }

    private func apply(_ desired: Table, shape: () -> UInt64, commentless: () -> UInt64, remembered: AppliedRecord?)
        throws -> (Outcome, AppliedRecord) {
        let sets = desired.sets.map(\.elementsFingerprint)
        // What an element change reads back, read while the shape is still being rendered on other cores:
        // the shape seldom changes along with elements. On any doubt `changeElements` asks again itself.
        let prefetched = remembered.flatMap { remembered in
            changedSets(desired, sets: sets, remembered: remembered).isEmpty ? nil
                : try? readChangedSets(desired, sets: sets, remembered: remembered)
        }
        let shape = shape()
        let fingerprint = Table.fingerprint(shape: shape, elements: sets)
        // Asked for at most twice (judging a change of comments, keeping the record): worked out once.
        var commentlessShape: UInt64?
        func commentlessOnce() -> UInt64 {
            if let commentlessShape { return commentlessShape }
            let value = commentless()
            commentlessShape = value
            return value
        }
        func record(_ generation: UInt32) -> AppliedRecord {
            AppliedRecord(desired, fingerprint: fingerprint, shape: shape, commentless: commentlessOnce(), sets: sets,
                          generation: generation, inputs: inputs)
        }
        // A stamp with this table's fingerprint at the current generation proves that nothing changed
        // since ztpol wrote it, without reading a single element back.
        if let generation = try connection.generation(holding: fingerprint, family: desired.family, name: desired.name,
                                                      stamps: remembered.map { [$0.stamp] } ?? []) {
            return (.unchanged, record(generation))
        }
        if let remembered {
            do {
                if let changed = try changeElements(desired, shape: shape, sets: sets, fingerprint: fingerprint,
                                                    remembered: remembered, prefetched: prefetched) {
                    return (changed.outcome, record(changed.generation))
                }
                // Rules whose comments alone changed (flows moved to other lines): their comments and handles
                // are read back, not the table.
                if remembered.shape != shape, let old = remembered.commentless, old == commentlessOnce(),
                   let changed = try changeComments(desired, sets: sets, fingerprint: fingerprint,
                                                    remembered: remembered, prefetched: prefetched) {
                    return (changed.outcome, record(changed.generation))
                }
            } catch where (error as? NetlinkError)?.code == .rulesetChanged {
                // Something was committed since the remembered table was proven (to any table of the
                // namespace): the table is read back and judged below, as a replacement would be.
            }
        }
        let (outcome, generation) = try compareAndApply(desired, fingerprint: fingerprint)
        return (outcome, record(generation))
    }

    /// Reads the live table, compares it with `desired` and does what the comparison asks. An element change
    /// refused because something was committed since the read is judged anew from another read, at most
    /// five times, as a replacement is (`write`).
    private func compareAndApply(_ desired: Table, fingerprint: UInt64, attempts: Int = 1)
        throws -> (Outcome, UInt32) {
        let comparison = try LiveComparison(desired: desired, connection: connection)
        switch (comparison.diff.action, comparison.live) {
        case (.none, let live?):
            // Found equal by reading it back: keeping that generation makes the next run quick again.
            return (.unchanged, live.generation)
        case (.elements, let live?):
            // Someone else's table keeps its elements too, even one that looks like ztpol's own.
            try TableApplier.checkOwnership(live, name: desired.name)
            // The generation guard makes the kernel refuse the change if anyone committed since the read.
            let summary: ElementChangeSummary
            do {
                summary = try connection.applyElementChanges(from: live.table, to: desired, generation: live.generation,
                                                             fingerprint: fingerprint)
            } catch {
                guard error.code == .rulesetChanged, attempts < 5 else { throw error }
                return try compareAndApply(desired, fingerprint: fingerprint, attempts: attempts + 1)
            }
            return (.elements(added: summary.added, removed: summary.removed), summary.stamp.generation)
        case (.comments, let live?):
            try TableApplier.checkOwnership(live, name: desired.name)
            let changed: (elements: ElementChangeSummary, rules: Int)
            do {
                changed = try connection.applyCommentChanges(from: live, to: desired, fingerprint: fingerprint)
            } catch {
                guard error.code == .rulesetChanged, attempts < 5 else { throw error }
                return try compareAndApply(desired, fingerprint: fingerprint, attempts: attempts + 1)
            }
            let summary = changed.elements
            return (.elements(added: summary.added, removed: summary.removed, comments: changed.rules),
                    summary.stamp.generation)
        default:
            // `.none`, `.elements` and `.comments` come with a live table; `.delete` cannot occur, as there is
            // a desired one.
            return try write(desired, over: comparison.live, fingerprint: fingerprint)
        }
    }

    /// Replaces the live table as a whole, or creates the table where there was none.
    private func write(_ desired: Table, over live: LiveTable?, fingerprint: UInt64, attempts: Int = 1)
        throws -> (Outcome, UInt32) {
        if let live {
            try TableApplier.checkOwnership(live, name: desired.name)
            // At the generation the table was judged at: one put there since (someone else's) is judged anew.
            let applied: BatchSummary
            do {
                applied = try connection.apply(desired, fingerprint: fingerprint, generation: live.generation)
            } catch {
                guard error.code == .rulesetChanged, attempts < 5 else { throw error }
                let now = try connection.readBack(family: desired.family, name: desired.name)
                return try write(desired, over: now, fingerprint: fingerprint, attempts: attempts + 1)
            }
            return (.replaced(created: false), applied.generation)
        }
        do {
            return (.replaced(created: true), try connection.create(desired, fingerprint: fingerprint).generation)
        } catch {
            // A table of that name appeared since it was read: it is judged and replaced like any other, or,
            // gone again by the time it is read, created after all.
            guard error.code == .rejected, error.errno == EEXIST, error.object == .table(desired.family, desired.name),
                  attempts < 5 else { throw error }
            let appeared = try connection.readBack(family: desired.family, name: desired.name)
            return try write(desired, over: appeared, fingerprint: fingerprint, attempts: attempts + 1)
        }
    }

    /// When the kernel provably holds the remembered table and it has the desired table's shape, reads
    /// back only the sets whose elements' fingerprint differs, and changes those elements. Nil when
    /// that cannot be shown; the caller then reads the whole table.
    private func changeElements(_ desired: Table, shape: UInt64, sets: [UInt64], fingerprint: UInt64,
                                remembered: AppliedRecord, prefetched: ChangedSets?)
        throws -> (outcome: Outcome, generation: UInt32)? {
        guard remembered.shape == shape,
              let fetched = try prefetched ?? readChangedSets(desired, sets: sets, remembered: remembered)
        else { return nil }
        // The other sets hold what the remembered table holds, which their fingerprints show is desired.
        var live = desired
        for index in live.sets.indices {
            if let elements = fetched.elements[live.sets[index].name] { live.sets[index].elements = elements }
        }
        let summary = try connection.applyElementChanges(from: live, to: desired, generation: fetched.generation,
                                                         fingerprint: fingerprint)
        guard summary.batch != nil else { return (.unchanged, fetched.generation) }
        return (.elements(added: summary.added, removed: summary.removed), summary.stamp.generation)
    }

    /// When the kernel provably holds the remembered table and that differs from `desired` only in rule
    /// comments and elements (their commentless shapes are the same), reads back the rules' comments and
    /// handles and the changed sets' elements, and replaces those rules and changes those elements in one
    /// transaction. Nil when that cannot be shown; the caller then reads the whole table.
    private func changeComments(_ desired: Table, sets: [UInt64], fingerprint: UInt64, remembered: AppliedRecord,
                                prefetched: ChangedSets?) throws -> (outcome: Outcome, generation: UInt32)? {
        guard let read = try prefetched ?? readChangedSets(desired, sets: sets, remembered: remembered) else {
            return nil
        }
        let held = read.generation
        let rules = try connection.readRuleComments(family: desired.family, table: desired.name)
        // Read at the generation the elements were: nothing was committed in between.
        guard rules.generation == held else { return nil }
        // What the kernel holds: the desired table with the live comments and the changed sets' live elements.
        var live = desired
        var handles: [String: [UInt64]] = [:]
        for index in live.chains.indices {
            let chain = live.chains[index].name, found = rules.chains[chain] ?? []
            guard found.count == live.chains[index].rules.count else { return nil }
            for (number, rule) in found.enumerated() { live.chains[index].rules[number].comment = rule.comment }
            handles[chain] = found.map(\.handle)
        }
        for index in live.sets.indices {
            if let elements = read.elements[live.sets[index].name] { live.sets[index].elements = elements }
        }
        let done = try connection.applyCommentChanges(
            from: LiveTable(table: live, handle: 0, generation: held, stamp: nil, ruleHandles: handles), to: desired,
            fingerprint: fingerprint)
        let outcome: Outcome = done.elements.batch == nil ? .unchanged
            : .elements(added: done.elements.added, removed: done.elements.removed, comments: done.rules)
        return (outcome, done.elements.batch == nil ? held : done.elements.stamp.generation)
    }

    /// The live elements of the sets whose fingerprints differ from the remembered table's, with the
    /// generation at which the kernel provably holds that table; nil when it no longer does.
    struct ChangedSets {
        var generation: UInt32
        var elements: [String: [AddressRange]]
    }

    /// The sets of `desired` whose elements' fingerprints (`sets`, in order) are not the remembered ones.
    private func changedSets(_ desired: Table, sets: [UInt64], remembered: AppliedRecord) -> [NamedSet] {
        zip(desired.sets, sets).filter { remembered.sets[$0.0.name] != $0.1 }.map(\.0)
    }

    private func readChangedSets(_ desired: Table, sets: [UInt64], remembered: AppliedRecord) throws -> ChangedSets? {
        guard let held = try connection.generation(holding: remembered.fingerprint, family: desired.family,
                                                   name: desired.name, stamps: [remembered.stamp]) else { return nil }
        let changed = changedSets(desired, sets: sets, remembered: remembered)
        let read = try connection.readElements(of: changed.map { ($0.name, $0.family) }, family: desired.family,
                                               table: desired.name)
        guard read.generation == held else { return nil }
        return ChangedSets(generation: held, elements: read.sets)
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
