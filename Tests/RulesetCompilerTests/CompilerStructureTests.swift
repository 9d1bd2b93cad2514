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

    private func chain(_ table: Table, _ name: String) -> Chain? { table.chains.first { $0.name == name } }

    /// The verdict map of a base chain for `transport`.
    private func map(_ table: Table, _ hook: String, _ transport: L4Protocol) -> VerdictMap? {
        for rule in chain(table, hook)?.rules ?? [] {
            if case .map(let map) = rule.verdict, map.transport == transport { return map }
        }
        return nil
    }

    func testWebHostDispatchesPort443ToAChainOfZoneRules() throws {
        let table = try RulesetCompiler.compile(seedPolicy(), zones: ["web"])
        XCTAssertEqual(table.name, "ztpol")
        XCTAssertEqual(table.chains.map(\.name), ["input", "output", "forward", "input_tcp_443", "output_tcp_443"])
        XCTAssertEqual(table.chains.filter { $0.base != nil }.map { $0.base?.policy }, [.drop, .drop, .drop])
        XCTAssertEqual(map(table, "input", .tcp)?.entries,
                       [VerdictMap.Entry(ports: PortRange(443), verdict: .jump("input_tcp_443"))])
        XCTAssertNil(map(table, "input", .udp))

        // `ra, services -> web` is one rule per zone and family, not a union set per flow.
        let input = try XCTUnwrap(chain(table, "input_tcp_443")).rules
        XCTAssertEqual(input.map(\.matches), [
            [.addressInSet(.source, .ipv4, set: "ra_v4"), .addressInSet(.destination, .ipv4, set: "web_v4")],
            [.addressInSet(.source, .ipv6, set: "ra_v6"), .addressInSet(.destination, .ipv6, set: "web_v6")],
            [.addressInSet(.source, .ipv4, set: "services_v4"), .addressInSet(.destination, .ipv4, set: "web_v4")],
            [.addressInSet(.source, .ipv6, set: "services_v6"), .addressInSet(.destination, .ipv6, set: "web_v6")],
        ])
        XCTAssertEqual(input.map(\.comment), ["t.zt:8: ra -> web https", "t.zt:8: ra -> web https",
                                              "t.zt:8: services -> web https", "t.zt:8: services -> web https"])
        let output = try XCTUnwrap(chain(table, "output_tcp_443")).rules
        XCTAssertEqual(output.first?.matches,
                       [.addressInSet(.source, .ipv4, set: "web_v4"), .addressInSet(.destination, .ipv4, set: "ra_v4")])
        // Every zone is one set per family, loaded once.
        XCTAssertEqual(Set(table.sets.map(\.name)),
                       ["ra_v4", "ra_v6", "web_v4", "web_v6", "services_v4", "services_v6"])
        XCTAssertEqual(table.elementCount, 6)
    }

    func testServicesHostGetsOnlyItsOutputFlow() throws {
        let table = try RulesetCompiler.compile(seedPolicy(), zones: ["services"])
        XCTAssertNil(map(table, "input", .tcp))
        XCTAssertEqual(chain(table, "output_tcp_443")?.rules.count, 2)
        XCTAssertEqual(Set(table.sets.map(\.name)), ["services_v4", "services_v6", "web_v4", "web_v6"])
    }

    /// Ports are cut where ranges begin and end; ports with the same rules share a chain, and adjacent
    /// ports of one chain are one map entry.
    func testOverlappingPortRangesBecomeAtomsAndIdenticalChainsAreShared() throws {
        let web = Zone(name: "web", addresses: addresses("10.0.0.1"), location: at(1))
        let a = Zone(name: "a", addresses: addresses("10.1.0.1"), location: at(2))
        let b = Zone(name: "b", addresses: addresses("10.2.0.1"), location: at(3))
        func flow(_ zone: Zone, _ first: UInt16, _ last: UInt16, line: Int) -> Flow {
            Flow(sources: [.zone(zone.name)], destinations: [.zone("web")], sourceAddresses: zone.addresses,
                 destinationAddresses: web.addresses, sourceIsAny: false, destinationIsAny: false,
                 serviceNames: ["s\(line)"], services: [.ports(.tcp, [PortRange(first, last)])], location: at(line))
        }
        let policy = Policy(path: "t.zt", zones: [web, a, b],
                            flows: [flow(a, 80, 90, line: 4), flow(b, 85, 85, line: 5), flow(a, 91, 95, line: 6)])
        let table = try RulesetCompiler.compile(policy, zones: ["web"])
        let entries = try XCTUnwrap(map(table, "input", .tcp)).entries
        XCTAssertEqual(entries.map(\.ports), [PortRange(80, 84), PortRange(85), PortRange(86, 95)])
        XCTAssertEqual(entries.map(\.verdict), [.jump("input_tcp_80_to_84_86_to_95"), .jump("input_tcp_85"),
                                                .jump("input_tcp_80_to_84_86_to_95")])
        let shared = try XCTUnwrap(chain(table, "input_tcp_80_to_84_86_to_95")).rules
        XCTAssertEqual(shared.map(\.comment), ["t.zt:4,6: a -> web s4, s6"])
        XCTAssertEqual(chain(table, "input_tcp_85")?.rules.count, 2)
    }

    /// Found by the random policies: ends that share no family give no rules, and then no map at all (the
    /// kernel refuses a map without entries).
    func testPortFlowBetweenEndsOfDifferentFamiliesGivesNoMap() throws {
        let web = Zone(name: "web", addresses: addresses("10.0.0.1"), location: at(1))
        let six = Zone(name: "six", addresses: addresses("fd00::1"), location: at(2))
        let flow = Flow(sources: [.zone("six")], destinations: [.zone("web")], sourceAddresses: six.addresses,
                        destinationAddresses: web.addresses, sourceIsAny: false, destinationIsAny: false,
                        serviceNames: ["ssh"], services: [.ports(.tcp, [PortRange(22)])], location: at(3))
        let table = try RulesetCompiler.compile(Policy(path: "t.zt", zones: [web, six], flows: [flow]), zones: ["web"])
        XCTAssertNil(map(table, "input", .tcp))
        XCTAssertEqual(table.chains.count, 3)
        XCTAssertEqual(table.problems(), [])
    }

    /// Found by trying to break it: zones with the same addresses share a set, and so one rule, whose
    /// comment (and the set's) names them all, instead of a twin rule per zone.
    func testZonesWithTheSameAddressesShareOneSetAndOneRule() throws {
        let host = Zone(name: "host", addresses: addresses("10.0.0.1"), location: at(1))
        let same1 = Zone(name: "same1", addresses: addresses("10.9.3.1"), location: at(2))
        let same2 = Zone(name: "same2", addresses: addresses("10.9.3.1"), location: at(3))
        func flow(_ zone: Zone, _ item: ServiceItem, line: Int) -> Flow {
            Flow(sources: [.zone(zone.name)], destinations: [.zone("host")], sourceAddresses: zone.addresses,
                 destinationAddresses: host.addresses, sourceIsAny: false, destinationIsAny: false,
                 serviceNames: ["s\(line)"], services: [item], location: at(line))
        }
        let dns = ServiceItem.ports(.udp, [PortRange(53)])
        let policy = Policy(path: "t.zt", zones: [host, same1, same2],
                            flows: [flow(same1, dns, line: 4), flow(same2, dns, line: 5),
                                    flow(same1, .icmp([8]), line: 6), flow(same2, .icmp([0]), line: 7)])
        let table = try RulesetCompiler.compile(policy, zones: ["host"])
        XCTAssertEqual(chain(table, "input_udp_53")?.rules.map(\.comment),
                       ["t.zt:4,5: same1 -> host, same2 -> host s4, s5"])
        XCTAssertEqual(table.sets.first { $0.name == "same1_v4" }?.comment, "same1, same2")
        let icmp = try XCTUnwrap(chain(table, "input")).rules.filter { $0.comment?.hasPrefix("t.zt:") == true }
        XCTAssertEqual(icmp.map(\.matches), [[.addressInSet(.source, .ipv4, set: "same1_v4"),
                                               .addressInSet(.destination, .ipv4, set: "host_v4"),
                                               .icmpTypes(.ipv4, [0, 8])]])
    }

    func testICMPFlowsOfOnePairAreOneRuleWithTheirTypesMerged() throws {
        var policy = seedPolicy()
        func ping(_ item: ServiceItem, line: Int) -> Flow {
            Flow(sources: [.zone("ra")], destinations: [.zone("web")], sourceAddresses: policy.zones[0].addresses,
                 destinationAddresses: policy.zones[1].addresses, sourceIsAny: false, destinationIsAny: false,
                 serviceNames: ["p\(line)"], services: [item], location: at(line))
        }
        policy.flows = [ping(.icmp([8]), line: 10), ping(.icmp([13]), line: 11), ping(.icmpv6([]), line: 12)]
        let table = try RulesetCompiler.compile(policy, zones: ["web"])
        let icmp = try XCTUnwrap(chain(table, "input")).rules.filter { $0.comment?.hasPrefix("t.zt:") == true }
        XCTAssertEqual(icmp.map(\.matches), [
            [.addressInSet(.source, .ipv4, set: "ra_v4"), .addressInSet(.destination, .ipv4, set: "web_v4"),
             .icmpTypes(.ipv4, [8, 13])],
            [.addressInSet(.source, .ipv6, set: "ra_v6"), .addressInSet(.destination, .ipv6, set: "web_v6"),
             .l4Protocol(.icmpv6)],
        ])
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
        // A typo is answered with the name it most likely meant.
        XCTAssertThrowsError(try RulesetCompiler.compile(seedPolicy(), zones: ["wbe"])) { error in
            XCTAssertEqual("\(error)",
                           "no zone named 'wbe' in the policy; did you mean 'web'? zones are: ra, web, services")
        }
    }

    func testAnyToAnyPortFlowIsOneFamilyFreeRule() throws {
        var policy = seedPolicy()
        policy.flows = [Flow(sources: [.any], destinations: [.any], sourceAddresses: .everything,
                             destinationAddresses: .everything, sourceIsAny: true, destinationIsAny: true,
                             serviceNames: ["udp/53"], services: [.ports(.udp, [PortRange(53)])], location: at(9))]
        let table = try RulesetCompiler.compile(policy, zones: ["web"])
        XCTAssertEqual(map(table, "input", .udp)?.entries.map(\.ports), [PortRange(53)])
        XCTAssertEqual(chain(table, "input_udp_53")?.rules.map(\.matches), [[]])
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
        // The sixty literals are one set and one rule; the three long comments are cut.
        XCTAssertEqual(table.chains.flatMap(\.rules).filter { $0.comment?.hasSuffix("...") == true }.count, 3)
        XCTAssertEqual(chain(table, "output_tcp_22")?.rules.count, 3)
    }
}
