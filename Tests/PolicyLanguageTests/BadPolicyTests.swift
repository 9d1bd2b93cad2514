import Foundation
import PolicyLanguage
import PolicyModel
import Testing

/// Each file in `BadPolicies/` is a policy followed by the exact diagnostics it must produce, one per `#!` line
/// (`#! line:col: severity: message`, related notes after their diagnostic). `#!` lines are comments to the
/// parser and sit at the end, so they do not move the policy's own lines.
///
/// To re-record after a deliberate change of wording, run with `ZTPOL_RECORD=1` and review the diff.
@Suite struct BadPolicyTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("BadPolicies")
    static let sourceFolder = repositoryRoot.appendingPathComponent("Tests/PolicyLanguageTests/BadPolicies")

    static let files: [String] = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))
        .map { $0.filter { $0.hasSuffix(".zt") }.sorted() } ?? []

    @Test func thereAreEnoughBadPolicies() {
        #expect(Self.files.count >= 35)
    }

    @Test(arguments: files)
    func reportsExactlyTheExpectedDiagnostics(_ name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        let content = try String(contentsOf: url, encoding: .utf8)
        let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
        let expected = lines.filter { $0.hasPrefix("#! ") }.map { String($0.dropFirst(3)) }
        let policy = lines.filter { !$0.hasPrefix("#! ") }.joined(separator: "\n")

        let (result, diagnostics) = PolicyLoader.load(text: policy, path: url.path)
        let actual = brief(diagnostics).map { $0.replacingOccurrences(of: Self.folder.path + "/", with: "") }

        if ProcessInfo.processInfo.environment["ZTPOL_RECORD"] != nil {
            let body = policy.hasSuffix("\n") ? policy : policy + "\n"
            let recorded = body + actual.map { "#! \($0)\n" }.joined()
            try recorded.write(to: Self.sourceFolder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        #expect(!expected.isEmpty, "no #! expectations in \(name)")
        #expect(actual == expected)
        if diagnostics.contains(where: { $0.severity == .error }) { #expect(result == nil) }
    }
}
