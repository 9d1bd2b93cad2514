import Certificates
import Foundation
import Netlink
import NetworkAddresses
import Nftables
import PolicyModel

/// `ztpol apply POLICY [--zone NAME]`: check, compile, and put the host's table in the kernel.
enum ApplyCommand: Command {
    static let name = "apply"
    static let summary = "check, compile and apply a host's ruleset in one atomic netlink batch"
    static let help = """
        usage: ztpol apply POLICY [--zone NAME ...] [--table NAME] [--log-dropped] [--netns NAME]

        Checks POLICY, compiles the host's ruleset and applies it through netlink in one atomic
        batch that touches only ztpol's own table. Compares with the live table first, or, when
        nothing was committed since its last apply, with the record of it kept in /run/ztpol/applied:
        when nothing differs nothing is committed; when only set elements differ only those are
        sent; when rules differ only in their comments (flows moved to other lines) those rules are
        replaced where they stand, with any element changes; otherwise the table is replaced as a
        whole. The kernel takes all of it or none of it.
        apply returns once the kernel has committed; a child that lives a few milliseconds longer then
        closes its netlink socket, which after a deletion waits for the kernel to free what it deleted.

        Large zone statements already read are kept in /run/ztpol/parsed, so that an edited policy
        is parsed only where it changed; an edit of large zones' addresses alone is sent as those
        zones' set elements without loading the rest of the policy (its summary says "in zone NAME"),
        judged against a base kept beside the record. That holds for zones no other zone names;
        declared after the flows, they may also gain or lose lines. Both folders only spare work
        and are safe to delete at any time (docs/diff.md in the source tree says more).

        options:
        \(RulesetOptions.help)
          --netns NAME       apply inside the network namespace NAME (as made by 'ip netns add'); without
                             --zone, the zones are found from NAME's addresses
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let options = try RulesetOptions(&arguments)
        let namespace = try NamespaceOption.read(&arguments)
        let path = try arguments.positionals(exactly: ["POLICY"])[0]
        let clock = ContinuousClock()
        let started = clock.now
        let elapsed = { started.duration(to: clock.now).milliseconds }

        // The policy is read once: what is checked and compiled is exactly what the digest covers.
        // Nil when it cannot be read; one too large is only handed to the usual load below, which says so.
        let read = PolicyLoader.readBytes(path)
        let bytes = read.flatMap { $0.count <= PolicyLoader.maximumBytes ? $0 : nil }
        // Large zone statements read before are not parsed again (see docs/diff.md). They are looked up
        // while the digest is taken and the kernel asked whether it already holds the table: when it does,
        // the lookup is simply not waited for. Where a base for zone edits is kept (`ZoneEdit`), the lookup
        // waits until an edit of zones alone is ruled out: such an edit needs none of it.
        let store = ParsedZonesStore.folder()
        let startLoading = {
            bytes.flatMap { bytes in
                store.map { store in BackgroundValue { IncrementalLoader.load(bytes, path: path, lookUp: store.zone) } }
            }
        }
        // Without the rights to talk to the kernel, the policy's own errors still come first.
        let early = try? NetlinkConnection(namespace: namespace)
        // What apply kept of its last run, read once: the record, and the base for zone edits beside it.
        let records = early.flatMap {
            AppliedRecordStore(connection: $0, family: .inet, table: options.compiler.tableName)
        }
        let bases = records.map { ZoneEditBaseStore(beside: $0) }
        // What an edit of zones alone is judged by, cut and digested on another core meanwhile.
        let cut = bases?.exists == true ? bytes.map { bytes in BackgroundValue { PolicyPieces(bytes) } } : nil
        var loading = cut == nil ? startLoading() : nil
        // The host's addresses, when its zones are found from them: digested, and judged by a zone edit.
        let interfaces = options.zones.isEmpty ? try? InterfaceAddresses.current(in: namespace) : nil
        let context = bytes == nil ? nil : ApplyInputs.context(path: path, options: options, interfaces: interfaces)
        let contextDigest = context.map { ApplyInputs.hexadecimal(sha256($0)) }
        let digest = bytes.flatMap { bytes in context.map { ApplyInputs.digest(policy: bytes, context: $0) } }
        let remembered = records?.load()
        if let digest, let early, let remembered, (try? TableApplier(connection: early)
            .unchanged(remembered, family: .inet, name: options.compiler.tableName, inputs: digest)) == true {
            console.out(TableApplier.Outcome.unchanged.summary(
                family: .inet, name: options.compiler.tableName, chains: remembered.chains, rules: remembered.rules,
                elements: remembered.elements, milliseconds: elapsed()))
            return .success
        }
        if let cut, let base = bases?.load(), let bases, let records, let remembered, let bytes, let digest,
           let contextDigest, let early,
           let (edit, applied) = try applyZoneEdit(bytes, pieces: cut, digest: digest, contextDigest: contextDigest,
                                                   base: base, bases: bases, record: remembered, records: records,
                                                   interfaces: interfaces, connection: early, options: options) {
            releaseAfterExit(early)
            let outcome: TableApplier.Outcome = applied.added + applied.removed == 0 ? .unchanged
                : .elements(added: applied.added, removed: applied.removed)
            console.out(outcome.summary(family: .inet, name: options.compiler.tableName, chains: applied.record.chains,
                                        rules: applied.record.rules, elements: applied.record.elements,
                                        milliseconds: elapsed(), zones: edit.zones))
            return .success
        }
        if loading == nil { loading = startLoading() }

        // Any doubt in the incremental load, and the whole file is read the usual way, which reports every
        // problem.
        let incremental = loading?.value
        let input: PolicyInput
        if let incremental {
            input = PolicyInput(policy: incremental.policy, isClean: true)
        } else {
            // The bytes already read, whatever they hold: a pipe read again gives nothing, a named pipe
            // waits for a writer, and a file that changed since would not be what the digest covers.
            let loaded = read.map { PolicyInput.load(bytes: $0, path: path, console: console) }
                ?? PolicyInput.load(path, console: console)
            guard let loaded else { return .failure }
            input = loaded
        }
        // Zones read anew are kept on another core while the table is compiled and applied: what was
        // parsed holds whatever the kernel then says. The process waits for it before it ends.
        let saving = store.flatMap { store in
            incremental.flatMap { read in
                read.learned.isEmpty ? nil : BackgroundValue { store.save(learned: read.learned, used: read.used) }
            }
        }
        defer { saving?.value }
        // Checked by the connection, as far as it is sent. Its shape is digested on another core while its
        // sets' elements are (see TableApplier).
        let compiled = try options.compileTracingSets(input.policy, namespace: namespace, checked: false)
        let table = compiled.table
        let shape = BackgroundValue { (shape: table.shapeFingerprint, commentless: table.commentlessShapeFingerprint) }
        // The pieces' digests, for the next edit of zones alone, while the table is applied.
        let pieces = bytes.flatMap { bytes in
            incremental.map { read in BackgroundValue { PolicyPieces(bytes, cut: read.pieces) } }
        }
        let connection = try early ?? NetlinkConnection(namespace: namespace)
        let inputs = digest.flatMap { input.isClean ? ApplyInputs(digest: $0, policy: input.policy) : nil }
        // The record read above still stands: nothing since has written one.
        let kept = records.map { TableApplier.Kept(store: $0, record: remembered) }
            ?? AppliedRecordStore(connection: connection, family: .inet, table: table.name)
                .map { TableApplier.Kept(store: $0, record: $0.load()) }
        let (outcome, record) = try TableApplier(connection: connection, inputs: inputs)
            .applyRemembering(table, shape: { shape.value.shape }, commentless: { shape.value.commentless }, kept: kept)
        // The base for the next edit of zones alone, or none: a stale one must not outlive this table.
        if let kept {
            var base: ZoneEditBase?
            if let record, let incremental, let contextDigest, let pieces {
                base = ZoneEditBase.make(record: record.fingerprint, context: contextDigest, table: table,
                                         policy: input.policy, hostZones: compiled.zones, use: compiled.zoneSetUse,
                                         loaded: incremental, pieces: pieces.value)
            }
            ZoneEditBaseStore(beside: kept.store).save(base)
        }
        releaseAfterExit(connection)
        console.out(outcome.summary(table, milliseconds: elapsed()))
        return .success
    }

    /// The edit applied, when `bytes` differ from the policy `base` describes only in the addresses of
    /// editable zones (`ZoneEdit`); nil, with nothing changed, when they do not or the kernel no longer holds
    /// the table the base describes.
    /// - Parameter interfaces: the host's addresses, when its zones are found from them (no `--zone`).
    private static func applyZoneEdit(_ bytes: [UInt8], pieces cut: BackgroundValue<PolicyPieces?>, digest: String,
                                      contextDigest: String, base: ZoneEditBase, bases: ZoneEditBaseStore,
                                      record: AppliedRecord, records: AppliedRecordStore, interfaces: [IPAddress]?,
                                      connection: NetlinkConnection, options: RulesetOptions) throws
        -> (edit: ZoneEdit, applied: ZoneEdit.Applied)? {
        let table = options.compiler.tableName
        guard base.context == contextDigest, record.fingerprint == base.record,
              let files = record.inputs?.files, record.inputs?.filesUnchanged == true,
              options.zones.isEmpty == (interfaces != nil), let pieces = cut.value else { return nil }
        guard let edit = ZoneEdit(text: bytes, pieces: pieces, base: base, record: record,
                                  interfaceAddresses: interfaces),
              let applied = try edit.apply(through: connection, table: table, record: record,
                                           inputs: ApplyInputs(digest: digest, files: files)) else { return nil }
        records.save(applied.record)
        var next = base
        next.record = applied.record.fingerprint
        for index in next.pieces.indices {
            next.pieces[index].digest = pieces.pieces[index].digest
            next.pieces[index].firstLine = pieces.pieces[index].firstLine
        }
        bases.save(next)
        return (edit, applied)
    }
}

extension Duration {
    /// Whole and fractional milliseconds, for summaries.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
