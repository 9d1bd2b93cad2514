import Foundation
import PolicyModel
import Trust

/// `ztpol trust POLICY`: the policy's `trust ZONE { ... }` blocks for this host's zones, each installed as
/// `trust install` would. A thin mapping: every decision is the library's.
enum TrustPolicyAction {
    static func run(policyFile: String, options: TrustOptions, installer: TrustInstaller, console: Console)
        throws(TrustError) -> ExitCode
    {
        // TODO: read the policy once PolicyLanguage can parse and check a file into a `Policy`; then call
        // `install(policy:zones:...)` below with the zones from HostZones.resolve(policy, given: options.zones).
        console.error("'ztpol trust POLICY' cannot read \(policyFile) yet: the policy reader has not landed; "
            + "use 'ztpol trust install ROOT.pem' with the root the policy's trust block names")
        return .failure
    }

    /// Installs the root of every trust block for one of `zones`. Roots are checked before anything changes.
    static func install(policy: Policy, zones: [String], installer: TrustInstaller, console: Console)
        throws(TrustError)
    {
        let blocks = policy.trust.filter { zones.contains($0.zone) }
        var plans: [(block: TrustBlock, root: PrivateRoot, stores: Set<TrustStore>)] = []
        for block in blocks {
            let root = try TrustInstallAction.readRoot(block.root)
            let stores = block.stores.isEmpty
                ? Set(TrustStore.allCases) : try TrustStore.parseList(block.stores.joined(separator: ","))
            plans.append((block, root, stores))
        }
        if plans.isEmpty {
            console.out("no trust block applies to zones \(zones.joined(separator: ", ")): nothing to install")
        }
        for plan in plans {
            let name = plan.block.name ?? ((plan.block.root as NSString).lastPathComponent as NSString)
                .deletingPathExtension
            let report = try installer.install(root: plan.root, name: name, stores: plan.stores,
                                               pythons: plan.block.pythons)
            TrustInstallAction.printReport(report, root: plan.root, stores: plan.stores, console: console)
        }
    }
}
