import Certificates
import Foundation

/// What is installed in a root, and whether each change is still in place.
public struct TrustStatus: Equatable, Sendable {
    /// One path ztpol manages.
    public struct TrackedPath: Equatable, Sendable {
        public enum Condition: Equatable, Sendable {
            /// Holds what ztpol wrote (or, for generated files, exists).
            case inPlace
            /// Someone else changed it; `install` again to repair.
            case changed(now: String)
        }

        public let path: String
        /// `anchor`, `bundle`, `generatedBundle`, `certifi`, `environment` or `directory`.
        public let role: String
        public let condition: Condition
    }

    /// One installed root.
    public struct Installed: Equatable, Sendable {
        public let name: String
        public let subject: String
        public let fingerprint: String
        public let notAfter: Date
        public let stores: [TrustStore]
        public let pythons: [String]
        /// Whether the system bundle holds the root right now.
        public let bundleHoldsRoot: Bool
        public let paths: [TrackedPath]
    }

    public let rootDirectory: String
    public let family: DistributionFamily?
    public let installations: [Installed]
}

extension TrustInstaller {
    /// What is installed and whether it is all still in place. Reads only; changes nothing.
    public func status() throws(TrustError) -> TrustStatus {
        let journal = try loadJournal()
        let family = try? distributionFamily()
        var installed: [TrustStatus.Installed] = []
        for installation in journal.installations {
            var holds = false
            if let family, let block = (try? parsePEMBlocks(installation.pem))?.first {
                holds = SystemStore(family: family, filesystem: filesystem, log: log).bundleHolds(der: block.der)
            }
            var paths: [TrustStatus.TrackedPath] = []
            // The refresh command's other outputs are its business; the bundle stands for them.
            for record in journal.records where record.owners.contains(installation.name) && record.role != .generated {
                paths.append(.init(path: filesystem.hostPath(record.path), role: record.role.rawValue,
                                   condition: try condition(of: record)))
            }
            installed.append(.init(name: installation.name, subject: installation.subject,
                                   fingerprint: installation.fingerprint, notAfter: installation.notAfter,
                                   stores: installation.stores, pythons: installation.pythons,
                                   bundleHoldsRoot: holds, paths: paths))
        }
        return TrustStatus(rootDirectory: rootDirectory, family: family, installations: installed)
    }

    private func condition(of record: Journal.Record) throws(TrustError) -> TrustStatus.TrackedPath.Condition {
        let current = try filesystem.state(at: record.path)
        if let written = record.writtenDigest {
            return current.digest == written ? .inPlace : .changed(now: current.summary)
        }
        return current == .absent ? .changed(now: "absent") : .inPlace
    }
}
