import NetworkAddresses
import Parallel
import PolicyLanguage

/// Loads a policy reading only what changed since earlier loads: the text is cut into statements
/// (`StatementSplitter`), each large `zone` statement of address literals kept by an earlier load
/// (`ParsedZone`) costs a comparison of bytes, and everything else is parsed with the real parser, at its own lines.
///
/// It gives the same `Policy` as `PolicyLoader.load(text:path:)` or nothing: any diagnostic, any piece
/// that does not end between statements, any text that is not plain ASCII, and the caller loads the
/// whole file the usual way, which reports every problem with its exact place.
public enum IncrementalLoader {
    public struct Outcome: Sendable {
        public var policy: Policy
        /// Zone statements read anew, to keep for the next load.
        public var learned: [ParsedZone]
        /// The keys of the kept zones this load used.
        public var used: [UInt64]
        /// The pieces the text was cut into (`StatementSplitter`), and the name of the zone each piece of a
        /// zone of literals alone declares, by piece number: what a later edit of those zones is judged by.
        public var pieces: [StatementSplitter.Piece]
        public var literalZones: [Int: String]
        /// Zones that other zone declarations name: their addresses are part of another zone's.
        public var referencedZones: Set<String>
    }

    /// Where kept zones are found: the one kept for exactly this text (whose key is given), confirmed byte
    /// for byte, if any.
    public typealias LookUp = @Sendable (_ text: UnsafeBufferPointer<UInt8>, _ key: UInt64) -> KeptZone?

    /// Zone statements shorter than this are parsed every time: keeping them would save nothing.
    public static let minimumZoneBytes = 512

    public static func load(_ bytes: [UInt8], path: String, minimumZoneBytes: Int = minimumZoneBytes,
                            lookUp: LookUp) -> Outcome? {
        bytes.withUnsafeBufferPointer { text in
            load(text, path: path, minimumZoneBytes: minimumZoneBytes, lookUp: lookUp)
        }
    }

    private static func load(_ text: UnsafeBufferPointer<UInt8>, path: String, minimumZoneBytes: Int,
                             lookUp: LookUp) -> Outcome? {
        guard let pieces = StatementSplitter.split(text, minimumZoneBytes: minimumZoneBytes) else { return nil }
        // Every piece stands alone until the checker: kept zones are read and the rest parsed on all cores.
        let read = ParallelMap.map(pieces.indices) { number in
            readPiece(pieces[number], of: text, path: path, isLast: number == pieces.count - 1, lookUp: lookUp)
        }
        var declarations: [PolicySyntax.Declaration] = []
        var presolved: [SourceLocation: AddressSet] = [:]
        var used: [UInt64] = []
        var learned: [ParsedZone] = []
        var literalZones: [Int: String] = [:]
        for (number, piece) in read.enumerated() {
            switch piece {
            case .unusable:
                return nil
            case .kept(let zone, let key, let location):
                let name = NameSyntax(zone.name, at: location)
                declarations.append(.zone(ZoneDeclaration(name: name, items: [], exclusions: [], hadErrors: false)))
                presolved[location] = zone.addresses
                used.append(key)
                literalZones[number] = zone.name
            case .parsed(let syntax, let resolved):
                declarations += syntax.declarations
                if let resolved {
                    presolved[resolved.nameLocation] = resolved.zone.addresses
                    learned.append(resolved.zone)
                    literalZones[number] = resolved.zone.name
                }
            }
        }
        var checker = PolicyChecker(syntax: PolicySyntax(file: path, declarations: declarations), path: path)
        checker.presolvedZones = presolved
        guard let policy = checker.check(hadSyntaxErrors: false), checker.diagnostics.isEmpty else { return nil }
        return Outcome(policy: policy, learned: learned, used: used, pieces: pieces, literalZones: literalZones,
                       referencedZones: referencedZones(in: declarations))
    }

