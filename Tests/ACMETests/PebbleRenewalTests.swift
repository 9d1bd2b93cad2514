import Foundation
import XCTest

@testable import ACME

final class PebbleRenewalTests: XCTestCase {
    /// Nothing due: no order and, without ARI, not even a connection (pebble is stopped first).
    func testNothingDueMakesNoRequest() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        let state = "\(pebble.directory)/state"
        _ = try ACMEClient().issue(CertificateRequest(
            directoryURL: pebble.directoryURL, trust: .only(rootFile: pebble.httpsRoot),
            identifiers: [Identifier("renew.web.test")], stateDirectory: state, tlsPort: pebble.tlsPort))
        pebble.stop(keepingFiles: true)

        let results = ACMEClient().renewDue(stateDirectory: state)
        XCTAssertEqual(results.map(\.outcome), [.notDue])
        XCTAssertEqual(results.first?.identifiers, ["renew.web.test"])
    }

    /// Due (judged a day before expiry): renewed through the stored request, reload command run.
    func testDueCertificateIsRenewedAndReloadRuns() throws {
        let pebble = try PebbleServer()
        defer { pebble.stop() }
        let state = "\(pebble.directory)/state"
        let marker = "\(pebble.directory)/reloaded"
        let request = CertificateRequest(directoryURL: pebble.directoryURL, trust: .only(rootFile: pebble.httpsRoot),
                                         identifiers: [Identifier("due.web.test")], stateDirectory: state,
                                         tlsPort: pebble.tlsPort, reloadCommand: "echo reloaded >> '\(marker)'")
        let first = try ACMEClient().issue(request)
        let results = ACMEClient().renewDue(stateDirectory: state, now: first.notAfter.addingTimeInterval(-86_400))
        XCTAssertEqual(results.map(\.outcome), [.renewed], results.map(\.reason).joined())
        let renewed = try XCTUnwrap(results.first?.issued)
        XCTAssertNotEqual(renewed.certificateURL, first.certificateURL)
        XCTAssertEqual(try pebble.verify(renewed).status, 0)
        XCTAssertEqual(try String(contentsOfFile: marker, encoding: .utf8), "reloaded\nreloaded\n")
    }

    func testFailedReloadCommandIsReported() throws {
        XCTAssertThrowsError(try ReloadCommand.run("echo nope >&2; exit 3")) { error in
            XCTAssertEqual(String(describing: error), "reload command `echo nope >&2; exit 3` exited with status 3: nope")
        }
    }
}
