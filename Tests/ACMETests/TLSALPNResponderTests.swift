import Foundation
import XCTest

@testable import ACME

final class TLSALPNResponderTests: XCTestCase {
    private func handshake(port: UInt16, host: String = "127.0.0.1", sni: String, alpn: String?) throws
        -> (status: Int32, output: String) {
        var arguments = ["s_client", "-connect", "\(host):\(port)", "-servername", sni]
        if let alpn { arguments += ["-alpn", alpn] }
        return try runProgram("/usr/bin/timeout", ["10", "/usr/bin/openssl"] + arguments)
    }

    func testServesChallengeCertificateOnlyToExactlyAcmeTLS1WithPendingSNI() throws {
        let port = freePort()
        let lines = LineCollector()
        let responder = try TLSALPNResponder(port: port, log: { lines.append($0.message) })
        defer { responder.stop() }
        try responder.add(identifier: Identifier("web.test"), keyAuthorizationDigest: [UInt8](repeating: 9, count: 32))

        for host in ["127.0.0.1", "[::1]"] {
            let served = try handshake(port: port, host: host, sni: "web.test", alpn: "acme-tls/1")
            XCTAssertTrue(served.output.contains("ALPN protocol: acme-tls/1"), served.output)
            XCTAssertTrue(served.output.contains("CN = web.test"), served.output)
        }

        let mixed = try handshake(port: port, sni: "web.test", alpn: "h2,acme-tls/1")
        XCTAssertFalse(mixed.output.contains("BEGIN CERTIFICATE"), mixed.output)
        XCTAssertTrue(mixed.output.contains("no application protocol"), mixed.output)

        let noALPN = try handshake(port: port, sni: "web.test", alpn: nil)
        XCTAssertFalse(noALPN.output.contains("BEGIN CERTIFICATE"), noALPN.output)

        let otherName = try handshake(port: port, sni: "other.test", alpn: "acme-tls/1")
        XCTAssertFalse(otherName.output.contains("BEGIN CERTIFICATE"), otherName.output)
        XCTAssertTrue(otherName.output.contains("unrecognized name"), otherName.output)

        responder.remove(identifier: Identifier("web.test"))
        let removed = try handshake(port: port, sni: "web.test", alpn: "acme-tls/1")
        XCTAssertFalse(removed.output.contains("BEGIN CERTIFICATE"), removed.output)
        XCTAssertTrue(lines.all.contains("served the challenge certificate for web.test"))
    }

    func testBusyPortIsAClearErrorNamingThePort() throws {
        let port = freePort()
        let holder = try TLSALPNResponder(port: port)
        defer { holder.stop() }
        XCTAssertThrowsError(try TLSALPNResponder(port: port)) { error in
            guard case let ResponderError.portInUse(busy, _) = error else {
                return XCTFail("expected portInUse, got \(error)")
            }
            XCTAssertEqual(busy, port)
            let text = String(describing: error)
            XCTAssertTrue(text.contains("tcp/\(port)"), text)
            XCTAssertTrue(text.contains("already in use"), text)
            XCTAssertTrue(text.contains("--tls-port"), text)
        }
    }

    func testPortIsFreeAgainAfterStop() throws {
        let port = freePort()
        try TLSALPNResponder(port: port).stop()
        try TLSALPNResponder(port: port).stop()
    }
}
