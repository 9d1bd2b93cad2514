import Foundation

/// The places a root can be installed into.
public enum TrustStore: String, CaseIterable, Codable, Comparable, Sendable {
    /// The distribution's anchors directory and the bundle its refresh command generates.
    case system
    /// certifi's `cacert.pem` in each Python interpreter or virtual environment.
    case python
    /// `/etc/profile.d` and systemd's default environment: the variables that point clients at the bundle.
    case env

    /// Parses a comma-separated list such as `system,python,env`.
    public static func parseList(_ text: String) throws(TrustError) -> Set<TrustStore> {
        var stores: Set<TrustStore> = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = word.trimmingCharacters(in: .whitespaces).lowercased()
            guard let store = TrustStore(rawValue: trimmed) else {
                let known = allCases.map(\.rawValue).joined(separator: ", ")
                throw TrustError(.unknownStore, "unknown store '\(trimmed)' in '\(text)': expected a comma-separated "
                    + "list of \(known)")
            }
            stores.insert(store)
        }
        return stores
    }

    public static func < (lhs: TrustStore, rhs: TrustStore) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
