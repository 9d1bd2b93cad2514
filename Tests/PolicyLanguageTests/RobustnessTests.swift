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

    /// Resolution recurses per level of nesting: a generated chain (or cycle) of 100 000 zones or services must
    /// end in one diagnostic, not in a stack overflow.
    @Test(arguments: [false, true])
    func chainsOfAHundredThousandNamesAreRefusedNotACrash(_ closed: Bool) {
        let count = 100_000
        var lines = (0..<count).map { "zone z\($0) z\($0 + 1)" }
        lines.append(closed ? "zone z\(count) z0" : "zone z\(count) 10.0.0.1")
        lines += (0..<count).map { "service s\($0) s\($0 + 1)" }
        lines.append(closed ? "service s\(count) s0" : "service s\(count) tcp/1")
        lines.append("z0 -> z0 s0")
        let (policy, diagnostics) = PolicyLoader.load(text: lines.joined(separator: "\n"), path: "/x/deep.zt")
        #expect(policy == nil)
        #expect(diagnostics.map(\.id) == ["nesting-too-deep", "nesting-too-deep"])
    }
}
