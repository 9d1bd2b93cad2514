import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// A table someone edited with nft reads back without crashing, and shows what ztpol does not model.
final class UnrecognisedTests: NamespaceTestCase {
    func testHandEditedTableReadsBackWithTheEditsVisible() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        try namespace.load("""
            add rule inet ztpol input meta mark 0x1 accept
            add rule inet ztpol input ip saddr 192.0.2.1 counter
            add rule inet ztpol input iifname "eth*" tcp dport 22 goto helper
            add rule inet ztpol input ip saddr { 192.0.2.1, 192.0.2.9 } drop
            add set inet ztpol ports { type inet_service; elements = { 22, 80 }; }
            add chain inet ztpol pre { type nat hook prerouting priority dstnat; }
            add element inet ztpol web_v4 { 198.51.100.0/24 }
            """)
        let live = try XCTUnwrap(connection.readBack(name: "ztpol")).table
        let input = try XCTUnwrap(live.chains.first { $0.name == "input" }).rules.suffix(4)
        let texts = input.map { NftRenderer().ruleText($0) }
        XCTAssertEqual(texts[texts.startIndex],
                       "<unrecognised [meta load mark => reg 1] [cmp eq reg 1 0x00000001]> accept")
        XCTAssertEqual(texts[texts.startIndex + 1],
                       "meta nfproto ipv4 <unrecognised [payload load 4b @ network header + 12 => reg 1] "
                       + "[cmp eq reg 1 0x010200c0]> counter packets 0 bytes 0")
        XCTAssertTrue(texts[texts.startIndex + 2].hasPrefix("<unrecognised [meta load iifname => reg 1] [cmp eq reg 1"))
        XCTAssertTrue(texts[texts.startIndex + 2]
            .hasSuffix("tcp dport 22 <unrecognised [immediate reg 0 goto -> helper]>"))
        XCTAssertTrue(texts[texts.startIndex + 3]
            .contains("<unrecognised [payload load 4b @ network header + 12 => reg 1] [lookup reg 1 set __set"))
        XCTAssertEqual(live.unrecognised, [
            "set ports { key type 13, key length 2, flags 0x0, 2 elements }",
            "chain pre { type nat hook 0 priority -100 }",
        ])
        XCTAssertTrue(live.sets[0].elements.contains(Fixtures.prefix("198.51.100.0/24")))

        // A diff can show it; applying the compiled table again removes all of it.
        XCTAssertNotEqual(live, Fixtures.everything().canonical)
        XCTAssertThrowsError(try connection.apply(live), "ztpol does not write what it cannot model")
        try connection.apply(Fixtures.everything())
        XCTAssertEqual(try XCTUnwrap(connection.readBack(name: "ztpol")).table, Fixtures.everything().canonical)
    }
}
