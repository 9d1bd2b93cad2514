import COpenSSL
import CShims

extension X509Certificate {
    /// The subject in RFC 2253 form, e.g. `CN=Example Root,O=Example`.
    public var subject: String {
        name(X509_get_subject_name(pointer))
    }

    /// The issuer in RFC 2253 form.
    public var issuer: String {
        name(X509_get_issuer_name(pointer))
    }

    /// The subject's first common name, if it has one.
    public var commonName: String? {
        guard let subject = X509_get_subject_name(pointer) else { return nil }
        let index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(subject, index),
            let data = X509_NAME_ENTRY_get_data(entry)
        else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return nil }
        // OPENSSL_free is a macro over CRYPTO_free.
        defer { CRYPTO_free(utf8, #fileID, #line) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    private func name(_ name: OpaquePointer?) -> String {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, ztpol_xn_flag_rfc2253()) >= 0 else { return "" }
        // BIO_get_mem_data is a macro over BIO_ctrl(BIO_CTRL_INFO).
        var data: UnsafeMutablePointer<CChar>?
        let length = withUnsafeMutablePointer(to: &data) { BIO_ctrl(bio, BIO_CTRL_INFO, 0, $0) }
        guard length > 0, let data else { return "" }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}
