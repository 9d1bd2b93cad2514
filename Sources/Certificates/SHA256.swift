import COpenSSL

/// The SHA-256 digest of `bytes`.
public func sha256(_ bytes: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    var length: UInt32 = 0
    let ok = bytes.withUnsafeBufferPointer { buffer in
        EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_sha256(), nil)
    }
    // EVP_Digest with a built-in digest fails only when memory runs out.
    precondition(ok == 1, "EVP_Digest(SHA-256) failed")
    return digest
}
