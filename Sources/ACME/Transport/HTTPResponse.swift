import Foundation

/// One HTTP response: status, headers (names lower-cased, repeats kept in order) and body.
struct HTTPResponse: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: Data

    /// The first value of a header, if present.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// The targets of every `Link: <url>;rel="relation"` header with that relation (RFC 8288).
    func links(relation: String) -> [String] {
        headers.filter { $0.name == "link" }
            .flatMap { $0.value.split(separator: ",") }
            .compactMap { link -> String? in
                let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { return nil }
                let relations = parts.dropFirst().compactMap { parameter -> String? in
                    let pair = parameter.split(separator: "=", maxSplits: 1)
                    guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == "rel" else { return nil }
                    return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
                }
                guard relations.contains(relation) else { return nil }
                return String(target.dropFirst().dropLast())
            }
    }

    /// How long the server asks the client to wait (`Retry-After`, seconds or an HTTP date).
    func retryAfter(now: Date = Date()) -> TimeInterval? {
        guard let value = header("retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = TimeInterval(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSince(now)) }
    }

    /// The start of the body as text safe to print, for error messages.
    var excerpt: String {
        guard !body.isEmpty else { return "(empty body)" }
        return ServerText.printable(String(decoding: body.prefix(4 * ServerText.limit), as: UTF8.self))
    }
}
