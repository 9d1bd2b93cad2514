import Foundation
import PolicyLanguage
import PolicyModel
import Testing

/// The incremental front end must give exactly the policy the full one gives, or nothing (and then the
/// full one runs): random edits of a generated policy, each loaded both ways, with what was kept from the
/// loads before and with nothing kept.
@Suite struct IncrementalLoaderTests {
    /// A folder with the stand-in root the generated policy's blocks name, and the policy's path in it.
    static let policyPath: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ztpol-incr-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder.appendingPathComponent("certs"),
                                                 withIntermediateDirectories: true)
        try? "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
            .write(to: folder.appendingPathComponent("certs/root.pem"), atomically: true, encoding: .utf8)
        return folder.appendingPathComponent("p.zt").path
    }()

    /// Loads `text` both ways and compares; returns what to keep for the next load, and how many zone
    /// statements the warm load reused (nil when it gave way to the full load).
    @discardableResult
    static func compare(_ text: String, kept: ParsedZones, minimumZoneBytes: Int = 64,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation)
        -> (kept: ParsedZones, reused: Int?) {
        let (full, diagnostics) = PolicyLoader.load(text: text, path: policyPath)
        let bytes = Array(text.utf8)
        let warm = IncrementalLoader.load(bytes, path: policyPath, zones: kept, minimumZoneBytes: minimumZoneBytes)
        let cold = IncrementalLoader.load(bytes, path: policyPath, zones: ParsedZones(),
                                          minimumZoneBytes: minimumZoneBytes)
        let plain = bytes.allSatisfy { $0 < 0x80 && !(0x0B...0x0D).contains($0) }
        if diagnostics.isEmpty && plain {
            #expect(warm?.policy == full, "warm load differs:\n\(text)", sourceLocation: sourceLocation)
            #expect(cold?.policy == full, "cold load differs:\n\(text)", sourceLocation: sourceLocation)
        } else {
            // A diagnostic is the full loader's to report, with its place; other text is read in full.
            #expect(warm == nil && cold == nil, "\(brief(diagnostics)):\n\(text)", sourceLocation: sourceLocation)
        }
        guard let warm else { return (kept, nil) }
        // What is kept goes through the file form, as between two runs of apply.
        let decoded = ParsedZones(encoded: warm.zones.encoded(identity: "test"), identity: "test")
        #expect(decoded == warm.zones, sourceLocation: sourceLocation)
        return (decoded ?? ParsedZones(), warm.reused)
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomEditsGiveTheSamePolicyAsTheFullLoad(_ seed: UInt64) {
        var edits = PolicyEdits(rng: SplitMix64(state: seed))
        let base = edits.policy()
        #expect(PolicyLoader.load(text: base.joined(separator: "\n") + "\n", path: Self.policyPath).1.isEmpty)
        var kept = ParsedZones()
        var lastClean = base
        var current = base
        var (clean, reusing) = (0, 0)
        for step in 0..<250 {
            // Edits pile up, but a broken policy is mostly abandoned for the last clean, plain one.
            if step % 3 == 0 { current = lastClean }
            current = edits.edit(current)
            let text = current.joined(separator: "\n") + (step % 7 == 0 ? "" : "\n")
            let reused: Int?
            (kept, reused) = Self.compare(text, kept: kept)
            // Text that is not plain ASCII loads in full however clean it is: not a base to edit further.
            if PolicyLoader.load(text: text, path: Self.policyPath).1.isEmpty && text.allSatisfy(\.isASCII)
                && !text.contains("\r") {
                lastClean = current
                clean += 1
            }
            if (reused ?? 0) > 0 { reusing += 1 }
        }
        // The edits must exercise both ways: policies that load, most of them from what was kept, and others.
        #expect(clean > 60 && clean < 220 && reusing > clean / 2, "\(clean) clean, \(reusing) reusing")
    }

    @Test func anUnchangedStatementIsReusedAndAnEditedOneReadAgain() throws {
        var edits = PolicyEdits(rng: SplitMix64(state: 9))
        var lines = edits.policy()
        let first = try #require(IncrementalLoader.load(Array((lines.joined(separator: "\n") + "\n").utf8),
                                                        path: Self.policyPath, zones: ParsedZones(),
                                                        minimumZoneBytes: 64))
        #expect(first.reused == 0 && first.learned > 0)
        let line = try #require(lines.firstIndex { $0.hasPrefix("zone g0 ") })
        lines[line] = lines[line].replacingOccurrences(of: "zone g0  ", with: "zone g0  198.18.7.0/24, ")
        let text = lines.joined(separator: "\n") + "\n"
        let second = try #require(IncrementalLoader.load(Array(text.utf8), path: Self.policyPath, zones: first.zones,
                                                         minimumZoneBytes: 64))
        #expect(second.learned == 1 && second.reused == first.learned - 1)
        #expect(second.policy == PolicyLoader.load(text: text, path: Self.policyPath).0)
        // The statement as it was is kept for a few loads: going back finds both versions.
        #expect(second.zones.entries.count == first.zones.entries.count + 1)
    }

    /// Moving a statement keeps what was kept of it, with its new line numbers.
    @Test func aMovedStatementKeepsItsNewPlace() throws {
        let zone = "zone big  " + (0..<40).map { "198.18.\($0).0/24" }.joined(separator: ", ")
        let before = "\(zone)\nzone web 10.77.0.2\nweb -> big tcp/22\n"
        let after = "# moved\n\nzone web 10.77.0.2\n\n\(zone)\nweb -> big tcp/22\n"
        let kept = Self.compare(before, kept: ParsedZones()).kept
        let moved = try #require(IncrementalLoader.load(Array(after.utf8), path: Self.policyPath, zones: kept))
        #expect(moved.reused == 1)
        #expect(moved.policy.zone(named: "big")?.location.line == 5)
        Self.compare(after, kept: kept)
    }

    /// A list cut after a comma parses alone without an error; in the file it goes on: never cut there.
    @Test func aStatementThatGoesOnIsNotTakenAsEnded() {
        let zone = "zone big  " + (0..<40).map { "198.18.\($0).0/24" }.joined(separator: ", ")
        for text in ["\(zone),\nzone web 10.77.0.2\n", "\(zone),\n# c\n\nzone web 10.77.0.2\n",
                     "web ->\n\(zone)\nzone web 10.77.0.2\n", "acme web {\n\(zone)\n}\nzone web 10.77.0.2\n"] {
            Self.compare(text, kept: Self.compare(text, kept: ParsedZones()).kept)
        }
    }

    @Test func theFirstErrorKeepsItsExactPlace() {
        let zone = "zone big  " + (0..<40).map { "198.18.\($0).0/24" }.joined(separator: ", ")
        let text = "zone web 10.77.0.2\n\(zone)\nzone bad 10.0.0.1/24\n"
        let kept = Self.compare(text.replacingOccurrences(of: "10.0.0.1/24", with: "10.0.0.0/24"),
                                kept: ParsedZones()).kept
        #expect(IncrementalLoader.load(Array(text.utf8), path: "p.zt", zones: kept) == nil)
        #expect(brief(PolicyLoader.load(text: text, path: "p.zt").1).first?.hasPrefix("3:10: error: host bits") == true)
    }
}

extension IncrementalLoader.Outcome: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.policy == rhs.policy && lhs.zones == rhs.zones }
}
