import Foundation
import Netlink
import Nftables

/// `ztpol apply POLICY [--zone NAME]`: check, compile, and put the host's table in the kernel.
enum ApplyCommand: Command {
    static let name = "apply"
    static let summary = "check, compile and apply a host's ruleset in one atomic netlink batch"
    static let help = """
        usage: ztpol apply POLICY [--zone NAME ...] [--table NAME] [--log-dropped] [--netns NAME]

        Checks POLICY, compiles the host's ruleset and applies it through netlink in one atomic
        batch that touches only ztpol's own table. Compares with the live table first: when nothing
        differs nothing is committed; when only set elements differ only those are sent; otherwise
        the table is replaced as a whole. The kernel takes all of it or none of it.

        options:
        \(RulesetOptions.help)
          --netns NAME       apply inside the network namespace NAME (as made by 'ip netns add'); without
                             --zone, the zones are found from NAME's addresses
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let options = try RulesetOptions(&arguments)
        let namespace = try NamespaceOption.read(&arguments)
        let path = try arguments.positionals(exactly: ["POLICY"])[0]
        guard let input = PolicyInput.load(path, console: console) else { return .failure }
        let clock = ContinuousClock()
        let started = clock.now
        let table = try options.compile(input.policy, namespace: namespace).table
        let connection = try NetlinkConnection(namespace: namespace)
        let outcome = try TableApplier(connection: connection).apply(table)
        let elapsed = started.duration(to: clock.now)
        console.out(outcome.summary(table, milliseconds: elapsed.milliseconds))
        return .success
    }
}

extension Duration {
    /// Whole and fractional milliseconds, for summaries.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
