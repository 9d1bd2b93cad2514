import Foundation
import XCTest

@testable import ACME

final class HTTPResponseTests: XCTestCase {
    private func response(_ headers: [(String, String)], body: String = "") -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers.map { (name: $0.0, value: $0.1) }, body: Data(body.utf8))
    }

    func testRetryAfterInSecondsAndAsHTTPDate() {
        XCTAssertEqual(response([("retry-after", "3")]).retryAfter(), 3)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = response([("retry-after", "Tue, 14 Nov 2023 22:13:30 GMT")]).retryAfter(now: now)
        XCTAssertEqual(later ?? -1, 10, accuracy: 0.5)
        XCTAssertNil(response([]).retryAfter())
    }

    func testAlternateLinksAreFoundAmongOthers() {
        let links = response([
            ("link", #"<https://ca/dir>;rel="index""#),
            ("link", #"<https://ca/cert/1/1>;rel="alternate", <https://ca/cert/1/2>; rel="alternate""#),
        ]).links(relation: "alternate")
        XCTAssertEqual(links, ["https://ca/cert/1/1", "https://ca/cert/1/2"])
    }

    func testProblemDocumentBecomesReadableError() throws {
        let body = #"""
            {"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"no","status":400,
             "subproblems":[{"type":"urn:ietf:params:acme:error:malformed","detail":"bad name",
                             "identifier":{"type":"dns","value":"x..test"}}]}
            """#
        let problem = try XCTUnwrap(Connection.problem(in: response([], body: body)))
        XCTAssertEqual(problem.acmeType, "rejectedIdentifier")
        XCTAssertEqual(String(describing: problem), "rejectedIdentifier: no; malformed for x..test: bad name")
    }
}
