import Certificates
import Foundation

/// One certificate's files in the state directory, and the request that renews it.
struct CertificateStore {
    let directory: String

    var keyPath: String { "\(directory)/privkey.pem" }
    var certificatePath: String { "\(directory)/cert.pem" }
    var chainPath: String { "\(directory)/chain.pem" }
    var fullChainPath: String { "\(directory)/fullchain.pem" }
    var requestPath: String { "\(directory)/request.json" }

    /// What renewal needs: the request (without the EAB key) and where the CA's ARI lives.
    struct Record: Codable {
        let request: CertificateRequest
        let renewalInfoURL: String?
    }

    /// Writes key, leaf, intermediates, record and full chain as one change: all of them go to a new
    /// directory beside this one, which then takes its place in a single rename. Whatever stops the run
    /// midway (a kill, a full disk, a power cut), the directory holds the old set or the new set, never a
    /// new key beside an old certificate. Servers are reloaded only afterwards.
    func save(key: PrivateKey, chain: [PEMBlock], record: Record) throws {
        guard let leaf = chain.first?.text else { throw ACMEError.invalidRequest("empty certificate chain") }
        let parent = (directory as NSString).deletingLastPathComponent
        let staging = "\(parent)/.\((directory as NSString).lastPathComponent).new"
        try? FileManager.default.removeItem(atPath: staging)  // left by a run that was stopped
        try AtomicFile.makeDirectory(staging)
        let files = CertificateStore(directory: staging)
        try AtomicFile.write(try key.pem(), to: files.keyPath, mode: 0o600)
        try AtomicFile.write(leaf, to: files.certificatePath, mode: 0o644)
        try AtomicFile.write(chain.dropFirst().map(\.text).joined(), to: files.chainPath, mode: 0o644)
        let data = try JSONEncoder.acme.encode(record)
        try AtomicFile.write(Array(data), to: files.requestPath, mode: 0o600)
        try AtomicFile.write(chain.map(\.text).joined(), to: files.fullChainPath, mode: 0o644)
        try AtomicFile.replaceDirectory(directory, with: staging)
    }

    func loadRecord() throws -> Record {
        guard let data = FileManager.default.contents(atPath: requestPath) else {
            throw StorageError(call: "read", path: requestPath, reason: "missing")
        }
        do {
            return try JSONDecoder().decode(Record.self, from: data)
        } catch let error as DecodingError {
            throw StorageError(call: "decode", path: requestPath, reason: error.summary)
        }
    }

    /// The stored leaf certificate, or nil when none was issued yet.
    func loadLeaf() throws -> X509Certificate? {
        guard let pem = try? String(contentsOfFile: certificatePath, encoding: .utf8) else { return nil }
        guard let block = try parsePEMBlocks(pem).first(where: { $0.label == "CERTIFICATE" }) else {
            throw StorageError(call: "read", path: certificatePath, reason: "no CERTIFICATE block")
        }
        return try X509Certificate(der: block.der)
    }
}
