import COpenSSL
import Foundation

/// Owns one OpenSSL `X509` object and frees it when dropped.
///
/// Non-copyable so that exactly one value frees the pointer. Read what you need through the properties
/// in the `X509Certificate+*.swift` files; each returns plain Swift values.
public struct X509Certificate: ~Copyable {
    /// The owned pointer; valid for the lifetime of this value.
    let pointer: OpaquePointer

    /// Parses one DER-encoded certificate.
    /// - Throws: `OpenSSLError` from `d2i_X509` when the bytes are not a certificate.
    public init(der: [UInt8]) throws(OpenSSLError) {
        ERR_clear_error()
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            throw OpenSSLError.drainingQueue(call: "d2i_X509")
        }
        pointer = parsed
    }

    deinit {
        X509_free(pointer)
    }

    /// The DER encoding, as OpenSSL serialises it.
    public func derBytes() throws(OpenSSLError) -> [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else {
            throw OpenSSLError.drainingQueue(call: "i2d_X509")
        }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509(pointer, &cursor)
        }
        guard written == length else {
            throw OpenSSLError.drainingQueue(call: "i2d_X509")
        }
        return bytes
    }
}
