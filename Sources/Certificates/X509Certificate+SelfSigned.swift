import COpenSSL

extension X509Certificate {
    /// Whether the certificate names itself as issuer and its signature verifies with its own public key:
    /// a root, as opposed to an intermediate or a leaf that some other CA issued.
    public var isSelfSigned: Bool {
        defer { ERR_clear_error() }
        guard X509_check_issued(pointer, pointer) == X509_V_OK, let key = X509_get0_pubkey(pointer) else {
            return false
        }
        return X509_verify(pointer, key) == 1
    }
}
