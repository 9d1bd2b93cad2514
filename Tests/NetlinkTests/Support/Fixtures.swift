import NetworkAddresses
import Nftables
import TestSupport

/// Tables for the tests.
enum Fixtures {
    static func range(_ first: String, _ last: String? = nil) -> AddressRange {
        AddressRange(first: IPAddress(first)!, last: IPAddress(last ?? first)!)
    }

    static func prefix(_ text: String) -> AddressRange {
        let parts = text.split(separator: "/")
        return Prefix(network: IPAddress(parts[0])!, length: Int(parts[1])!).range
    }

    /// Every `Match` case, both families, prefixes, ranges and single addresses, an interval open to
    /// the top of the address space, an empty set, base chains with policies and priorities, a
    /// regular chain, counters, a rate-limited log, comments and every verdict.
    static func everything(name: String = "ztpol") -> Table {
        let sets = [
            NamedSet(name: "web_v4", family: .ipv4, elements: [
                range("10.0.0.1"), prefix("10.0.1.0/24"), range("10.0.2.5", "10.0.2.9"), range("192.0.2.7"),
            ], comment: "zone web"),
            NamedSet(name: "web_v6", family: .ipv6, elements: [
                range("::ffff:1.2.3.4"), prefix("2001:db8::/32"), range("fd77::1"), range("fd77::5", "fd77::9"),
            ], comment: "zone web"),
            NamedSet(name: "edges_v4", family: .ipv4, elements: [
                prefix("0.0.0.0/8"), range("200.0.0.0", "255.255.255.255"),
            ]),
            NamedSet(name: "everything_v6", family: .ipv6, elements: [prefix("::/0")]),
            NamedSet(name: "nobody_v4", family: .ipv4, elements: [], comment: "an empty zone"),
        ]
        let input: [Rule] = [
            Rule([.interface(.source, name: "lo")], verdict: .accept, comment: "loopback"),
            Rule([.connectionState(.invalid)], counter: true, verdict: .drop, comment: "invalid packets"),
            Rule([.connectionState([.established, .related])], verdict: .accept),
            Rule([.family(.ipv6), .connectionState(.new)], verdict: .jump("helper")),
            Rule([.icmpTypes(.ipv6, [134, 135, 136])], verdict: .accept, comment: "IPv6 neighbour discovery"),
            Rule([.icmpTypes(.ipv4, [3, 11, 12])], verdict: .accept),
            Rule([.icmpTypes(.ipv4, [8])], verdict: .accept),
            Rule([.icmpTypes(.ipv6, [128])], verdict: .accept),
            Rule([.addressInSet(.source, .ipv4, set: "web_v4"), .ports(.tcp, .destination, [PortRange(443)])],
                 counter: true, verdict: .accept, comment: "webserver.zt:8: ra, services -> web https"),
            Rule([.addressInSet(.source, .ipv6, set: "web_v6"),
                  .addressInSet(.destination, .ipv6, set: "everything_v6"),
                  .ports(.tcp, .destination, [PortRange(22), PortRange(80), PortRange(443)])], verdict: .accept),
            Rule([.addressInSet(.destination, .ipv4, set: "edges_v4"),
                  .ports(.udp, .source, [PortRange(53), PortRange(8000, 8999)])], verdict: .accept),
            Rule([.ports(.udp, .destination, [PortRange(1000, 2000)])], verdict: .accept),
            Rule([.ports(.tcp, .source, [PortRange(60000, 65535)])], verdict: .drop),
            Rule([.addressInSet(.source, .ipv4, set: "nobody_v4"), .l4Protocol(.icmp)], verdict: .accept),
            Rule([.l4Protocol(.icmpv6)], verdict: .accept),
            Rule([.family(.ipv4), .l4Protocol(.udp)], verdict: .drop),
            Rule([], counter: true, log: LogStatement(prefix: "ztpol drop input: ", ratePerMinute: 10), verdict: .drop,
                 comment: "not allowed by the policy"),
        ]
        let output: [Rule] = [
            Rule([.interface(.destination, name: "lo")], verdict: .accept),
            Rule([.interface(.destination, name: "eth0")], log: LogStatement(prefix: "out: ", ratePerMinute: 3),
                 verdict: .continue),
            Rule([.addressInSet(.destination, .ipv6, set: "web_v6"), .icmpTypes(.ipv6, [1, 2, 3, 4])],
                 verdict: .accept),
            Rule([], counter: true, verdict: .continue),
        ]
        return Table(name: name, sets: sets, chains: [
            Chain(name: "helper", rules: [
                Rule([.addressInSet(.source, .ipv6, set: "web_v6")], verdict: .accept),
                Rule([], verdict: .return),
            ]),
            Chain(name: "input", base: .init(hook: .input, priority: 0, policy: .drop), rules: input),
            Chain(name: "output", base: .init(hook: .output, priority: 10, policy: .drop), rules: output),
            Chain(name: "forward", base: .init(hook: .forward, priority: -151, policy: .accept)),
        ])
    }

    /// `count` disjoint IPv4 intervals (singles, prefixes and ranges) and as many IPv6 ones.
    static func large(v4 count4: Int, v6 count6: Int, name: String = "ztpol") -> Table {
        var generator = SeededGenerator(seed: 7)
        func intervals(_ family: IPFamily, _ count: Int, start: UInt128, gap: UInt128) -> [AddressRange] {
            var result: [AddressRange] = []
            result.reserveCapacity(count)
            var cursor = start
            for _ in 0..<count {
                cursor += 2 + generator.next() % gap
                let size: UInt128
                switch generator.next() % 10 {
                case 0...3: size = 1
                case 4...7:
                    // A prefix: align the start to its size.
                    let bits = UInt128(1 + generator.next() % 10)
                    size = 1 << bits
                    cursor = (cursor + size - 1) / size * size
                default: size = 2 + generator.next() % 500
                }
                result.append(AddressRange(first: IPAddress(family: family, value: cursor),
                                           last: IPAddress(family: family, value: cursor + size - 1)))
                cursor += size
            }
            return result
        }
        let v4 = intervals(.ipv4, count4, start: 1 << 24, gap: 3000)
        let v6 = intervals(.ipv6, count6, start: 0xfd00 << 112, gap: 1 << 40)
        var sets = [NamedSet(name: "big_v4", family: .ipv4, elements: v4)]
        var rules = [Rule([.addressInSet(.source, .ipv4, set: "big_v4")], verdict: .accept)]
        if count6 > 0 {
            sets.append(NamedSet(name: "big_v6", family: .ipv6, elements: v6))
            rules.append(Rule([.addressInSet(.source, .ipv6, set: "big_v6")], verdict: .accept))
        }
        return Table(name: name, sets: sets,
                     chains: [Chain(name: "input", base: .init(hook: .input, policy: .drop), rules: rules)])
    }
}
