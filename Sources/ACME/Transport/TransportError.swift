/// A failed HTTPS exchange: which libcurl call, for which URL, and libcurl's own explanation.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public let call: String
    public let url: String
    public let code: Int
    public let message: String

    public var description: String {
        "\(call) \(url): \(message) (curl error \(code))"
    }
}
