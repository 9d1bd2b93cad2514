import Foundation
import Trust
import XCTest

final class InstallerTests: XCTestCase {
    var factory: CertificateFactory!
    var root: PrivateRoot!
    var publicCA: [UInt8]!

    override func setUpWithError() throws {
        factory = try CertificateFactory()
        root = try PrivateRoot(contents: try factory.selfSigned("private", commonName: "Private Root"),
                               source: "private.pem")
        publicCA = try factory.selfSigned("public", commonName: "Public CA")
    }

    func installer(_ fake: FakeRoot) -> TrustInstaller {
        TrustInstaller(rootDirectory: fake.path, log: { _, _ in })
    }

    func makeRoot(_ label: String = "debian") throws -> FakeRoot {
        try FakeRoot(FakeRoot.layouts.first { $0.label == label }!, publicCA: publicCA)
    }

    func assertThrows(_ code: TrustError.Code, mentions: String, file: StaticString = #filePath, line: UInt = #line,
                      _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let error = error as? TrustError else { return XCTFail("not a TrustError: \(error)") }
            XCTAssertEqual(error.code, code, error.reason, file: file, line: line)
            XCTAssertTrue(error.reason.contains(mentions), "'\(error.reason)' lacks '\(mentions)'",
                          file: file, line: line)
        }
    }

    // MARK: Layout of each family

    func testEachFamilyLayoutInstallsAndRemovesExactly() throws {
        for layout in FakeRoot.layouts {
            let fake = try FakeRoot(layout, publicCA: publicCA)
            let before = try fake.snapshot()
            let family = layout.family
            let report = try installer(fake).install(root: root, name: "corp-root", stores: [.system, .python, .env],
                                                     pythons: ["/opt/venv"])
            XCTAssertEqual(report.family, family, layout.label)

            let anchor = family.anchorPath(name: "corp-root")
            XCTAssertEqual(try fake.read(anchor), root.pem, layout.label)
            let bundle = try fake.read(layout.realBundle)
            XCTAssertTrue(bundle.hasPrefix("# public CAs\n" + String(decoding: publicCA, as: UTF8.self)), layout.label)
            XCTAssertTrue(bundle.hasSuffix(root.pem), layout.label)
            XCTAssertEqual(fake.linkTarget(FakeRoot.venvCacert), family.bundlePath, layout.label)
            let profile = try fake.read("/etc/profile.d/ztpol-trust.sh")
            let variables = ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "PIP_CERT", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE"]
            for variable in variables {
                XCTAssertTrue(profile.contains("export \(variable)='\(family.bundlePath)'\n"), layout.label)
            }
            let dropIn = try fake.read("/etc/systemd/system.conf.d/ztpol-trust.conf")
            XCTAssertTrue(dropIn.contains("[Manager]\nDefaultEnvironment=\"REQUESTS_CA_BUNDLE=\(family.bundlePath)\""))

            let status = try installer(fake).status()
            XCTAssertEqual(status.family, family)
            XCTAssertEqual(status.installations.map(\.name), ["corp-root"])
            XCTAssertTrue(status.installations[0].bundleHoldsRoot, layout.label)
            XCTAssertEqual(status.installations[0].stores, [.system, .python, .env])
            XCTAssertTrue(status.installations[0].paths.allSatisfy { $0.condition == .inPlace })
            XCTAssertTrue(status.installations[0].paths.contains {
                $0.path == fake.path + anchor && $0.role == "anchor"
            })

            let removal = try installer(fake).remove(name: "corp-root")
            XCTAssertEqual(removal.leftPaths, [], layout.label)
            XCTAssertEqual(try fake.snapshot(), before, "\(layout.label): remove did not restore every byte")
        }
    }

    func testDistributionFamiliesFromOSRelease() throws {
        let cases: [(String, DistributionFamily)] = [
            ("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", .debian),
            ("ID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\n", .redHat),
            ("ID=\"sles\"\n", .suse),
            ("ID=manjaro\nID_LIKE=arch\n", .arch),
            ("ID=someday\nID_LIKE='fedora'\n", .redHat),
        ]
        for (text, family) in cases {
            let fake = try makeRoot()
            try fake.write("/etc/os-release", text)
            XCTAssertEqual(try installer(fake).distributionFamily(), family, text)
        }
        let gentoo = try makeRoot()
        try gentoo.write("/etc/os-release", "ID=gentoo\n")
        assertThrows(.unsupportedDistribution, mentions: "'gentoo'") { _ = try installer(gentoo).distributionFamily() }
        let fallback = try makeRoot()
        try FileManager.default.removeItem(atPath: fallback.path + "/etc/os-release")
        try fallback.write("/usr/lib/os-release", "ID=arch\n")
        XCTAssertEqual(try installer(fallback).distributionFamily(), .arch)
        try FileManager.default.removeItem(atPath: fallback.path + "/usr/lib/os-release")
        assertThrows(.missingOSRelease, mentions: "os-release") { _ = try installer(fallback).distributionFamily() }
    }

    // MARK: Idempotency and restore

    func testSecondInstallChangesNothing() throws {
        let fake = try makeRoot("rocky")
        try installer(fake).install(root: root, stores: [.system, .python, .env], pythons: ["/opt/venv"])
        let first = try fake.snapshot(times: true)
        Thread.sleep(forTimeInterval: 0.02)
        let report = try installer(fake).install(root: root, stores: [.system, .python, .env], pythons: ["/opt/venv"])
        XCTAssertEqual(report.changedPaths, [])
        XCTAssertEqual(report.name, "ztpol-private-root")
        XCTAssertEqual(try fake.snapshot(times: true), first, "a second install touched files")
    }

    func testTwoRootsShareFilesAndComeOffInAnyOrder() throws {
        let fake = try makeRoot()
        let before = try fake.snapshot()
        let other = try PrivateRoot(contents: try factory.selfSigned("other", commonName: "Other Root"), source: "o")
        try installer(fake).install(root: root, name: "first", stores: [.system, .python, .env], pythons: ["/opt/venv"])
        try installer(fake).install(root: other, name: "second", stores: [.system, .env])
        try installer(fake).remove(name: "first")
        let bundle = try fake.read("/etc/ssl/certs/ca-certificates.crt")
        XCTAssertFalse(bundle.contains(root.pem))
        XCTAssertTrue(bundle.contains(other.pem))
        XCTAssertNotNil(try? fake.read("/etc/profile.d/ztpol-trust.sh"), "second still needs the environment file")
        XCTAssertNil(fake.linkTarget(FakeRoot.venvCacert), "only first wanted certifi")
        XCTAssertEqual(try installer(fake).status().installations.map(\.name), ["second"])
        try installer(fake).remove(name: "second")
        XCTAssertEqual(try fake.snapshot(), before)
    }

    func testChangedFilesAreReportedAndLeftAlone() throws {
        let fake = try makeRoot()
        try installer(fake).install(root: root, name: "corp", stores: [.system, .python, .env], pythons: ["/opt/venv"])
        // What `pip install -U certifi` does: a fresh cacert.pem in place of the link.
        try FileManager.default.removeItem(atPath: fake.path + FakeRoot.venvCacert)
        try fake.write(FakeRoot.venvCacert, "# newer certifi\n")
        let certifi = try installer(fake).status().installations[0].paths.first { $0.role == "certifi" }
        XCTAssertEqual(certifi?.condition, .changed(now: "file of 16 bytes, mode 644"))
        let removal = try installer(fake).remove(name: "corp")
        XCTAssertEqual(removal.leftPaths.map(\.path), [fake.path + FakeRoot.venvCacert])
        XCTAssertTrue(removal.leftPaths[0].reason.contains("certifi upgraded"))
        XCTAssertEqual(try fake.read(FakeRoot.venvCacert), "# newer certifi\n")
        XCTAssertFalse(try fake.read("/etc/ssl/certs/ca-certificates.crt").contains(root.pem))
        XCTAssertNil(try? fake.read("/etc/profile.d/ztpol-trust.sh"))
    }

    func testInterpreterWithoutCertifiIsANote() throws {
        let fake = try makeRoot()
        try fake.write("/opt/bare/bin/python3", "#!/bin/false\n", mode: 0o755)
        let report = try installer(fake).install(root: root, stores: [.system, .python], pythons: ["/opt/bare"])
        XCTAssertEqual(report.certifiBundles, [])
        XCTAssertEqual(report.notes, ["/opt/bare/bin/python3 has no certifi: nothing to do for it"])
    }

    // MARK: Refusals change nothing

    func testRefusalsChangeNothing() throws {
        let fake = try makeRoot()
        let pristine = try fake.snapshot()
        assertThrows(.invalidName, mentions: "'../x'") {
            try installer(fake).install(root: root, name: "../x", stores: [.system])
        }
        assertThrows(.storesNeedSystem, mentions: "add 'system'") {
            try installer(fake).install(root: root, stores: [.python, .env])
        }
        assertThrows(.interpreterNotFound, mentions: "/opt/none") {
            try installer(fake).install(root: root, stores: [.system, .python], pythons: ["/opt/none"])
        }
        assertThrows(.notInstalled, mentions: "'nothing'") { try installer(fake).remove(name: "nothing") }
        XCTAssertEqual(try fake.snapshot(), pristine)

        try installer(fake).install(root: root, name: "corp", stores: [.system])
        let installed = try fake.snapshot()
        let other = try PrivateRoot(contents: try factory.selfSigned("other", commonName: "Other"), source: "o")
        assertThrows(.nameTaken, mentions: "'corp' is already installed for another root") {
            try installer(fake).install(root: other, name: "corp", stores: [.system])
        }
        assertThrows(.rootAlreadyInstalled, mentions: "already installed as 'corp'") {
            try installer(fake).install(root: root, name: "again", stores: [.system])
        }
        assertThrows(.notInstalled, mentions: "installed: 'corp'") { try installer(fake).remove(name: "nothing") }
        XCTAssertEqual(try fake.snapshot(), installed)
    }

    func testMissingBundleIsRefused() throws {
        let fake = try makeRoot("arch")
        try FileManager.default.removeItem(atPath: fake.path + "/etc/ca-certificates/extracted/tls-ca-bundle.pem")
        let pristine = try fake.snapshot()
        assertThrows(.missingBundle, mentions: "ca-certificates package") {
            try installer(fake).install(root: root, stores: [.system])
        }
        XCTAssertEqual(try fake.snapshot(), pristine)
    }

    func testCorruptJournalIsRefused() throws {
        let fake = try makeRoot()
        try fake.write("/var/lib/ztpol/trust/journal.json", "{not json")
        assertThrows(.corruptJournal, mentions: "journal.json") { _ = try installer(fake).status() }
    }
}
