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

    /// A server's bytes reach the terminal: control characters must not, and nor may megabytes of them.
    func testExcerptAndProblemTextAreSafeToPrint() throws {
        let hostile = HTTPResponse(status: 500, headers: [],
                                   body: Data("oops\u{1b}[2J\u{0}\r\n\u{202e}".utf8) + Data(repeating: 65, count: 5000))
        let excerpt = hostile.excerpt
        XCTAssertTrue(excerpt.hasPrefix("oops\\u{1b}[2J\\u{0}\\u{d}\\u{a}\\u{202e}AAA"), excerpt)
        XCTAssertFalse(excerpt.unicodeScalars.contains { $0.properties.generalCategory == .control })
        XCTAssertLessThan(excerpt.count, 400)
        XCTAssertEqual(HTTPResponse(status: 200, headers: [], body: Data()).excerpt, "(empty body)")
        let problem = ACMEProblem(type: "urn:ietf:params:acme:error:malformed\u{7}", detail: "bad\u{1b}]0;owned\u{7}")
        XCTAssertEqual(problem.description, "malformed\\u{7}: bad\\u{1b}]0;owned\\u{7}")
    }

    /// A success whose body is not the expected JSON says what is wrong with it, not only that it is.
    func testMalformedSuccessNamesTheMissingOrWrongMember() {
        func failure(_ body: String, status: Int = 200) -> String {
            let response = HTTPResponse(status: status, headers: [], body: Data(body.utf8))
            do {
                _ = try Connection.decode(Directory.self, from: response, request: "GET directory")
                return "decoded"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(failure(#"{"newNonce":"https://ca/n"}"#),
                       #"GET directory: the HTTP 200 response is not what ACME "#
                       + #"specifies ('newAccount' is missing): {"newNonce":"https://ca/n"}"#)
        XCTAssertTrue(failure(#"{"newNonce":5,"newAccount":"a","newOrder":"o"}"#)
            .contains("('newNonce' is not a string)"))
        XCTAssertTrue(failure("{garbage").contains("(not JSON): {garbage"))
        XCTAssertTrue(failure("[1]").contains("not what ACME specifies"))
        XCTAssertEqual(failure("<html>", status: 502), "GET directory: unexpected HTTP 502 response: <html>")
    }
}
