import Foundation
import Nftables
import PolicyModel
import RulesetCompiler
import XCTest

/// Golden files: the compiled ruleset of every zone of every policy in `policies/` and `examples/`,
/// as `compile` prints it. A change to the compiler shows up as a diff of these files in review.
/// Re-record on purpose with `ZTPOL_RECORD_SNAPSHOTS=1 swift test --filter GoldenRulesetTests`.
final class GoldenRulesetTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    private var recording: Bool { ProcessInfo.processInfo.environment["ZTPOL_RECORD_SNAPSHOTS"] == "1" }

    /// Every `.zt` file under `policies/` and `examples/`, as paths relative to the repository.
    private func policies() throws -> [String] {
        var paths: [String] = []
        for folder in ["policies", "examples"] {
            let root = Self.repository.appendingPathComponent(folder)
            let walker = FileManager.default.enumerator(atPath: root.path)
            while let entry = walker?.nextObject() as? String {
                if entry.hasSuffix(".zt") { paths.append("\(folder)/\(entry)") }
            }
        }
        return paths.sorted()
    }

    func testEveryZoneOfEveryPolicyMatchesItsSnapshot() throws {
        let paths = try policies()
        XCTAssertGreaterThanOrEqual(paths.count, 3, "policies/webserver.zt and at least two examples")
        var compared = 0
        FileManager.default.changeCurrentDirectoryPath(Self.repository.path)
        for path in paths {
            let (loaded, diagnostics) = PolicyLoader.load(path: path)
            let policy = try XCTUnwrap(loaded, "\(path) must check: \(diagnostics.map(\.headline))")
            for zone in policy.zones {
                let table = try RulesetCompiler.compile(policy, zones: [zone.name])
                let text = NftRenderer(counters: .bare).render(table.canonical)
                let name = path.replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: ".zt", with: "") + ".\(zone.name).nft"
                let file = Self.snapshots.appendingPathComponent(name)
                if recording {
                    try text.write(to: file, atomically: true, encoding: .utf8)
                    continue
                }
                let expected = try String(contentsOf: file, encoding: .utf8)
                XCTAssertEqual(text, expected, "\(name) differs; re-record with ZTPOL_RECORD_SNAPSHOTS=1 if intended")
                compared += 1
            }
        }
        if !recording { XCTAssertGreaterThan(compared, 10) }
    }

    func testNoSnapshotIsLeftWithoutItsPolicy() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.snapshots.path).filter { $0.hasSuffix(".nft") }
        let prefixes = try policies().map { $0.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".zt", with: "") }
        for file in files {
            XCTAssertTrue(prefixes.contains { file.hasPrefix($0 + ".") }, "\(file) belongs to no policy: delete it")
        }
    }
}
