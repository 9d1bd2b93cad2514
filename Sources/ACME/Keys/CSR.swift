import Certificates
import COpenSSL

/// The certificate signing request sent to `finalize` (RFC 8555 §7.4): the identifiers as
/// subjectAltNames, the first DNS name also as the common name, signed by the certificate's key.
enum CSR {
    static func der(identifiers: [Identifier], key: PrivateKey) throws -> [UInt8] {
        guard !identifiers.isEmpty, identifiers.allSatisfy(\.isWellFormed) else {
            throw ACMEError.invalidRequest("a certificate needs at least one well-formed identifier")
        }
        let request = try checkOpenSSL(X509_REQ_new(), "X509_REQ_new")
        defer { X509_REQ_free(request) }
        try checkOpenSSL(X509_REQ_set_version(request, 0), "X509_REQ_set_version")
        // A common name longer than 64 characters is not allowed; the SAN carries the names anyway.
        if let name = identifiers.first(where: { $0.type == .dns && $0.value.count <= 64 }) {
            let subject = try checkOpenSSL(X509_REQ_get_subject_name(request), "X509_REQ_get_subject_name")
            try checkOpenSSL(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, name.value, -1, -1, 0),
                             "X509_NAME_add_entry_by_txt")
        }
        try checkOpenSSL(X509_REQ_set_pubkey(request, key.handle), "X509_REQ_set_pubkey")

        // Identifiers are checked to hold only name or address characters: no injected entries.
        let names = identifiers.map { ($0.type == .dns ? "DNS:" : "IP:") + $0.value }.joined(separator: ",")
        let san = try checkOpenSSL(X509V3_EXT_conf_nid(nil, nil, NID_subject_alt_name, names),
                                   "X509V3_EXT_conf_nid(subjectAltName)")
        defer { X509_EXTENSION_free(san) }
        // STACK_OF(X509_EXTENSION)'s typed helpers are macros; the untyped stack is the same object.
        let extensions = try checkOpenSSL(OPENSSL_sk_new_null(), "OPENSSL_sk_new_null")
        defer { OPENSSL_sk_free(extensions) }
        try checkOpenSSL(OPENSSL_sk_push(extensions, UnsafeRawPointer(san)), "OPENSSL_sk_push")
        try checkOpenSSL(X509_REQ_add_extensions(request, extensions), "X509_REQ_add_extensions")
        guard X509_REQ_sign(request, key.handle, EVP_sha256()) > 0 else {
            throw OpenSSLError.drainingQueue(call: "X509_REQ_sign")
        }

        var buffer: UnsafeMutablePointer<UInt8>? = nil
        let length = try checkOpenSSL(i2d_X509_REQ(request, &buffer), "i2d_X509_REQ")
        defer { CRYPTO_free(buffer, #fileID, #line) }  // OPENSSL_free is a macro
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }
}
