import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// Rules that differ only in their comments (flows moved to other lines) are replaced where they stand,
/// with any element changes, in one transaction: the table is not replaced.
final class CommentChangeTests: NamespaceTestCase {
    func testRecommentedRulesAreReplacedInPlaceWithTheElements() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))

        var desired = Fixtures.everything()
        let input = try XCTUnwrap(desired.chains.firstIndex { $0.name == "input" })
        let flow = try XCTUnwrap(desired.chains[input].rules.firstIndex { $0.comment?.hasPrefix("webserver.zt:8") == true })
        desired.chains[input].rules[flow].comment = "webserver.zt:9: ra, services -> web https"
        desired.chains[input].rules[0].comment = nil
        desired.sets[0].elements.append(Fixtures.range("203.0.113.50"))
        XCTAssertEqual(TableDiff(from: live.table, to: desired).action, .comments)

        let (elements, rules) = try connection.applyCommentChanges(from: live, to: desired)
        XCTAssertEqual(rules, 2)
        XCTAssertEqual([elements.added, elements.removed], [1, 0])
        let after = try XCTUnwrap(connection.readBack(name: "ztpol"))
        assertTablesEqual(after.table, desired.canonical)
        XCTAssertEqual(after.handle, live.handle, "the table was changed in place, not replaced")
        XCTAssertEqual(after.ruleHandles, live.ruleHandles, "each rule replaced under its own handle")
        XCTAssertEqual(after.generation, live.generation + 1, "one commit")

        let reference = try makeNamespace()
        try reference.load(NftRenderer().render(desired))
        XCTAssertEqual(try namespace.listTable(), try reference.listTable())
    }

    /// Every rule recommented, those that look up anonymous sets and verdict maps among them: each is sent
    /// with its own anonymous set or map again.
    func testRulesWithAnonymousSetsAndMapsAreRecommented() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.serviceFirst())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))

        var desired = Fixtures.serviceFirst()
        var count = 0
        for chain in desired.chains.indices {
            for rule in desired.chains[chain].rules.indices {
                desired.chains[chain].rules[rule].comment = "moved \(chain).\(rule)"
                count += 1
            }
        }
        XCTAssertTrue(desired.chains.contains { $0.rules.contains { if case .map = $0.verdict { true } else { false } } })
        let (_, rules) = try connection.applyCommentChanges(from: live, to: desired)
        XCTAssertEqual(rules, count)
        let after = try XCTUnwrap(connection.readBack(name: "ztpol"))
        assertTablesEqual(after.table, desired.canonical)
        XCTAssertEqual(after.ruleHandles, live.ruleHandles)

        let reference = try makeNamespace()
        try reference.load(NftRenderer().render(desired))
        XCTAssertEqual(try namespace.listTable(), try reference.listTable())
    }

    /// A rule that differs beyond its comment, or one rule more, and nothing is sent.
    func testMoreThanCommentsIsRefused() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        let listed = try namespace.listTable()
        let input = try XCTUnwrap(Fixtures.everything().chains.firstIndex { $0.name == "input" })

        var verdict = Fixtures.everything()
        verdict.chains[input].rules[0].comment = "moved"
        verdict.chains[input].rules[1].verdict = .accept
        var added = Fixtures.everything()
        added.chains[input].rules[0].comment = "moved"
        added.chains[input].rules.append(Rule([.l4Protocol(.udp)], verdict: .accept))
        for desired in [verdict, added] {
            XCTAssertEqual(TableDiff(from: live.table, to: desired).action, .replace)
            XCTAssertThrowsError(try connection.applyCommentChanges(from: live, to: desired)) { error in
                XCTAssertEqual((error as? NetlinkError)?.code, .notElementOnly)
            }
        }
        XCTAssertEqual(try namespace.listTable(), listed)
        XCTAssertEqual(try connection.generation(), live.generation, "nothing was sent")
    }
}
