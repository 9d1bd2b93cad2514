import NetworkAddresses
import Nftables
import PolicyLanguage
import PolicyModel
import RulesetCompiler
import TestSupport
import XCTest

/// The compiled chains, run packet by packet, decide exactly as the policy's flows say, on random
/// policies with overlapping zones, overlapping port ranges, address literals, `any`, several endpoints
/// on a side and ICMP. A failure names the seed, host, hook and packet.
final class CompiledFormSemanticsTests: XCTestCase {
    private static let icmpTypes: [UInt16] = [0, 8, 13, 17]  // none of the housekeeping types
    private static let icmpv6Types: [UInt16] = [128, 129, 130]

    func testCompiledChainsDecideLikeThePolicyOnRandomPolicies() throws {
        var compared = 0, accepted = 0
        for seed in UInt64(1)...60 {
            var random = SeededGenerator(seed: seed)
            let policy = Self.randomPolicy(&random)
            for zone in policy.zones {
                let table = try RulesetCompiler.compile(policy, zones: [zone.name])
                XCTAssertEqual(table.problems(), [], "seed \(seed)")
                let interpreter = TableInterpreter(table: table)
                for _ in 0..<200 {
                    let hook: Hook = Bool.random(using: &random) ? .input : .output
                    let packet = Self.randomPacket(policy, host: zone.addresses, hook: hook, &random)
                    let expected = Self.policyAllows(policy, host: zone.addresses, packet, hook: hook)
                    let decided = interpreter.accepts(packet, hook: hook)
                    guard expected == decided else {
                        return XCTFail("seed \(seed), host \(zone.name), \(hook): \(packet): the policy "
                                       + "\(expected ? "allows" : "denies") it, the table \(decided ? "accepts" : "drops")")
                    }
                    compared += 1
                    if expected { accepted += 1 }
                }
            }
        }
        XCTAssertGreaterThan(compared, 50_000, "docs/compiler.md says more than 50,000 packets are compared")
        // Both outcomes must be exercised, or the comparison proves nothing.
        XCTAssertGreaterThan(accepted, compared / 50)
        XCTAssertLessThan(accepted, compared * 9 / 10)
    }

    /// The policy's meaning for one host: some flow covers the peer's address, the host's address in an
    /// endpoint of its side that the host belongs to, and the service.
    static func policyAllows(_ policy: Policy, host: AddressSet, _ packet: TestPacket, hook: Hook) -> Bool {
        policy.flows.contains { flow in
            let (peerAddress, hostAddress) = hook == .input
                ? (packet.source, packet.destination) : (packet.destination, packet.source)
            let peerSide = hook == .input ? flow.sourceAddresses : flow.destinationAddresses
            let hostEndpoints = hook == .input ? flow.destinations : flow.sources
            let hostSide = hostEndpoints.contains(.any) ? AddressSet.everything
                : hostEndpoints.map { addresses(of: $0, in: policy) }.filter { $0.intersects(host) }
                    .reduce(AddressSet()) { $0.union($1) }
            return peerSide.contains(peerAddress) && hostSide.contains(hostAddress)
                && flow.services.contains { serves($0, packet) }
        }
    }

    private static func addresses(of endpoint: Endpoint, in policy: Policy) -> AddressSet {
        switch endpoint {
        case .zone(let name): policy.zone(named: name)!.addresses
        case .literal(let addresses, _): addresses
        case .any: .everything
        }
    }

    private static func serves(_ item: ServiceItem, _ packet: TestPacket) -> Bool {
        switch item {
        case .ports(let transport, let ranges):
            let proto: L4Protocol = transport == .tcp ? .tcp : .udp
            return packet.proto == proto && ranges.contains { $0.first <= packet.value && packet.value <= $0.last }
        case .icmp(let types):
            return packet.proto == .icmp && (types.isEmpty || types.contains(UInt8(packet.value)))
        case .icmpv6(let types):
            return packet.proto == .icmpv6 && (types.isEmpty || types.contains(UInt8(packet.value)))
        }
    }

    // MARK: Random policies

    private static func randomRange(_ family: IPFamily, _ random: inout SeededGenerator) -> AddressRange {
        // A small space, so that zones overlap, nest and touch.
        let base: UInt128 = family == .ipv4 ? 0x0A00_0000 : UInt128(0xFD00) << 112
        let length = Int.random(in: 0...8, using: &random)
        let start = (UInt128.random(in: 0..<1024, using: &random) >> length) << length
        return AddressRange(first: IPAddress(family: family, value: base + start),
                            last: IPAddress(family: family, value: base + start + (UInt128(1) << length) - 1))
    }

