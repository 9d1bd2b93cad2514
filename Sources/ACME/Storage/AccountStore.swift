import Foundation

/// The account key and URL for one ACME server, kept so that every order reuses one account.
struct AccountStore {
    let directory: String

    private var keyPath: String { "\(directory)/account.key" }
    private var recordPath: String { "\(directory)/account.json" }

    private struct Record: Codable {
        let directoryURL: String
        let accountURL: String
    }

    /// The stored key, or a new ES256 key written (0600) before it is first used.
    func loadOrCreateKey(state: StateDirectory) throws -> (key: PrivateKey, created: Bool) {
        if let pem = try? String(contentsOfFile: keyPath, encoding: .utf8) {
            return (try PrivateKey(pem: pem), false)
        }
        try state.prepare(directory)
        let key = try PrivateKey.generate(.ec256)
        try AtomicFile.write(try key.pem(), to: keyPath, mode: 0o600)
        return (key, true)
    }

    /// The account URL registered for this key at `directoryURL`, if known.
    func accountURL(directoryURL: String) -> String? {
        guard let data = FileManager.default.contents(atPath: recordPath),
              let record = try? JSONDecoder().decode(Record.self, from: data),
              record.directoryURL == directoryURL else { return nil }
        return record.accountURL
    }

    func save(accountURL: String, directoryURL: String) throws {
        let data = try JSONEncoder.acme.encode(Record(directoryURL: directoryURL, accountURL: accountURL))
        try AtomicFile.write(Array(data), to: recordPath, mode: 0o600)
    }
}
