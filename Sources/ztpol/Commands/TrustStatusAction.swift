import Trust

/// `ztpol trust status`: one block per installed root, one line per path it changed.
enum TrustStatusAction {
    static func run(installer: TrustInstaller, console: Console) throws(TrustError) -> ExitCode {
        let status = try installer.status()
        let family = status.family.map(\.displayName) ?? "unknown distribution"
        guard !status.installations.isEmpty else {
            console.out("no roots installed by ztpol in \(status.rootDirectory) (\(family))")
            return .success
        }
        console.out("\(status.rootDirectory) (\(family)):")
        for root in status.installations {
            let bundle = root.bundleHoldsRoot ? "in the system bundle" : "NOT in the system bundle"
            console.out("\(root.name): \(root.subject), SHA-256 \(root.fingerprint.prefix(16))…, "
                + "valid until \(root.notAfter.formatted(.iso8601)), \(bundle)")
            console.out("  stores: \(root.stores.map(\.rawValue).joined(separator: ", "))"
                + (root.pythons.isEmpty ? "" : "; pythons: \(root.pythons.joined(separator: ", "))"))
            let width = root.paths.map(\.role.count).max() ?? 0
            for path in root.paths {
                let role = path.role + String(repeating: " ", count: width - path.role.count)
                switch path.condition {
                case .inPlace:
                    console.out("  \(role)  \(path.path)")
                case .changed(let now):
                    console.out("  \(role)  \(path.path)  CHANGED (now \(now)): run 'ztpol trust install' again")
                }
            }
        }
        return .success
    }
}
