import Glibc
import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// Verdict maps and regular chains (the service-first form) applied through netlink, judged by nft's
/// own listing and by reading the table back, in real network namespaces.
final class VerdictMapTests: NamespaceTestCase {
    func testApplyListsExactlyAsNftFileLoadsIt() throws {
        let table = Fixtures.serviceFirst()
        let byNetlink = try makeNamespace(), byNft = try makeNamespace()
        try NetlinkConnection(namespace: byNetlink.name).apply(table)
        try byNft.load(NftRenderer().render(table))

        let listedNetlink = try byNetlink.listTable(), listedNft = try byNft.listTable()
        XCTAssertEqual(listedNetlink, listedNft)
        XCTAssertEqual(NftRenderer().render(table), listedNft)
        XCTAssertTrue(listedNft.contains("tcp dport vmap { 22 : jump input_tcp_22, 443 : jump input_tcp_443, "
                                         + "5840-6312 : jump input_tcp_5840_6312, 8080 : accept, 60000-65535 : drop }"))
        XCTAssertTrue(listedNft.contains("udp dport vmap { 53 : jump input_udp_53, 67-68 : accept, 69 : drop }"))
    }

    func testReadBackEqualsTheAppliedTable() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        let table = Fixtures.serviceFirst()
        try connection.apply(table)
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        assertTablesEqual(live.table, table.canonical)
        XCTAssertEqual(live.table.chains.filter { $0.base == nil }.map(\.name),
                       ["input_tcp_22", "input_tcp_443", "input_tcp_5840_6312", "input_udp_53"])
        XCTAssertTrue(live.table.unrecognised.isEmpty)
        XCTAssertTrue(try connection.holds(table))
    }

    func testReadBackOfMapsLoadedByNft() throws {
        let namespace = try makeNamespace()
        let table = Fixtures.serviceFirst()
        try namespace.load(NftRenderer().render(table))
        let live = try XCTUnwrap(NetlinkConnection(namespace: namespace.name).readBack(name: "ztpol"))
        assertTablesEqual(live.table, table.canonical)
    }

    /// A change of named-set elements alone stays an element batch with maps and regular chains around.
    func testElementChangeBesideMaps() throws {
        let namespace = try makeNamespace(), byNft = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.serviceFirst())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol"))
        var desired = Fixtures.serviceFirst()
        desired.sets[0].elements.append(Fixtures.prefix("10.9.0.0/16"))
        XCTAssertEqual(TableDiff(from: live.table, to: desired).action, .elements)
        let summary = try connection.applyElementChanges(from: live.table, to: desired, generation: live.generation)
        XCTAssertEqual([summary.added, summary.removed], [1, 0])
        let after = try XCTUnwrap(connection.readBack(name: "ztpol"))
        XCTAssertEqual(after.handle, live.handle, "the table was not replaced")
        assertTablesEqual(after.table, desired.canonical)
        try byNft.load(NftRenderer().render(desired))
        XCTAssertEqual(try namespace.listTable(), try byNft.listTable())
    }

    /// The kernel's table against a table with one map entry changed: one rule out, one rule in.
    func testDiffAgainstTheKernelShowsTheChangedEntry() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.serviceFirst())
        let live = try XCTUnwrap(connection.readBack(name: "ztpol")).table
        var desired = Fixtures.serviceFirst()
        guard case .map(var map) = desired.chains[0].rules[3].verdict else { return XCTFail("no udp map") }
        map.entries[1].verdict = .drop
        desired.chains[0].rules[3].verdict = .map(map)
        let diff = TableDiff(from: live, to: desired)
        XCTAssertEqual(diff.chains, [.changed(chain: "input", base: nil, rules: [
            .removed(Fixtures.serviceFirst().chains[0].rules[3], at: 3), .added(desired.chains[0].rules[3], at: 3),
        ])])
        XCTAssertTrue(diff.sets.isEmpty)
        XCTAssertEqual(diff.action, .replace)
    }

    /// nft hides an explicit protocol check before a map unless a statement stands between; ztpol
    /// writes both forms as nft does, and reads them back in their canonical form.
    func testProtocolChecksBeforeAMap() throws {
        let map = VerdictMap(transport: .tcp, entries: [.init(ports: PortRange(0), verdict: .accept),
                                                       .init(ports: PortRange(1, 65535), verdict: .drop)])
        let table = Table(name: "ztpol", chains: [Chain(name: "c", rules: [
            Rule([.l4Protocol(.tcp)], verdict: .map(map)),
            Rule([.l4Protocol(.tcp)], counter: true, verdict: .map(map)),
            Rule([.l4Protocol(.tcp), .interface(.source, name: "lo")], verdict: .map(map)),
            Rule([.ports(.tcp, .destination, [PortRange(22)])], counter: true, verdict: .map(map)),
            Rule([.addressInSet(.source, .ipv6, set: "s")], verdict: .map(map)),
        ])], unrecognised: [])
        var withSet = table
        withSet.sets = [NamedSet(name: "s", family: .ipv6, elements: [])]
        let byNetlink = try makeNamespace(), byNft = try makeNamespace()
        let connection = try NetlinkConnection(namespace: byNetlink.name)
        try connection.apply(withSet)
        try byNft.load(NftRenderer().render(withSet))
        XCTAssertEqual(try byNetlink.listTable(), try byNft.listTable())
        XCTAssertEqual(NftRenderer().render(withSet.canonical), try byNft.listTable())
        assertTablesEqual(try XCTUnwrap(connection.readBack(name: "ztpol")).table, withSet.canonical)
        XCTAssertEqual(withSet.canonical.chains[0].rules.map(\.matches.count), [0, 1, 1, 1, 1])
    }

    /// Real packets: a TCP connection to a port whose entry jumps to a chain that accepts is answered;
    /// one to a port the map drops is not. Loopback in the test's namespace only.
    func testPacketsFollowTheMap() throws {
        let namespace = try makeNamespace()
        try TestNamespace.run(["ip", "netns", "exec", namespace.name, "ip", "link", "set", "lo", "up"])
        let map = VerdictMap(transport: .tcp, entries: [.init(ports: PortRange(7001), verdict: .jump("open")),
                                                       .init(ports: PortRange(7002, 7003), verdict: .drop)])
        let table = Table(name: "ztpol", chains: [
            Chain(name: "input", base: .init(hook: .input, policy: .accept), rules: [
                Rule([.interface(.source, name: "lo")], verdict: .map(map)),
            ]),
            Chain(name: "open", rules: [Rule([], counter: true, verdict: .accept)]),
        ])
        try NetlinkConnection(namespace: namespace.name).apply(table)
        XCTAssertTrue(try connects(in: namespace, port: 7001), "7001 jumps to a chain that accepts")
        XCTAssertFalse(try connects(in: namespace, port: 7002), "7002 is dropped by the map")
        let listed = try namespace.listTable()
        XCTAssertTrue(listed.contains("counter packets "), listed)
        XCTAssertFalse(listed.contains("counter packets 0 "), "the jump reached chain open")
    }

    /// A listener on `port` and one connection attempt to it, both inside the namespace.
    private func connects(in namespace: TestNamespace, port: Int) throws -> Bool {
        let script = """
            import socket
            server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", \(port))); server.listen(1)
            client = socket.socket(); client.settimeout(1.0)
            try:
                client.connect(("127.0.0.1", \(port))); print("yes")
            except OSError:
                print("no")
            """
        let output = try TestNamespace.run(["ip", "netns", "exec", namespace.name, "python3", "-c", script])
        return output.trimmingCharacters(in: .whitespacesAndNewlines) == "yes"
    }

    func testRefusalsLeaveThePreviousTableUntouched() throws {
        let namespace = try makeNamespace()
        let connection = try NetlinkConnection(namespace: namespace.name)
        try connection.apply(Fixtures.serviceFirst())
        let listed = try namespace.listTable()
        let generation = try connection.generation()

        func refusal(_ change: (inout Table) -> Void) -> [TableProblem] {
            var table = Fixtures.serviceFirst()
            change(&table)
            do throws(NetlinkError) {
                try connection.apply(table)
                XCTFail("applied a table with problems")
                return []
            } catch {
                XCTAssertEqual(error.code, .invalidTable)
                return error.problems
            }
        }
        func setMap(_ table: inout Table, _ entries: [VerdictMap.Entry]) {
            table.chains[0].rules[2].verdict = .map(VerdictMap(transport: .tcp, entries: entries))
        }

        let missing = refusal { setMap(&$0, [.init(ports: PortRange(22), verdict: .jump("input_tcp_23"))]) }
        XCTAssertEqual(missing.map(\.description), ["rule 3 of chain input: vmap entry 22 jumps to 'input_tcp_23', "
                                                    + "which is no regular chain of the table"])
        let toBase = refusal { setMap(&$0, [.init(ports: PortRange(22), verdict: .jump("output"))]) }
        XCTAssertEqual(toBase.map(\.object), [.rule(3, chain: "input")])
        let overlapping = refusal {
            setMap(&$0, [.init(ports: PortRange(20, 30), verdict: .accept),
                         .init(ports: PortRange(25), verdict: .drop)])
        }
        XCTAssertEqual(overlapping.map(\.description), ["rule 3 of chain input: vmap entries 20-30 and 25 are not "
                                                        + "sorted and disjoint"])
        let empty = refusal { setMap(&$0, []) }
        XCTAssertEqual(empty.map(\.description), ["rule 3 of chain input: a vmap must have entries"])
        // A jump between regular chains without a way back is no loop.
        var noLoop = Fixtures.serviceFirst()
        noLoop.chains[5].rules.append(Rule([], verdict: .map(VerdictMap(transport: .udp, entries: [
            .init(ports: PortRange(1), verdict: .jump("input_tcp_22"))]))))
        XCTAssertEqual(noLoop.problems(), [])
        let realLoop = refusal { table in
            table.chains[2].rules.append(Rule([], verdict: .jump("input_udp_53")))
            table.chains[5].rules.append(Rule([], verdict: .map(VerdictMap(transport: .udp, entries: [
                .init(ports: PortRange(1), verdict: .jump("input_tcp_22"))]))))
        }
        XCTAssertEqual(realLoop.map(\.description), [
            "rule 3 of chain input_udp_53: jump to input_tcp_22 closes a loop: "
                + "input_tcp_22 → input_udp_53 → input_tcp_22",
        ])
        let nested = refusal {
            setMap(&$0, [.init(ports: PortRange(22), verdict: .map(VerdictMap(transport: .tcp, entries: [])))])
        }
        XCTAssertEqual(nested.map(\.description), ["rule 3 of chain input: vmap entry 22 must accept, drop or jump"])

        XCTAssertEqual(try namespace.listTable(), listed)
        XCTAssertEqual(try connection.generation(), generation, "nothing was sent")
    }
}
