import ACME
import Foundation

/// `ztpol renew`: renews the stored certificates that are due and runs their reload commands.
enum RenewCommand: Command {
    static let name = "renew"
    static let summary = "renew the stored certificates that are due (ARI, else a third of the lifetime left)"
    static let help = """
        usage: ztpol renew [--state-dir DIR] [--force] [--json]

        Looks at every certificate `ztpol cert` stored and renews those that are due: inside the CA's
        renewal window when it offers ACME Renewal Information, otherwise once a third of the lifetime
        is left (8 hours before a 24-hour certificate expires). Each renewal reuses the settings the
        certificate was obtained with and runs its reload command. Nothing due: no request, exit 0.
        Meant for a timer; running it often is cheap.

        options:
          --state-dir DIR   where keys and certificates live (default /var/lib/ztpol)
          --force           renew every certificate, due or not
          --json            print one result per certificate as JSON on standard output

        Exit code 1 when any renewal failed; the others are still attempted.
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let json = arguments.flag("--json")
        let force = arguments.flag("--force")
        let state = try arguments.option("--state-dir") ?? StateDirectory.defaultPath
        _ = try arguments.positionals(exactly: [])
        let results = ACMEClient(progress: ProgressPrinter(console: console).handler)
            .renewDue(stateDirectory: state, force: force)
        if json {
            console.out(try JSONOutput.encode(results))
        } else if results.isEmpty {
            console.out("no certificates in \(state)")
        } else {
            for result in results {
                // A record that cannot be read names no identifiers: its folder says which certificate it is.
                let names = result.identifiers.isEmpty ? result.directory : result.identifiers.joined(separator: ", ")
                console.out("\(names): \(result.outcome.rawValue) (\(result.reason))")
            }
        }
        return results.contains { $0.outcome == .failed } ? .failure : .success
    }
}
