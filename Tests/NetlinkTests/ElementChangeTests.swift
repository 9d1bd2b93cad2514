import Glibc
import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// Changing set elements alone, without replacing the table.
final class ElementChangeTests: NamespaceTestCase {
    func testElementChangeAddsAndRemovesExactlyThoseElements() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))

        var desired = Fixtures.everything()
        // 10.0.1.0/24 and 10.0.2.5-10.0.2.9 give way to 10.0.2.0/23; one more range arrives.
        desired.sets[0].elements = [Fixtures.range("10.0.0.1"), Fixtures.prefix("10.0.2.0/23"),
                                    Fixtures.range("192.0.2.7"), Fixtures.range("198.51.100.1", "198.51.100.20")]
        desired.sets[1].elements.removeFirst()
        desired.sets[2].elements = [Fixtures.prefix("0.0.0.0/8")]
        desired.sets[4].elements = [Fixtures.range("0.0.0.0", "0.0.0.255")]

        let summary = try connection.applyElementChanges(from: live.table, to: desired, generation: live.generation)
        // web_v4: -10.0.1.0/24 -10.0.2.5-10.0.2.9 +10.0.2.0/23 +198.51.100.1-20; web_v6: -1;
        // edges_v4: -200.0.0.0-255.255.255.255; nobody_v4: +0.0.0.0/24.
        XCTAssertEqual(summary.added, 3)
        XCTAssertEqual(summary.removed, 4)
        let after = try XCTUnwrap(connection.readBack(name: "ztpol"))
        assertTablesEqual(after.table, desired.canonical)
        XCTAssertEqual(after.handle, live.handle, "the table was changed in place, not replaced")
        XCTAssertEqual(after.generation, live.generation + 1, "one commit")

        // The kernel's table now lists exactly like the desired table loaded by nft.
        let reference = try makeNamespace()
        try reference.load(NftRenderer().render(desired))
        XCTAssertEqual(try namespace.listTable(), try reference.listTable())
    }

    /// Only the changed sets are checked (the rest is the kernel's own), and a changed set with overlapping
    /// or foreign-family elements is refused before anything is sent.
    func testChangedSetWithBadElementsIsRefusedBeforeSending() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        let listed = try namespace.listTable()

        var overlapping = Fixtures.everything()
        overlapping.sets[0].elements += [Fixtures.prefix("203.0.113.0/24"), Fixtures.range("203.0.113.9")]
        var foreign = Fixtures.everything()
        foreign.sets[0].elements.append(Fixtures.range("2001:db8::1"))
        for desired in [overlapping, foreign] {
            XCTAssertThrowsError(try connection.applyElementChanges(from: live.table, to: desired,
                                                                    generation: live.generation)) { error in
                let error = error as? NetlinkError
                XCTAssertEqual(error?.code, .invalidTable)
                XCTAssertEqual(error?.problems.map(\.object), [.set(desired.sets[0].name)])
            }
        }
        XCTAssertEqual(try namespace.listTable(), listed)
        XCTAssertEqual(try connection.generation(), live.generation, "nothing was sent")
    }

    func testNoElementChangeSendsNothing() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        let summary = try connection.applyElementChanges(from: live.table, to: Fixtures.everything())
        XCTAssertNil(summary.batch)
        XCTAssertEqual(try connection.generation(), live.generation, "no commit at all")
    }

    func testStaleGenerationIsRefused() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        // Someone commits something in between.
        try namespace.nft("add", "table", "inet", "someone_else")
        var desired = live.table
        desired.sets[0].elements.append(Fixtures.range("203.0.113.9"))
        XCTAssertThrowsError(try connection.applyElementChanges(from: live.table, to: desired,
                                                                generation: live.generation)) { error in
            XCTAssertEqual((error as? NetlinkError)?.code, .rulesetChanged)
        }
        let after = try XCTUnwrap(connection.readBack(name: "ztpol"))
        XCTAssertEqual(after.table.sets[0].elements, live.table.sets[0].elements)
    }

    func testMoreThanElementsIsRefused() throws {
        var desired = Fixtures.everything()
        desired.chains[1].rules.removeLast()
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        XCTAssertThrowsError(try connection.applyElementChanges(from: Fixtures.everything(), to: desired)) { error in
            XCTAssertEqual((error as? NetlinkError)?.code, .notElementOnly)
        }
    }

    func testDeletingAMissingElementIsRefusedAndNamesTheSet() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        // A "live" table that claims an element the kernel does not have.
        var stale = Fixtures.everything()
        stale.sets[0].elements.append(Fixtures.range("203.0.113.9"))
        XCTAssertThrowsError(try connection.applyElementChanges(from: stale, to: Fixtures.everything())) { error in
            let error = error as? NetlinkError
            XCTAssertEqual(error?.code, .rejected)
            XCTAssertEqual(error?.object, .elements(set: "web_v4", part: 1, of: 1))
            XCTAssertEqual(error?.errno, ENOENT)
            XCTAssertEqual(error?.attribute, "element 1")
        }
    }
}
