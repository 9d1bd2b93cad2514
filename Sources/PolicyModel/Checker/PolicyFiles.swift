import Foundation
import PolicyLanguage

/// Files a policy names (roots): resolved against the policy's own folder, and looked at — a missing or
/// non-PEM file is only a warning here, because `check` and `compile` do not need it; the commands that do
/// refuse later.
enum PolicyFiles {
    /// `file` as written, made relative to the folder of `policyPath` unless it is absolute.
    static func resolve(_ file: String, relativeTo policyPath: String) -> String {
        if file.hasPrefix("/") { return file }
        guard let slash = policyPath.lastIndex(of: "/") else { return file }
        return policyPath[...slash] + file
    }

    /// A warning when the certificate file is missing or holds no PEM certificate.
    static func problem(withCertificate file: String, resolved: String) -> DiagnosticMessage? {
        guard let data = FileManager.default.contents(atPath: resolved) else {
            return .fileMissing(file, resolved: resolved)
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.contains("-----BEGIN CERTIFICATE-----") ? nil : .fileNotPEM(file)
    }
}
