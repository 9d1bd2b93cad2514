import Foundation
import Trust
import XCTest

final class RootValidationTests: XCTestCase {
    var factory: CertificateFactory!

    override func setUpWithError() throws {
        factory = try CertificateFactory()
    }

    func assertRefused(_ bytes: [UInt8], _ code: TrustError.Code, now: Date = Date(), mentions: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PrivateRoot(contents: bytes, source: "root.pem", now: now), file: file, line: line) {
            error in
            guard let error = error as? TrustError else { return XCTFail("not a TrustError: \(error)") }
            XCTAssertEqual(error.code, code, error.reason, file: file, line: line)
            XCTAssertTrue(error.reason.contains(mentions), "'\(error.reason)' lacks '\(mentions)'",
                          file: file, line: line)
        }
    }

    func testAcceptsSelfSignedCertificateAuthority() throws {
        let bytes = try factory.selfSigned("root", commonName: "Test Root")
        let root = try PrivateRoot(contents: bytes, source: "root.pem")
        XCTAssertEqual(root.commonName, "Test Root")
        XCTAssertEqual(root.subject, "CN=Test Root")
        XCTAssertEqual(root.fingerprint.count, 64)
        XCTAssertTrue(root.pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        XCTAssertTrue(root.pem.hasSuffix("-----END CERTIFICATE-----\n"))
        XCTAssertEqual(TrustInstaller.defaultName(for: root), "ztpol-test-root")
    }

    /// Editors on Windows save with a byte order mark and CRLF line ends; OpenSSL reads such a root, and so must we.
    func testAcceptsRootWithByteOrderMarkAndCRLF() throws {
        let bytes = try factory.selfSigned("root", commonName: "Test Root")
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")
        let root = try PrivateRoot(contents: [0xEF, 0xBB, 0xBF] + Array(text.utf8), source: "root.pem")
        XCTAssertEqual(root.pem, try PrivateRoot(contents: bytes, source: "root.pem").pem)
    }

    func testRefusesBinaryFile() throws {
        try factory.selfSigned("root", commonName: "Test Root")
        try factory.openssl(["x509", "-in", "root.pem", "-outform", "der", "-out", "root.der"])
        assertRefused(try factory.bytes("root.der"), .notPEM, mentions: "openssl x509 -inform der")
    }

    func testRefusesTextWithoutPEM() {
        assertRefused(Array("just some text\n".utf8), .notPEM, mentions: "BEGIN CERTIFICATE")
    }

    func testRefusesUnterminatedBlock() {
        assertRefused(Array("-----BEGIN CERTIFICATE-----\nMIIB\n".utf8), .notPEM, mentions: "END CERTIFICATE")
    }

    func testRefusesPrivateKeyBesideCertificate() throws {
        let certificate = try factory.selfSigned("root", commonName: "Test Root")
        let key = try factory.bytes("root.key")
        assertRefused(certificate + key, .privateKeyIncluded, mentions: "PRIVATE KEY")
    }

    func testRefusesCertificateRequest() throws {
        try factory.selfSigned("root", commonName: "Root")
        try factory.issued("leaf", by: "root", commonName: "web.test", section: "leaf")
        assertRefused(try factory.bytes("leaf.csr"), .notACertificate, mentions: "CERTIFICATE REQUEST")
    }

    func testRefusesBlockThatIsNoCertificate() {
        let text = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n"
        assertRefused(Array(text.utf8), .notACertificate, mentions: "d2i_X509")
    }

    func testRefusesLeaf() throws {
        try factory.selfSigned("root", commonName: "Root")
        let leaf = try factory.issued("leaf", by: "root", commonName: "web.test", section: "leaf")
        assertRefused(leaf, .leafCertificate, mentions: "CA:FALSE")
    }

    func testRefusesCertificateWithoutBasicConstraints() throws {
        let bytes = try factory.selfSigned("plain", commonName: "Plain", section: nil)
        assertRefused(bytes, .notACertificateAuthority, mentions: "CA:TRUE")
    }

    func testRefusesAuthorityThatCannotSignCertificates() throws {
        let bytes = try factory.selfSigned("signer", commonName: "Signer", section: "signOnly")
        assertRefused(bytes, .notACertificateAuthority, mentions: "keyCertSign")
    }

    func testRefusesIntermediate() throws {
        try factory.selfSigned("root", commonName: "Root")
        let intermediate = try factory.issued("sub", by: "root", commonName: "Sub CA", section: "intermediate")
        assertRefused(intermediate, .notSelfSigned, mentions: "issued by 'CN=Root'")
    }

    func testRefusesExpiredRoot() throws {
        assertRefused(try factory.expiredRoot(), .expired, mentions: "2020-01-02")
    }

    func testRefusesRootNotYetValid() throws {
        let bytes = try factory.selfSigned("root", commonName: "Root")
        assertRefused(bytes, .notYetValid, now: Date().addingTimeInterval(-86_400), mentions: "clock")
    }

    func testRefusesTwoCertificates() throws {
        let first = try factory.selfSigned("a", commonName: "A")
        let second = try factory.selfSigned("b", commonName: "B")
        assertRefused(first + second, .moreThanOneCertificate, mentions: "2 certificates")
    }

    func testParsesStoreLists() throws {
        XCTAssertEqual(try TrustStore.parseList("system, python,env"), [.system, .python, .env])
        XCTAssertThrowsError(try TrustStore.parseList("system,java")) { error in
            XCTAssertEqual((error as? TrustError)?.code, .unknownStore)
        }
    }
}
