import NetworkAddresses
import Nftables
import XCTest

/// The renderer's text, without a kernel: nft's listing layout, names and number formats.
final class RendererTests: XCTestCase {
    func testTableLaysOutLikeNftList() {
        let table = Table(name: "t", sets: [
            NamedSet(name: "a_v4", family: .ipv4, elements: [
                Fixtures.range("10.0.0.1"), Fixtures.prefix("10.0.1.0/24"), Fixtures.range("10.0.2.5", "10.0.2.9"),
            ], comment: "zone a"),
            NamedSet(name: "a_v6", family: .ipv6,
                     elements: [Fixtures.range("::ffff:1.2.3.4"), Fixtures.prefix("fd00::/8")]),
        ], chains: [
            Chain(name: "input", base: .init(hook: .input, priority: -5, policy: .drop), rules: [
                Rule([.addressInSet(.source, .ipv4, set: "a_v4"),
                      .ports(.tcp, .destination, [PortRange(22), PortRange(80, 88)])],
                     counter: true, verdict: .accept, comment: "ssh"),
            ]),
            Chain(name: "empty"),
        ])
        XCTAssertEqual(NftRenderer().render(table), """
            table inet t {
            \tset a_v4 {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t\tcomment "zone a"
            \t\telements = { 10.0.0.1, 10.0.1.0/24,
            \t\t\t     10.0.2.5-10.0.2.9 }
            \t}

            \tset a_v6 {
            \t\ttype ipv6_addr
            \t\tflags interval
            \t\telements = { ::ffff:1.2.3.4,
            \t\t\t     fd00::/8 }
            \t}

            \tchain input {
            \t\ttype filter hook input priority filter - 5; policy drop;
            \t\tip saddr @a_v4 tcp dport { 22, 80-88 } counter packets 0 bytes 0 accept comment "ssh"
            \t}

            \tchain empty {
            \t}
            }

            """)
    }

    func testPrioritiesAreNamedAsNftNamesThem() {
        let renderer = NftRenderer()
        let cases: [(Int32, String)] = [
            (0, "filter"), (10, "filter + 10"), (-10, "filter - 10"), (11, "11"), (-300, "raw"), (-151, "mangle - 1"),
            (50, "security"), (100, "100"), (-100, "-100"), (1000, "1000"),
        ]
        for (priority, text) in cases {
            XCTAssertEqual(renderer.baseDeclaration(.init(hook: .output, priority: priority, policy: .accept)),
                           "type filter hook output priority \(text); policy accept;")
        }
    }

    func testMatchesStatementsAndVerdicts() {
        let renderer = NftRenderer(counters: .bare)
        XCTAssertEqual(renderer.ruleText(Rule([.connectionState([.new, .invalid, .untracked])], verdict: .drop)),
                       "ct state invalid,new,untracked drop")
        XCTAssertEqual(renderer.ruleText(Rule([.icmpTypes(.ipv6, [136, 135, 200])], verdict: .accept)),
                       "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, 200 } accept")
        XCTAssertEqual(renderer.ruleText(Rule([.icmpTypes(.ipv4, [8])], verdict: .accept)),
                       "icmp type echo-request accept")
        XCTAssertEqual(renderer.ruleText(Rule([.family(.ipv6), .l4Protocol(.icmpv6)], verdict: .jump("x"))),
                       "meta nfproto ipv6 meta l4proto ipv6-icmp jump x")
        let log = LogStatement(prefix: "out: ", ratePerMinute: 3)
        XCTAssertEqual(renderer.ruleText(Rule([.interface(.destination, name: "eth0")], counter: true, log: log,
                                              verdict: .continue)),
                       "oifname \"eth0\" counter limit rate 3/minute log prefix \"out: \"")
        XCTAssertEqual(renderer.ruleText(Rule([.unrecognised("[meta load mark => reg 1]")], verdict: .return)),
                       "<unrecognised [meta load mark => reg 1]> return")
    }

    func testStatementsLoadInOrder() {
        let set = NamedSet(name: "s", family: .ipv4, elements: [Fixtures.range("0.0.0.0", "0.0.0.3")])
        let table = Table(name: "t", sets: [set],
                          chains: [Chain(name: "c", base: .init(hook: .forward, policy: .drop),
                                         rules: [Rule([.addressInSet(.destination, .ipv4, set: "s")], counter: true,
                                                      verdict: .accept)])])
        XCTAssertEqual(NftRenderer().statements(table), [
            "add table inet t",
            "add set inet t s { type ipv4_addr; flags interval; }",
            "add element inet t s { 0.0.0.0/30 }",
            "add chain inet t c { type filter hook forward priority filter; policy drop; }",
            "add rule inet t c ip daddr @s counter accept",
        ])
    }

    func testCanonicalDropsChecksALaterMatchImplies() {
        let rule = Rule([.family(.ipv4), .l4Protocol(.tcp), .addressInSet(.source, .ipv4, set: "s"),
                         .ports(.tcp, .destination, [PortRange(22)]), .icmpTypes(.ipv4, [11, 3])], verdict: .accept)
        XCTAssertEqual(rule.canonical.matches, [
            .addressInSet(.source, .ipv4, set: "s"), .ports(.tcp, .destination, [PortRange(22)]),
            .icmpTypes(.ipv4, [3, 11]),
        ])
        let kept = Rule([.family(.ipv6), .l4Protocol(.udp), .connectionState(.new)], verdict: .accept)
        XCTAssertEqual(kept.canonical, kept)
    }

    func testProblemsAreFoundBeforeAnythingIsSent() {
        var table = Fixtures.everything()
        table.sets[1].elements = [Fixtures.range("fd00::1"), Fixtures.range("fd00::2")]
        table.sets.append(NamedSet(name: "web_v4", family: .ipv4, elements: []))
        table.chains[1].rules[0].matches = [.interface(.source, name: "a-very-long-interface-name")]
        table.chains[2].rules[1].log = LogStatement(prefix: "line\nbreak", ratePerMinute: 0)
        table.chains.append(Chain(name: "9lives"))
        XCTAssertEqual(table.problems().map(\.description), [
            "set web_v6: elements fd00::1 and fd00::2 are not sorted, disjoint and apart",
            "set web_v4: defined twice",
            "rule 1 of chain input: interface name is 26 bytes long; nft takes at most 15",
            "rule 2 of chain output: log prefix contains a quote or a line break, which nft cannot write",
            "rule 2 of chain output: log rate must be above 0",
            "chain 9lives: '9lives' is not a valid nft name (letters, digits, '_')",
        ])
        XCTAssertEqual(Fixtures.everything().problems(), [])
    }
}
