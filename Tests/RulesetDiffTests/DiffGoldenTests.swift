import Foundation
import RulesetDiff
import XCTest

/// Golden files of `ztpol diff OLD NEW` for realistic edits, every zone, as text, JSON and Markdown:
/// a change to how diffs are computed or printed shows up in review as a change of these files.
/// Re-record on purpose with `ZTPOL_RECORD_SNAPSHOTS=1 swift test --filter DiffGoldenTests`.
final class DiffGoldenTests: XCTestCase {
    private static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    private var recording: Bool { ProcessInfo.processInfo.environment["ZTPOL_RECORD_SNAPSHOTS"] == "1" }

    /// Every edit under `Fixtures/`.
    private func cases() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixtures.path).sorted()
    }

    /// The report `ztpol diff CASE/before/policy.zt CASE/after/policy.zt --all-zones` makes.
    private func report(_ name: String) throws -> DiffReport {
        let (oldPath, newPath) = ("\(name)/before/policy.zt", "\(name)/after/policy.zt")
        let old = try policy(oldPath), new = try policy(newPath)
        let tables = try PolicyComparison.compare(old, new, pairs: ZonePairing.pairs(old: old, new: new))
        return DiffReport(old: .policy(path: oldPath), new: .policy(path: newPath), tables: tables)
    }

    func testEveryEditMatchesItsGoldenFiles() throws {
        let names = try cases()
        XCTAssertEqual(names, ["flow-added", "flow-removed", "service-port", "zone-grows", "zone-renamed"])
        for name in names {
            let report = try report(name)
            XCTAssertTrue(report.differs, "\(name) is an edit")
            let outputs = [
                ("txt", TextDiffRenderer().render(report)),
                ("json", try JSONDiffRenderer().render(report)),
                ("md", MarkdownDiffRenderer().render(report)),
            ]
            for (suffix, text) in outputs {
                let file = Self.golden.appendingPathComponent("\(name).\(suffix)")
                if recording {
                    try text.write(to: file, atomically: true, encoding: .utf8)
                    continue
                }
                let expected = try String(contentsOf: file, encoding: .utf8)
                XCTAssertEqual(text, expected,
                               "\(name).\(suffix) differs; re-record with ZTPOL_RECORD_SNAPSHOTS=1 if intended")
            }
        }
    }

    func testNoGoldenFileIsLeftWithoutItsEdit() throws {
        let names = try cases()
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.golden.path) {
            let name = (file as NSString).deletingPathExtension
            XCTAssertTrue(names.contains(name), "\(file) belongs to no edit under Fixtures/: delete it")
        }
    }

    func testAPolicyAgainstItselfDiffersNowhere() throws {
        let before = try policy("zone-grows/before/policy.zt")
        let tables = try PolicyComparison.compare(before, before, pairs: ZonePairing.pairs(old: before, new: before))
        XCTAssertEqual(tables.map(\.status), Array(repeating: .unchanged, count: 4))
        let report = DiffReport(old: .policy(path: "a.zt"), new: .policy(path: "a.zt"), tables: tables)
        XCTAssertFalse(report.differs)
        XCTAssertEqual(TextDiffRenderer().render(report),
                       "--- a.zt\n+++ a.zt\n\nunchanged: zone ra; zone web; zone services; zone admins\n")
    }
}
