import Foundation
import XCTest

@testable import ACME
import Certificates

final class RenewalPolicyTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// step-ca's default 24-hour certificates: renewed with 8 hours left, not before.
    func testTwentyFourHourCertificateIsDueWithAThirdLeft() {
        let end = start.addingTimeInterval(24 * 3600)
        XCTAssertFalse(RenewalPolicy.decide(notBefore: start, notAfter: end, window: nil,
                                            now: start.addingTimeInterval(15 * 3600)).due)
        XCTAssertTrue(RenewalPolicy.decide(notBefore: start, notAfter: end, window: nil,
                                           now: start.addingTimeInterval(16 * 3600 + 1)).due)
    }

    func testNinetyDayCertificateIsDueThirtyDaysAhead() {
        let end = start.addingTimeInterval(90 * 86_400)
        XCTAssertFalse(RenewalPolicy.decide(notBefore: start, notAfter: end, window: nil,
                                            now: start.addingTimeInterval(59 * 86_400)).due)
        XCTAssertTrue(RenewalPolicy.decide(notBefore: start, notAfter: end, window: nil,
                                           now: start.addingTimeInterval(61 * 86_400)).due)
    }

    /// With ARI the CA's window decides, whatever the lifetime says.
    func testRenewalInfoWindowOverridesTheLifetimeRule() throws {
        let end = start.addingTimeInterval(90 * 86_400)
        let body = #"{"suggestedWindow":{"start":"2027-01-20T00:00:00Z","end":"2027-01-22T00:00:00.5Z"}}"#
        let info = try RenewalInfo.decode(Data(body.utf8))
        let window = info.suggestedWindow
        XCTAssertFalse(RenewalPolicy.decide(notBefore: start, notAfter: end, window: window,
                                            now: window.start.addingTimeInterval(-1)).due)
        XCTAssertTrue(RenewalPolicy.decide(notBefore: start, notAfter: end, window: window,
                                           now: window.end.addingTimeInterval(1)).due)
        // Inside the window: due once the randomly chosen moment has passed.
        let middle = window.start.addingTimeInterval(86_400)
        XCTAssertTrue(RenewalPolicy.decide(notBefore: start, notAfter: end, window: window, now: middle,
                                           random: { $0.lowerBound }).due)
        XCTAssertFalse(RenewalPolicy.decide(notBefore: start, notAfter: end, window: window, now: middle,
                                            random: { $0.upperBound }).due)
    }

    /// RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial DER content octets).
    func testCertificateIDFromAKIAndSerial() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try runProgram("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            "\(scratch.path)/k.pem", "-out", "\(scratch.path)/c.pem", "-subj", "/CN=ari", "-days", "1",
            "-set_serial", "0x87654321", "-addext", "authorityKeyIdentifier=keyid:always",
        ])
        XCTAssertEqual(result.status, 0, result.output)
        let pem = try String(contentsOfFile: "\(scratch.path)/c.pem", encoding: .utf8)
        let certificate = try X509Certificate(der: XCTUnwrap(parsePEMBlocks(pem).first).der)
        let ski = try runProgram("/usr/bin/openssl", ["x509", "-in", "\(scratch.path)/c.pem", "-noout", "-ext",
                                                      "subjectKeyIdentifier"]).output
        let skiHex = try XCTUnwrap(ski.split(separator: "\n").last).trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: ":", with: "").lowercased()
        XCTAssertEqual(hex(try XCTUnwrap(certificate.authorityKeyIdentifier)), skiHex)
        // 0x87654321 has its top bit set, so DER prepends a zero octet.
        XCTAssertEqual(try certificate.serialNumberDER(), [0x00, 0x87, 0x65, 0x43, 0x21])
        let id = try RenewalInfo.certificateID(of: certificate)
        XCTAssertTrue(id.hasSuffix(".AIdlQyE"), id)
    }
}
