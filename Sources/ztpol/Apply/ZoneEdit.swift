import Netlink
import NetworkAddresses
import Nftables
import PolicyLanguage

/// An edit of a policy confined to the address lists of large zones, applied without loading the rest of
/// it: the new addresses of the edited zones are read, judged against what the table took from the old
/// ones (`ZoneEditBase`), and their sets' elements changed in one transaction. A 100k-prefix policy then
/// costs the statements that changed, not the 99,105 intervals that did not.
///
/// It gives the table a full load and compile would give, or nothing: the compiled table depends on a
/// zone's addresses only through its sets' elements, whether a set is shared (equal contents), which
/// families it has, and whether it meets the host's addresses; the checker only through its families,
/// expectations and `acme` blocks (a base exists only without those). Each of these is checked here.
struct ZoneEdit {
    /// The edited zones' sets with their new elements.
    let sets: [NamedSet]
    let zones: [String]
    /// The new table's fingerprint and its sets' fingerprints by name.
    let fingerprint: UInt64
    let setFingerprints: [String: UInt64]

    /// Nil unless `text` (cut into `pieces`) is the policy `base` describes with only editable zones' statements
    /// changed, each still a statement of literals alone under its name that keeps what the table took from it.
    /// - Parameter interfaceAddresses: the host's addresses when its zones are found from them (no `--zone`).
    init?(text: [UInt8], pieces: PolicyPieces, base: ZoneEditBase, record: AppliedRecord,
          interfaceAddresses: [IPAddress]?) {
        guard pieces.pieces.count == base.pieces.count, Set(base.setOrder) == Set(record.sets.keys),
              Table.fingerprint(shape: record.shape, elements: base.setOrder.map { record.sets[$0]! })
                == record.fingerprint else { return nil }
        // Each editable zone's sets are the table's, and its own.
        let claimed = base.pieces.flatMap { $0.zone.map { $0.sets.values.compactMap { $0 } } ?? [] }
        guard Set(claimed).count == claimed.count, claimed.allSatisfy({ record.sets[$0] != nil }) else { return nil }
        var edited: [(zone: ZoneEditBase.EditableZone, addresses: AddressSet)] = []
        for (new, old) in zip(pieces.pieces, base.pieces) {
            // Statements may move to other lines (large zones after the flows grow downwards), but for
            // flows: rule comments carry their lines, and no other line enters the table.
            if new.firstLine != old.firstLine && !new.isZone {
                guard new.digest == old.digest, !ZoneEdit.mayHoldFlows(text, new) else { return nil }
            }
            if new.digest == old.digest { continue }
            guard let zone = old.zone, new.isZone,
                  let statement = text.withUnsafeBufferPointer({
                      LiteralZoneReader.read(UnsafeBufferPointer(rebasing: $0[new.bytes]))
                  }), statement.name == zone.name else { return nil }
            let addresses = AddressSet(statement.items).subtracting(AddressSet(statement.exclusions))
            guard Set(addresses.families) == zone.families,
                  addresses.intersects(base.hostAddresses) == zone.meetsHost,
                  !(interfaceAddresses ?? []).contains(where: addresses.contains) else { return nil }
            edited.append((zone, addresses))
        }
        guard !edited.isEmpty else { return nil }
        var names: Set<String> = []  // every set of the edited zones, changed or not
        var fingerprints = record.sets
        var sets: [NamedSet] = []
        for (zone, addresses) in edited {
            for case let (family, name?) in zone.sets {
                let set = NamedSet(name: name, family: family, elements: addresses.ranges(family))
                fingerprints[name] = set.elementsFingerprint
                names.insert(name)
                // Only sets whose elements changed are read back and sent; the others stay what they are.
                if fingerprints[name] != record.sets[name] { sets.append(set) }
            }
        }
        // A set whose new elements may equal another's would be shared by a full compile: the usual path judges.
        let others = fingerprints.filter { !names.contains($0.key) }.values
        guard Set(names.map { fingerprints[$0]! }).count == names.count,
              !names.contains(where: { others.contains(fingerprints[$0]!) }) else { return nil }
        self.sets = sets
        zones = edited.map(\.zone.name)
        setFingerprints = fingerprints
        fingerprint = Table.fingerprint(shape: record.shape, elements: base.setOrder.map { fingerprints[$0]! })
    }

    /// Whether `piece`, one of the statements between large zones, holds a flow (or does not read cleanly).
    private static func mayHoldFlows(_ text: [UInt8], _ piece: PolicyPieces.Piece) -> Bool {
        let parsed = Parser.parseLines(String(decoding: text[piece.bytes], as: UTF8.self), file: "",
                                       firstLine: piece.firstLine)
        return !parsed.diagnostics.isEmpty || parsed.syntax.declarations.contains {
            if case .flow = $0 { true } else { false }
        }
    }

    /// What the kernel was left holding.
    struct Applied {
        var added: Int
        var removed: Int
        var record: AppliedRecord
    }

    /// Changes the edited sets' elements at the generation at which the kernel provably holds `record`'s
    /// table; nil when it does not, or no longer does by the time the sets are read or the change is sent:
    /// the usual path then judges the live table.
    func apply(through connection: NetlinkConnection, table name: String, record: AppliedRecord,
               inputs: ApplyInputs) throws -> Applied? {
        guard let held = try connection.generation(holding: record.fingerprint, family: .inet, name: name,
                                                   stamps: [record.stamp]) else { return nil }
        let read = try connection.readElements(of: sets.map { ($0.name, $0.family) }, family: .inet, table: name)
        guard read.generation == held else { return nil }
        let live = sets.map { set in
            NamedSet(name: set.name, family: set.family, elements: read.sets[set.name] ?? [], comment: set.comment)
        }
        let summary: ElementChangeSummary
        do {
            summary = try connection.applyElementChanges(from: Table(name: name, sets: live),
                                                         to: Table(name: name, sets: sets),
                                                         generation: held, fingerprint: fingerprint)
        } catch {
            guard error.code == .rulesetChanged else { throw error }
            return nil
        }
        let elements = record.elements + sets.reduce(0) { $0 + $1.elements.count }
            - live.reduce(0) { $0 + $1.elements.count }
        let generation = summary.batch == nil ? held : summary.stamp.generation
        let kept = AppliedRecord(fingerprint: fingerprint, generation: generation, shape: record.shape,
                                 commentless: record.commentless, sets: setFingerprints, chains: record.chains,
                                 rules: record.rules, elements: elements, inputs: inputs)
        return Applied(added: summary.added, removed: summary.removed, record: kept)
    }
}
