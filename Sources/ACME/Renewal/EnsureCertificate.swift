import Certificates
import Foundation

/// What `ensure` found or did.
public enum CertificateOutcome: Sendable {
    /// A new certificate was ordered and stored.
    case issued(IssuedCertificate)
    /// The stored certificate answers the request and is not due for renewal: nothing was ordered.
    case current(CurrentCertificate)
}

/// A stored certificate that is still good, as `ensure` reports it.
public struct CurrentCertificate: Sendable, Codable, Equatable {
    public let identifiers: [String]
    public let certificatePath: String
    public let fullChainPath: String
    public let keyPath: String
    public let notAfter: Date
    public let issuer: String?
    /// When renewal becomes due, in words.
    public let reason: String
}

extension ACMEClient {
    /// Makes sure the state directory holds a certificate for exactly this request (same directory,
    /// identifiers and key type) that is not due for renewal, ordering one only when it does not.
    /// This is what lets a repeated bootstrap on a healthy host request nothing.
    public func ensure(_ request: CertificateRequest, now: Date = Date()) throws -> CertificateOutcome {
        guard let primary = request.identifiers.first else { return .issued(try issue(request)) }
        let store = CertificateStore(directory: StateDirectory(request.stateDirectory).certificate(primary: primary))
        guard let record = try? store.loadRecord(), let leaf = try? store.loadLeaf(),
              record.request.directoryURL == request.directoryURL,
              Set(record.request.identifiers) == Set(request.identifiers),
              record.request.keyType == request.keyType else {
            return .issued(try issue(request))
        }
        let certificateID = try? RenewalInfo.certificateID(of: leaf)
        let notAfter = try leaf.notAfter()
        let decision = RenewalPolicy.decide(notBefore: try leaf.notBefore(), notAfter: notAfter,
                                            window: window(record, certificateID: certificateID), now: now)
        guard !decision.due else {
            report(.renewal, "\(primary.value): stored certificate due, \(decision.reason)")
            return .issued(try issue(request, replacing: certificateID))
        }
        report(.renewal, "\(primary.value): stored certificate is current, \(decision.reason)")
        return .current(CurrentCertificate(
            identifiers: request.identifiers.map(\.value), certificatePath: store.certificatePath,
            fullChainPath: store.fullChainPath, keyPath: store.keyPath, notAfter: notAfter,
            issuer: ChainDownload.commonName(rfc2253: leaf.issuer), reason: decision.reason))
    }
}
