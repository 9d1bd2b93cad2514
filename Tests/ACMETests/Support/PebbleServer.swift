import Foundation
import XCTest

@testable import ACME

/// A pebble ACME server and its pebble-challtestsrv DNS, started for one test on free loopback ports
/// with an HTTPS certificate made for it, and stopped by `stop()`.
final class PebbleServer {
    struct Options {
        var nonceRejectPercent = 0
        var authorizationReusePercent = 0
        var externalAccountKeys: [String: String] = [:]
    }

    let directory: String
    /// The root of pebble's own HTTPS certificate: what the client must trust.
    let httpsRoot: String
    /// The root pebble issues under (`/roots/0`), new on every start.
    let issuingRoot: String
    /// The port pebble validates TLS-ALPN-01 on; the responder listens there.
    let tlsPort: UInt16
    let directoryURL: String
    let challengeManagementURL: String

    private let pebble: Process
    private let challengeServer: Process

    static let pebblePath = "/usr/bin/pebble"
    static let challengeServerPath = "/usr/bin/pebble-challtestsrv"

    /// Skips the calling test when pebble is not installed (CI installs it).
    init(_ options: Options = Options()) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.pebblePath),
              FileManager.default.isExecutableFile(atPath: Self.challengeServerPath) else {
            throw XCTSkip("pebble is not installed (apt-get install pebble): ACME tests against a real server skipped")
        }
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ztpol-pebble-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        httpsRoot = "\(directory)/https-root.pem"
        issuingRoot = "\(directory)/issuing-root.pem"
        try Self.makeHTTPSCertificate(in: directory)

        let listenPort = freePort(), managementPort = freePort(), dnsPort = freePort()
        let challengeManagementPort = freePort(), httpPort = freePort()
        tlsPort = freePort()
        directoryURL = "https://127.0.0.1:\(listenPort)/dir"
        challengeManagementURL = "http://127.0.0.1:\(challengeManagementPort)"

        var settings: [String: Any] = [
            "listenAddress": "127.0.0.1:\(listenPort)",
            "managementListenAddress": "127.0.0.1:\(managementPort)",
            "certificate": "\(directory)/https-cert.pem",
            "privateKey": "\(directory)/https-key.pem",
            "httpPort": Int(httpPort), "tlsPort": Int(tlsPort), "ocspResponderURL": "",
            "externalAccountBindingRequired": !options.externalAccountKeys.isEmpty,
        ]
        if !options.externalAccountKeys.isEmpty { settings["externalAccountMACKeys"] = options.externalAccountKeys }
        try JSONSerialization.data(withJSONObject: ["pebble": settings])
            .write(to: URL(fileURLWithPath: "\(directory)/pebble.json"))

        challengeServer = try Self.start(Self.challengeServerPath, [
            "-http01", "", "-https01", "", "-tlsalpn01", "",
            "-dns01", "127.0.0.1:\(dnsPort)", "-management", "127.0.0.1:\(challengeManagementPort)",
        ], log: "\(directory)/challtestsrv.log")
        pebble = try Self.start(Self.pebblePath, [
            "-config", "\(directory)/pebble.json", "-dnsserver", "127.0.0.1:\(dnsPort)", "-strict=false",
        ], environment: [
            "PEBBLE_VA_NOSLEEP": "1",
            "PEBBLE_WFE_NONCEREJECT": String(options.nonceRejectPercent),
            "PEBBLE_AUTHZREUSE": String(options.authorizationReusePercent),
        ], log: "\(directory)/pebble.log")

        // pebble announces its directory before its listener can fail: poll until it answers.
        let http = try HTTPClient(trust: .only(rootFile: httpsRoot), timeout: 2)
        let deadline = Date().addingTimeInterval(15)
        while (try? http.send(.get, directoryURL))?.status != 200 {
            guard Date() < deadline, pebble.isRunning else {
                stop()
                throw PebbleError.didNotStart(log: (try? String(contentsOfFile: "\(directory)/pebble.log",
                                                                encoding: .utf8)) ?? "")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let roots = try http.send(.get, "https://127.0.0.1:\(managementPort)/roots/0")
        try roots.body.write(to: URL(fileURLWithPath: issuingRoot))
    }

    enum PebbleError: Error {
        case didNotStart(log: String)
        case management(String)
    }

    /// Stops both servers and, unless asked to keep them, removes their files.
    func stop(keepingFiles: Bool = false) {
        for process in [pebble, challengeServer] where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if !keepingFiles { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Makes the DNS answer `addresses` for `host` (A for IPv4, AAAA for IPv6) instead of loopback.
    func resolve(_ host: String, ipv4: [String], ipv6: [String]) throws {
        for (path, addresses) in [("add-a", ipv4), ("add-aaaa", ipv6)] where !addresses.isEmpty {
            let body = try JSONSerialization.data(withJSONObject: ["host": host, "addresses": addresses])
            let result = try runProgram("/usr/bin/curl", ["-sf", "-X", "POST", "-d", String(decoding: body, as: UTF8.self),
                                                   "\(challengeManagementURL)/\(path)"])
            guard result.status == 0 else { throw PebbleError.management("\(path): \(result.output)") }
        }
    }

    /// `openssl verify` of a stored leaf against pebble's issuing root, with the stored intermediates.
    func verify(_ issued: IssuedCertificate) throws -> (status: Int32, output: String) {
        try runProgram("/usr/bin/openssl", ["verify", "-CAfile", issuingRoot, "-untrusted", issued.chainPath,
                                     issued.certificatePath])
    }

    private static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                              log: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    /// A root and a `localhost` server certificate signed by it, for pebble's own HTTPS.
    private static func makeHTTPSCertificate(in directory: String) throws {
        let openssl = "/usr/bin/openssl"
        _ = FileManager.default.createFile(atPath: "\(directory)/leaf.ext", contents: Data(
            "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                .utf8))
        for arguments in [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "https-root.key", "-out", "https-root.pem", "-subj", "/CN=ztpol test HTTPS root", "-days", "2",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"],
            ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "https-key.pem", "-out", "https.csr", "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", "https.csr", "-CA", "https-root.pem", "-CAkey", "https-root.key",
             "-set_serial", "1", "-days", "2", "-extfile", "leaf.ext", "-out", "https-cert.pem"],
        ] {
            let result = try runProgram(openssl, arguments, currentDirectory: directory)
            guard result.status == 0 else { throw PebbleError.management("openssl \(arguments[0]): \(result.output)") }
        }
    }
}
