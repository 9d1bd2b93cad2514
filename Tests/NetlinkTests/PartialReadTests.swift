import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// Reading some sets of a large table without the rest, and knowing a table by its fingerprint alone.
final class PartialReadTests: NamespaceTestCase {
    func testSomeSetsReadBackAsTheWholeTableHasThem() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        let table = Fixtures.everything()
        try connection.apply(table)
        let generation = try connection.generation()

        let wanted = [table.sets[1], table.sets[2], table.sets[4]]
        let read = try connection.readElements(of: wanted.map { ($0.name, $0.family) }, table: "ztpol")
        XCTAssertEqual(read.generation, generation)
        XCTAssertEqual(Set(read.sets.keys), Set(wanted.map(\.name)))
        let whole = try XCTUnwrap(connection.readBack(name: "ztpol")).table
        for set in wanted {
            XCTAssertEqual(read.sets[set.name], set.elements, set.name)
            XCTAssertEqual(read.sets[set.name], whole.sets.first { $0.name == set.name }?.elements, set.name)
        }
        XCTAssertEqual(try connection.generation(), generation, "reading commits nothing")
    }

    func testTableIsKnownByItsFingerprint() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        let table = Fixtures.everything()
        XCTAssertNil(try connection.generation(holding: table.fingerprint, name: "ztpol"), "no table yet")
        let summary = try connection.apply(table)
        XCTAssertEqual(try connection.generation(holding: table.fingerprint, name: "ztpol"), summary.generation)
        XCTAssertEqual(table.fingerprint, table.fingerprint(elements: table.sets.map(\.elementsFingerprint)))
        XCTAssertNil(try connection.generation(holding: table.fingerprint &+ 1, name: "ztpol"))

        var changed = table
        changed.sets[0].elements.removeLast()
        XCTAssertEqual(changed.shapeFingerprint, table.shapeFingerprint, "elements are not the shape")
        XCTAssertNotEqual(changed.sets[0].elementsFingerprint, table.sets[0].elementsFingerprint)
        XCTAssertEqual(changed.sets[1].elementsFingerprint, table.sets[1].elementsFingerprint)
        var renamed = table
        renamed.sets[0].comment = "another zone"
        XCTAssertNotEqual(renamed.shapeFingerprint, table.shapeFingerprint)
    }

    func testNamespacesHaveTheirOwnCookies() throws {
        let first = try NetlinkConnection(namespace: try makeNamespace().name)
        let second = try NetlinkConnection(namespace: try makeNamespace().name)
        XCTAssertEqual(try first.namespaceCookie(), try first.namespaceCookie())
        XCTAssertNotEqual(try first.namespaceCookie(), try second.namespaceCookie())
        XCTAssertNotEqual(try first.namespaceCookie(), try NetlinkConnection().namespaceCookie())
    }
}
