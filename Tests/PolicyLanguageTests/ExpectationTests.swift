import PolicyLanguage
import PolicyModel
import Testing

/// `allow` holds when the union of the flows admits every same-family (source, destination, service) of the
/// expectation; `deny` when no flow admits any.
@Suite struct ExpectationTests {
    let zones = """
        zone a 10.0.0.1, fd00::1
        zone b 10.0.0.2, fd00::2
        service web tcp/80, tcp/443

        """

    func errors(_ text: String) -> [String] {
        brief(PolicyLoader.load(text: zones + text, path: "t.zt").1.filter { $0.severity != .warning })
    }

    @Test func allowHoldsWhenSeveralFlowsTogetherAdmitEverything() {
        #expect(errors("a -> b tcp/80\n10.0.0.1 -> b tcp/443\nfd00::1 -> b tcp/443\nexpect a -> b web allow\n") == [])
    }

    @Test func allowNamesWhatIsMissing() {
        #expect(errors("a -> b tcp/80\n10.0.0.1 -> b tcp/443\nexpect a -> b web allow\n") == [
            "6:1: error: expectation failed: no flow admits fd00::1 -> fd00::2 tcp/443",
        ])
        #expect(errors("a -> 10.0.0.2 tcp/80\nexpect a -> b web allow\n") == [
            "5:1: error: expectation failed: no flow admits 10.0.0.1 -> 10.0.0.2 tcp/443 (and 1 more)",
        ])
    }

    @Test func pairsAcrossFamiliesAreNotTraffic() {
        #expect(errors("a -> b web\nexpect a -> any web deny\n") == [
            "5:1: error: expectation failed: flow 'a -> b web' at line 4 admits 10.0.0.1 -> 10.0.0.2 tcp/80, tcp/443",
            "4:1: note: this flow admits it",
        ])
        #expect(errors("10.0.0.1 -> fd00::2, 10.0.0.2 web\nexpect 10.0.0.1 -> b web allow\n") == [])
    }

    @Test func denyHoldsWhenOnlyOtherTrafficIsAdmitted() {
        #expect(errors("a -> b tcp/80\nany -> a tcp/22\nexpect a -> b tcp/443 deny\nexpect b -> a tcp/80 deny\n") == [])
    }

    @Test func denyPointsAtTheFirstAdmittingFlow() {
        #expect(errors("a -> b tcp/80\nany -> b tcp/22, tcp/80\nexpect 192.0.2.1 -> b tcp/1-100 deny\n") == [
            "6:1: error: expectation failed: flow 'any -> b tcp/22, tcp/80' at line 5 admits 192.0.2.1 -> 10.0.0.2"
                + " tcp/22, tcp/80",
            "5:1: note: this flow admits it",
        ])
    }

    @Test func icmpTypesAreSetsPerFamily() {
        let flows = "a -> b icmp\na -> b icmpv6/echo-request\n"
        #expect(errors(flows + "expect a -> b icmp/echo-request allow\nexpect a -> b icmpv6/echo-reply deny\n") == [])
        #expect(errors(flows + "expect a -> b icmpv6 allow\n") == [
            "6:1: error: expectation failed: no flow admits fd00::1 -> fd00::2 icmpv6 types 0-127, 129-255",
        ])
    }
}
