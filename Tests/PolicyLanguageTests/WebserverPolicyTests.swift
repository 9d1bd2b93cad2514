import Foundation
import NetworkAddresses
import PolicyLanguage
import PolicyModel
import Testing

/// LANGUAGE.md's example, `policies/webserver.zt`, must mean exactly what the sketch says.
@Suite struct WebserverPolicyTests {
    static let path = repositoryRoot.appendingPathComponent("policies/webserver.zt").path

    /// The policy checked next to a stand-in root, so that no file warning gets in the way.
    static func loadWithRoot() throws -> (Policy?, [Diagnostic], folder: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ztpol-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("certs"),
                                                withIntermediateDirectories: true)
        try "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
            .write(to: folder.appendingPathComponent("certs/ra-root.pem"), atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let (policy, diagnostics) = PolicyLoader.load(text: text, path: folder.appendingPathComponent("w.zt").path)
        return (policy, diagnostics, folder.path)
    }

    static func set(_ addresses: String...) -> AddressSet {
        AddressSet(addresses.map { AddressRange(IPAddress($0)!) })
    }

    /// The product sketch lives in `shared/`, beside the repository, where there is one.
    static let sketchPath = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/LANGUAGE.md").path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sketchPath)))
    func matchesLanguageMarkdownVerbatim() throws {
        let sketch = try String(contentsOfFile: Self.sketchPath, encoding: .utf8)
        let policy = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(sketch.contains("```\n" + policy + "```"))
    }

    @Test func inTheRepositoryOnlyTheMissingRootIsWarnedAbout() {
        let (policy, diagnostics) = PolicyLoader.load(path: Self.path)
        #expect(policy != nil)
        let folder = repositoryRoot.appendingPathComponent("policies").path
        #expect(brief(diagnostics) == [
            "13:14: warning: file 'certs/ra-root.pem' does not exist (looked for '\(folder)/certs/ra-root.pem')",
            "18:9: warning: file 'certs/ra-root.pem' does not exist (looked for '\(folder)/certs/ra-root.pem')",
        ])
    }

    @Test func parsesIntoExactlyTheExpectedModel() throws {
        let (loaded, diagnostics, folder) = try Self.loadWithRoot()
        #expect(diagnostics.isEmpty)
        let policy = try #require(loaded)
        let file = folder + "/w.zt"
        func at(_ line: Int, _ column: Int) -> PolicyLanguage.SourceLocation {
            PolicyLanguage.SourceLocation(file: file, line: line, column: column)
        }

        #expect(policy.zones == [
            Zone(name: "ra", addresses: Self.set("10.77.0.1", "fd77::1"), location: at(2, 6)),
            Zone(name: "web", addresses: Self.set("10.77.0.2", "fd77::2"), location: at(3, 6)),
            Zone(name: "services", addresses: Self.set("10.77.0.3", "fd77::3"), location: at(4, 6)),
        ])
        let https: [ServiceItem] = [.ports(.tcp, [PortRange(443)])]
        #expect(policy.services == [Service(name: "https", items: https, location: at(6, 9))])
        #expect(policy.flows == [
            Flow(sources: [.zone("web")], destinations: [.zone("ra")],
                 sourceAddresses: Self.set("10.77.0.2", "fd77::2"),
                 destinationAddresses: Self.set("10.77.0.1", "fd77::1"),
                 sourceIsAny: false, destinationIsAny: false, serviceNames: ["https"], services: https,
                 location: at(8, 1)),
            Flow(sources: [.zone("ra"), .zone("services")], destinations: [.zone("web")],
                 sourceAddresses: Self.set("10.77.0.1", "fd77::1", "10.77.0.3", "fd77::3"),
                 destinationAddresses: Self.set("10.77.0.2", "fd77::2"), sourceIsAny: false,
                 destinationIsAny: false, serviceNames: ["https"], services: https, location: at(9, 1)),
        ])
        #expect(policy.flows[1].summary == "ra, services -> web https")
        #expect(policy.acme == [
            AcmeBlock(zone: "web", directory: "https://10.77.0.1/dir", trustRoot: folder + "/certs/ra-root.pem",
                      domains: ["web.test"], location: at(11, 1)),
        ])
        #expect(policy.acme[0].directoryURL == AcmeDirectoryURL(host: .address(IPAddress("10.77.0.1")!), port: 443,
                                                                  path: "/dir"))
        #expect(policy.trust == [
            TrustBlock(zone: "services", root: folder + "/certs/ra-root.pem", location: at(17, 1)),
        ])
        let literal4 = AddressSet([AddressRange(IPAddress("10.77.0.4")!)])
        let literal3 = AddressSet([AddressRange(IPAddress("10.77.0.3")!)])
        #expect(policy.expectations == [
            Expectation(source: .zone("services"), destination: .zone("web"),
                        sourceAddresses: Self.set("10.77.0.3", "fd77::3"),
                        destinationAddresses: Self.set("10.77.0.2", "fd77::2"), serviceName: "https",
                        services: https, verdict: .allow, location: at(21, 1)),
            Expectation(source: .literal(literal4, text: "10.77.0.4"), destination: .zone("web"),
                        sourceAddresses: literal4, destinationAddresses: Self.set("10.77.0.2", "fd77::2"),
                        serviceName: "https", services: https, verdict: .deny, location: at(22, 1)),
            Expectation(source: .zone("web"), destination: .literal(literal3, text: "10.77.0.3"),
                        sourceAddresses: Self.set("10.77.0.2", "fd77::2"), destinationAddresses: literal3,
                        serviceName: "https", services: https, verdict: .deny, location: at(23, 1)),
        ])
    }

    @Test func theAcmeProofHoldsAndNamesItsRA() throws {
        let policy = try #require(try Self.loadWithRoot().0)
        #expect(policy.acmeProof(for: policy.acme[0]).isEmpty)
        #expect(policy.zones(containing: [IPAddress("fd77::1")!]).map(\.name) == ["ra"])
    }

    @Test func droppingTheRAsReturnFlowIsRefusedWithAFixIt() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
            .replacingOccurrences(of: "ra, services  -> web  https", with: "services  -> web  https")
        let (policy, diagnostics) = PolicyLoader.load(text: text, path: "w.zt")
        #expect(policy == nil)
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(brief(errors) == [
            "11:1: error: the flows do not let the acme server 'ra' reach 'web' on tcp/443 over ipv4 and ipv6 for"
                + " tls-alpn-01 validation (missing 10.77.0.1 -> 10.77.0.2 tcp/443)",
            "  fix-it: add: ra -> web https",
        ])
    }
}
