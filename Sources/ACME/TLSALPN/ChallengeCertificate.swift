import Certificates
import COpenSSL
import Foundation

/// The self-signed certificate that answers a TLS-ALPN-01 challenge (RFC 8737 §3): one subjectAltName
/// for the identifier, and the critical acmeIdentifier extension holding SHA-256 of the key
/// authorisation as a DER OCTET STRING.
final class ChallengeCertificate: @unchecked Sendable {
    // @unchecked: built once, then only read by OpenSSL during handshakes (X509 reference counting
    // is atomic).
    let handle: OpaquePointer
    let key: PrivateKey

    /// id-pe-acmeIdentifier.
    static let acmeIdentifierOID = "1.3.6.1.5.5.7.1.31"

    /// - Parameters:
    ///   - identifier: a DNS name (one dNSName) or an IP address (one iPAddress, RFC 8738 §6).
    ///   - keyAuthorizationDigest: the 32-byte SHA-256 of the key authorisation.
    ///   - key: the certificate's key; any key will do, the CA checks only the extension.
    init(identifier: Identifier, keyAuthorizationDigest: [UInt8], key: PrivateKey) throws {
        guard identifier.isWellFormed else {
            throw ACMEError.invalidRequest("\(identifier.value) is not a valid \(identifier.type.rawValue) identifier")
        }
        guard keyAuthorizationDigest.count == 32 else {
            throw ACMEError.invalidRequest("a key authorisation digest is 32 bytes")
        }
        let x509 = try checkOpenSSL(X509_new(), "X509_new")
        do {
            try Self.fill(x509, identifier: identifier, digest: keyAuthorizationDigest, key: key)
        } catch {
            X509_free(x509)
            throw error
        }
        handle = x509
        self.key = key
    }

    deinit {
        X509_free(handle)
    }

    private static func fill(_ x509: OpaquePointer, identifier: Identifier, digest: [UInt8], key: PrivateKey) throws {
        try checkOpenSSL(X509_set_version(x509, Int(X509_VERSION_3)), "X509_set_version")
        var serial = [UInt8](repeating: 0, count: 16)
        try checkOpenSSL(RAND_bytes(&serial, Int32(serial.count)), "RAND_bytes")
        serial[0] &= 0x7f
        let number = try checkOpenSSL(BN_bin2bn(serial, Int32(serial.count), nil), "BN_bin2bn")
        defer { BN_free(number) }
        try checkOpenSSL(BN_to_ASN1_INTEGER(number, X509_get_serialNumber(x509)), "BN_to_ASN1_INTEGER")
        // A day either side of now: the validator's clock may differ from ours.
        try checkOpenSSL(X509_gmtime_adj(X509_getm_notBefore(x509), -86_400), "X509_gmtime_adj")
        try checkOpenSSL(X509_gmtime_adj(X509_getm_notAfter(x509), 86_400), "X509_gmtime_adj")
        let name = try checkOpenSSL(X509_get_subject_name(x509), "X509_get_subject_name")
        try checkOpenSSL(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, identifier.value, -1, -1, 0),
                         "X509_NAME_add_entry_by_txt")
        try checkOpenSSL(X509_set_issuer_name(x509, name), "X509_set_issuer_name")
        try checkOpenSSL(X509_set_pubkey(x509, key.handle), "X509_set_pubkey")

        // The identifier was checked to hold only name or address characters, so it cannot add
        // further entries to this configuration string.
        let alternativeName = (identifier.type == .dns ? "DNS:" : "IP:") + identifier.value
        let san = try checkOpenSSL(X509V3_EXT_conf_nid(nil, nil, NID_subject_alt_name, alternativeName),
                                   "X509V3_EXT_conf_nid(subjectAltName)")
        defer { X509_EXTENSION_free(san) }
        try checkOpenSSL(X509_add_ext(x509, san, -1), "X509_add_ext(subjectAltName)")

        let oid = try checkOpenSSL(OBJ_txt2obj(acmeIdentifierOID, 1), "OBJ_txt2obj")
        defer { ASN1_OBJECT_free(oid) }
        let value = try checkOpenSSL(ASN1_OCTET_STRING_new(), "ASN1_OCTET_STRING_new")
        defer { ASN1_OCTET_STRING_free(value) }
        // The extension's value is itself DER: an OCTET STRING (tag 4, length 32) of the digest.
        let der: [UInt8] = [0x04, 0x20] + digest
        try checkOpenSSL(ASN1_OCTET_STRING_set(value, der, Int32(der.count)), "ASN1_OCTET_STRING_set")
        let extensionValue = try checkOpenSSL(X509_EXTENSION_create_by_OBJ(nil, oid, 1, value),
                                              "X509_EXTENSION_create_by_OBJ")
        defer { X509_EXTENSION_free(extensionValue) }
        try checkOpenSSL(X509_add_ext(x509, extensionValue, -1), "X509_add_ext(acmeIdentifier)")

        guard X509_sign(x509, key.handle, EVP_sha256()) > 0 else { throw OpenSSLError.drainingQueue(call: "X509_sign") }
    }

    /// The certificate in DER, for tests and diagnostics.
    var der: [UInt8] {
        get throws {
            var buffer: UnsafeMutablePointer<UInt8>? = nil
            let length = try checkOpenSSL(i2d_X509(handle, &buffer), "i2d_X509")
            defer { CRYPTO_free(buffer, #fileID, #line) }  // OPENSSL_free is a macro
            return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
        }
    }

    /// The acmeIdentifier extension: its criticality and its DER value.
    var acmeIdentifierExtension: (critical: Bool, value: [UInt8])? {
        guard let oid = OBJ_txt2obj(Self.acmeIdentifierOID, 1) else { return nil }
        defer { ASN1_OBJECT_free(oid) }
        let index = X509_get_ext_by_OBJ(handle, oid, -1)
        guard index >= 0, let ext = X509_get_ext(handle, index), let data = X509_EXTENSION_get_data(ext) else {
            return nil
        }
        let bytes = Array(UnsafeBufferPointer(start: ASN1_STRING_get0_data(data), count: Int(ASN1_STRING_length(data))))
        return (X509_EXTENSION_get_critical(ext) == 1, bytes)
    }
}
