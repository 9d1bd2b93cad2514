import Certificates
import Foundation

/// A certificate checked to be fit to install as a trust anchor: one self-signed `CA:TRUE` certificate,
/// valid now, with no private key beside it.
public struct PrivateRoot: Equatable, Sendable {
    /// The certificate in canonical PEM (64-column base64, trailing newline): the bytes written to anchors.
    public let pem: String
    public let der: [UInt8]
    /// The subject in RFC 2253 form.
    public let subject: String
    public let commonName: String?
    /// SHA-256 of the DER, lowercase hex.
    public let fingerprint: String
    public let notAfter: Date

    /// Reads and checks a root certificate.
    /// - Parameters:
    ///   - contents: the file's bytes.
    ///   - source: how to name the file in messages, usually its path.
    ///   - now: the moment validity is checked against.
    /// - Throws: `TrustError` saying what the file is and what a root must be.
    public init(contents: [UInt8], source: String, now: Date = Date()) throws(TrustError) {
        guard let text = String(validating: contents, as: UTF8.self), !contents.contains(0) else {
            throw TrustError(.notPEM, "\(source) is binary, not PEM text: expected '-----BEGIN CERTIFICATE-----' "
                + "(a DER file converts with 'openssl x509 -inform der -in FILE -out ROOT.pem')")
        }
        let blocks: [PEMBlock]
        do {
            blocks = try parsePEMBlocks(text)
        } catch {
            throw TrustError(.notPEM, "\(source) is not PEM: \(error)")
        }
        if let key = blocks.first(where: { $0.label.contains("PRIVATE KEY") }) {
            throw TrustError(.privateKeyIncluded, "\(source) holds a \(key.label): a root to distribute must be "
                + "the certificate alone; keep the key off the hosts that only trust it")
        }
        let certificates = blocks.filter { $0.label == "CERTIFICATE" }
        guard certificates.count == blocks.count, let block = certificates.first else {
            let labels = blocks.map { "'\($0.label)'" }.joined(separator: ", ")
            throw TrustError(.notACertificate, "\(source) holds PEM \(labels), not a 'CERTIFICATE'")
        }
        guard certificates.count == 1 else {
            throw TrustError(.moreThanOneCertificate, "\(source) holds \(certificates.count) certificates: "
                + "expected exactly one, the self-signed root")
        }
        let certificate: X509Certificate
        do {
            certificate = try X509Certificate(der: block.der)
        } catch {
            throw TrustError(.notACertificate,
                             "\(source): the CERTIFICATE block is not an X.509 certificate (\(error))")
        }
        try Self.checkAuthority(certificate, source: source)
        try Self.checkValidity(certificate, source: source, now: now)
        do {
            der = try certificate.derBytes()
            fingerprint = try certificate.sha256Fingerprint().hexString
            notAfter = try certificate.notAfter()
        } catch {
            throw TrustError(.notACertificate, "\(source): \(error)")
        }
        pem = PEMBlock(label: "CERTIFICATE", der: der).text
        subject = certificate.subject
        commonName = certificate.commonName
    }

    private static func checkAuthority(_ certificate: borrowing X509Certificate, source: String) throws(TrustError) {
        let constraints: BasicConstraints
        do {
            constraints = try certificate.basicConstraints()
        } catch {
            throw TrustError(.notACertificateAuthority, "\(source): unreadable basic constraints (\(error))")
        }
        switch constraints {
        case .endEntity:
            throw TrustError(.leafCertificate, "\(source) is a leaf certificate (CA:FALSE) for "
                + "'\(certificate.subject)': expected the CA:TRUE root that issued it")
        case .absent:
            throw TrustError(.notACertificateAuthority, "\(source) has no basic constraints extension: "
                + "expected a root marked CA:TRUE")
        case .certificateAuthority:
            break
        }
        guard certificate.mayCertificateSign else {
            throw TrustError(.notACertificateAuthority, "\(source): its key usage lacks keyCertSign, "
                + "so it cannot sign certificates: expected a root whose key usage includes keyCertSign")
        }
        guard certificate.isSelfSigned else {
            throw TrustError(.notSelfSigned, "\(source) is a CA issued by '\(certificate.issuer)', not a self-signed "
                + "root: install the root at the top of its chain instead")
        }
    }

    private static func checkValidity(_ certificate: borrowing X509Certificate, source: String, now: Date)
        throws(TrustError)
    {
        let notBefore: Date
        let notAfter: Date
        do {
            notBefore = try certificate.notBefore()
            notAfter = try certificate.notAfter()
        } catch {
            throw TrustError(.notACertificate, "\(source): unreadable validity dates (\(error))")
        }
        if notAfter < now {
            throw TrustError(.expired, "\(source) expired on \(notAfter.iso8601): expected a root valid now")
        }
        if notBefore > now {
            throw TrustError(.notYetValid, "\(source) is not valid before \(notBefore.iso8601): "
                + "expected a root valid now (is this machine's clock right?)")
        }
    }
}

extension Date {
    /// `2030-01-31T12:00:00Z`.
    var iso8601: String {
        ISO8601DateFormatter().string(from: self)
    }
}
