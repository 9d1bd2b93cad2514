import Certificates
import COpenSSL
import Foundation

/// A private key, owning OpenSSL's `EVP_PKEY`: generation, PEM (PKCS #8) in and out, the public
/// numbers a JWK needs, and signing.
public final class PrivateKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never changed after creation; OpenSSL allows concurrent use
    // of a key for signing.
    let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        EVP_PKEY_free(handle)
    }

    /// Generates a fresh key of the given type.
    public static func generate(_ type: KeyType) throws -> PrivateKey {
        let algorithm = type.curveName == nil ? "RSA" : "EC"
        let context = try checkOpenSSL(EVP_PKEY_CTX_new_from_name(nil, algorithm, nil), "EVP_PKEY_CTX_new_from_name")
        defer { EVP_PKEY_CTX_free(context) }
        try checkOpenSSL(EVP_PKEY_keygen_init(context), "EVP_PKEY_keygen_init")
        if let curve = type.curveName {
            try checkOpenSSL(EVP_PKEY_CTX_set_group_name(context, curve), "EVP_PKEY_CTX_set_group_name")
        }
        if let bits = type.rsaBits {
            try checkOpenSSL(EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)), "EVP_PKEY_CTX_set_rsa_keygen_bits")
        }
        var key: OpaquePointer? = nil
        try checkOpenSSL(EVP_PKEY_generate(context, &key), "EVP_PKEY_generate")
        return PrivateKey(handle: try checkOpenSSL(key, "EVP_PKEY_generate"))
    }

    /// Reads a PEM private key (PKCS #8 or the traditional forms OpenSSL accepts).
    public convenience init(pem: String) throws {
        let bytes = Array(pem.utf8)
        let bio = try checkOpenSSL(BIO_new_mem_buf(bytes, Int32(bytes.count)), "BIO_new_mem_buf")
        defer { BIO_free(bio) }
        self.init(handle: try checkOpenSSL(PEM_read_bio_PrivateKey(bio, nil, nil, nil), "PEM_read_bio_PrivateKey"))
    }

    /// The key as unencrypted PKCS #8 PEM, for a file of mode 0600.
    public func pem() throws -> String {
        let bio = try checkOpenSSL(BIO_new(BIO_s_mem()), "BIO_new")
        defer { BIO_free(bio) }
        try checkOpenSSL(PEM_write_bio_PrivateKey(bio, handle, nil, nil, 0, nil, nil), "PEM_write_bio_PrivateKey")
        return String(decoding: try readAll(bio), as: UTF8.self)
    }

    /// What kind of key this is, or nil for a kind ztpol does not issue with.
    public var type: KeyType? {
        let bits = EVP_PKEY_get_bits(handle)
        if EVP_PKEY_is_a(handle, "EC") == 1 {
            return bits == 256 ? .ec256 : bits == 384 ? .ec384 : nil
        }
        if EVP_PKEY_is_a(handle, "RSA") == 1 {
            return KeyType(name: "rsa\(bits)")
        }
        return nil
    }

    /// A numeric public parameter (`qx`, `qy`, `n`, `e`) as big-endian bytes, left-padded to `width`.
    func publicParameter(_ name: String, width: Int = 0) throws -> [UInt8] {
        var number: OpaquePointer? = nil
        try checkOpenSSL(EVP_PKEY_get_bn_param(handle, name, &number), "EVP_PKEY_get_bn_param(\(name))")
        defer { BN_free(number) }
        let length = max(width, Int((BN_num_bits(number) + 7) / 8))
        var bytes = [UInt8](repeating: 0, count: length)
        try checkOpenSSL(BN_bn2binpad(number, &bytes, Int32(length)), "BN_bn2binpad")
        return bytes
    }

    /// Signs `message` with the given digest: DER ECDSA-Sig-Value for EC keys, PKCS #1 v1.5 for RSA.
    func sign(_ message: [UInt8], digest: OpaquePointer) throws -> [UInt8] {
        let context = try checkOpenSSL(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        defer { EVP_MD_CTX_free(context) }
        try checkOpenSSL(EVP_DigestSignInit(context, nil, digest, nil, handle), "EVP_DigestSignInit")
        var length = 0
        try checkOpenSSL(EVP_DigestSign(context, nil, &length, message, message.count), "EVP_DigestSign")
        var signature = [UInt8](repeating: 0, count: length)
        try checkOpenSSL(EVP_DigestSign(context, &signature, &length, message, message.count), "EVP_DigestSign")
        return Array(signature.prefix(length))
    }
}

/// Everything written to a memory BIO so far.
func readAll(_ bio: OpaquePointer) throws -> [UInt8] {
    let pending = Int(BIO_ctrl_pending(bio))
    var bytes = [UInt8](repeating: 0, count: pending)
    guard pending == 0 || BIO_read(bio, &bytes, Int32(pending)) == Int32(pending) else {
        throw OpenSSLError.drainingQueue(call: "BIO_read")
    }
    return bytes
}
