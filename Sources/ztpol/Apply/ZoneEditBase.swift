import Foundation
import Netlink
import NetworkAddresses
import Nftables
import PolicyModel
import RulesetCompiler

/// What apply keeps beside its record (`AppliedRecord`) so that an edit confined to the address lists of
/// large zones can be applied without loading the rest of the policy (`ZoneEdit`): the policy's pieces
/// and their digests, and for each zone that may be edited so, what the compiled table took from its
/// addresses besides its elements. It describes the table of the record whose fingerprint it names, and is
/// used only when the kernel provably holds that table.
struct ZoneEditBase: Equatable {
    /// A zone whose addresses only fill its own sets: changing them changes no other part of the table, as
    /// long as it keeps its address families (the checker judges flows by them, the compiler leaves a
    /// family's rules out without them) and its overlap with the host's addresses.
    struct EditableZone: Equatable {
        var name: String
        var families: Set<IPFamily>
        /// Whether its addresses meet the host's (`Grant.all` keeps a host-side zone by that alone).
        var meetsHost: Bool
        /// Per family the compiler asked for: its set, or nil when the zone had none of that family.
        var sets: [IPFamily: String?]
    }

    struct Piece: Equatable {
        var firstLine: Int
        var digest: String
        /// Set for a piece that is one editable zone's statement.
        var zone: EditableZone?
    }

    /// The fingerprint of the record (and so of the table) this base describes.
    var record: UInt64
    /// SHA-256 of `ApplyInputs.context`: the same path, options, program and host zones.
    var context: String
    /// The table's sets in order: its fingerprint digests their elements' fingerprints in this order.
    var setOrder: [String]
    var hostAddresses: AddressSet
    var pieces: [Piece]

    /// The base of a table compiled from a policy that the incremental loader read (`loaded`), cut into
    /// `pieces`; nil when no edit of it could skip the checker: expectations and `acme` blocks are judged
    /// from every zone's addresses.
    static func make(record: UInt64, context: String, table: Table, policy: Policy, hostZones: [String],
                     use: ZoneSetUse, loaded: IncrementalLoader.Outcome, pieces: PolicyPieces) -> ZoneEditBase? {
        guard policy.expectations.isEmpty, policy.acme.isEmpty, pieces.pieces.count == loaded.pieces.count,
              zip(pieces.pieces, loaded.pieces).allSatisfy({ $0.bytes == $1.bytes }) else { return nil }
        var hostAddresses = AddressSet()
        for zone in hostZones.compactMap(policy.zone(named:)) { hostAddresses = hostAddresses.union(zone.addresses) }
        let based = pieces.pieces.enumerated().map { number, piece in
            Piece(firstLine: piece.firstLine, digest: piece.digest, zone: loaded.literalZones[number].flatMap { name in
                guard !hostZones.contains(name), !loaded.referencedZones.contains(name),
                      name.allSatisfy({ !$0.isWhitespace }), let zone = policy.zone(named: name) else { return nil }
                let sets = use.zones[name] ?? [:]
                // A shared set holds some other endpoint's addresses too.
                guard !sets.values.contains(where: { $0.map(use.sharedSets.contains) ?? false }) else { return nil }
                return EditableZone(name: name, families: Set(zone.addresses.families),
                                    meetsHost: zone.addresses.intersects(hostAddresses), sets: sets)
            })
        }
        return ZoneEditBase(record: record, context: context, setOrder: table.sets.map(\.name),
                            hostAddresses: hostAddresses, pieces: based)
    }
}

/// Keeps the `ZoneEditBase` of each namespace's table beside its record in /run/ztpol/applied.
struct ZoneEditBaseStore {
    let file: String

    init(beside record: AppliedRecordStore) {
        file = String(record.file.dropLast(".record".count)) + ".zones"
    }

    var exists: Bool { access(file, F_OK) == 0 }

    func load() -> ZoneEditBase? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return ZoneEditBase(text: Substring(decoding: data, as: UTF8.self))
    }

    /// Keeps `base`, or forgets the one kept when there is none: failing either only costs a later edit the
    /// usual load.
    func save(_ base: ZoneEditBase?) {
        guard let base else {
            unlink(file)
            return
        }
        CacheFile.write(Array(base.text.utf8), to: file)
    }
}
