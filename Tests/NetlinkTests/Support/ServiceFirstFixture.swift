import NetworkAddresses
import Nftables

extension Fixtures {
    /// The service-first form: base chains dispatch by port through verdict maps (tcp and udp, single
    /// ports, ranges, touching entries, a range open to 65535, accept and drop entries) to regular
    /// chains of address-set rules. The output chain's map has single ports only (no interval set) and
    /// follows a family check and a counter.
    static func serviceFirst(name: String = "ztpol") -> Table {
        let sets = [
            NamedSet(name: "ra_v4", family: .ipv4, elements: [prefix("10.1.0.0/16")], comment: "zone ra"),
            NamedSet(name: "ra_v6", family: .ipv6, elements: [prefix("fd00:1::/48")], comment: "zone ra"),
            NamedSet(name: "web_v4", family: .ipv4, elements: [range("192.0.2.10", "192.0.2.11")], comment: "zone web"),
            NamedSet(name: "web_v6", family: .ipv6, elements: [range("fd00:2::10")], comment: "zone web"),
        ]
        let tcp = VerdictMap(transport: .tcp, entries: [
            .init(ports: PortRange(22), verdict: .jump("input_tcp_22")),
            .init(ports: PortRange(443), verdict: .jump("input_tcp_443")),
            .init(ports: PortRange(5840, 6312), verdict: .jump("input_tcp_5840_6312")),
            .init(ports: PortRange(8080), verdict: .accept),
            .init(ports: PortRange(60000, 65535), verdict: .drop),
        ])
        let udp = VerdictMap(transport: .udp, entries: [
            .init(ports: PortRange(53), verdict: .jump("input_udp_53")),
            .init(ports: PortRange(67, 68), verdict: .accept),
            .init(ports: PortRange(69), verdict: .drop),
        ])
        let outputUDP = VerdictMap(transport: .udp, entries: [
            .init(ports: PortRange(53), verdict: .accept), .init(ports: PortRange(123), verdict: .accept),
        ])
        let fromRA = { (comment: String) -> [Rule] in [
            Rule([.addressInSet(.source, .ipv4, set: "ra_v4"), .addressInSet(.destination, .ipv4, set: "web_v4")],
                 verdict: .accept, comment: comment),
            Rule([.addressInSet(.source, .ipv6, set: "ra_v6"), .addressInSet(.destination, .ipv6, set: "web_v6")],
                 counter: true, verdict: .accept, comment: comment),
        ] }
        return Table(name: name, sets: sets, chains: [
            Chain(name: "input", base: .init(hook: .input, policy: .drop), rules: [
                Rule([.interface(.source, name: "lo")], verdict: .accept),
                Rule([.connectionState([.established, .related])], verdict: .accept),
                Rule([], verdict: .map(tcp)),
                Rule([], verdict: .map(udp)),
                Rule([], counter: true, log: LogStatement(prefix: "ztpol drop: ", ratePerMinute: 10), verdict: .drop),
            ]),
            Chain(name: "output", base: .init(hook: .output, policy: .accept), rules: [
                Rule([.family(.ipv4)], counter: true, verdict: .map(outputUDP)),
            ]),
            Chain(name: "input_tcp_22", rules: fromRA("site.zt:4: ra -> web ssh")),
            Chain(name: "input_tcp_443", rules: fromRA("site.zt:5: ra -> web https")),
            Chain(name: "input_tcp_5840_6312", rules: [
                Rule([.addressInSet(.source, .ipv4, set: "ra_v4")], verdict: .accept, comment: "site.zt:6"),
            ]),
            Chain(name: "input_udp_53", rules: [
                Rule([.addressInSet(.destination, .ipv4, set: "web_v4")], verdict: .accept),
                Rule([], verdict: .return),
            ]),
        ])
    }
}
