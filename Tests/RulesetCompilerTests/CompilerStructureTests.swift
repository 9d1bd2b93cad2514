import NetworkAddresses
import Nftables
import PolicyLanguage
import PolicyModel
import RulesetCompiler
import XCTest

/// The compiler's decisions, checked on a model built by hand (no parser involved).
final class CompilerStructureTests: XCTestCase {
    private func at(_ line: Int) -> SourceLocation { SourceLocation(file: "t.zt", line: line, column: 1) }

    private func addresses(_ texts: String...) -> AddressSet {
        AddressSet(texts.map { AddressRange(IPAddress($0)!) })
    }

    /// The seed scenario: ra, web, services; web -> ra https; ra, services -> web https.
    private func seedPolicy() -> Policy {
        let ra = Zone(name: "ra", addresses: addresses("10.77.0.1", "fd77::1"), location: at(1))
        let web = Zone(name: "web", addresses: addresses("10.77.0.2", "fd77::2"), location: at(2))
        let services = Zone(name: "services", addresses: addresses("10.77.0.3", "fd77::3"), location: at(3))
        let https = ServiceItem.ports(.tcp, [PortRange(443)])
        let out = Flow(sources: [.zone("web")], destinations: [.zone("ra")], sourceAddresses: web.addresses,
                       destinationAddresses: ra.addresses, sourceIsAny: false, destinationIsAny: false,
                       serviceNames: ["https"], services: [https], location: at(7))
        let into = Flow(sources: [.zone("ra"), .zone("services")], destinations: [.zone("web")],
                        sourceAddresses: ra.addresses.union(services.addresses), destinationAddresses: web.addresses,
                        sourceIsAny: false, destinationIsAny: false, serviceNames: ["https"], services: [https],
                        location: at(8))
        return Policy(path: "policies/t.zt", zones: [ra, web, services], flows: [out, into])
    }

    private func flowRules(_ table: Table, _ chain: String) -> [Rule] {
        table.chains.first { $0.name == chain }!.rules.filter { $0.comment?.hasPrefix("t.zt:") == true }
    }

    func testWebHostOpensOutputToRAAndInputFromRAAndServices() throws {
        let table = try RulesetCompiler.compile(seedPolicy(), zones: ["web"])
        XCTAssertEqual(table.name, "ztpol")
        XCTAssertEqual(table.chains.map(\.name), ["input", "output", "forward"])
        XCTAssertTrue(table.chains.allSatisfy { $0.base?.policy == .drop })

        let output = flowRules(table, "output")
        XCTAssertEqual(output.map(\.matches), [
            [.addressInSet(.source, .ipv4, set: "web_v4"), .addressInSet(.destination, .ipv4, set: "ra_v4"),
             .ports(.tcp, .destination, [PortRange(443)])],
            [.addressInSet(.source, .ipv6, set: "web_v6"), .addressInSet(.destination, .ipv6, set: "ra_v6"),
             .ports(.tcp, .destination, [PortRange(443)])],
        ])
        let input = flowRules(table, "input")
        XCTAssertEqual(input.count, 2)
        XCTAssertEqual(input.first?.comment, "t.zt:8: ra, services -> web https")
        let sourceSet = table.sets.first { $0.name == "flow8_src_v4" }
        XCTAssertEqual(sourceSet?.elements.map(\.description), ["10.77.0.1", "10.77.0.3"])
    }

    func testServicesHostGetsOnlyItsOutputFlow() throws {
        let table = try RulesetCompiler.compile(seedPolicy(), zones: ["services"])
        XCTAssertTrue(flowRules(table, "input").isEmpty)
        XCTAssertEqual(flowRules(table, "output").count, 2)
        XCTAssertEqual(Set(table.sets.map(\.name)), ["flow8_src_v4", "flow8_src_v6", "web_v4", "web_v6"])
    }

