import Foundation

/// The changes of one run, recorded in the journal as they are made and undone in reverse if the run fails,
/// so that a failed install leaves every path as it found it.
final class Changeset {
    let filesystem: RootFilesystem
    var journal: Journal
    let log: TrustLogger
    /// Root paths changed by this run, in order.
    private(set) var changed: [String] = []
    fileprivate var undo: [(path: String, previous: FileState)] = []

    init(filesystem: RootFilesystem, journal: Journal, log: @escaping TrustLogger) {
        self.filesystem = filesystem
        self.journal = journal
        self.log = log
    }

    /// Makes `path` hold `desired` on behalf of installation `owner`; the first change to a path records what
    /// was there before. Returns whether anything on disk changed.
    @discardableResult
    func set(_ path: String, to desired: FileState, role: Journal.Role, owner: String) throws(TrustError) -> Bool {
        let current = try filesystem.state(at: path)
        let index = own(path, role: role, original: current, owner: owner)
        guard current != desired else {
            journal.records[index].writtenDigest = desired.digest
            return false
        }
        try createParents(of: path, owner: owner)
        undo.append((path, current))
        try filesystem.apply(desired, at: path)
        journal.records[index].writtenDigest = desired.digest
        changed.append(path)
        log(.info, "wrote \(filesystem.hostPath(path)) (\(desired.summary))")
        return true
    }

    /// Adds `owner` to the record of `path`, creating the record with `original` if there is none; the
    /// directories ztpol created above it get the owner too, so they stay while anything in them is needed.
    @discardableResult
    func own(_ path: String, role: Journal.Role, original: FileState, owner: String) -> Int {
        var ancestor = (path as NSString).deletingLastPathComponent
        while ancestor != "/" && !ancestor.isEmpty {
            if let index = journal.recordIndex(path: ancestor), !journal.records[index].owners.contains(owner) {
                journal.records[index].owners.append(owner)
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        if let index = journal.recordIndex(path: path) {
            if !journal.records[index].owners.contains(owner) { journal.records[index].owners.append(owner) }
            return index
        }
        journal.records.append(Journal.Record(path: path, role: role, original: original, owners: [owner]))
        return journal.records.count - 1
    }

    /// Notes a path that something else (the refresh command) changed, so that a failed run cleans it up.
    func noteChangedByCommand(_ path: String, previous: FileState) {
        undo.append((path, previous))
        changed.append(path)
    }

    private func createParents(of path: String, owner: String) throws(TrustError) {
        var missing: [String] = []
        var directory = (path as NSString).deletingLastPathComponent
        while directory != "/", try filesystem.state(at: directory) == .absent {
            missing.append(directory)
            directory = (directory as NSString).deletingLastPathComponent
        }
        for directory in missing.reversed() {
            own(directory, role: .directory, original: .absent, owner: owner)
            undo.append((directory, .absent))
            try filesystem.apply(.directory(mode: 0o755), at: directory)
            changed.append(directory)
            log(.info, "created directory \(filesystem.hostPath(directory))")
        }
    }

    /// Puts back what this run changed, newest first. Best effort: it is already handling a failure.
    func rollBack() {
        for (path, previous) in undo.reversed() {
            do {
                try filesystem.apply(previous, at: path)
            } catch {
                log(.info, "could not undo \(filesystem.hostPath(path)): \(error)")
            }
        }
        undo.removeAll()
    }
}

extension Changeset {
    /// Puts `record`'s original state back if the path still holds what ztpol wrote. Returns nil when done
    /// (or nothing was needed), or why the path was left as it is.
    func restoreOriginal(of record: Journal.Record) throws(TrustError) -> String? {
        let current = try filesystem.state(at: record.path)
        guard current != record.original else { return nil }
        if let written = record.writtenDigest, current.digest != written {
            let hint = record.role == .certifi ? " (certifi upgraded or reinstalled?)" : ""
            return "changed since ztpol wrote it\(hint); now \(current.summary): left as it is"
        }
        try replace(record.path, with: record.original)
        return nil
    }

    /// Makes `path` hold `state`, remembering the previous state for `rollBack`.
    func replace(_ path: String, with state: FileState) throws(TrustError) {
        let current = try filesystem.state(at: path)
        guard current != state else { return }
        undo.append((path, current))
        try filesystem.apply(state, at: path)
        changed.append(path)
        log(.info, state == .absent ? "removed \(filesystem.hostPath(path))"
            : "restored \(filesystem.hostPath(path)) (\(state.summary))")
    }
}
