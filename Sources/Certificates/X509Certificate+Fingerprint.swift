import COpenSSL

extension X509Certificate {
    /// The SHA-256 digest of the DER encoding: the certificate's identity in logs, manifests and `status`.
    public func sha256Fingerprint() throws(OpenSSLError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(pointer, EVP_sha256(), &digest, &length) == 1 else {
            throw OpenSSLError.drainingQueue(call: "X509_digest")
        }
        return Array(digest.prefix(Int(length)))
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hexadecimal, two digits a byte, no separators.
    public var hexString: String {
        map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
