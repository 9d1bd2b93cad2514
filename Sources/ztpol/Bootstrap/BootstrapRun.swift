import ACME
import Foundation
import Netlink
import Nftables
import PolicyLanguage
import PolicyModel
import RulesetCompiler
import Trust

/// One bootstrap: check → firewall (rollback armed) → certificate through that firewall → trust →
/// confirm. Any failure after the firewall changed puts the previous firewall back, unless asked to
/// keep it. Each step says what it did, or that it had nothing to do.
struct BootstrapRun {
    struct Options {
        var ruleset: RulesetOptions
        var namespace: String?
        var stateDirectory: String
        var keepFirewall: Bool
        var rollbackSeconds: Int
        var tlsPort: UInt16?
        var pythons: [String]
    }

    let policy: Policy
    let options: Options
    let console: Console

    private func say(_ step: BootstrapFailure.Step, _ text: String) {
        console.out("[\(step.number)/5] \(step.rawValue): \(text)")
    }

    func run() throws {
        // 1. Check: the policy has checked already; here the host's zones, the blocks that concern them,
        //    the files they name, and the static proof for directories given by name.
        let zones: [String]
        do {
            zones = try HostZones.resolve(policy, given: options.ruleset.zones, namespace: options.namespace)
        } catch {
            throw BootstrapFailure(step: .check, reason: "\(error)")
        }
        let acme = policy.acme.filter { zones.contains($0.zone) }
        let trust = policy.trust.filter { zones.contains($0.zone) }
        try proveDirectoriesByName(acme)
        try checkFiles(acme: acme, trust: trust)
        let table: Table
        do {
            table = try RulesetCompiler.compile(policy, zones: zones, options: options.ruleset.compiler)
        } catch {
            throw BootstrapFailure(step: .check, reason: "\(error)")
        }
        say(.check, "zone \(zones.joined(separator: ", ")); \(counted(acme.count, "acme block")), "
            + "\(counted(trust.count, "trust block"))")

        // 2. Firewall, with the previous table saved and a watchdog armed to restore it.
        let connection: NetlinkConnection
        let armed: RollbackGuard
        // Armed before the apply; an apply that is refused changed nothing, so its watchdog stands down,
        // unless it carries on the rollback of an unfinished earlier run, which is still owed.
        var armedBeforeApplying: RollbackGuard?
        func standDown() { if let guardian = armedBeforeApplying, !guardian.keptEarlierRun { guardian.disarm() } }
        do {
            connection = try NetlinkConnection(namespace: options.namespace)
            let live = try connection.readBack(family: table.family, name: table.name)
            armed = try RollbackGuard.arm(previous: live?.table, family: table.family, name: table.name,
                                          stateDirectory: options.stateDirectory, seconds: options.rollbackSeconds,
                                          namespace: options.namespace)
            armedBeforeApplying = armed
            let started = ContinuousClock.now
            let outcome = try TableApplier(connection: connection).apply(table)
            say(.firewall, outcome.summary(table, milliseconds: (ContinuousClock.now - started).milliseconds)
                + "; rollback armed for \(options.rollbackSeconds) s"
                + (armed.keptEarlierRun ? " (to the table before an unfinished earlier run)" : ""))
        } catch let failure as BootstrapFailure {
            standDown()
            throw failure
        } catch {
            standDown()
            throw BootstrapFailure(step: .firewall, reason: "\(error)", firewall: "unchanged")
        }

        // 3 and 4 run through the new firewall; a failure there puts the old one back.
        do {
            try certify(acme)
            try installTrust(zones: zones, hasBlocks: !trust.isEmpty)
        } catch var failure as BootstrapFailure {
            failure.firewall = rollBack(armed, connection: connection)
            throw failure
        }

        // 5. Confirm: the kernel still holds what was applied; then the rollback stands down.
        do {
            guard let live = try connection.readBack(family: table.family, name: table.name),
                  TableDiff(from: live.table.canonical, to: table.canonical).isEmpty else {
                throw BootstrapFailure(step: .confirm, reason: "ztpol's table changed while the bootstrap ran")
            }
        } catch var failure as BootstrapFailure {
            failure.firewall = rollBack(armed, connection: connection)
            throw failure
        } catch {
            throw BootstrapFailure(step: .confirm, reason: "\(error)",
                                   firewall: rollBack(armed, connection: connection))
        }
        armed.disarm()
        say(.confirm, "firewall kept, rollback disarmed")
    }

