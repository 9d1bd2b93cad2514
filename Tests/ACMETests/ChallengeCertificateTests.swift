import Foundation
import XCTest

@testable import ACME

final class ChallengeCertificateTests: XCTestCase {
    func testKeyAuthorizationIsTokenDotThumbprintAndItsDigest() throws {
        let authorization = KeyAuthorization(token: "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA",
                                             thumbprint: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        XCTAssertEqual(authorization.value,
                       "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        XCTAssertEqual(hex(authorization.digest), "653471d42925d7eb4cd39a39cda8b34d3034c94cb90067ab78c8123560ba2e5f")
    }

    /// RFC 8737 §3: critical id-pe-acmeIdentifier whose value is the DER OCTET STRING of the digest.
    func testAcmeIdentifierExtensionIsCriticalDEROctetString() throws {
        let digest = Array(UInt8(0)..<32)
        let certificate = try ChallengeCertificate(identifier: Identifier("web.test"), keyAuthorizationDigest: digest,
                                                   key: PrivateKey.generate(.ec256))
        let ext = try XCTUnwrap(certificate.acmeIdentifierExtension)
        XCTAssertTrue(ext.critical)
        XCTAssertEqual(ext.value, [0x04, 0x20] + digest)
    }

    func testExactlyOneDNSNameAndVersion3() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let certificate = try ChallengeCertificate(identifier: Identifier("Web.Test"),
                                                   keyAuthorizationDigest: [UInt8](repeating: 7, count: 32),
                                                   key: PrivateKey.generate(.ec256))
        let file = try scratch.write("challenge.der", try certificate.der)
        let text = try runProgram("/usr/bin/openssl", ["x509", "-inform", "DER", "-in", file, "-noout", "-text"]).output
        XCTAssertTrue(text.contains("Version: 3 (0x2)"), text)
        let names = try runProgram("/usr/bin/openssl", ["x509", "-inform", "DER", "-in", file, "-noout", "-ext",
                                                 "subjectAltName"]).output
        XCTAssertEqual(names.components(separatedBy: "DNS:").count - 1, 1, names)
        XCTAssertTrue(names.contains("DNS:web.test"), names)
        XCTAssertTrue(text.contains("1.3.6.1.5.5.7.1.31: critical"), text)
    }

    /// RFC 8738 §6: an IP identifier gets one iPAddress and is looked up by its reverse name.
    func testIPIdentifierUsesIPAddressAndReverseName() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let certificate = try ChallengeCertificate(identifier: Identifier("127.0.0.1"),
                                                   keyAuthorizationDigest: [UInt8](repeating: 1, count: 32),
                                                   key: PrivateKey.generate(.ec256))
        let file = try scratch.write("ip.der", try certificate.der)
        let names = try runProgram("/usr/bin/openssl", ["x509", "-inform", "DER", "-in", file, "-noout", "-ext",
                                                 "subjectAltName"]).output
        XCTAssertTrue(names.contains("IP Address:127.0.0.1"), names)
        XCTAssertEqual(ClientHello.sniName(for: Identifier("127.0.0.1")), "1.0.0.127.in-addr.arpa")
        XCTAssertEqual(ClientHello.sniName(for: Identifier("2001:db8::1")),
                       "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
    }

    func testMalformedNamesAreRefused() throws {
        for bad in ["web test", "a,DNS:evil.test", "-lead.test", ""] {
            XCTAssertThrowsError(try ChallengeCertificate(identifier: Identifier(type: .dns, value: bad),
                                                          keyAuthorizationDigest: [UInt8](repeating: 0, count: 32),
                                                          key: PrivateKey.generate(.ec256)), bad)
        }
    }
}
