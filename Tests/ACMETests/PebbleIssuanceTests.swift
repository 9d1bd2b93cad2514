import Foundation
import XCTest

@testable import ACME

/// Issuance against a real pebble, each test with its own server on free loopback ports.
final class PebbleIssuanceTests: XCTestCase {
    private func request(_ pebble: PebbleServer, _ names: [String], keyType: KeyType = .ec256) -> CertificateRequest {
        CertificateRequest(directoryURL: pebble.directoryURL, trust: .only(rootFile: pebble.httpsRoot),
                           identifiers: names.map(Identifier.init), contactEmail: "ops@web.test", keyType: keyType,
                           stateDirectory: "\(pebble.directory)/state", tlsPort: pebble.tlsPort)
    }

    /// Every key type, each chain verified by `openssl verify` against pebble's `/roots/0`; the
    /// state directory's modes are checked on the way.
    func testEveryKeyTypeIssuesAVerifiableChain() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        for type in KeyType.allCases {
            let issued = try ACMEClient().issue(request(pebble, ["\(type.rawValue).web.test"], keyType: type))
            let verified = try pebble.verify(issued)
            XCTAssertEqual(verified.status, 0, "\(type): \(verified.output)")
            XCTAssertEqual(try PrivateKey(pem: String(contentsOfFile: issued.keyPath, encoding: .utf8)).type, type)
            XCTAssertEqual(issued.keyType, type)
        }

