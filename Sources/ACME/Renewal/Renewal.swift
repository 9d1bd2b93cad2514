import Certificates
import Foundation

/// What `renew` did with one stored certificate.
public struct RenewalResult: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case renewed, notDue, failed
    }

    public let identifiers: [String]
    public let directory: String
    public let outcome: Outcome
    public let reason: String
    public let issued: IssuedCertificate?
}

extension ACMEClient {
    /// Renews every certificate in the state directory that is due, and runs each one's reload
    /// command after it was renewed. A certificate that is not due costs no order and, without ARI,
    /// no request at all.
    /// - Parameters:
    ///   - now: the moment to judge by (tests move it forward).
    ///   - force: renew even what is not due.
    /// - Returns: one result per stored certificate; a failure of one does not stop the others.
    public func renewDue(stateDirectory: String = StateDirectory.defaultPath, now: Date = Date(),
                         force: Bool = false) -> [RenewalResult] {
        StateDirectory(stateDirectory).storedCertificates().map { path in
            renew(CertificateStore(directory: path), now: now, force: force)
        }
    }

    private func renew(_ store: CertificateStore, now: Date, force: Bool) -> RenewalResult {
        var identifiers: [String] = []
        do {
            let record = try store.loadRecord()
            identifiers = record.request.identifiers.map(\.value)
            guard let leaf = try store.loadLeaf() else {
                return try renewNow(record, replacing: nil, reason: "no certificate stored yet", store: store)
            }
            let certificateID = try? RenewalInfo.certificateID(of: leaf)
            let decision = RenewalPolicy.decide(notBefore: try leaf.notBefore(), notAfter: try leaf.notAfter(),
                                                window: window(record, certificateID: certificateID), now: now)
            guard force || decision.due else {
                report(.renewal, "\(identifiers.joined(separator: ", ")): not due, \(decision.reason)")
                return RenewalResult(identifiers: identifiers, directory: store.directory, outcome: .notDue,
                                     reason: decision.reason, issued: nil)
            }
            return try renewNow(record, replacing: certificateID, reason: force ? "forced" : decision.reason,
                                store: store)
        } catch {
            report(.renewal, "\(store.directory): renewal failed: \(error)")
            return RenewalResult(identifiers: identifiers, directory: store.directory, outcome: .failed,
                                 reason: "\(error)", issued: nil)
        }
    }

    private func renewNow(_ record: CertificateStore.Record, replacing certificateID: String?, reason: String,
                          store: CertificateStore) throws -> RenewalResult {
        let names = record.request.identifiers.map(\.value)
        report(.renewal, "\(names.joined(separator: ", ")): renewing, \(reason)")
        let issued = try issue(record.request, replacing: certificateID)
        return RenewalResult(identifiers: names, directory: store.directory, outcome: .renewed, reason: reason,
                             issued: issued)
    }

    /// The CA's suggested window, when it offers ARI and answers; otherwise nil (the lifetime rule).
    func window(_ record: CertificateStore.Record, certificateID: String?) -> RenewalInfo.Window? {
        guard let base = record.renewalInfoURL, let certificateID else { return nil }
        do {
            let http = try HTTPClient(trust: record.request.trust)
            return try RenewalInfo.fetch(base: base, certificateID: certificateID, http: http).suggestedWindow
        } catch {
            report(.renewal, "renewal information unavailable (\(error)); using the lifetime rule")
            return nil
        }
    }
}