    /// A directory given by host name is resolved now and the static proof re-run with its addresses.
    private func proveDirectoriesByName(_ blocks: [AcmeBlock]) throws {
        for block in blocks {
            guard case .name(let host)? = block.directoryURL?.host else { continue }
            let addresses = try DirectoryAddresses.resolve(host)
            let problems = policy.acmeProof(for: block, directoryAddresses: addresses)
                .filter { $0.severity == .error }
            guard problems.isEmpty else {
                console.err(DiagnosticRenderer().render(problems), terminator: "")
                throw BootstrapFailure(step: .check, reason: "the flows do not admit the acme block's own traffic to "
                                       + "\(host) (\(addresses.map(\.description).joined(separator: ", ")))")
            }
        }
    }

    /// The roots the blocks name must exist and be CA certificates before anything changes.
    private func checkFiles(acme: [AcmeBlock], trust: [TrustBlock]) throws {
        for path in acme.map(\.trustRoot) + trust.map(\.root) {
            do {
                _ = try TrustInstallAction.readRoot(path)
            } catch {
                throw BootstrapFailure(step: .check, reason: "\(error)")
            }
        }
    }

    private func certify(_ blocks: [AcmeBlock]) throws {
        guard !blocks.isEmpty else {
            say(.certificate, "no acme block for this host: nothing to obtain")
            return
        }
        let client = ACMEClient(progress: ProgressPrinter(console: console).handler)
        for block in blocks {
            var request = CertificateRequest(block)
            if block.stateDirectory == nil { request.stateDirectory = options.stateDirectory }
            if let port = options.tlsPort { request.tlsPort = port }
            do {
                switch try client.ensure(request) {
                case .issued(let issued):
                    say(.certificate, "issued for \(issued.identifiers.joined(separator: ", ")) by "
                        + "\(issued.issuer ?? "the CA"), valid until \(stamp(issued.notAfter)) "
                        + "(\(issued.fullChainPath)) in \(String(format: "%.2f", issued.seconds)) s")
                case .current(let current):
                    say(.certificate, "current for \(current.identifiers.joined(separator: ", ")), valid until "
                        + "\(stamp(current.notAfter)): nothing requested (\(current.reason))")
                }
            } catch {
                throw BootstrapFailure(step: .certificate, reason: "\(error)")
            }
        }
    }

    private func installTrust(zones: [String], hasBlocks: Bool) throws {
        guard hasBlocks else {
            say(.trust, "no trust block for this host: nothing to install")
            return
        }
        let installer = TrustInstaller(rootDirectory: "/", stateDirectory: options.stateDirectory + "/trust",
                                       log: console.trustLogger(verbose: false))
        do {
            try TrustPolicyAction.install(policy: policy, zones: zones, installer: installer, console: console,
                                          extraPythons: options.pythons)
            say(.trust, "done")
        } catch {
            throw BootstrapFailure(step: .trust, reason: "\(error)")
        }
    }

    /// Puts the previous firewall back unless told to keep the new one; says which happened.
    private func rollBack(_ armed: RollbackGuard, connection: NetlinkConnection) -> String {
        if options.keepFirewall {
            armed.disarm()
            return "kept the new ruleset (--keep-firewall); rollback disarmed"
        }
        do {
            return try armed.restore(using: connection)
        } catch {
            return "could not restore it (\(error)); the armed watchdog retries at its deadline"
        }
    }

    private func stamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
