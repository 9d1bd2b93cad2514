import Foundation
import NetworkAddresses
import Nftables
import RulesetDiff
import XCTest

/// Diffs of service-first tables: base chains dispatch by port through a verdict map to regular chains.
final class VerdictMapDiffTests: XCTestCase {
    private func table(_ entries: [VerdictMap.Entry], extraChains: [Chain] = [],
                       web: [String] = ["10.0.0.2"]) -> Table {
        let rules = [Rule([.addressInSet(.destination, .ipv4, set: "web_v4")], verdict: .accept, comment: "site.zt:3")]
        return Table(name: "ztpol", sets: [
            NamedSet(name: "web_v4", family: .ipv4, elements: web.map { AddressRange(IPAddress($0)!) }),
        ], chains: [
            Chain(name: "input", base: .init(hook: .input, policy: .drop), rules: [
                Rule([.connectionState([.established, .related])], verdict: .accept),
                Rule([], verdict: .map(VerdictMap(transport: .tcp, entries: entries))),
            ]),
            Chain(name: "input_tcp_22", rules: rules),
            Chain(name: "input_tcp_443", rules: rules),
        ] + extraChains)
    }

    private let ssh = VerdictMap.Entry(ports: PortRange(22), verdict: .jump("input_tcp_22"))
    private let https = VerdictMap.Entry(ports: PortRange(443), verdict: .jump("input_tcp_443"))

    func testOneChangedEntryIsOneChangedRule() throws {
        let old = table([ssh, https])
        let new = table([ssh, VerdictMap.Entry(ports: PortRange(443), verdict: .accept)])
        let diff = TableDiff(from: old, to: new)
        XCTAssertEqual(diff.lines().map(\.marked), [
            "@@ chain input @@",
            "- add rule inet ztpol input tcp dport vmap { 22 : jump input_tcp_22, 443 : jump input_tcp_443 }  # rule 2",
            "+ add rule inet ztpol input tcp dport vmap { 22 : jump input_tcp_22, 443 : accept }  # rule 2",
        ])
        let counts = diff.counts
        XCTAssertEqual([counts.rulesAdded, counts.rulesRemoved, counts.chainsAdded, counts.chainsRemoved], [1, 1, 0, 0])
        XCTAssertEqual(diff.action, .replace)

        let report = DiffReport(old: .policy(path: "a.zt"), new: .policy(path: "b.zt"),
                                tables: [TableReport(zones: ["web"], diff: diff)])
        let text = try JSONDiffRenderer().render(report)
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let tables = try XCTUnwrap(json?["tables"] as? [[String: Any]])
        let chains = try XCTUnwrap(tables.first?["chains"] as? [[String: Any]])
        let rules = try XCTUnwrap(chains.first?["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["change"] as? String }, ["removed", "added"])
        let added = try XCTUnwrap(rules.last?["vmap"] as? [String: Any])
        XCTAssertEqual(added["protocol"] as? String, "tcp")
        XCTAssertEqual(added["field"] as? String, "dport")
        XCTAssertEqual(added["entries"] as? [[String: String]], [
            ["ports": "22", "verdict": "jump input_tcp_22"], ["ports": "443", "verdict": "accept"],
        ])
    }

    func testAddedRegularChainIsAnAddedChain() throws {
        let udp = Chain(name: "input_udp_53", rules: [Rule([], verdict: .accept)])
        let new = table([ssh, https, VerdictMap.Entry(ports: PortRange(8443), verdict: .jump("input_udp_53"))],
                        extraChains: [udp])
        let diff = TableDiff(from: table([ssh, https]), to: new)
        XCTAssertEqual(diff.lines().map(\.marked), [
            "@@ chain input @@",
            "- add rule inet ztpol input tcp dport vmap { 22 : jump input_tcp_22, 443 : jump input_tcp_443 }  # rule 2",
            "+ add rule inet ztpol input tcp dport vmap { 22 : jump input_tcp_22, 443 : jump input_tcp_443, "
                + "8443 : jump input_udp_53 }  # rule 2",
            "@@ chain input_udp_53 @@",
            "+ add chain inet ztpol input_udp_53",
            "+ add rule inet ztpol input_udp_53 accept  # rule 1",
        ])
        XCTAssertEqual(diff.counts.chainsAdded, 1)
        let report = DiffReport(old: .policy(path: "a.zt"), new: .policy(path: "b.zt"),
                                tables: [TableReport(zones: ["web"], diff: diff)])
        let json = try JSONDiffRenderer().render(report)
        XCTAssertTrue(json.contains("\"base\" : null"), "a regular chain has no base")
    }

    /// Only a named set's elements change: apply still changes just those elements.
    func testElementsOnlyStayElementsOnly() {
        let diff = TableDiff(from: table([ssh, https]), to: table([ssh, https], web: ["10.0.0.2", "10.0.0.9"]))
        XCTAssertEqual(diff.action, .elements)
        XCTAssertEqual(diff.counts.elementsAdded, 1)
        XCTAssertTrue(diff.chains.isEmpty)
    }

    func testSameMapsAreNoChange() {
        XCTAssertEqual(TableDiff(from: table([ssh, https]), to: table([ssh, https])).action, .none)
    }
}
