import COpenSSL
import CShims

/// The SHA-256 digest of `bytes`.
public func sha256(_ bytes: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    bytes.withUnsafeBufferPointer { buffer in ztpol_sha256(buffer.baseAddress, buffer.count, &digest) }
    return digest
}

/// The SHA-256 digest of the bytes `buffer` points to, read in place.
public func sha256(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    ztpol_sha256(buffer.baseAddress, buffer.count, &digest)
    return digest
}
