import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// 100k intervals: applied in one transaction, read back, changed by one element. Times are printed
/// side by side with `nft -f` of the same ruleset, not asserted: they depend on the machine.
final class LargeSetTests: NamespaceTestCase {
    func testHundredThousandIntervals() throws {
        let table = Fixtures.large(v4: 100_000, v6: 0)
        let text = NftRenderer().render(table)
        let ours = try makeNamespace(), theirs = try makeNamespace()
        let connection = try NetlinkConnection(namespace: ours.name)
        let clock = ContinuousClock()

        var summary: BatchSummary?
        let apply = try clock.measure { summary = try connection.apply(table) }
        // 200k elements do not fit one 64 KiB list nor one page: several messages, several pages, all
        // taken (the summary only exists once the last message was acknowledged and none refused).
        XCTAssertGreaterThan(try XCTUnwrap(summary).pages, 10)
        XCTAssertGreaterThan(try XCTUnwrap(summary).messages, 50)
        let nft = try clock.measure { try theirs.load(text) }
        var live: LiveTable?
        let readBack = try clock.measure { live = try connection.readBack(name: "ztpol") }
        let read = try XCTUnwrap(live)
        XCTAssertEqual(read.table, table.canonical)

        var changed = table
        changed.sets[0].elements.removeLast()
        changed.sets[0].elements.append(Fixtures.range("255.255.255.255"))
        let change = try clock.measure {
            try connection.applyElementChanges(from: read.table, to: changed, generation: read.generation)
        }
        let reapply = try clock.measure { try connection.apply(table) }
        var holds = false
        let noOp = try clock.measure { holds = try connection.holds(table) }
        XCTAssertTrue(holds)
        print("""
            100k IPv4 intervals (debug build): ztpol apply \(apply), nft -f \(nft) (process included), \
            ztpol re-apply (replace) \(reapply), read-back \(readBack), one-element change \(change), \
            no-op recognised by the stamp \(noOp)
            """)

        // nft itself lists the kernel's table the same after ztpol's apply as after its own load.
        XCTAssertEqual(try ours.listTable(), try theirs.listTable())
    }
}
