import Foundation

/// What one `install` did.
public struct InstallReport: Equatable, Sendable {
    public let name: String
    public let family: DistributionFamily
    /// Host paths this run changed, in order; empty when everything was already in place.
    public let changedPaths: [String]
    /// Host paths of the certifi bundles now linked to the system bundle.
    public let certifiBundles: [String]
    /// Notes worth telling the user (an interpreter without certifi, a certifi that already uses the bundle).
    public let notes: [String]
}

extension TrustInstaller {
    /// Installs `root` into `stores`. Everything is checked before the first change; a failure after it puts
    /// back what this run changed. Running it again with the same arguments changes nothing.
    /// - Parameters:
    ///   - root: a checked root certificate.
    ///   - name: the file name of its anchor (without extension); derived from its common name when nil.
    ///   - stores: where to install it. `python` and `env` point clients at the system bundle, so they need the
    ///     root in the system store: in the same call or an earlier one.
    ///   - pythons: interpreters or virtual environment directories (paths inside the root) besides the
    ///     system interpreter.
    ///   - includeSystemPython: whether to handle the root's `python3` too.
    /// - Throws: `TrustError`; nothing has changed when it does.
    @discardableResult
    public func install(root: PrivateRoot, name: String? = nil, stores: Set<TrustStore>, pythons: [String] = [],
                        includeSystemPython: Bool = true) throws(TrustError) -> InstallReport {
        let name = name ?? Self.defaultName(for: root)
        try Self.validate(name: name)
        let family = try distributionFamily()
        return try withLock { (createdDirectories) throws(TrustError) -> InstallReport in
            var journal = try loadJournal()
            if !createdDirectories.isEmpty { journal.createdStateDirectories = createdDirectories }
            let existing = try checkConflicts(root: root, name: name, journal: journal)
            let system = SystemStore(family: family, filesystem: filesystem, log: log)
            let hasSystem = stores.contains(.system) || existing?.stores.contains(.system) == true
            if !stores.isDisjoint(with: [.python, .env]) && !hasSystem {
                throw TrustError(.storesNeedSystem, "stores 'python' and 'env' point clients at the system bundle "
                    + "\(family.bundlePath), which would not hold '\(name)': add 'system' to the stores")
            }
            if stores.contains(.system), system.refresh == .builtIn, system.bundleFile == nil {
                throw TrustError(.missingBundle, "\(filesystem.hostPath(family.bundlePath)) does not exist and "
                    + "\(family.refreshCommand[0]) is not in \(rootDirectory) to make it: install the "
                    + "distribution's ca-certificates package there first")
            }
            var notes: [String] = []
            let certifiFiles = stores.contains(.python)
                ? try certifiBundles(pythons: pythons, includeSystem: includeSystemPython, system: system,
                                     notes: &notes)
                : []
            var installation = existing ?? Journal.Installation(
                name: name, fingerprint: root.fingerprint, subject: root.subject, notAfter: root.notAfter,
                pem: root.pem, stores: [], pythons: [])
            installation.stores = Array(Set(installation.stores).union(stores)).sorted()
            installation.pythons += pythons.filter { !installation.pythons.contains($0) }
            if let index = journal.installations.firstIndex(where: { $0.name == name }) {
                journal.installations[index] = installation
            } else {
                journal.installations.append(installation)
            }

            let changes = Changeset(filesystem: filesystem, journal: journal, log: log)
            do throws(TrustError) {
                if stores.contains(.system) {
                    try installSystem(root: root, name: name, system: system, changes: changes)
                }
                for cacert in certifiFiles {
                    try changes.set(cacert, to: .symlink(target: family.bundlePath), role: .certifi, owner: name)
                }
                if stores.contains(.env) {
                    for (path, state) in EnvironmentFiles.desired(bundle: family.bundlePath) {
                        try changes.set(path, to: state, role: .environment, owner: name)
                    }
                }
                if changes.journal != (try loadJournal()) {
                    try saveJournal(changes.journal)
                }
            } catch {
                changes.rollBack()
                if changes.changed.contains(family.anchorPath(name: name)),
                    case .command(let invocation) = system.refresh
                {
                    try? system.runRefresh(invocation)
                }
                throw error
            }
            if changes.changed.isEmpty {
                let storeList = stores.sorted().map(\.rawValue).joined(separator: ", ")
                log(.info, "'\(name)' is already installed in \(storeList); nothing changed")
            }
            return InstallReport(name: name, family: family, changedPaths: changes.changed.map(filesystem.hostPath),
                                 certifiBundles: certifiFiles.map(filesystem.hostPath), notes: notes)
        }
    }

