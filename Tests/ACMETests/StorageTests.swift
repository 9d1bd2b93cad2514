import Certificates
import Foundation
import XCTest

@testable import ACME

final class StorageTests: XCTestCase {
    func testAtomicWriteSetsModeAndReplacesWhole() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = "\(scratch.path)/key.pem"
        try AtomicFile.write("first", to: file, mode: 0o600)
        try AtomicFile.write("second", to: file, mode: 0o600)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "second")
        XCTAssertEqual(try mode(file), 0o600)
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), ["key.pem"])
    }

    /// A certificate's files change together: the new set is written beside the old and swapped in by one
    /// rename, so a run stopped midway never leaves a new key beside an old certificate. A staging folder
    /// left by such a run is replaced, and files of the user's own in the folder are kept.
    func testCertificateFilesAreReplacedAsOneSet() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let state = StateDirectory("\(scratch.path)/state")
        let folder = state.certificate(primary: Identifier("web.test"))
        try state.prepare(folder)
        let store = CertificateStore(directory: folder)
        let leaf = PEMBlock(label: "CERTIFICATE", der: [0x30, 0x03, 0x02, 0x01, 0x01])
        let request = CertificateRequest(directoryURL: "https://ca/dir", trustRoot: "/r.pem", domains: ["web.test"])
        let record = CertificateStore.Record(request: request, renewalInfoURL: nil)
        let first = try PrivateKey.generate(.ec256)
        try store.save(key: first, chain: [leaf], record: record)
        try "mine".write(toFile: "\(folder)/notes.txt", atomically: false, encoding: .utf8)
        // What a run killed after writing only the new key would have left beside the folder.
        try AtomicFile.makeDirectory("\(folder)/../.web.test.new")
        try AtomicFile.write("half-written", to: "\(folder)/../.web.test.new/privkey.pem", mode: 0o600)

        let second = try PrivateKey.generate(.ec256)
        try store.save(key: second, chain: [leaf, leaf], record: record)
        XCTAssertEqual(try String(contentsOfFile: store.keyPath, encoding: .utf8), try second.pem())
        XCTAssertEqual(try String(contentsOfFile: store.fullChainPath, encoding: .utf8), leaf.text + leaf.text)
        XCTAssertEqual(try String(contentsOfFile: "\(folder)/notes.txt", encoding: .utf8), "mine")
        XCTAssertEqual(try mode(store.keyPath), 0o600)
        XCTAssertEqual(try mode(folder), 0o700)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: state.certificates), ["web.test"])
        // A staging folder of a stopped save is not taken for a certificate to renew.
        try AtomicFile.makeDirectory("\(folder)/../.web.test.new")
        try AtomicFile.write("{}", to: "\(folder)/../.web.test.new/request.json", mode: 0o600)
        XCTAssertEqual(state.storedCertificates(), [folder])
    }

    func testDirectoriesAreCreatedAndNarrowedTo0700() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let state = StateDirectory("\(scratch.path)/state")
        let certificate = state.certificate(primary: Identifier("web.test"))
        try state.prepare(certificate)
        for path in [state.root, state.acme, state.certificates, certificate] {
            XCTAssertEqual(try mode(path), 0o700, path)
        }
        chmod(certificate, 0o755)
        try state.prepare(certificate)
        XCTAssertEqual(try mode(certificate), 0o700)
    }

    func testAccountDirectoriesDifferPerServer() throws {
        let state = StateDirectory("/var/lib/ztpol")
        let first = try state.account(directoryURL: "https://10.77.0.1/dir")
        let second = try state.account(directoryURL: "https://10.77.0.1/acme/dir")
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(first.hasPrefix("/var/lib/ztpol/acme/accounts/10.77.0.1_dir-"), first)
    }

    /// RSA 3072 and 4096 differ from 2048 only in size; the pebble tests issue with every type.
    func testKeysRoundTripThroughPEM() throws {
        for type in [KeyType.ec256, .ec384, .rsa2048] {
            let key = try PrivateKey.generate(type)
            XCTAssertEqual(key.type, type)
            let again = try PrivateKey(pem: key.pem())
            XCTAssertEqual(again.type, type)
            XCTAssertEqual(try JWK(again), try JWK(key))
        }
    }

    func testCSRCarriesEveryIdentifier() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let der = try CSR.der(identifiers: [Identifier("web.test"), Identifier("api.web.test"), Identifier("10.77.0.2")],
                              key: PrivateKey.generate(.ec256))
        let file = try scratch.write("csr.der", der)
        let text = try runProgram("/usr/bin/openssl", ["req", "-inform", "DER", "-in", file, "-noout", "-text",
                                                       "-verify"]).output
        XCTAssertTrue(text.contains("DNS:web.test, DNS:api.web.test, IP Address:10.77.0.2"), text)
        XCTAssertTrue(text.contains("CN = web.test"), text)
        XCTAssertTrue(text.lowercased().contains("verify ok"), text)
    }

    func testRequestValidationRefusesBeforeAnyTraffic() {
        let base = CertificateRequest(directoryURL: "https://ca/dir", trustRoot: "/nonexistent", domains: ["web.test"])
        var plain = base
        plain.directoryURL = "http://ca/dir"
        XCTAssertThrowsError(try plain.validate())
        var wildcard = base
        wildcard.identifiers = [Identifier("*.web.test")]
        XCTAssertThrowsError(try wildcard.validate())
        var injected = base
        injected.identifiers = [Identifier(type: .dns, value: "a.test,DNS:b.test")]
        XCTAssertThrowsError(try injected.validate())
        XCTAssertThrowsError(try base.validate()) { error in
            XCTAssertEqual("\(error)", "invalid request: the trust root /nonexistent is missing or unreadable")
        }
    }

    /// A directory URL curl could not use, or one with credentials (which would be echoed into every error
    /// and log line), is refused before any traffic, without repeating the password.
    func testDirectoryURLMustBeUsableAndCarryNoCredentials() {
        let cases = [
            ("https://user:s3cret@ca/dir", "invalid request: the directory URL must not carry a user name or password"),
            ("https://:s3cret@ca/dir", "invalid request: the directory URL must not carry a user name or password"),
            ("https://ca:99999/dir", "invalid request: the directory URL's port 99999 is not between 1 and 65535"),
            ("https://[::1/dir",
             "invalid request: the directory URL 'https://[::1/dir' is not a valid https URL with a host"),
            ("https:///dir", "invalid request: the directory URL 'https:///dir' is not a valid https URL with a host"),
        ]
        for (url, message) in cases {
            var request = CertificateRequest(directoryURL: url, trustRoot: "/nonexistent", domains: ["web.test"])
            request.directoryURL = url
            XCTAssertThrowsError(try request.validate(), url) { XCTAssertEqual("\($0)", message) }
        }
    }

    /// The trust file must be PEM and hold a CA: a leaf or garbage is refused before any request.
    func testTrustRootMustBeAPEMCertificateAuthority() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let garbage = try scratch.write("garbage.pem", Array("not a certificate".utf8))
        for (arguments, name) in [
            (["-addext", "basicConstraints=critical,CA:TRUE"], "root"), (["-addext", "basicConstraints=CA:FALSE"], "leaf"),
        ] {
            let result = try runProgram("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "\(scratch.path)/\(name).key", "-out", "\(scratch.path)/\(name).pem", "-subj", "/CN=\(name)", "-days", "1",
            ] + arguments)
            XCTAssertEqual(result.status, 0, result.output)
        }
        func request(_ root: String) -> CertificateRequest {
            CertificateRequest(directoryURL: "https://ca/dir", trustRoot: root, domains: ["web.test"])
        }
        XCTAssertNoThrow(try request("\(scratch.path)/root.pem").validate())
        XCTAssertThrowsError(try request("\(scratch.path)/leaf.pem").validate()) { error in
            XCTAssertTrue("\(error)".contains("is not a CA certificate"), "\(error)")
        }
        XCTAssertThrowsError(try request(garbage).validate()) { error in
            XCTAssertTrue("\(error)".contains("holds no PEM certificate"), "\(error)")
        }
    }

    /// The EAB HMAC is a secret: it never reaches the stored request.
    func testStoredRequestLeavesOutTheEABKey() throws {
        var request = CertificateRequest(directoryURL: "https://ca/dir", trustRoot: "/r.pem", domains: ["web.test"])
        request.externalAccountBinding = ExternalAccountBinding(keyID: "kid", hmacKey: "c2VjcmV0LWhtYWMta2V5")
        let text = String(decoding: try JSONEncoder.acme.encode(request), as: UTF8.self)
        XCTAssertFalse(text.contains("c2VjcmV0LWhtYWMta2V5"), text)
        XCTAssertEqual(try JSONDecoder().decode(CertificateRequest.self, from: Data(text.utf8)).externalAccountBinding,
                       nil)
    }
}
