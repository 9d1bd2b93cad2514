/// `ztpol bootstrap POLICY`: lock the host down and certify it in one run.
enum BootstrapCommand: Command {
    static let name = "bootstrap"
    static let summary = "lock the host down and certify it in one run (firewall, certificate, trust)"
    static let help = """
        usage: ztpol bootstrap POLICY [--zone NAME ...] [--state-dir DIR] [--keep-firewall]
                               [--rollback-after SECONDS] [--python PATH ...] [--tls-port N]
                               [--table NAME] [--log-dropped] [--netns NAME]

        Five steps, each reported on its own line:
          1 check        the policy, the host's zones, the files it names, and that the flows admit
                         each acme block's own traffic (a directory given by name is resolved now)
          2 firewall     apply the host's ruleset in one atomic batch; the previous table is saved
                         and a watchdog armed that restores it if the run does not finish
          3 certificate  obtain a certificate through that firewall (TLS-ALPN-01), or keep the stored
                         one when it is current: a healthy host requests nothing
          4 trust        install the private root where the policy's trust blocks say
          5 confirm      the kernel holds what was applied; the rollback stands down

        If step 3 or 4 fails, the firewall goes back to what it was before the run, unless
        --keep-firewall. The exit code is 1 and the message names the step that failed and why.

        options:
        \(RulesetOptions.help)
          --state-dir DIR    certificates, the armed rollback and the trust journal (default: /var/lib/ztpol)
          --keep-firewall    keep the new ruleset even when certification fails
          --rollback-after SECONDS
                             when the watchdog restores the previous firewall (default: 300)
          --python PATH      also make this interpreter's certifi trust the root (repeatable)
          --tls-port N       answer TLS-ALPN-01 on port N instead of 443 (for tests)
          --netns NAME       run the firewall steps inside the network namespace NAME; without
                             --zone, the zones are found from NAME's addresses
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let ruleset = try RulesetOptions(&arguments)
        let options = BootstrapRun.Options(
            ruleset: ruleset,
            namespace: try NamespaceOption.read(&arguments),
            stateDirectory: try arguments.option("--state-dir") ?? "/var/lib/ztpol",
            keepFirewall: arguments.flag("--keep-firewall"),
            rollbackSeconds: try arguments.integer("--rollback-after", in: 5...86_400) ?? 300,
            tlsPort: try arguments.integer("--tls-port", in: 1...65_535).map { UInt16($0) },
            pythons: try arguments.options("--python"))
        let path = try arguments.positionals(exactly: ["POLICY"])[0]
        guard let input = PolicyInput.load(path, console: console) else {
            console.error("bootstrap failed at step 1 (check): the policy has errors; nothing was changed")
            return .failure
        }
        do {
            try BootstrapRun(policy: input.policy, options: options, console: console).run()
            return .success
        } catch let failure as BootstrapFailure {
            console.error(failure.description)
            return .failure
        }
    }
}