    private static func randomAddresses(_ random: inout SeededGenerator) -> AddressSet {
        var ranges: [AddressRange] = []
        let families: [IPFamily] = [[.ipv4], [.ipv6], [.ipv4, .ipv6], [.ipv4, .ipv6]].randomElement(using: &random)!
        for family in families {
            for _ in 0..<Int.random(in: 1...4, using: &random) { ranges.append(randomRange(family, &random)) }
        }
        return AddressSet(ranges)
    }

    private static func randomItem(_ random: inout SeededGenerator) -> ServiceItem {
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            return .icmp(Bool.random(using: &random) ? [] : [UInt8(icmpTypes.randomElement(using: &random)!)])
        case 1:
            return .icmpv6(Bool.random(using: &random) ? [] : [UInt8(icmpv6Types.randomElement(using: &random)!)])
        default:
            let low = UInt16.random(in: 1...100, using: &random)
            let high = Bool.random(using: &random) ? low : min(110, low + UInt16.random(in: 1...20, using: &random))
            return .ports(Bool.random(using: &random) ? .tcp : .udp, [PortRange(low, high)])
        }
    }

    static func randomPolicy(_ random: inout SeededGenerator) -> Policy {
        let at = SourceLocation(file: "r.zt", line: 1, column: 1)
        let zones = (0..<Int.random(in: 3...6, using: &random)).map { index in
            Zone(name: "z\(index)", addresses: randomAddresses(&random), location: at)
        }
        func side() -> ([Endpoint], AddressSet, Bool) {
            if Int.random(in: 0..<8, using: &random) == 0 { return ([.any], .everything, true) }
            var endpoints: [Endpoint] = []
            var addresses = AddressSet()
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                if Int.random(in: 0..<4, using: &random) == 0 {
                    let literal = AddressSet([randomRange(Bool.random(using: &random) ? .ipv4 : .ipv6, &random)])
                    endpoints.append(.literal(literal, text: literal.description))
                    addresses = addresses.union(literal)
                } else {
                    let zone = zones.randomElement(using: &random)!
                    endpoints.append(.zone(zone.name))
                    addresses = addresses.union(zone.addresses)
                }
            }
            return (endpoints, addresses, false)
        }
        let flows = (0..<Int.random(in: 3...10, using: &random)).map { index in
            let (sources, sourceAddresses, sourceIsAny) = side()
            let (destinations, destinationAddresses, destinationIsAny) = side()
            let items = (0..<Int.random(in: 1...3, using: &random)).map { _ in randomItem(&random) }
            return Flow(sources: sources, destinations: destinations, sourceAddresses: sourceAddresses,
                        destinationAddresses: destinationAddresses, sourceIsAny: sourceIsAny,
                        destinationIsAny: destinationIsAny, serviceNames: ["s\(index)"], services: items,
                        location: SourceLocation(file: "r.zt", line: 10 + index, column: 1))
        }
        return Policy(path: "r.zt", zones: zones, flows: flows)
    }

    /// A packet with the host's end inside the host zone (mostly) and the peer's end anywhere near the
    /// zones, often on the edge of a range, where off-by-one errors live.
    static func randomPacket(_ policy: Policy, host: AddressSet, hook: Hook,
                             _ random: inout SeededGenerator) -> TestPacket {
        let families = [IPFamily.ipv4, .ipv6].filter { !host.ranges($0).isEmpty }
        let family = families.randomElement(using: &random) ?? .ipv4
        func pick(_ ranges: [AddressRange]) -> IPAddress {
            guard let range = ranges.randomElement(using: &random) else { return randomRange(family, &random).first }
            let span = range.last.value - range.first.value
            let offset: UInt128 = [0, span, UInt128.random(in: 0...span, using: &random)].randomElement(using: &random)!
            var value = range.first.value + offset
            if Int.random(in: 0..<5, using: &random) == 0 { value = offset == 0 ? value &- 1 : value &+ 1 }
            return IPAddress(family: family, value: value)
        }
        let hostAddress = Int.random(in: 0..<10, using: &random) == 0
            ? randomRange(family, &random).first : pick(host.ranges(family))
        let peerRanges = policy.zones.flatMap { $0.addresses.ranges(family) }
            + policy.flows.flatMap { ($0.sourceIsAny ? [] : $0.sourceAddresses.ranges(family))
                + ($0.destinationIsAny ? [] : $0.destinationAddresses.ranges(family)) }
        let peerAddress = pick(peerRanges)
        let proto: L4Protocol = [.tcp, .udp, .tcp, .udp, family == .ipv4 ? .icmp : .icmpv6].randomElement(using: &random)!
        let value: UInt16 = switch proto {
        case .icmp: icmpTypes.randomElement(using: &random)!
        case .icmpv6: icmpv6Types.randomElement(using: &random)!
        default: UInt16.random(in: 1...112, using: &random)
        }
        return hook == .input
            ? TestPacket(source: peerAddress, destination: hostAddress, proto: proto, value: value)
            : TestPacket(source: hostAddress, destination: peerAddress, proto: proto, value: value)
    }
}
