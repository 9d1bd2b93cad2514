import Foundation
import PolicyLanguage
import PolicyModel
import Testing

/// Half-written policies are what an editor's "check on save" sees: they must never crash the front end, and a
/// policy that is refused must say why.
@Suite struct RobustnessTests {
    static func text(_ relative: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(relative), encoding: .utf8)
    }

    @Test func everyPrefixOfTheWebserverPolicyIsHandled() throws {
        let text = try Self.text("policies/webserver.zt")
        for end in text.indices {
            let (policy, diagnostics) = PolicyLoader.load(text: String(text[..<end]), path: "/nonexistent/w.zt")
            #expect(policy != nil || diagnostics.contains { $0.severity == .error })
        }
    }

    @Test(arguments: ["examples/three-tier.zt", "examples/ipv6-only.zt"])
    func everyLineDroppedOrDoubledIsHandled(_ relative: String) throws {
        let lines = try Self.text(relative).split(separator: "\n", omittingEmptySubsequences: false)
        for index in lines.indices {
            var dropped = lines, doubled = lines
            dropped.remove(at: index)
            doubled.insert(lines[index], at: index)
            for variant in [dropped, doubled] {
                let (policy, diagnostics) = PolicyLoader.load(text: variant.joined(separator: "\n"), path: "/x/p.zt")
                #expect(policy != nil || diagnostics.contains { $0.severity == .error })
            }
        }
    }
}
