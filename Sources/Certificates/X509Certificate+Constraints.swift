import COpenSSL

/// What the basic constraints extension (RFC 5280 §4.2.1.9) of a certificate says.
public enum BasicConstraints: Equatable, Sendable {
    /// The certificate has no basic constraints extension.
    case absent
    /// `CA:FALSE`: an end-entity (leaf) certificate.
    case endEntity
    /// `CA:TRUE`, with the path length limit if one is set.
    case certificateAuthority(pathLength: Int?)
}

extension X509Certificate {
    /// The basic constraints extension, decoded.
    /// - Throws: `OpenSSLError` from `X509_get_ext_d2i` when the extension is present but malformed or repeated.
    public func basicConstraints() throws(OpenSSLError) -> BasicConstraints {
        ERR_clear_error()
        var critical: Int32 = 0
        guard let raw = X509_get_ext_d2i(pointer, NID_basic_constraints, &critical, nil) else {
            // -1: absent; -2: present more than once; otherwise it failed to decode.
            if critical == -1 { return .absent }
            throw OpenSSLError.drainingQueue(call: "X509_get_ext_d2i(basicConstraints)")
        }
        let constraints = raw.assumingMemoryBound(to: BASIC_CONSTRAINTS.self)
        defer { BASIC_CONSTRAINTS_free(constraints) }
        guard constraints.pointee.ca != 0 else { return .endEntity }
        guard let pathLength = constraints.pointee.pathlen else { return .certificateAuthority(pathLength: nil) }
        return .certificateAuthority(pathLength: Int(ASN1_INTEGER_get(pathLength)))
    }

    /// Whether the key may sign certificates: true when the key usage extension is absent or has `keyCertSign`.
    public var mayCertificateSign: Bool {
        let usage = X509_get_key_usage(pointer)
        return usage == UInt32.max || usage & UInt32(KU_KEY_CERT_SIGN) != 0
    }
}
