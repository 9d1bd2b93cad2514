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

    /// Writes key, leaf, intermediates, record and full chain, each atomically. Servers are
    /// reloaded only after the last write, so they never load a key without its certificate.
    func save(key: PrivateKey, chain: [PEMBlock], record: Record) throws {
        guard let leaf = chain.first?.text else { throw ACMEError.invalidRequest("empty certificate chain") }
        try AtomicFile.write(try key.pem(), to: keyPath, mode: 0o600)
        try AtomicFile.write(leaf, to: certificatePath, mode: 0o644)
        try AtomicFile.write(chain.dropFirst().map(\.text).joined(), to: chainPath, mode: 0o644)
        let data = try JSONEncoder.acme.encode(record)
        try AtomicFile.write(Array(data), to: requestPath, mode: 0o600)
        try AtomicFile.write(chain.map(\.text).joined(), to: fullChainPath, mode: 0o644)
    }

    func loadRecord() throws -> Record {
        guard let data = FileManager.default.contents(atPath: requestPath) else {
            throw StorageError(call: "read", path: requestPath, reason: "missing")
        }
        do {
            return try JSONDecoder().decode(Record.self, from: data)
        } catch {
            throw StorageError(call: "decode", path: requestPath, reason: "\(error)")
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
