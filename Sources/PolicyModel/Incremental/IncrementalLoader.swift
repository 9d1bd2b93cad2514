import NetworkAddresses
import PolicyLanguage

/// Loads a policy reading only what changed since earlier loads: the text is cut into statements
/// (`StatementSplitter`), each large `zone` statement of address literals kept by an earlier load
/// (`ParsedZone`) costs a comparison of bytes, and everything else is parsed with the real parser, at its own lines.
///
/// It gives the same `Policy` as `PolicyLoader.load(text:path:)` or nothing: any diagnostic, any piece
/// that does not end between statements, any text that is not plain ASCII, and the caller loads the
/// whole file the usual way, which reports every problem with its exact place.
public enum IncrementalLoader {
    public struct Outcome {
        public var policy: Policy
        /// Zone statements read anew, to keep for the next load.
        public var learned: [ParsedZone]
        /// The keys of the kept zones this load used.
        public var used: [UInt64]
    }

    /// Where kept zones are found: the one kept for exactly this text (whose key is given), if any.
    public typealias LookUp = (_ text: UnsafeBufferPointer<UInt8>, _ key: UInt64) -> ParsedZone?

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
        var declarations: [PolicySyntax.Declaration] = []
        var presolved: [SourceLocation: AddressSet] = [:]
        var used: [UInt64] = []
        var candidates: [(text: ArraySlice<UInt8>, zone: ZoneDeclaration)] = []
        for (number, piece) in pieces.enumerated() {
            let bytes = UnsafeBufferPointer(rebasing: text[piece.bytes])
            if piece.isZone, case let key = ParsedZone.checksum(UnsafeRawBufferPointer(bytes)),
               let kept = lookUp(bytes, key), kept.matches(bytes) {
                let location = SourceLocation(file: path, line: piece.firstLine, column: kept.nameColumn)
                let name = NameSyntax(kept.name, at: location)
                declarations.append(.zone(ZoneDeclaration(name: name, items: [], exclusions: [], hadErrors: false)))
                presolved[location] = kept.addresses
                used.append(key)
                continue
            }
            let parsed = Parser.parseLines(String(decoding: bytes, as: UTF8.self), file: path,
                                           firstLine: piece.firstLine)
            guard parsed.diagnostics.isEmpty, parsed.isClosed || number == pieces.count - 1 else { return nil }
            if piece.isZone, parsed.isClosed, let zone = cacheable(parsed.syntax, line: piece.firstLine) {
                candidates.append((ArraySlice(bytes), zone))
            }
            declarations += parsed.syntax.declarations
        }
        var checker = PolicyChecker(syntax: PolicySyntax(file: path, declarations: declarations), path: path)
        checker.presolvedZones = presolved
        guard let policy = checker.check(hadSyntaxErrors: false), checker.diagnostics.isEmpty else { return nil }
        let learned = candidates.compactMap { candidate -> ParsedZone? in
            let name = candidate.zone.name
            guard let zone = policy.zones.first(where: { $0.name == name.text && $0.location == name.location })
            else { return nil }
            return ParsedZone(text: candidate.text, name: name.text, nameColumn: name.location.column,
                              addresses: zone.addresses)
        }
        return Outcome(policy: policy, learned: learned, used: used)
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