        let state = StateDirectory("\(pebble.directory)/state")
        let account = try state.account(directoryURL: pebble.directoryURL)
        for directory in [state.root, state.acme, state.accounts, account, state.certificates,
                          state.certificate(primary: Identifier("ec256.web.test"))] {
            XCTAssertEqual(try mode(directory), 0o700, directory)
        }
        let certificate = state.certificate(primary: Identifier("ec256.web.test"))
        for key in ["\(account)/account.key", "\(certificate)/privkey.pem", "\(certificate)/request.json"] {
            XCTAssertEqual(try mode(key), 0o600, key)
        }
        XCTAssertEqual(try mode("\(certificate)/fullchain.pem"), 0o644)
    }

    /// The account key is created once and reused; no second registration.
    func testAccountIsReusedAcrossOrders() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        let lines = LineCollector()
        let client = ACMEClient(progress: { lines.append($0.message) })
        _ = try client.issue(request(pebble, ["one.web.test"]))
        let accountDirectory = try StateDirectory("\(pebble.directory)/state").account(directoryURL: pebble.directoryURL)
        let firstKey = try String(contentsOfFile: "\(accountDirectory)/account.key", encoding: .utf8)
        _ = try client.issue(request(pebble, ["two.web.test"]))
        XCTAssertEqual(try String(contentsOfFile: "\(accountDirectory)/account.key", encoding: .utf8), firstKey)
        XCTAssertEqual(lines.all.filter { $0.hasPrefix("registered account") }.count, 1, lines.all.joined(separator: "\n"))
        XCTAssertEqual(lines.all.filter { $0.hasPrefix("using account") }.count, 1)
    }

    func testSeveralNamesInOneCertificate() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        let issued = try ACMEClient().issue(request(pebble, ["web.test", "api.web.test", "www.web.test"]))
        XCTAssertEqual(try pebble.verify(issued).status, 0)
        let names = try runProgram("/usr/bin/openssl", ["x509", "-in", issued.certificatePath, "-noout", "-ext",
                                                        "subjectAltName"]).output
        for name in ["web.test", "api.web.test", "www.web.test"] {
            XCTAssertTrue(names.contains("DNS:\(name)"), names)
        }
    }

    /// pebble rejects most good nonces on purpose: every rejection is retried with the nonce the
    /// `badNonce` error carried.
    func testRejectedNoncesAreRetried() throws {
        let pebble = try PebbleServer(.init(nonceRejectPercent: 60))
        defer { pebble.stop() }
        for name in ["a.web.test", "b.web.test"] {
            let issued = try ACMEClient().issue(request(pebble, [name]))
            XCTAssertEqual(try pebble.verify(issued).status, 0)
        }
    }

    /// With reuse, the second order's authorisation is already valid and no challenge is answered.
    func testValidAuthorizationsAreReused() throws {
        let pebble = try PebbleServer(.init(authorizationReusePercent: 100))
        defer { pebble.stop() }
        let lines = LineCollector()
        let client = ACMEClient(progress: { lines.append($0.message) })
        let first = try client.issue(request(pebble, ["reuse.web.test"]))
        XCTAssertEqual(first.reusedAuthorizations, 0)
        let second = try client.issue(request(pebble, ["reuse.web.test"]))
        XCTAssertEqual(second.reusedAuthorizations, 1)
        XCTAssertEqual(lines.all.filter { $0.contains("answering tls-alpn-01") }.count, 1)
        XCTAssertEqual(try pebble.verify(second).status, 0)
    }

    /// A server that requires External Account Binding: refused without it (before any request
    /// that could create an account), refused with a wrong MAC, issued with the right one.
    func testExternalAccountBindingIsRequiredAndWorks() throws {
        let macKey = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"
        let pebble = try PebbleServer(.init(externalAccountKeys: ["kid-1": macKey]))
        defer { pebble.stop() }
        var missing = request(pebble, ["eab.web.test"])
        XCTAssertThrowsError(try ACMEClient().issue(missing)) { error in
            XCTAssertTrue(String(describing: error).contains("--eab-kid"), "\(error)")
        }
        missing.externalAccountBinding = ExternalAccountBinding(keyID: "kid-1", hmacKey: Base64URL.encode([1, 2, 3]))
        XCTAssertThrowsError(try ACMEClient().issue(missing)) { error in
            guard case let ACMEError.server(request, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(request, "newAccount")
        }
        missing.externalAccountBinding = ExternalAccountBinding(keyID: "kid-1", hmacKey: macKey)
        let issued = try ACMEClient().issue(missing)
        XCTAssertEqual(try pebble.verify(issued).status, 0)
    }

    /// DNS sends the CA elsewhere (127.0.0.2, and pebble's default AAAA ::1 where the responder
    /// does not listen): the error carries the CA's own reason.
    func testFailingChallengeReportsTheServersReason() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        try pebble.resolve("elsewhere.test", ipv4: ["127.0.0.2"], ipv6: [])
        var failing = request(pebble, ["elsewhere.test"])
        failing.listenAddresses = ["127.0.0.1"]
        XCTAssertThrowsError(try ACMEClient().issue(failing)) { error in
            guard case let ACMEError.challengeFailed(identifier, problem) = error else {
                return XCTFail("expected challengeFailed, got \(error)")
            }
            XCTAssertEqual(identifier, "elsewhere.test")
            XCTAssertEqual(problem?.acmeType, "unauthorized")
            XCTAssertTrue(problem?.detail?.contains("tls-alpn-01") ?? false, "\(error)")
            XCTAssertTrue(String(describing: error).hasPrefix("validation of elsewhere.test failed: unauthorized"))
        }
    }

    /// The responder binds before any order: a busy port costs no request.
    func testBusyPortFailsBeforeOrdering() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        let squatter = try TLSALPNResponder(port: pebble.tlsPort)
        defer { squatter.stop() }
        let lines = LineCollector()
        XCTAssertThrowsError(try ACMEClient(progress: { lines.append($0.message) })
            .issue(request(pebble, ["busy.web.test"]))) { error in
            XCTAssertEqual(error as? ResponderError, .portInUse(port: pebble.tlsPort, address: "[::]"))
        }
        XCTAssertTrue(lines.all.isEmpty, lines.all.joined(separator: "\n"))
    }

    /// Only the given root vouches for the directory: pebble's HTTPS fails against another root.
    func testDirectoryIsTrustedOnlyThroughTheGivenRoot() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        var wrongRoot = request(pebble, ["trust.web.test"])
        wrongRoot.trust = .only(rootFile: pebble.issuingRoot)
        XCTAssertThrowsError(try ACMEClient().issue(wrongRoot)) { error in
            guard let transport = error as? TransportError else { return XCTFail("\(error)") }
            XCTAssertTrue(transport.message.contains("certificate"), transport.message)
        }
    }

    /// RFC 8738: an IP address identifier, validated through its reverse name in SNI.
    func testIPAddressIdentifier() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        let issued = try ACMEClient().issue(request(pebble, ["127.0.0.1"]))
        XCTAssertEqual(try pebble.verify(issued).status, 0)
        let names = try runProgram("/usr/bin/openssl", ["x509", "-in", issued.certificatePath, "-noout", "-ext",
                                                        "subjectAltName"]).output
        XCTAssertTrue(names.contains("IP Address:127.0.0.1"), names)
    }
}
