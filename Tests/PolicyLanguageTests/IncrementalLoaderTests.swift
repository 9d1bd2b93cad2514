import Foundation
import PolicyLanguage
import PolicyModel
import Testing
import TestSupport

/// The incremental front end must give exactly the policy the full one gives, or nothing (and then the
/// full one runs): random edits of a generated policy, each loaded both ways, with what the loads before
/// kept (in a folder, as apply keeps it) and with nothing kept.
@Suite struct IncrementalLoaderTests {
    /// A folder with the stand-in root the generated policy's blocks name, and the policy's path in it.
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ztpol-incr-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder.appendingPathComponent("certs"),
                                                 withIntermediateDirectories: true)
        try? "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
            .write(to: folder.appendingPathComponent("certs/root.pem"), atomically: true, encoding: .utf8)
        return folder
    }()
    static let policyPath = folder.appendingPathComponent("p.zt").path

    /// A fresh folder of kept zones.
    static func keptZones() -> ParsedZoneFolder {
        ParsedZoneFolder(path: folder.appendingPathComponent("kept-\(UUID().uuidString)").path, identity: "test")
    }

    static func load(_ text: String, from kept: ParsedZoneFolder?, minimumZoneBytes: Int = 64)
        -> IncrementalLoader.Outcome? {
        IncrementalLoader.load(Array(text.utf8), path: policyPath, minimumZoneBytes: minimumZoneBytes) { text, key in
            kept?.zone(for: text, key: key)
        }
    }

    /// Loads `text` both ways and compares, keeping what the warm load read anew; returns how many kept
    /// zone statements the warm load used (nil when it gave way to the full load).
    @discardableResult
    static func compare(_ text: String, kept: ParsedZoneFolder,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int? {
        let (full, diagnostics) = PolicyLoader.load(text: text, path: policyPath)
        let warm = load(text, from: kept)
        let cold = load(text, from: nil)
        let plain = text.utf8.allSatisfy { $0 < 0x80 && !(0x0B...0x0D).contains($0) }
        if diagnostics.isEmpty && plain {
            #expect(warm?.policy == full, "warm load differs:\n\(text)", sourceLocation: sourceLocation)
            #expect(cold?.policy == full, "cold load differs:\n\(text)", sourceLocation: sourceLocation)
        } else {
            // A diagnostic is the full loader's to report, with its place; other text is read in full.
            #expect(warm == nil && cold == nil, "\(brief(diagnostics)):\n\(text)", sourceLocation: sourceLocation)
        }
        guard let warm else { return nil }
        kept.save(learned: warm.learned, used: warm.used)
        return warm.used.count
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomEditsGiveTheSamePolicyAsTheFullLoad(_ seed: UInt64) {
        var edits = PolicyEdits(rng: SeededGenerator(seed: seed))
        let base = edits.policy()
        #expect(PolicyLoader.load(text: base.joined(separator: "\n") + "\n", path: Self.policyPath).1.isEmpty)
        let kept = Self.keptZones()
        var lastClean = base
        var current = base
        var (clean, reusing) = (0, 0)
        for step in 0..<250 {
            // Edits pile up, but a broken policy is mostly abandoned for the last clean, plain one.
            if step % 3 == 0 { current = lastClean }
            current = edits.edit(current)
            let text = current.joined(separator: "\n") + (step % 7 == 0 ? "" : "\n")
            if (Self.compare(text, kept: kept) ?? 0) > 0 { reusing += 1 }
            // Text that is not plain ASCII loads in full however clean it is: not a base to edit further.
            if PolicyLoader.load(text: text, path: Self.policyPath).1.isEmpty && text.allSatisfy(\.isASCII)
                && !text.contains("\r") {
                lastClean = current
                clean += 1
            }
        }
        // The edits must exercise both ways: policies that load, most of them from what was kept, and others.
        #expect(clean > 60 && clean < 220 && reusing > clean / 2, "\(clean) clean, \(reusing) reusing")
    }

    @Test func anUnchangedStatementIsReusedAndAnEditedOneReadAgain() throws {
        var edits = PolicyEdits(rng: SeededGenerator(seed: 9))
        var lines = edits.policy()
        let original = lines.joined(separator: "\n") + "\n"
        let kept = Self.keptZones()
        let first = try #require(Self.load(original, from: kept))
        #expect(first.used.isEmpty && first.learned.count >= 8)
        kept.save(learned: first.learned, used: first.used)
        let line = try #require(lines.firstIndex { $0.hasPrefix("zone g0 ") })
        lines[line] = lines[line].replacingOccurrences(of: "zone g0  ", with: "zone g0  198.18.7.0/24, ")
        let text = lines.joined(separator: "\n") + "\n"
        let second = try #require(Self.load(text, from: kept))
        #expect(second.learned.count == 1 && second.used.count == first.learned.count - 1)
        #expect(second.policy == PolicyLoader.load(text: text, path: Self.policyPath).0)
        kept.save(learned: second.learned, used: second.used)
        // The statement as it was is kept too: going back finds both versions.
        let back = try #require(Self.load(original, from: kept))
        #expect(back.learned.isEmpty && back.used.count == first.learned.count)
        #expect(back.policy == first.policy)
    }

    /// Moving a statement keeps what was kept of it, with its new line numbers.
    @Test func aMovedStatementKeepsItsNewPlace() throws {
        let zone = "zone big  " + (0..<40).map { "198.18.\($0).0/24" }.joined(separator: ", ")
        let before = "\(zone)\nzone web 10.77.0.2\nweb -> big tcp/22\n"
        let after = "# moved\n\nzone web 10.77.0.2\n\n\(zone)\nweb -> big tcp/22\n"
        let kept = Self.keptZones()
        Self.compare(before, kept: kept)
        let moved = try #require(Self.load(after, from: kept))
        #expect(moved.used.count == 1)
        #expect(moved.policy.zone(named: "big")?.location.line == 5)
        Self.compare(after, kept: kept)
    }

    /// A list cut after a comma parses alone without an error; in the file it goes on: never cut there.
    @Test func aStatementThatGoesOnIsNotTakenAsEnded() {
        let zone = "zone big  " + (0..<40).map { "198.18.\($0).0/24" }.joined(separator: ", ")
        for text in ["\(zone),\nzone web 10.77.0.2\n", "\(zone),\n# c\n\nzone web 10.77.0.2\n",
                     "web ->\n\(zone)\nzone web 10.77.0.2\n", "acme web {\n\(zone)\n}\nzone web 10.77.0.2\n"] {
            let kept = Self.keptZones()
            Self.compare(text, kept: kept)
            Self.compare(text, kept: kept)
        }
    }

    @Test func anErrorGivesWayToTheFullLoadAndItsExactPlace() {
        let zone = "zone big  " + (0..<40).map { "198.18.\($0).0/24" }.joined(separator: ", ")
        let text = "zone web 10.77.0.2\n\(zone)\nzone bad 10.0.0.1/24\n"
        let kept = Self.keptZones()
        Self.compare(text.replacingOccurrences(of: "10.0.0.1/24", with: "10.0.0.0/24"), kept: kept)
        #expect(Self.load(text, from: kept) == nil)
        #expect(brief(PolicyLoader.load(text: text, path: "p.zt").1).first?.hasPrefix("3:10: error: host bits") == true)
    }
}

extension IncrementalLoader.Outcome: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.policy == rhs.policy && lhs.learned == rhs.learned && lhs.used == rhs.used
    }
}