    /// The installation already under `name`, if it is this root; refuses a name or root used otherwise.
    private func checkConflicts(root: PrivateRoot, name: String, journal: Journal) throws(TrustError)
        -> Journal.Installation?
    {
        if let other = journal.installations.first(where: { $0.fingerprint == root.fingerprint && $0.name != name }) {
            throw TrustError(.rootAlreadyInstalled, "this root (SHA-256 \(root.fingerprint)) is already installed as "
                + "'\(other.name)': use that name, or remove it first")
        }
        guard let existing = journal.installation(named: name) else { return nil }
        guard existing.fingerprint == root.fingerprint else {
            throw TrustError(.nameTaken, "'\(name)' is already installed for another root ('\(existing.subject)', "
                + "SHA-256 \(existing.fingerprint)): choose another --name, or remove '\(name)' first")
        }
        return existing
    }

    /// Writes the anchor, then brings the bundle up to date: by the family's command when the anchor changed or
    /// the bundle lacks the root, or by appending in ztpol when there is no command.
    private func installSystem(root: PrivateRoot, name: String, system: SystemStore, changes: Changeset)
        throws(TrustError)
    {
        let anchor = system.family.anchorPath(name: name)
        let anchorChanged = try changes.set(anchor, to: .file(contents: Data(root.pem.utf8), mode: 0o644),
                                            role: .anchor, owner: name)
        switch system.refresh {
        case .builtIn:
            guard let bundle = system.bundleFile else {
                throw TrustError(.missingBundle, "\(filesystem.hostPath(system.family.bundlePath)) does not exist")
            }
            let index = changes.own(bundle, role: .bundle, original: try filesystem.state(at: bundle), owner: name)
            let record = changes.journal.records[index]
            let roots = changes.journal.installations.filter { record.owners.contains($0.name) }.map(\.pem)
            try changes.set(bundle, to: SystemStore.builtBundle(original: record.original, roots: roots),
                            role: .bundle, owner: name)
        case .command(let invocation):
            let bundle = system.bundleFile ?? system.family.bundlePath
            let before = try filesystem.state(at: bundle)
            changes.own(bundle, role: .generatedBundle, original: before, owner: name)
            guard anchorChanged || !system.bundleHolds(der: root.der) else { return }
            let generatedBefore = system.generatedSnapshot()
            changes.noteChangedByCommand(bundle, previous: before)
            try system.runRefresh(invocation)
            let generatedAfter = system.generatedSnapshot()
            for path in Set(generatedBefore.keys).union(generatedAfter.keys).sorted() where path != bundle {
                let old = generatedBefore[path] ?? .absent
                let new = generatedAfter[path] ?? .absent
                guard old != new else { continue }
                let index = changes.own(path, role: .generated, original: old, owner: name)
                changes.journal.records[index].writtenDigest = new.digest
                changes.noteChangedByCommand(path, previous: old)
            }
            guard system.bundleHolds(der: root.der) else {
                throw TrustError(.refreshFailed, "\(system.family.refreshCommand.joined(separator: " ")) ran, but "
                    + "\(filesystem.hostPath(system.family.bundlePath)) does not hold the root: is "
                    + "\(system.family.anchorDirectory) the directory this system's tool reads?")
            }
        }
    }

    /// The certifi bundles to link, as root paths: for each interpreter given and the system one, skipping
    /// interpreters without certifi and certifi copies that already use the system bundle.
    private func certifiBundles(pythons: [String], includeSystem: Bool, system: SystemStore, notes: inout [String])
        throws(TrustError) -> [String]
    {
        let locator = CertifiLocator(filesystem: filesystem, log: log)
        var interpreters: [String] = []
        for python in pythons {
            interpreters.append(try locator.interpreter(for: python))
        }
        if includeSystem,
            let systemPython = CertifiLocator.systemInterpreters.first(where: filesystem.isExecutableFile)
        {
            interpreters.append(systemPython)
        }
        var bundles: [String] = []
        for interpreter in interpreters {
            guard let cacert = try locator.cacert(interpreter: interpreter) else {
                notes.append("\(interpreter) has no certifi: nothing to do for it")
                continue
            }
            let state = try filesystem.state(at: cacert)
            if state != .symlink(target: system.family.bundlePath), let real = filesystem.resolve(cacert),
                real == system.bundleFile || real == system.family.bundlePath
            {
                notes.append("certifi of \(interpreter) already uses the system bundle")
                continue
            }
            log(.info, "certifi of \(interpreter) is \(filesystem.hostPath(cacert))")
            if !bundles.contains(cacert) { bundles.append(cacert) }
        }
        return bundles
    }
}
