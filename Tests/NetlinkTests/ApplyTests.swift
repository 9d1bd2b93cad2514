import Glibc
import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// Applying a table through netlink, checked against nft itself in real network namespaces.
final class ApplyTests: NamespaceTestCase {
    func testApplyCreatesTheTableAsNftFileWouldLoadIt() throws {
        let table = Fixtures.everything()
        let byNetlink = try makeNamespace(), byNft = try makeNamespace()
        XCTAssertThrowsError(try byNetlink.listTable(), "the namespace starts without the table")

        let summary = try NetlinkConnection(namespace: byNetlink.name).apply(table)
        try byNft.load(NftRenderer().render(table))

        // nft's own listing is the judge: what ztpol put in the kernel reads exactly like what nft loaded.
        let listedNetlink = try byNetlink.listTable(), listedNft = try byNft.listTable()
        XCTAssertEqual(listedNetlink, listedNft)
        // And the renderer prints what nft lists.
        XCTAssertEqual(NftRenderer().render(table), listedNft)
        XCTAssertGreaterThan(summary.messages, table.sets.count + table.chains.count + table.ruleCount)
    }

    /// `create` is `apply` without the table's deletion: the same table in the kernel where there was
    /// none, and a refusal that changes nothing where there is one.
    func testCreateWritesWhatApplyWritesAndRefusesAnExistingTable() throws {
        let table = Fixtures.everything()
        let created = try makeNamespace(), applied = try makeNamespace()
        let connection = try NetlinkConnection(namespace: created.name)
        let summary = try connection.create(table)
        try NetlinkConnection(namespace: applied.name).apply(table)
        XCTAssertEqual(try created.listTable(), try applied.listTable())
        XCTAssertEqual(summary.generation, try connection.generation())
        XCTAssertTrue(try connection.holds(table), "the stamp is written as by apply")

        let listed = try created.listTable()
        var other = table
        other.sets[0].elements.append(Fixtures.range("203.0.113.1"))
        XCTAssertThrowsError(try connection.create(other)) { error in
            let error = error as? NetlinkError
            XCTAssertEqual(error?.code, .rejected)
            XCTAssertEqual(error?.errno, EEXIST)
            XCTAssertEqual(error?.object, .table(.inet, "ztpol"))
        }
        XCTAssertEqual(try created.listTable(), listed)
        XCTAssertEqual(try connection.generation(), summary.generation, "a refused batch commits nothing")
    }

