import Foundation
import XCTest

@testable import ACME

final class JWSTests: XCTestCase {
    /// RFC 7638 §3.1: the thumbprint of the RFC's RSA example key.
    func testThumbprintMatchesRFC7638Example() throws {
        let jwk = JWK.rsa(e: "AQAB", n: """
            0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXj\
            BZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8\
            KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_x\
            BniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw
            """)
        XCTAssertEqual(try jwk.thumbprint, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    func testECJWKIsCanonicalWithPaddedCoordinates() throws {
        for _ in 0..<8 {
            let jwk = try JWK(PrivateKey.generate(.ec256))
            guard case let .ec(crv, x, y) = jwk else { return XCTFail("not an EC JWK") }
            XCTAssertEqual(crv, "P-256")
            // 32 bytes each, even when the top byte is zero: 43 base64url characters.
            XCTAssertEqual(x.count, 43)
            XCTAssertEqual(y.count, 43)
            XCTAssertEqual(String(decoding: try jwk.canonicalJSON, as: UTF8.self),
                           #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#)
        }
    }

    func testProtectedHeaderCarriesJWKForNewAccountAndKidAfterwards() throws {
        let key = try PrivateKey.generate(.ec256)
        let jwk = try JWK(key)
        let fresh = try JWS.sign(payload: Data("{}".utf8), url: "https://ca/new-acct", nonce: "n1", key: key,
                                 signer: .jwk(jwk))
        let header = try decodeObject(fresh.protected)
        XCTAssertEqual(header["alg"] as? String, "ES256")
        XCTAssertEqual(header["nonce"] as? String, "n1")
        XCTAssertEqual(header["url"] as? String, "https://ca/new-acct")
        XCTAssertNotNil(header["jwk"])
        XCTAssertNil(header["kid"])

        let known = try JWS.sign(payload: nil, url: "https://ca/order/1", nonce: "n2", key: key,
                                 signer: .kid("https://ca/acct/7"))
        let knownHeader = try decodeObject(known.protected)
        XCTAssertEqual(knownHeader["kid"] as? String, "https://ca/acct/7")
        XCTAssertNil(knownHeader["jwk"])
        // POST-as-GET: the payload is the empty string, not "{}" or "null".
        XCTAssertEqual(known.payload, "")
    }

    /// The r‖s signature, turned back into DER, must verify with the openssl command line.
    func testES256SignatureIsRawRAndSAndVerifies() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let key = try PrivateKey.generate(.ec256)
        let jws = try JWS.sign(payload: Data(#"{"hello":"world"}"#.utf8), url: "https://ca/x", nonce: "abc", key: key,
                               signer: .jwk(JWK(key)))
        let signature = try XCTUnwrap(Base64URL.decode(jws.signature))
        XCTAssertEqual(signature.count, 64)

        let keyFile = try scratch.write("key.pem", Array(try key.pem().utf8))
        let input = try scratch.write("input", Array("\(jws.protected).\(jws.payload)".utf8))
        let der = try scratch.write("sig.der", derSignature(Array(signature)))
        let result = try runProgram("/usr/bin/openssl", ["dgst", "-sha256", "-prverify", keyFile, "-signature", der, input])
        XCTAssertEqual(result.status, 0, result.output)
    }

    func testES384AndRS256Signatures() throws {
        XCTAssertEqual(try JWS.algorithm(of: PrivateKey.generate(.ec384)), "ES384")
        let ec384 = try PrivateKey.generate(.ec384)
        XCTAssertEqual(try JWS.signatureBytes(for: [1, 2, 3], key: ec384).count, 96)
        let rsa = try PrivateKey.generate(.rsa2048)
        XCTAssertEqual(try JWS.algorithm(of: rsa), "RS256")
        XCTAssertEqual(try JWS.signatureBytes(for: [1, 2, 3], key: rsa).count, 256)
    }

    private func decodeObject(_ base64url: String) throws -> [String: Any] {
        let data = try XCTUnwrap(Base64URL.decode(base64url))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, from the JWS form.
    private func derSignature(_ raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return [0x30, UInt8(body.count)] + body
    }
}
