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

    /// The place of the first byte that is not UTF-8, not the top of the file.
    @Test(arguments: [
        (Array("zone web 10.0.0.1 ".utf8) + [0xFF], 1, 19, "0xff"),
        (Array("zone web 10.0.0.1\n# caf\u{E9}\nzone b ".utf8) + [0xC3, 0x28], 3, 8, "0xc3"),
        ([0x80] + Array("zone".utf8), 1, 1, "0x80"),
    ])
    func aByteThatIsNotUTF8IsReportedWhereItStands(bytes: [UInt8], line: Int, column: Int, byte: String) {
        let (policy, diagnostics) = PolicyLoader.load(bytes: bytes, path: "p.zt")
        #expect(policy == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location.line == line)
        #expect(diagnostics.first?.location.column == column)
        #expect(diagnostics.first?.message.contains("byte \(byte) here") == true)
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
