import Foundation
import Trust
import XCTest

/// `--root-dir` on a tree that has its own refresh command: it runs through `chroot`. The tree is a Debian
/// layout whose `update-ca-certificates` is a small busybox shell script standing in for the real one.
final class ChrootRefreshTests: XCTestCase {
    static let busybox = "/bin/busybox"
    var factory: CertificateFactory!
    var root: PrivateRoot!
    var fake: FakeRoot!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.busybox),
                          "needs busybox-static (scripts/install-deps.sh installs it)")
        factory = try CertificateFactory()
        root = try PrivateRoot(contents: try factory.selfSigned("private", commonName: "Private Root"), source: "p")
        let publicCA = try factory.selfSigned("public", commonName: "Public CA")
        fake = try FakeRoot(FakeRoot.layouts.first { $0.label == "debian" }!, publicCA: publicCA)
        // The bundle as the stand-in tool below makes it, so that a refresh after remove gives the same bytes.
        try fake.write("/usr/share/ca-certificates/public.crt", String(decoding: publicCA, as: UTF8.self))
        try fake.write("/etc/ssl/certs/ca-certificates.crt", String(decoding: publicCA, as: UTF8.self))
        try fake.makeDirectory("/bin")
        try FileManager.default.copyItem(atPath: Self.busybox, toPath: fake.path + "/bin/busybox")
        for applet in ["sh", "cat"] {
            try FileManager.default.createSymbolicLink(atPath: fake.path + "/bin/\(applet)",
                                                       withDestinationPath: "busybox")
        }
    }

    func installTool(_ body: String) throws {
        try fake.write("/usr/sbin/update-ca-certificates", "#!/bin/sh\n" + body, mode: 0o755)
    }

    func installer() -> TrustInstaller {
        TrustInstaller(rootDirectory: fake.path, log: { _, _ in })
    }

    func testRefreshRunsInsideTheRootAndRemoveRestoresItsOutputs() throws {
        try installTool("""
            # Stand-in: the bundle is the distribution's CAs, then every local anchor; one link per anchor.
            cd /etc/ssl/certs
            { cat /usr/share/ca-certificates/public.crt
              for f in /usr/local/share/ca-certificates/*.crt; do [ -e "$f" ] && cat "$f"; done; } > ca-certificates.crt
            for f in /usr/local/share/ca-certificates/*.crt; do [ -e "$f" ] && ln -sf "$f" "${f##*/}.pem"; done
            echo refreshed > /etc/ssl/certs/last-run

            """)
        let before = try fake.snapshot()
        let report = try installer().install(root: root, name: "corp", stores: [.system, .env])
        XCTAssertTrue(report.changedPaths.contains(fake.path + "/etc/ssl/certs/last-run"), "\(report.changedPaths)")
        XCTAssertTrue(try fake.read("/etc/ssl/certs/ca-certificates.crt").hasSuffix(root.pem))
        XCTAssertEqual(fake.linkTarget("/etc/ssl/certs/corp.crt.pem"), "/usr/local/share/ca-certificates/corp.crt")
        XCTAssertTrue(try installer().status().installations[0].bundleHoldsRoot)

        let again = try installer().install(root: root, name: "corp", stores: [.system, .env])
        XCTAssertEqual(again.changedPaths, [], "the refresh must not run when nothing changed")

        let removal = try installer().remove(name: "corp")
        XCTAssertEqual(removal.leftPaths, [])
        XCTAssertEqual(try fake.snapshot(), before, "remove did not restore the refresh command's outputs")
    }

    func testFailingRefreshPutsEverythingBack() throws {
        try installTool("echo 'cannot write the bundle' >&2\nexit 4\n")
        let before = try fake.snapshot()
        XCTAssertThrowsError(try installer().install(root: root, name: "corp", stores: [.system, .python, .env],
                                                     pythons: ["/opt/venv"])) { error in
            XCTAssertEqual((error as? TrustError)?.code, .refreshFailed)
            XCTAssertTrue("\(error)".contains("exited with status 4: cannot write the bundle"), "\(error)")
        }
        XCTAssertEqual(try fake.snapshot(), before)
    }
}
