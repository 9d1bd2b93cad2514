import Foundation

/// Finds the `cacert.pem` that certifi hands to `requests` and friends, for one interpreter or virtual
/// environment. The interpreter itself answers when it can run (on `/`, or in the root through `chroot`);
/// otherwise the usual site-packages directories under its prefix are searched.
struct CertifiLocator {
    let filesystem: RootFilesystem
    let log: TrustLogger

    /// Interpreters tried, in order, as "the system one".
    static let systemInterpreters = ["/usr/local/bin/python3", "/usr/bin/python3"]

    private static let marker = "ztpol-certifi:"
    private static let script = """
        try:
            import certifi
        except ImportError:
            print("\(marker)")
        else:
            print("\(marker)" + certifi.where())
        """

    /// The executable for an interpreter path or a virtual environment directory.
    func interpreter(for path: String) throws(TrustError) -> String {
        let candidates = filesystem.isDirectory(path) ? ["\(path)/bin/python3", "\(path)/bin/python"] : [path]
        guard let found = candidates.first(where: filesystem.isExecutableFile) else {
            let place = filesystem.isHostRoot ? "" : " in \(filesystem.root)"
            throw TrustError(.interpreterNotFound, "no Python interpreter at \(path)\(place): expected an executable "
                + "or a virtual environment directory holding bin/python")
        }
        return found
    }

    /// certifi's bundle as a root path, or nil when the interpreter has no certifi.
    func cacert(interpreter: String) throws(TrustError) -> String? {
        if let invocation = filesystem.invocation([interpreter, "-c", Self.script]) {
            let result = try runCommand(invocation)
            let answer = result.output.split(whereSeparator: \.isNewline).last { $0.hasPrefix(Self.marker) }
            if result.status == 0, let answer {
                let path = String(answer.dropFirst(Self.marker.count))
                return path.isEmpty ? nil : path
            }
            if filesystem.isHostRoot {
                throw TrustError(.interpreterFailed, "\(interpreter) could not tell where certifi is "
                    + "(exit \(result.status): \(result.tail))")
            }
            log(.debug, "\(interpreter) does not run in \(filesystem.root) (\(result.tail)); searching its prefix")
        }
        return searchPrefix(of: interpreter)
    }

    /// `PREFIX/lib*/python3*/{site,dist}-packages/certifi/cacert.pem`, PREFIX being the parent of `bin/`.
    private func searchPrefix(of interpreter: String) -> String? {
        let prefix = ((interpreter as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        for lib in ["lib", "lib64"] {
            let libDirectory = "\(prefix)/\(lib)"
            for version in filesystem.entries(of: libDirectory) where version.hasPrefix("python3") {
                for packages in ["site-packages", "dist-packages"] {
                    let candidate = "\(libDirectory)/\(version)/\(packages)/certifi/cacert.pem"
                    // A link counts even when dangling: it may be ztpol's own, to a bundle not made yet.
                    if let state = try? filesystem.state(at: candidate), state != .absent {
                        return candidate
                    }
                }
            }
        }
        return nil
    }
}
