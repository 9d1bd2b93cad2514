import Certificates
import Foundation
import Trust
import XCTest

/// A throwaway system tree with one distribution family's `os-release`, directories and a bundle holding one
/// "public" CA, plus a virtual environment whose certifi has its own bundle.
final class FakeRoot {
    let path: String

    /// The layouts the tests install into: os-release text, anchors directory, the real bundle file and, for
    /// families whose bundle path is a link, that link and its target as written.
    struct Layout {
        let label: String
        let osRelease: String
        let family: DistributionFamily
        let realBundle: String
        let bundleLink: (path: String, target: String)?
    }

    static let layouts: [Layout] = [
        Layout(label: "debian", osRelease: "ID=debian\nVERSION_ID=\"12\"\n", family: .debian,
               realBundle: "/etc/ssl/certs/ca-certificates.crt", bundleLink: nil),
        Layout(label: "ubuntu", osRelease: "NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n", family: .debian,
               realBundle: "/etc/ssl/certs/ca-certificates.crt", bundleLink: nil),
        Layout(label: "alpine", osRelease: "NAME=\"Alpine Linux\"\nID=alpine\n", family: .debian,
               realBundle: "/etc/ssl/certs/ca-certificates.crt", bundleLink: nil),
        Layout(label: "rocky", osRelease: "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n", family: .redHat,
               realBundle: "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
               bundleLink: ("/etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem")),
        Layout(label: "fedora", osRelease: "ID=fedora\n", family: .redHat,
               realBundle: "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
               bundleLink: ("/etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem")),
        Layout(label: "opensuse", osRelease: "ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n", family: .suse,
               realBundle: "/etc/ssl/ca-bundle.pem", bundleLink: nil),
        Layout(label: "arch", osRelease: "ID=arch\n", family: .arch,
               realBundle: "/etc/ca-certificates/extracted/tls-ca-bundle.pem",
               bundleLink: ("/etc/ssl/certs/ca-certificates.crt", "../../ca-certificates/extracted/tls-ca-bundle.pem")),
    ]

    static let venvCacert = "/opt/venv/lib/python3.11/site-packages/certifi/cacert.pem"

    init(_ layout: Layout, publicCA: [UInt8]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ztpol-root-\(UUID().uuidString)").path
        try write("/etc/os-release", layout.osRelease)
        try makeDirectory(layout.family.anchorDirectory)
        try makeDirectory("/etc/profile.d")
        try write(layout.realBundle, "# public CAs\n" + String(decoding: publicCA, as: UTF8.self))
        if let link = layout.bundleLink {
            try makeDirectory((link.path as NSString).deletingLastPathComponent)
            try FileManager.default.createSymbolicLink(atPath: path + link.path, withDestinationPath: link.target)
        }
        try write("/opt/venv/bin/python", "#!/bin/false\n", mode: 0o755)
        try write("/opt/venv/pyvenv.cfg", "home = /usr/bin\n")
        try write(Self.venvCacert, "# certifi's own bundle\n" + String(decoding: publicCA, as: UTF8.self))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func makeDirectory(_ inside: String) throws {
        try FileManager.default.createDirectory(atPath: path + inside, withIntermediateDirectories: true)
    }

    func write(_ inside: String, _ text: String, mode: Int = 0o644) throws {
        try makeDirectory((inside as NSString).deletingLastPathComponent)
        try text.write(toFile: path + inside, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path + inside)
    }

    func read(_ inside: String) throws -> String {
        try String(contentsOfFile: path + inside, encoding: .utf8)
    }

    func linkTarget(_ inside: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path + inside)
    }

    /// Every entry below the root, not following links: kind, permissions, bytes or link target, and
    /// (with `times`) the modification time.
    func snapshot(times: Bool = false) throws -> [String: String] {
        var result: [String: String] = [:]
        func walk(_ inside: String) throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: path + inside) {
                let entry = inside + "/" + name
                let attributes = try FileManager.default.attributesOfItem(atPath: path + entry)
                let type = attributes[.type] as? FileAttributeType
                var line = "\(type?.rawValue ?? "?") \(String(attributes[.posixPermissions] as? Int ?? 0, radix: 8))"
                if times, let date = attributes[.modificationDate] as? Date {
                    line += " @\(date.timeIntervalSince1970)"
                }
                switch type {
                case .typeSymbolicLink?: line += " -> " + (linkTarget(entry) ?? "?")
                case .typeRegular?:
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: path + entry))
                    line += " sha256:" + sha256([UInt8](bytes)).hexString
                default: break
                }
                result[entry] = line
                if type == .typeDirectory { try walk(entry) }
            }
        }
        try walk("")
        return result
    }
}
