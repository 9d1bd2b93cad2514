import COpenSSL

extension X509Certificate {
    /// The serial number's DER content octets, with the leading zero DER adds when the top bit is set:
    /// half of a certificate's ACME Renewal Information identifier (RFC 9773 §4.1).
    public func serialNumberDER() throws(OpenSSLError) -> [UInt8] {
        ERR_clear_error()
        guard let serial = X509_get0_serialNumber(pointer) else {
            throw OpenSSLError.drainingQueue(call: "X509_get0_serialNumber")
        }
        let length = i2d_ASN1_INTEGER(serial, nil)
        guard length > 2 else { throw OpenSSLError.drainingQueue(call: "i2d_ASN1_INTEGER") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_ASN1_INTEGER(serial, &cursor)
        }
        guard written == length else { throw OpenSSLError.drainingQueue(call: "i2d_ASN1_INTEGER") }
        // Tag and a short-form length come first: serial numbers are at most 20 octets.
        return Array(der.dropFirst(2))
    }

    /// The keyIdentifier of the Authority Key Identifier extension: the other half of that identifier.
    public var authorityKeyIdentifier: [UInt8]? {
        guard let octets = X509_get0_authority_key_id(pointer) else { return nil }
        let length = Int(ASN1_STRING_length(octets))
        guard length > 0, let data = ASN1_STRING_get0_data(octets) else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }
}
