import Trust

/// `ztpol trust remove NAME`: takes the root out, prints what was restored and what was left alone.
enum TrustRemoveAction {
    static func run(name: String, installer: TrustInstaller, console: Console) throws(TrustError) -> ExitCode {
        let report = try installer.remove(name: name)
        console.out("removed '\(name)': \(report.restoredPaths.count) paths put back as they were")
        for path in report.restoredPaths { console.out("  restored \(path)") }
        for left in report.leftPaths { console.err("ztpol: warning: \(left.path): \(left.reason)") }
        return .success
    }
}
