import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// Recognising a no-op without reading the table back: the stamp ztpol writes with its table.
final class StampTests: NamespaceTestCase {
    func testAppliedTableIsRecognisedUntilAnythingIsCommitted() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        let table = Fixtures.everything()
        XCTAssertFalse(try connection.holds(table), "no table yet")
        let summary = try connection.apply(table)
        XCTAssertEqual(summary.generation, try connection.generation(), "the summary names the commit's generation")

        XCTAssertTrue(try connection.holds(table))
        XCTAssertTrue(try connection.holds(table.canonical))
        var other = table
        other.sets[0].elements.removeLast()
        XCTAssertFalse(try connection.holds(other))
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        XCTAssertEqual(live.stamp, TableStamp(fingerprint: table.fingerprint, generation: summary.generation))
        XCTAssertEqual(try connection.generation(), summary.generation, "checking commits nothing")

        // Any commit, even to another table, makes the answer "not known".
        try namespace.nft("add", "table", "inet", "unrelated")
        XCTAssertFalse(try connection.holds(table))
    }

    func testElementChangeHandsBackTheStampToKeep() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        let table = Fixtures.everything()
        try connection.apply(table)
        var desired = table
        desired.sets[0].elements.append(Fixtures.range("203.0.113.1"))
        let summary = try connection.applyElementChanges(from: table, to: desired)
        XCTAssertEqual(summary.stamp.generation, try connection.generation())
        XCTAssertFalse(try connection.holds(desired), "the kernel's stamp is the full apply's")
        XCTAssertTrue(try connection.holds(desired, stamps: [summary.stamp]))
        XCTAssertFalse(try connection.holds(table, stamps: [summary.stamp]))

        // Nothing to change: nothing sent, and the stamp found is still good.
        let again = try connection.applyElementChanges(from: desired, to: desired)
        XCTAssertNil(again.batch)
        XCTAssertEqual(again.stamp, summary.stamp)
    }

    func testFingerprintIsStableAndSensitive() {
        let table = Fixtures.everything()
        XCTAssertEqual(table.fingerprint, Fixtures.everything().fingerprint)
        XCTAssertEqual(table.fingerprint, table.canonical.fingerprint)
        var renamed = table
        renamed.chains[1].rules[0].comment = "loopback!"
        var moved = table
        moved.sets[0].elements[0] = Fixtures.range("10.0.0.2")
        var family = table
        family.chains[1].rules[3].matches = [.connectionState(.new)]
        let fingerprints = Set([table, renamed, moved, family].map(\.fingerprint))
        XCTAssertEqual(fingerprints.count, 4)
    }
}
