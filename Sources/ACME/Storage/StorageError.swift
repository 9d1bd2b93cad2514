/// A failed file operation in the state directory: the call, the path and errno's text.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let call: String
    public let path: String
    public let reason: String

    public var description: String {
        "\(call) \(path): \(reason)"
    }
}
