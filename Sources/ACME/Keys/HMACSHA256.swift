import Certificates
import COpenSSL

/// HMAC-SHA-256 (RFC 2104), the MAC of External Account Binding's HS256.
func hmacSHA256(key: [UInt8], message: [UInt8]) throws -> [UInt8] {
    var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    guard HMAC(EVP_sha256(), key, Int32(key.count), message, message.count, &output, &length) != nil else {
        throw OpenSSLError.drainingQueue(call: "HMAC")
    }
    return Array(output.prefix(Int(length)))
}
