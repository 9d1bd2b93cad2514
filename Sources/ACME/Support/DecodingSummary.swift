extension DecodingError {
    /// What a decoding failure means in a reader's terms: which member is missing or of the wrong kind, or
    /// that the text is not JSON at all (Foundation's own description names coding keys and containers).
    var summary: String {
        func path(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
            let keys = context.codingPath.map(\.stringValue) + (key.map { [$0.stringValue] } ?? [])
            return keys.isEmpty ? "the body" : "'" + keys.joined(separator: ".") + "'"
        }
        switch self {
        case .keyNotFound(let key, let context): return "\(path(context, key)) is missing"
        case .valueNotFound(_, let context): return "\(path(context)) is null"
        case .typeMismatch(let type, let context):
            return "\(path(context)) is not \(type == String.self ? "a string" : "of the expected type")"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "\(path(context)) is not valid"
        @unknown default: return "cannot be read"
        }
    }
}
