import NetworkAddresses
import PolicyLanguage
import PolicyModel
import Testing

@Suite struct ParserTests {
    func parse(_ text: String) -> (PolicySyntax, [String]) {
        let (syntax, diagnostics) = Parser.parse(text, file: "t.zt")
        return (syntax, brief(diagnostics))
    }

    @Test func listsGoOnAfterACommaOrArrowAtTheEndOfALine() throws {
        let (syntax, diagnostics) = parse("""
            zone all 10.0.0.1,
                     10.0.0.2,   # a comment does not end the list
                     fd77::1
            all, 10.0.0.9 ->
                all  tcp/22,
                     udp/53
            """)
        #expect(diagnostics.isEmpty)
        guard case .zone(let zone) = syntax.declarations[0], case .flow(let flow) = syntax.declarations[1] else {
            Issue.record("expected a zone and a flow")
            return
        }
        #expect(zone.items.count == 3 && zone.exclusions.isEmpty && !zone.hadErrors)
        #expect(flow.sources.map(\.text) == ["all", "10.0.0.9"])
        #expect(flow.destinations.map(\.text) == ["all"])
        #expect(flow.services.map(\.text) == ["tcp/22", "udp/53"])
    }

    @Test func destinationsEndWhereTheServicesStart() throws {
        let (syntax, diagnostics) = parse("a -> b, c https, tcp/22, icmp\n")
        #expect(diagnostics.isEmpty)
        guard case .flow(let flow) = syntax.declarations[0] else { return }
        #expect(flow.destinations.map(\.text) == ["b", "c"])
        #expect(flow.services.map(\.text) == ["https", "tcp/22", "icmp"])
        #expect(flow.services[2] == .literal(ServiceLiteralSyntax("icmp", at: flow.services[2].location,
                                                                   spec: .icmp(.icmp, type: nil))))
    }

    @Test func literalsCarryTheirValues() throws {
        let (syntax, _) = parse("service s tcp/8000-8999, icmpv6/128, icmp/echo-reply\nzone z 10.0.0.0/30\n")
        guard case .service(let service) = syntax.declarations[0],
              case .zone(let zone) = syntax.declarations[1] else { return }
        let specs = service.items.compactMap { item -> ServiceLiteralSyntax.Spec? in
            if case .literal(let literal) = item { return literal.spec } else { return nil }
        }
        #expect(specs == [.ports(.tcp, PortRange(8000, 8999)), .icmp(.icmpv6, type: 128), .icmp(.icmp, type: 0)])
        guard case .address(let literal) = zone.items[0] else { return }
        #expect(literal.range == AddressRange(first: IPAddress("10.0.0.0")!, last: IPAddress("10.0.0.3")!))
    }

    @Test func blocksMayCloseOnTheLastSettingsLine() {
        let (syntax, diagnostics) = parse("trust web { root \"r.pem\" }\nzone web 10.0.0.1\n")
        #expect(diagnostics.isEmpty)
        guard case .trust(let block) = syntax.declarations[0] else { return }
        #expect(block.settings.map(\.name.text) == ["root"])
        #expect(block.settings[0].values.map(\.isQuoted) == [true])
        #expect(syntax.declarations.count == 2)
    }

    @Test func recoveryReportsEveryErrorAndKeepsTheGoodStatements() {
        let (syntax, diagnostics) = parse("""
            zone a 10.0.0.1/8, 10.0.0.300
            zone b 10.0.0.2 ]
            -> b tcp/22
            b -> a tcp/0
            acme b {
              directory
              domain web.test
            zone c 10.0.0.3
            service ok tcp/1
            """)
        #expect(diagnostics == [
            "1:8: error: host bits set in '10.0.0.1/8'; did you mean '10.0.0.0/8'?",
            "  fix-it: replace 10 with '10.0.0.0/8'",
            "1:20: error: invalid address '10.0.0.300': 300 is over 255",
            "2:17: error: unexpected character ']'",
            "3:1: error: expected a statement, found '->'",
            "4:12: error: port '0' is out of range (1-65535)",
            "5:8: error: 'acme' block has no closing '}'",
            "6:3: error: 'directory' needs a value",
        ])
        let names = syntax.declarations.compactMap { declaration -> String? in
            switch declaration {
            case .zone(let zone): "zone \(zone.name.text)\(zone.hadErrors ? "!" : "")"
            case .service(let service): "service \(service.name.text)"
            case .flow(let flow): "flow\(flow.hadErrors ? "!" : "")"
            case .acme(let acme): "acme \(acme.zone.text) \(acme.settings.map(\.name.text))"
            default: nil
            }
        }
        #expect(names == ["zone a!", "zone b", "flow!", "acme b [\"domain\"]", "zone c", "service ok"])
    }

    @Test func aBrokenPolicyYieldsNoModelButAllDiagnostics() {
        let (policy, diagnostics) = PolicyLoader.load(text: "zone a 10.0.0.1/8\nzone b\nb -> c tcp/1\n", path: "t")
        #expect(policy == nil)
        #expect(diagnostics.map(\.id) == ["host-bits-set", "empty-zone", "unknown-zone"])
    }
}
