import Foundation
import Trust

/// `ztpol trust install ROOT.pem`: reads and checks the root, installs it, prints what changed.
enum TrustInstallAction {
    static func run(rootFile: String, options: TrustOptions, installer: TrustInstaller, console: Console)
        throws(TrustError) -> ExitCode
    {
        let root = try readRoot(rootFile)
        let report = try installer.install(root: root, name: options.name, stores: options.stores,
                                           pythons: options.pythons)
        printReport(report, root: root, stores: options.stores, console: console)
        return .success
    }

    /// Reads a root certificate file and checks it is fit to install.
    static func readRoot(_ path: String) throws(TrustError) -> PrivateRoot {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw TrustError(.unreadableRoot, "\(path) \(reason): expected a PEM file holding the private root")
        }
        return try PrivateRoot(contents: [UInt8](data), source: path)
    }

    static func printReport(_ report: InstallReport, root: PrivateRoot, stores: Set<TrustStore>, console: Console) {
        let storeList = stores.sorted().map(\.rawValue).joined(separator: ", ")
        let verb = report.changedPaths.isEmpty ? "already installed" : "installed"
        console.out("\(verb) '\(report.name)' (\(root.subject), SHA-256 \(root.fingerprint.prefix(16))…) "
            + "in \(storeList) on \(report.family.displayName)")
        for path in report.changedPaths { console.out("  changed \(path)") }
        for cacert in report.certifiBundles {
            console.out("  certifi \(cacert) -> \(report.family.bundlePath)")
        }
        for note in report.notes { console.out("  note: \(note)") }
    }
}