    /// One piece of the text, read on its own.
    private enum ReadPiece {
        /// A zone statement kept by an earlier load, whose name stands at `location`.
        case kept(KeptZone, key: UInt64, location: SourceLocation)
        /// Parsed without a diagnostic; a zone statement of literals alone comes resolved, to keep.
        case parsed(PolicySyntax, resolved: (zone: ParsedZone, nameLocation: SourceLocation)?)
        /// A diagnostic, or a statement left open before the end: the whole file must be loaded.
        case unusable
    }

    private static func readPiece(_ piece: StatementSplitter.Piece, of text: UnsafeBufferPointer<UInt8>,
                                  path: String, isLast: Bool, lookUp: LookUp) -> ReadPiece {
        let bytes = UnsafeBufferPointer(rebasing: text[piece.bytes])
        if piece.isZone, case let key = ParsedZone.checksum(UnsafeRawBufferPointer(bytes)),
           let kept = lookUp(bytes, key) {
            return .kept(kept, key: key, location: SourceLocation(file: path, line: piece.firstLine,
                                                                  column: kept.nameColumn))
        }
        if piece.isZone, let statement = LiteralZoneReader.read(bytes),
           let addresses = literalAddresses(statement.items, less: statement.exclusions) {
            // What the parser would have given, read without it; the checker needs the name and its place.
            let location = SourceLocation(file: path, line: piece.firstLine, column: statement.nameColumn)
            let zone = ZoneDeclaration(name: NameSyntax(statement.name, at: location), items: [], exclusions: [],
                                       hadErrors: false)
            let kept = ParsedZone(text: ArraySlice(bytes), name: statement.name, nameColumn: statement.nameColumn,
                                  addresses: addresses)
            return .parsed(PolicySyntax(file: path, declarations: [.zone(zone)]), resolved: (kept, location))
        }
        let parsed = Parser.parseLines(String(decoding: bytes, as: UTF8.self), file: path, firstLine: piece.firstLine)
        guard parsed.diagnostics.isEmpty, parsed.isClosed || isLast else { return .unusable }
        guard piece.isZone, parsed.isClosed, let zone = cacheable(parsed.syntax, line: piece.firstLine),
              let addresses = literalAddresses(zone) else { return .parsed(parsed.syntax, resolved: nil) }
        let name = zone.name
        let kept = ParsedZone(text: ArraySlice(bytes), name: name.text, nameColumn: name.location.column,
                              addresses: addresses)
        return .parsed(parsed.syntax, resolved: (kept, name.location))
    }

    private static func referencedZones(in declarations: [PolicySyntax.Declaration]) -> Set<String> {
        var names: Set<String> = []
        for case .zone(let zone) in declarations {
            for case .name(let reference) in zone.items + zone.exclusions { names.insert(reference.text) }
        }
        return names
    }

    /// What the checker would resolve a zone of literals alone to (`resolveZone`): its items less its
    /// exclusions. Nil when nothing remains, which the checker reports.
    private static func literalAddresses(_ zone: ZoneDeclaration) -> AddressSet? {
        let ranges = { (items: [ZoneDeclaration.Item]) in
            items.compactMap { item -> AddressRange? in
                if case .address(let literal) = item { literal.range } else { nil }
            }
        }
        return literalAddresses(ranges(zone.items), less: ranges(zone.exclusions))
    }

    private static func literalAddresses(_ items: [AddressRange], less exclusions: [AddressRange]) -> AddressSet? {
        let remaining = AddressSet(items).subtracting(AddressSet(exclusions))
        return remaining.isEmpty ? nil : remaining
    }

    /// The zone a piece declares, when it is one clean statement of address literals alone, named on
    /// the piece's first line: its addresses then depend on nothing but its text.
    private static func cacheable(_ syntax: PolicySyntax, line: Int) -> ZoneDeclaration? {
        guard syntax.declarations.count == 1, case .zone(let zone) = syntax.declarations[0], !zone.hadErrors,
              zone.name.location.line == line else { return nil }
        let isLiteral = { (item: ZoneDeclaration.Item) in
            if case .address = item { true } else { false }
        }
        return zone.items.allSatisfy(isLiteral) && zone.exclusions.allSatisfy(isLiteral) ? zone : nil
    }
}
