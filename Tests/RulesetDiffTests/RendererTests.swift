import Foundation
import NetworkAddresses
import Nftables
import RulesetDiff
import XCTest

/// The three renderings of a report against the kernel, from a table someone edited by hand.
final class RendererTests: XCTestCase {
    private let compiled = Table(name: "ztpol", sets: [
        NamedSet(name: "web_v4", family: .ipv4, elements: [AddressRange(IPAddress("10.0.0.2")!)], comment: "web"),
    ], chains: [Chain(name: "input", base: .init(hook: .input, policy: .drop), rules: [
        Rule([.addressInSet(.source, .ipv4, set: "web_v4")], verdict: .accept, comment: "`odd` comment"),
    ])])

    private func report(live: Table?) -> DiffReport {
        DiffReport(old: .kernel(namespace: "web", generation: 7, handle: 3), new: .policy(path: "site.zt"),
                   tables: [TableReport(zones: ["web", "db"], diff: TableDiff(from: live, to: compiled))])
    }

    private var drifted: Table {
        var live = compiled
        live.sets[0].elements.append(AddressRange(IPAddress("10.0.0.9")!))
        live.chains[0].rules.insert(Rule([.unrecognised("[meta load mark => reg 1]")], verdict: .accept), at: 0)
        live.unrecognised = ["set ports { key type 13 }"]
        return live
    }

    func testTextNamesTheKernelAndMarksEveryDrift() {
        XCTAssertEqual(TextDiffRenderer().render(report(live: drifted)), """
            --- kernel: table inet ztpol (generation 7, handle 3) in netns web
            +++ site.zt

            zones web, db: 1 rule removed, 1 set element removed, 1 unrecognised object removed; \
            apply replaces table inet ztpol
            @@ set web_v4: loses 10.0.0.9 @@
            - add element inet ztpol web_v4 { 10.0.0.9 }
            @@ chain input @@
            - add rule inet ztpol input <unrecognised [meta load mark => reg 1]> accept  # rule 1
            @@ objects ztpol cannot express @@
            - set ports { key type 13 }

            """)
    }

    func testColourIsANSIAndOnlyWhenAsked() {
        let plain = TextDiffRenderer(colour: false).render(report(live: drifted))
        let coloured = TextDiffRenderer(colour: true).render(report(live: drifted))
        XCTAssertFalse(plain.contains("\u{1B}["))
        XCTAssertTrue(coloured.contains("\u{1B}[31m- add element inet ztpol web_v4 { 10.0.0.9 }\u{1B}[0m"))
        XCTAssertTrue(coloured.contains("\u{1B}[36m@@ chain input @@\u{1B}[0m"))
    }

    func testMarkdownFencesSurviveBackticksInComments() {
        var live = compiled
        live.chains[0].rules[0].comment = "``` closes a fence"
        let markdown = MarkdownDiffRenderer().render(report(live: live))
        XCTAssertTrue(markdown.hasPrefix("## ztpol diff: `kernel: table inet ztpol (generation 7, handle 3) "
                                         + "in netns web` → `site.zt`\n\n"
                                         + "**The kernel's table differs from the policy.**\n"))
        XCTAssertTrue(markdown.contains("### zones `web`, `db`\n"))
        XCTAssertTrue(markdown.contains("\n````diff\n@@ chain input @@\n~ rule 1: comment \"``` closes a fence\" → "
                                        + "\"`odd` comment\"\n````\n"))
    }

    func testJSONOfAMissingTableAndOfNoChange() throws {
        let created = try JSONSerialization.jsonObject(with: Data(JSONDiffRenderer().render(
            DiffReport(old: .kernel(namespace: nil, generation: nil, handle: nil), new: .policy(path: "site.zt"),
                       tables: [TableReport(zones: ["web"], diff: TableDiff(from: nil, to: compiled))])).utf8))
        let object = try XCTUnwrap(created as? [String: Any])
        let old = try XCTUnwrap(object["old"] as? [String: Any])
        XCTAssertEqual(old["kind"] as? String, "kernel")
        XCTAssertEqual(old["table_exists"] as? Bool, false)
        XCTAssertTrue(old["generation"] is NSNull && old["netns"] is NSNull)
        let table = try XCTUnwrap((object["tables"] as? [[String: Any]])?.first)
        XCTAssertEqual(table["status"] as? String, "added")
        XCTAssertEqual(table["action"] as? String, "create")
        XCTAssertEqual((table["counts"] as? [String: Int])?["rules_added"], 1)

        let same = try JSONDiffRenderer().render(report(live: compiled))
        XCTAssertTrue(same.contains("\"differs\" : false"))
        XCTAssertTrue(same.contains("\"action\" : \"none\""))
        XCTAssertTrue(same.contains("\"status\" : \"unchanged\""))
    }
}
