import Foundation
import XCTest

/// Makes test certificates with the `openssl` command in a temporary directory: nothing is checked in.
final class CertificateFactory {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ztpol-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try write("ca.cnf", """
            [req]
            distinguished_name = dn
            [dn]
            [root]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            [intermediate]
            basicConstraints = critical, CA:TRUE, pathlen:0
            keyUsage = critical, keyCertSign, cRLSign
            [leaf]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            subjectAltName = DNS:web.test
            [signOnly]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, digitalSignature
            [ca]
            default_ca = oldCA
            [oldCA]
            database = index.txt
            new_certs_dir = .
            serial = serial
            default_md = sha256
            policy = anything
            unique_subject = no
            [anything]
            commonName = supplied

            """)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// A self-signed certificate `NAME.pem` (key `NAME.key`) with the extensions of section `section`.
    @discardableResult
    func selfSigned(_ name: String, commonName: String, section: String? = "root", days: Int = 30) throws -> [UInt8] {
        var arguments = ["req", "-x509", "-config", "ca.cnf", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                         "-nodes", "-keyout", "\(name).key", "-out", "\(name).pem", "-subj", "/CN=\(commonName)",
                         "-days", "\(days)"]
        if let section { arguments += ["-extensions", section] }
        try openssl(arguments)
        return try bytes("\(name).pem")
    }

    /// A certificate `NAME.pem` issued by `issuer` with the extensions of section `section`.
    @discardableResult
    func issued(_ name: String, by issuer: String, commonName: String, section: String) throws -> [UInt8] {
        try openssl(["req", "-new", "-config", "ca.cnf", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(commonName)"])
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(issuer).pem", "-CAkey", "\(issuer).key",
                     "-CAcreateserial", "-out", "\(name).pem", "-days", "10", "-extfile", "ca.cnf",
                     "-extensions", section])
        return try bytes("\(name).pem")
    }

    /// A CA:TRUE root whose validity ended in 2020.
    func expiredRoot() throws -> [UInt8] {
        try write("index.txt", "")
        try write("serial", "01\n")
        try openssl(["req", "-new", "-config", "ca.cnf", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", "old.key", "-out", "old.csr", "-subj", "/CN=Old Root"])
        try openssl(["ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", "old.key", "-in", "old.csr",
                     "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile", "ca.cnf",
                     "-extensions", "root", "-notext", "-out", "old.pem"])
        return try bytes("old.pem")
    }

    func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "openssl", code: Int(process.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")): "
                    + String(decoding: output, as: UTF8.self),
            ])
        }
    }
}
