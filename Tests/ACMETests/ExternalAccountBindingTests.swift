import Foundation
import XCTest

@testable import ACME

final class ExternalAccountBindingTests: XCTestCase {
    /// RFC 4231 test case 2.
    func testHMACSHA256KnownAnswer() throws {
        let mac = try hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        XCTAssertEqual(hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testBindingSignsTheAccountKeyWithHS256() throws {
        let macKey: [UInt8] = Array(0..<32)
        let binding = ExternalAccountBinding(keyID: "kid-1", hmacKey: Base64URL.encode(macKey))
        let jwk = try JWK(PrivateKey.generate(.ec256))
        let jws = try binding.jws(accountKey: jwk, newAccountURL: "https://ca/new-account")

        let header = try JSONSerialization.jsonObject(with: XCTUnwrap(Base64URL.decode(jws.protected)))
            as? [String: String]
        XCTAssertEqual(header, ["alg": "HS256", "kid": "kid-1", "url": "https://ca/new-account"])
        XCTAssertEqual(Array(try XCTUnwrap(Base64URL.decode(jws.payload))), try jwk.canonicalJSON)
        let expected = try hmacSHA256(key: macKey, message: Array("\(jws.protected).\(jws.payload)".utf8))
        XCTAssertEqual(jws.signature, Base64URL.encode(expected))
    }

    func testMalformedHMACKeyIsRefused() throws {
        let binding = ExternalAccountBinding(keyID: "kid", hmacKey: "not base64url!")
        XCTAssertThrowsError(try binding.jws(accountKey: JWK(PrivateKey.generate(.ec256)), newAccountURL: "u"))
    }
}
