import Certificates
import Foundation

/// The distribution's own store: the root's file in the anchors directory, and the bundle built from it,
/// either by the family's command (on `/`, or through `chroot` when the root has it) or, for a root without
/// that command, by ztpol: the bundle as it was with each installed root appended, as the command would.
struct SystemStore {
    let family: DistributionFamily
    let filesystem: RootFilesystem
    let log: TrustLogger

    enum Refresh: Equatable {
        /// Run this argument vector on the host.
        case command([String])
        /// Rebuild the bundle in ztpol.
        case builtIn
    }

    var refresh: Refresh {
        guard let tool = filesystem.findCommand(family.refreshCommand[0]),
            let invocation = filesystem.invocation([tool] + family.refreshCommand.dropFirst())
        else { return .builtIn }
        return .command(invocation)
    }

    /// The bundle's real file, after links inside the root; nil when there is none.
    var bundleFile: String? {
        filesystem.resolve(family.bundlePath)
    }

    /// Whether the bundle holds the certificate `der`.
    func bundleHolds(der: [UInt8]) -> Bool {
        guard let data = filesystem.contentsFollowingLinks(family.bundlePath),
            let blocks = try? parsePEMBlocks(String(decoding: data, as: UTF8.self))
        else { return false }
        return blocks.contains { $0.label == "CERTIFICATE" && $0.der == der }
    }

    /// The bundle ztpol builds without the command: the original bytes, then each root's PEM.
    static func builtBundle(original: FileState, roots: [String]) -> FileState {
        guard case .file(var contents, let mode) = original else { return original }
        if !roots.isEmpty, let last = contents.last, last != UInt8(ascii: "\n") {
            contents.append(UInt8(ascii: "\n"))
        }
        for pem in roots { contents.append(Data(pem.utf8)) }
        return .file(contents: contents, mode: mode)
    }

    /// The state of everything below the directories the command writes to (links not followed).
    func generatedSnapshot() -> [String: FileState] {
        var snapshot: [String: FileState] = [:]
        func walk(_ directory: String) {
            for entry in filesystem.entries(of: directory) {
                let path = "\(directory)/\(entry)"
                let state = (try? filesystem.state(at: path)) ?? .absent
                snapshot[path] = state
                if case .directory = state { walk(path) }
            }
        }
        family.generatedDirectories.forEach(walk)
        return snapshot
    }

    /// Runs the refresh command; a failure is an error that quotes its output.
    func runRefresh(_ invocation: [String]) throws(TrustError) {
        let shown = family.refreshCommand.joined(separator: " ")
        log(.info, "running \(invocation.joined(separator: " "))")
        let result = try runCommand(invocation)
        for line in result.output.split(whereSeparator: \.isNewline) {
            log(.debug, "\(shown): \(line)")
        }
        guard result.status == 0 else {
            throw TrustError(.refreshFailed, "\(shown) exited with status \(result.status): \(result.tail)")
        }
    }
}
