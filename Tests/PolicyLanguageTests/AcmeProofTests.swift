import NetworkAddresses
import PolicyLanguage
import PolicyModel
import Testing

/// The static proof for `acme` blocks, from the policy alone and with addresses resolved by the caller.
@Suite struct AcmeProofTests {
    func acme(_ directory: String) -> String {
        "acme web {\n  directory \"\(directory)\"\n  trust \"/nonexistent/r.pem\"\n  domain web.test\n}\n"
    }

    func errors(_ text: String) -> [String] {
        brief(PolicyLoader.load(text: text, path: "t.zt").1.filter { $0.severity != .warning })
    }

    @Test func aDirectoryByNameIsAWarningUntilResolved() throws {
        let text = "zone ra 10.77.0.1, fd77::1\nzone web 10.77.0.2, fd77::2\nweb -> ra tcp/443\nra -> web tcp/443\n"
            + acme("https://ca.test:14000/dir")
        let (loaded, diagnostics) = PolicyLoader.load(text: text, path: "t.zt")
        let policy = try #require(loaded)
        #expect(diagnostics.map(\.id) == ["acme-directory-by-name", "file-missing"])
        #expect(policy.acme[0].directoryURL == AcmeDirectoryURL(host: .name("ca.test"), port: 14000, path: "/dir"))

        let resolved = [IPAddress("10.77.0.1")!, IPAddress("fd77::1")!]
        #expect(brief(policy.acmeProof(for: policy.acme[0], directoryAddresses: resolved)) == [
            "5:1: error: the flows do not let 'web' reach the acme directory 10.77.0.1 on tcp/14000",
            "  fix-it: add: web -> ra tcp/14000",
            "5:1: error: the flows do not let 'web' reach the acme directory fd77::1 on tcp/14000",
            "  fix-it: add: web -> ra tcp/14000",
        ])
    }

    @Test func theRAIsTheMostSpecificZoneHoldingTheDirectory() {
        let text = "zone dc 10.77.0.0/24, fd77::/64\nzone ra 10.77.0.1\nzone web 10.77.0.2\n"
            + "service https tcp/443\nweb -> dc https\n" + acme("https://10.77.0.1/dir")
        #expect(errors(text) == [
            "6:1: error: the flows do not let the acme server 'ra' reach 'web' on tcp/443 over ipv4 for tls-alpn-01"
                + " validation (missing 10.77.0.1 -> 10.77.0.2 tcp/443)",
            "  fix-it: add: ra -> web https",
        ])
    }

    @Test func aDirectoryInNoZoneIsItsOwnRA() {
        let text = "zone web 10.77.0.2, fd77::2\nweb -> 10.99.0.1 tcp/443\n" + acme("https://10.99.0.1/")
        #expect(errors(text) == [
            "3:1: error: the flows do not let the acme server '10.99.0.1' reach 'web' on tcp/443 over ipv4 for"
                + " tls-alpn-01 validation (missing 10.99.0.1 -> 10.77.0.2 tcp/443)",
            "  fix-it: add: 10.99.0.1 -> web tcp/443",
        ])
        #expect(errors(text.replacingOccurrences(of: "acme web", with: "10.99.0.1 -> web tcp/443\nacme web")) == [])
    }

    @Test func anIPv6DirectoryNeedsIPv6Flows() {
        let text = "zone ra fd77::1\nzone web fd77::2\nservice https tcp/443\n"
            + "web -> ra https\nra -> web https\n" + acme("https://[fd77::1]:8443/dir")
        #expect(errors(text) == [
            "6:1: error: the flows do not let 'web' reach the acme directory fd77::1 on tcp/8443",
            "  fix-it: add: web -> ra tcp/8443",
        ])
    }

    /// The seed's RA left without its IPv6 address: web.test has an AAAA, so validation comes over IPv6
    /// from an address no flow names, and would be dropped at web.
    @Test func anRAZoneMissingAFamilyTheHostHasIsRefused() {
        let text = "zone ra 10.77.0.1\nzone web 10.77.0.2, fd77::2\nservice https tcp/443\n"
            + "web -> ra https\nra -> web https\n" + acme("https://10.77.0.1/dir")
        #expect(errors(text) == [
            "6:1: error: the acme server 'ra' has no ipv6 address in the policy, but 'web' has one (fd77::2);"
                + " validation comes over ipv6 when the name has such an address, and would be dropped",
        ])
        #expect(errors(text.replacingOccurrences(of: "zone ra 10.77.0.1", with: "zone ra 10.77.0.1, fd77::1")) == [])
    }

    @Test func aBroadFlowCountsWhenItAdmitsTheTraffic() {
        let text = "zone ra 10.77.0.1\nzone web 10.77.0.0/28 except ra\nweb -> any tcp/443, udp/53\n"
            + "any -> web tcp/1-1024\n" + acme("https://10.77.0.1/dir")
        #expect(errors(text) == [])
    }

    @Test(arguments: [
        ("https://10.77.0.1/dir", "10.77.0.1", 443, "/dir"), ("HTTPS://[fd77::1]", "fd77::1", 443, ""),
        ("https://ca.example.test:9443/acme/directory?x", "ca.example.test", 9443, "/acme/directory?x"),
    ])
    func directoryURLsParse(_ text: String, _ host: String, _ port: Int, _ path: String) throws {
        let url = try AcmeDirectoryURL.parse(text).get()
        #expect(url.host.description == host && Int(url.port) == port && url.path == path)
    }

    @Test(arguments: ["http://10.0.0.1/", "ftp://x", "10.0.0.1/dir", "https://", "https://[fd77::1/", "https://a@b/",
                      "https://10.0.0.256/", "https://host:0/", "https://-bad-.test/", "https://[10.0.0.1]/"])
    func badDirectoryURLsAreRefused(_ text: String) {
        #expect((try? AcmeDirectoryURL.parse(text).get()) == nil)
    }
}
