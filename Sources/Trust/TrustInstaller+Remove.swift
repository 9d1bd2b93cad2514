import Foundation

/// What one `remove` did.
public struct RemoveReport: Equatable, Sendable {
    /// A path that ztpol did not put back, and why.
    public struct LeftPath: Equatable, Sendable {
        public let path: String
        public let reason: String
    }

    public let name: String
    /// Host paths put back to their state before the install (or rebuilt for the roots still installed).
    public let restoredPaths: [String]
    /// Paths someone else changed after ztpol wrote them: ztpol leaves those alone.
    public let leftPaths: [LeftPath]
}

extension TrustInstaller {
    /// Removes the root installed as `name` from every store, putting back each path whose last user it was
    /// exactly as it was before, unless someone else changed it meanwhile (then it is reported, not touched).
    /// - Throws: `TrustError` when nothing is installed under `name` or the refresh command fails; in the
    ///   latter case every path is put back as it was before the call.
    @discardableResult
    public func remove(name: String) throws(TrustError) -> RemoveReport {
        guard FileManager.default.fileExists(atPath: journalPath) else {
            throw TrustError(.notInstalled, "no root named '\(name)' is installed in \(rootDirectory) "
                + "(no journal at \(journalPath))")
        }
        return try withLock { _ throws(TrustError) -> RemoveReport in
            let journal = try loadJournal()
            guard journal.installation(named: name) != nil else {
                let installed = journal.installations.map { "'\($0.name)'" }.joined(separator: ", ")
                throw TrustError(.notInstalled, "no root named '\(name)' is installed in \(rootDirectory); "
                    + (installed.isEmpty ? "none is" : "installed: \(installed)"))
            }
            let system = SystemStore(family: try distributionFamily(), filesystem: filesystem, log: log)
            let changes = Changeset(filesystem: filesystem, journal: journal, log: log)
            var left: [RemoveReport.LeftPath] = []
            do throws(TrustError) {
                changes.journal.installations.removeAll { $0.name == name }
                for index in changes.journal.records.indices {
                    changes.journal.records[index].owners.removeAll { $0 == name }
                }
                let affected = journal.records.filter { $0.owners.contains(name) }
                var anchorRemoved = false
                let written: Set<Journal.Role> = [.anchor, .certifi, .environment, .bundle]
                for record in affected.reversed() where written.contains(record.role) {
                    let remaining = changes.journal.records.first { $0.path == record.path }!.owners
                    if record.role == .bundle && !remaining.isEmpty {
                        try rebuildBundle(record, owners: remaining, changes: changes, left: &left)
                        continue
                    }
                    guard remaining.isEmpty else { continue }
                    if let reason = try changes.restoreOriginal(of: record) {
                        left.append(.init(path: filesystem.hostPath(record.path), reason: reason))
                    }
                    anchorRemoved = anchorRemoved || record.role == .anchor
                }
                if anchorRemoved, case .command(let invocation) = system.refresh {
                    try system.runRefresh(invocation)
                }
                let orphans = affected.filter { record in
                    changes.journal.records.first { $0.path == record.path }!.owners.isEmpty
                }
                try cleanUpGenerated(orphans, changes: changes, left: &left)
                changes.journal.records.removeAll { $0.owners.isEmpty }
                try saveJournal(changes.journal)
            } catch {
                changes.rollBack()
                throw error
            }
            return RemoveReport(name: name, restoredPaths: changes.changed.map(filesystem.hostPath), leftPaths: left)
        }
    }

    /// Rewrites a bundle ztpol built itself for the roots still installed.
    private func rebuildBundle(_ record: Journal.Record, owners: [String], changes: Changeset,
                               left: inout [RemoveReport.LeftPath]) throws(TrustError)
    {
        let current = try filesystem.state(at: record.path)
        guard current.digest == record.writtenDigest else {
            left.append(.init(path: filesystem.hostPath(record.path),
                              reason: "changed since ztpol wrote it: left as it is"))
            return
        }
        let roots = changes.journal.installations.filter { owners.contains($0.name) }.map(\.pem)
        let rebuilt = SystemStore.builtBundle(original: record.original, roots: roots)
        try changes.replace(record.path, with: rebuilt)
        let index = changes.journal.recordIndex(path: record.path)!
        changes.journal.records[index].writtenDigest = rebuilt.digest
    }

    /// After the refresh command. When the bundle came back to its original bytes, the set of trusted
    /// certificates is what it was, so every other output the command changed for this root gets its original
    /// state back too (Debian's hash links, the Java keystore). Otherwise (another root is still installed, or
    /// the CA package changed meanwhile) only links left dangling go. Then empty directories ztpol made go.
    private func cleanUpGenerated(_ orphans: [Journal.Record], changes: Changeset,
                                  left: inout [RemoveReport.LeftPath]) throws(TrustError)
    {
        var bundleIsBack = true
        for record in orphans where record.role == .generatedBundle {
            if try filesystem.state(at: record.path) != record.original {
                bundleIsBack = false
                left.append(.init(path: filesystem.hostPath(record.path), reason: "regenerated, but not to the "
                    + "bytes it had before the install (did the CA package change meanwhile?)"))
            }
        }
        let stillInstalled = changes.journal.records.contains { $0.role == .generatedBundle && !$0.owners.isEmpty }
        for record in orphans.sorted(by: { $0.path.count > $1.path.count }) {
            let current = try filesystem.state(at: record.path)
            switch record.role {
            case .generated where current != record.original:
                if bundleIsBack && !stillInstalled {
                    try changes.replace(record.path, with: record.original)
                } else if case .symlink = current, record.original == .absent, filesystem.resolve(record.path) == nil {
                    try changes.replace(record.path, with: .absent)
                }
            case .directory:
                if filesystem.entries(of: record.path).isEmpty {
                    try changes.replace(record.path, with: .absent)
                } else {
                    left.append(.init(path: filesystem.hostPath(record.path), reason: "not empty: left as it is"))
                }
            default:
                break
            }
        }
    }
}
