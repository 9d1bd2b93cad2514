import RulesetDiff
import XCTest

/// Which zone of the old policy is which of the new one.
final class ZonePairingTests: XCTestCase {
    func testZonesPairByNameThenByIdenticalAddresses() throws {
        let old = try policy(text: "zone a 10.0.0.1\nzone b 10.0.0.2\nzone c 10.0.0.3\n")
        let new = try policy(text: "zone a 10.0.0.1\nzone bee 10.0.0.2\nzone d 10.0.0.4\n")
        XCTAssertEqual(ZonePairing.pairs(old: old, new: new), [
            ZonePair(old: "a", new: "a"), ZonePair(old: "b", new: "bee"), ZonePair(old: nil, new: "d"),
            ZonePair(old: "c", new: nil),
        ])
    }

    func testARenamedZoneThatAlsoChangedAddressesIsARemovalAndAnAddition() throws {
        let old = try policy(text: "zone b 10.0.0.2\n")
        let new = try policy(text: "zone bee 10.0.0.2, 10.0.0.3\n")
        XCTAssertEqual(ZonePairing.pairs(old: old, new: new),
                       [ZonePair(old: nil, new: "bee"), ZonePair(old: "b", new: nil)])
    }

    func testZonesNamedByEitherNameInTheOrderGiven() throws {
        let old = try policy(text: "zone a 10.0.0.1\nzone b 10.0.0.2\n")
        let new = try policy(text: "zone a 10.0.0.1\nzone bee 10.0.0.2\n")
        XCTAssertEqual(try ZonePairing.pairs(named: ["b", "a", "bee"], old: old, new: new),
                       [ZonePair(old: "b", new: "bee"), ZonePair(old: "a", new: "a")])
        XCTAssertThrowsError(try ZonePairing.pairs(named: ["c"], old: old, new: new)) { error in
            XCTAssertEqual("\(error)", "no zone named 'c' in either policy; zones are: a, bee")
        }
    }

    func testAZoneOnOneSideOnlyIsATableCreatedOrDeleted() throws {
        let old = try policy(text: "zone a 10.0.0.1\nzone c 10.0.0.3\nservice s tcp/1\na -> c s\n")
        let new = try policy(text: "zone a 10.0.0.1\nzone d 10.0.0.4\nservice s tcp/1\na -> d s\n")
        let tables = try PolicyComparison.compare(old, new, pairs: ZonePairing.pairs(old: old, new: new))
        XCTAssertEqual(tables.map(\.status), [.changed, .added, .removed])
        XCTAssertEqual(tables.map(\.diff.action), [.replace, .create, .delete])
        XCTAssertEqual(tables[1].diff.lines().first, DiffLine(.added, "add table inet ztpol"))
    }
}
