import COpenSSL
import Foundation

extension X509Certificate {
    /// The start of the validity period.
    public func notBefore() throws(OpenSSLError) -> Date {
        try Self.date(X509_get0_notBefore(pointer), call: "ASN1_TIME_to_tm(notBefore)")
    }

    /// The end of the validity period.
    public func notAfter() throws(OpenSSLError) -> Date {
        try Self.date(X509_get0_notAfter(pointer), call: "ASN1_TIME_to_tm(notAfter)")
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?, call: String) throws(OpenSSLError) -> Date {
        var broken = tm()
        guard let time, ASN1_TIME_to_tm(time, &broken) == 1 else {
            throw OpenSSLError.drainingQueue(call: call)
        }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&broken)))
    }
}