    func testHostInNoFlowStillGetsHousekeepingAndDropCounters() throws {
        var policy = seedPolicy()
        policy.zones.append(Zone(name: "other", addresses: addresses("10.77.0.4"), location: at(4)))
        let table = try RulesetCompiler.compile(policy, zones: ["other"])
        XCTAssertTrue(table.sets.isEmpty)
        for chain in table.chains {
            let last = try XCTUnwrap(chain.rules.last)
            XCTAssertEqual(last.matches, [])
            XCTAssertTrue(last.counter)
            XCTAssertEqual(last.verdict, .drop)
        }
        let input = table.chains[0].rules
        XCTAssertTrue(input.contains { $0.matches == [.icmpTypes(.ipv6, [134, 135, 136])] })
        XCTAssertTrue(input.contains { $0.matches == [.interface(.source, name: "lo")] && $0.verdict == .accept })
    }

    func testUnknownZoneIsRefusedWithTheKnownNames() {
        XCTAssertThrowsError(try RulesetCompiler.compile(seedPolicy(), zones: ["db"])) { error in
            XCTAssertEqual("\(error)", "no zone named 'db' in the policy; zones are: ra, web, services")
        }
    }

    func testAnyToAnyPortFlowIsOneFamilyFreeRule() throws {
        var policy = seedPolicy()
        policy.flows = [Flow(sources: [.any], destinations: [.any], sourceAddresses: .everything,
                             destinationAddresses: .everything, sourceIsAny: true, destinationIsAny: true,
                             serviceNames: ["udp/53"], services: [.ports(.udp, [PortRange(53)])], location: at(9))]
        let table = try RulesetCompiler.compile(policy, zones: ["web"])
        XCTAssertEqual(flowRules(table, "input").map(\.matches), [[.ports(.udp, .destination, [PortRange(53)])]])
        XCTAssertTrue(table.sets.isEmpty)
    }

    /// Zone names have no length limit and file names may hold quotes and any letters; nft keeps set names
    /// to 255 bytes and comments to 127 without quotes. The table must stay within them (and distinct).
    func testLongNamesQuotedFileNamesAndLongSidesStayWithinNftLimits() throws {
        let long = String(repeating: "z", count: 5000)
        let web = Zone(name: "web", addresses: addresses("10.0.0.1"), location: at(1))
        let first = Zone(name: long, addresses: addresses("10.0.1.1"), location: at(2))
        let second = Zone(name: long + "y", addresses: addresses("10.0.2.1"), location: at(3))
        let inlineAddresses = AddressSet((1...60).map { AddressRange(IPAddress("10.0.3.\($0)")!) })
        let inline = (1...60).map { Endpoint.literal(addresses("10.0.3.\($0)"), text: "10.0.3.\($0)") }
        func flow(_ destinations: [Endpoint], _ addresses: AddressSet, line: Int) -> Flow {
            Flow(sources: [.zone("web")], destinations: destinations, sourceAddresses: web.addresses,
                 destinationAddresses: addresses, sourceIsAny: false, destinationIsAny: false, serviceNames: [],
                 services: [.ports(.tcp, [PortRange(22)])], location: at(line))
        }
        let policy = Policy(path: "/p/q\"uote\n" + String(repeating: "é", count: 100) + ".zt",
                            zones: [web, first, second],
                            flows: [flow([.zone(long)], first.addresses, line: 4),
                                    flow([.zone(long + "y")], second.addresses, line: 5),
                                    flow(inline, inlineAddresses, line: 6)])
        let table = try RulesetCompiler.compile(policy, zones: ["web"])
        XCTAssertEqual(table.problems(), [])
        XCTAssertEqual(Set(table.sets.map(\.name)).count, table.sets.count)
        let comments = table.chains.flatMap(\.rules).compactMap(\.comment) + table.sets.compactMap(\.comment)
        XCTAssertTrue(comments.allSatisfy { $0.utf8.count <= 127 && !$0.contains("\"") && !$0.contains("\n") })
        XCTAssertEqual(table.chains.first { $0.name == "output" }!.rules.filter { $0.comment?.hasSuffix("...") == true }
            .count, 3)
    }
}
