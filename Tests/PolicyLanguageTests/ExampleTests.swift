import Foundation
import PolicyLanguage
import PolicyModel
import Testing

/// Every shipped policy must be valid: no errors, and no warnings but the missing private root, which only
/// exists on a machine that ran the RA.
@Suite struct ExampleTests {
    static let policies: [String] = ["policies", "examples"].flatMap { folder in
        let path = repositoryRoot.appendingPathComponent(folder).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".zt") }.sorted().map { "\(folder)/\($0)" }
    }

    @Test func thereAreExamples() {
        #expect(Self.policies.count >= 3)
    }

    @Test(arguments: policies)
    func isValidWithItsExpectationsHolding(_ relative: String) throws {
        let (policy, diagnostics) = PolicyLoader.load(path: repositoryRoot.appendingPathComponent(relative).path)
        let unexpected = diagnostics.filter { $0.id != "file-missing" }
        #expect(unexpected.isEmpty, "\(DiagnosticRenderer().render(unexpected))")
        let checked = try #require(policy)
        #expect(!checked.expectations.isEmpty)
        for expectation in checked.expectations {
            #expect(expectation.failures(against: checked.flows).isEmpty)
        }
    }

    @Test func threeTierMeansWhatItSays() throws {
        let path = repositoryRoot.appendingPathComponent("examples/three-tier.zt").path
        let policy = try #require(PolicyLoader.load(path: path).0)
        #expect(policy.zone(named: "admins")?.addresses.description == "10.30.100.0-10.30.100.199")
        #expect(policy.zone(named: "db")?.addresses.description == "10.30.4.10-10.30.4.12, fd30:4::10-fd30:4::12")
        #expect(policy.zone(named: "servers")?.addresses.allRanges.count == 12)
        #expect(policy.flows[0].sourceIsAny && !policy.flows[0].destinationIsAny)
        #expect(policy.flows[0].services == [.ports(.tcp, [.init(80), .init(443)])])
        #expect(policy.services.first { $0.name == "ping" }?.items == [.icmp([8]), .icmpv6([128])])
    }

    @Test func ipv6OnlyReadsEveryAcmeSetting() throws {
        let path = repositoryRoot.appendingPathComponent("examples/ipv6-only.zt").path
        let policy = try #require(PolicyLoader.load(path: path).0)
        let acme = try #require(policy.acme.first)
        #expect(acme.domains == ["api.internal.example", "api-v2.internal.example"])
        #expect(acme.email == "ops@example.org" && acme.keyType == .ec384)
        #expect(acme.stateDirectory == "/var/lib/ztpol/acme" && acme.reloadCommand == "systemctl reload api.service")
        #expect(acme.trustRoot == repositoryRoot.appendingPathComponent("examples/certs/ra-root.pem").path)
        #expect(acme.directoryURL?.host == .address(.init("2001:db8:300::1")!))
        #expect(policy.trust.first?.stores == ["system"] && policy.trust.first?.name == "example-private-root")
        #expect(policy.acmeProof(for: acme).isEmpty)
    }
}
