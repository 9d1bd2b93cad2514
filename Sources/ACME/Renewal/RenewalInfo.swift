import Certificates
import Foundation

/// ACME Renewal Information (RFC 9773): the window in which the CA wants a certificate renewed.
struct RenewalInfo: Decodable, Sendable, Equatable {
    struct Window: Decodable, Sendable, Equatable {
        let start: Date
        let end: Date
    }

    let suggestedWindow: Window
    let explanationURL: String?

    /// The certificate's ARI identifier: base64url(AKI keyIdentifier) "." base64url(serial DER content).
    static func certificateID(of certificate: borrowing X509Certificate) throws -> String {
        guard let keyIdentifier = certificate.authorityKeyIdentifier, !keyIdentifier.isEmpty else {
            throw ACMEError.invalidRequest("the certificate has no authority key identifier, which ARI needs")
        }
        return "\(Base64URL.encode(keyIdentifier)).\(Base64URL.encode(try certificate.serialNumberDER()))"
    }

    /// Fetches the window with an unauthenticated GET (RFC 9773 §4.1).
    static func fetch(base: String, certificateID: String, http: HTTPClient) throws -> RenewalInfo {
        let url = base.hasSuffix("/") ? base + certificateID : "\(base)/\(certificateID)"
        let response = try http.send(.get, url, accept: "application/json")
        return try decode(response.body, request: "renewalInfo", status: response.status)
    }

    static func decode(_ body: Data, request: String = "renewalInfo", status: Int = 200) throws -> RenewalInfo {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "not an RFC 3339 time: \(text)"))
            }
            return date
        }
        do {
            return try decoder.decode(RenewalInfo.self, from: body)
        } catch {
            throw ACMEError.unexpectedResponse(request: request, status: status,
                                               excerpt: String(decoding: body.prefix(300), as: UTF8.self))
        }
    }

    /// RFC 3339 with or without fractional seconds, as servers differ.
    private static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