    func testReadBackEqualsWhatWasApplied() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        XCTAssertNil(try connection.readBack(name: "ztpol"))
        let table = Fixtures.everything()
        try connection.apply(table)
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        assertTablesEqual(live.table, table.canonical)
        XCTAssertEqual(live.generation, try connection.generation())
    }

    func testReadBackOfATableLoadedByNft() throws {
        let namespace = try makeNamespace()
        let table = Fixtures.everything()
        try namespace.load(NftRenderer().render(table))
        let live = try XCTUnwrap(NetlinkConnection(namespace: namespace.name).readBack(name: "ztpol"))
        assertTablesEqual(live.table, table.canonical)
    }

    func testReapplyReplacesTheWholeTable() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        let first = try XCTUnwrap(connection.readBack(name: "ztpol"))

        var second = Fixtures.everything()
        second.sets.removeLast()
        second.sets[0].elements = [Fixtures.range("10.9.9.9")]
        second.chains.removeFirst()
        second.chains[0].rules = [Rule([.ports(.tcp, .destination, [PortRange(22)])], verdict: .accept)]
        try connection.apply(second)

        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        assertTablesEqual(live.table, second.canonical)
        XCTAssertNotEqual(live.handle, first.handle, "a replaced table is a new table")
        XCTAssertEqual(try namespace.listTable(), NftRenderer().render(second))
    }

    func testForeignTablesStayByteForByteTheSame() throws {
        let namespace = try makeNamespace()
        try namespace.load("""
            table ip nat {
            \tchain DOCKER {
            \t\tiifname "docker0" return
            \t}
            \tchain PREROUTING {
            \t\ttype nat hook prerouting priority dstnat; policy accept;
            \t\tfib daddr type local counter jump DOCKER
            \t}
            }
            table inet filter {
            \tset admins { type ipv4_addr; flags interval; elements = { 192.0.2.0/24 } }
            \tchain input {
            \t\ttype filter hook input priority filter; policy accept;
            \t\tip saddr @admins tcp dport 22 accept comment "admin ssh"
            \t}
            }
            table inet ztpolx {
            \tchain c { }
            }
            """)
        let foreign = { () throws -> [String] in
            [try namespace.listTable("ip", "nat"), try namespace.listTable("inet", "filter"),
             try namespace.listTable("inet", "ztpolx")]
        }
        let before = try foreign()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        XCTAssertEqual(try foreign(), before, "after apply")
        try connection.apply(Fixtures.everything())
        XCTAssertEqual(try foreign(), before, "after re-apply")
        var broken = Fixtures.everything()
        broken.chains[1].rules.append(Rule([], verdict: .jump("missing")))
        XCTAssertThrowsError(try connection.apply(broken))
        XCTAssertEqual(try foreign(), before, "after a refused apply")
        XCTAssertEqual(try namespace.nft("list", "tables"),
                       "table ip nat\ntable inet filter\ntable inet ztpolx\ntable inet ztpol\n")
    }

    func testRefusedBatchNamesTheRuleAndChangesNothing() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.everything())
        let listed = try namespace.listTable()
        let generation = try connection.generation()

        var broken = Fixtures.everything(name: "ztpol")
        broken.sets[0].elements.append(Fixtures.range("203.0.113.1"))
        broken.chains[1].rules.insert(Rule([], verdict: .jump("nowhere")), at: 2)
        XCTAssertThrowsError(try connection.apply(broken)) { error in
            guard let error = error as? NetlinkError else { return XCTFail("not a NetlinkError: \(error)") }
            XCTAssertEqual(error.code, .rejected)
            XCTAssertEqual(error.object, .rule(3, chain: "input"))
            XCTAssertEqual(error.errno, ENOENT)
            XCTAssertEqual(error.attribute, "expression 1 (immediate)")
            XCTAssertEqual(error.description, "the kernel refused rule 3 of chain input: No such file or directory "
                           + "(at expression 1 (immediate)); nothing was changed")
        }
        XCTAssertEqual(try namespace.listTable(), listed)
        XCTAssertEqual(try connection.generation(), generation, "a refused batch commits nothing")
    }

    func testLoopIsRefusedBeforeSendingNamingTheRuleThatClosesIt() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        let table = Table(name: "ztpol", chains: [
            Chain(name: "a", rules: [Rule([], verdict: .jump("b"))]),
            Chain(name: "b", rules: [Rule([.l4Protocol(.tcp)], verdict: .accept), Rule([], verdict: .jump("a"))]),
            Chain(name: "input", base: .init(hook: .input, policy: .accept), rules: [Rule([], verdict: .jump("a"))]),
        ])
        let generation = try connection.generation()
        // The kernel would only say "too many links" at the base chain's jump; validation names the loop.
        XCTAssertThrowsError(try connection.apply(table)) { error in
            let error = error as? NetlinkError
            XCTAssertEqual(error?.code, .invalidTable)
            XCTAssertEqual(error?.problems.map(\.description),
                           ["rule 2 of chain b: jump to a closes a loop: a → b → a"])
        }
        XCTAssertThrowsError(try namespace.listTable(), "nothing was applied")
        XCTAssertEqual(try connection.generation(), generation, "nothing was sent")
    }

    func testInvalidTableIsRefusedBeforeSending() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        var table = Fixtures.everything()
        table.sets[0].elements = [Fixtures.range("10.0.0.1", "10.0.0.9"), Fixtures.range("10.0.0.5")]
        table.chains[1].rules[0].comment = "a \"quoted\" word"
        let generation = try connection.generation()
        XCTAssertThrowsError(try connection.apply(table)) { error in
            let error = error as? NetlinkError
            XCTAssertEqual(error?.code, .invalidTable)
            XCTAssertEqual(error?.problems.map(\.object), [.set("web_v4"), .rule(1, chain: "input")])
        }
        XCTAssertEqual(try connection.generation(), generation)
    }

    func testNamespaceOptionTouchesOnlyThatNamespace() throws {
        let namespace = try makeNamespace()
        let table = Table(name: "ztt_namespace_probe", chains: [Chain(name: "c")])
        try NetlinkConnection(namespace: namespace.name).apply(table)
        XCTAssertEqual(try namespace.nft("list", "tables"), "table inet ztt_namespace_probe\n")
        let here = try TestNamespace.run(["nft", "list", "tables"])
        XCTAssertFalse(here.contains("ztt_namespace_probe"), "the calling thread's namespace is untouched")
        // The thread is back home: a connection without a namespace sees this namespace's tables.
        XCTAssertNil(try NetlinkConnection().readBack(name: "ztt_namespace_probe"))
    }

    func testMissingNamespaceIsAnError() {
        XCTAssertThrowsError(try NetlinkConnection(namespace: "ztt-does-not-exist")) { error in
            let error = error as? NetlinkError
            XCTAssertEqual(error?.call, "open(/run/netns/ztt-does-not-exist)")
            XCTAssertEqual(error?.errno, ENOENT)
        }
    }
}
