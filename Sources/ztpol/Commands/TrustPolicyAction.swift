import Foundation
import PolicyModel
import Trust

/// `ztpol trust POLICY`: the policy's `trust ZONE { ... }` blocks for this host's zones, each installed as
/// `trust install` would. A thin mapping: every decision is the library's.
enum TrustPolicyAction {
    static func run(policyFile: String, options: TrustOptions, installer: TrustInstaller, console: Console)
        throws -> ExitCode
    {
        guard let policy = PolicyInput.load(policyFile, console: console)?.policy else { return .failure }
        let zones = try HostZones.resolve(policy, given: options.zones)
        try install(policy: policy, zones: zones, installer: installer, console: console)
        return .success
    }

    /// The language's store names: `pip` and `node` are served by the environment file (`PIP_CERT`,
    /// `NODE_EXTRA_CA_CERTS`), so they map to `env`.
    static func stores(_ names: [String]) throws(TrustError) -> Set<TrustStore> {
        guard !names.isEmpty else { return Set(TrustStore.allCases) }
        let mapped = names.map { $0 == "pip" || $0 == "node" ? TrustStore.env.rawValue : $0 }
        return try TrustStore.parseList(mapped.joined(separator: ","))
    }

    /// Installs the root of every trust block for one of `zones`. Every root is checked before anything changes.
    static func install(policy: Policy, zones: [String], installer: TrustInstaller, console: Console,
                        extraPythons: [String] = []) throws(TrustError)
    {
        let blocks = policy.trust.filter { zones.contains($0.zone) }
        var plans: [(block: TrustBlock, root: PrivateRoot, stores: Set<TrustStore>)] = []
        for block in blocks {
            plans.append((block, try TrustInstallAction.readRoot(block.root), try stores(block.stores)))
        }
        if plans.isEmpty {
            console.out("no trust block applies to zone \(zones.joined(separator: ", ")): nothing to install")
        }
        for plan in plans {
            let name = plan.block.name ?? ((plan.block.root as NSString).lastPathComponent as NSString)
                .deletingPathExtension
            let report = try installer.install(root: plan.root, name: name, stores: plan.stores,
                                               pythons: plan.block.pythons + extraPythons)
            TrustInstallAction.printReport(report, root: plan.root, stores: plan.stores, console: console)
        }
    }
}
