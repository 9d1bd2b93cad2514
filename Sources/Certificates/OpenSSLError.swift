import COpenSSL

/// A failed OpenSSL call: the name of the function that failed and the messages OpenSSL queued for it.
public struct OpenSSLError: Error, Equatable, CustomStringConvertible {
    /// The OpenSSL function that reported the failure, e.g. `d2i_X509`.
    public let call: String
    /// OpenSSL's error queue at the time of failure, oldest first (may be empty).
    public let queue: [String]

    public init(call: String, queue: [String]) {
        self.call = call
        self.queue = queue
    }

    /// Drains this thread's OpenSSL error queue into an error for `call`.
    public static func drainingQueue(call: String) -> OpenSSLError {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return OpenSSLError(call: call, queue: messages)
    }

    public var description: String {
        queue.isEmpty ? "\(call) failed" : "\(call) failed: \(queue.joined(separator: "; "))"
    }
}
