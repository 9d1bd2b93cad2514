/// `ztpol check POLICY`: parse, check, run the `expect` tests.
enum CheckCommand: Command {
    static let name = "check"
    static let summary = "parse and check a policy and run its expect tests"
    static let help = """
        usage: ztpol check POLICY

        Parses POLICY, resolves every name, checks addresses, ports and the acme blocks' own traffic,
        and runs the policy's expect tests. Prints every error and warning as file:line:col.
        Exit code 0 when the policy is sound, 1 when it has an error.
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let path = try arguments.positionals(exactly: ["POLICY"])[0]
        guard let input = PolicyInput.load(path, console: console) else { return .failure }
        let policy = input.policy
        let counts = [counted(policy.zones.count, "zone"), counted(policy.services.count, "service"),
                      counted(policy.flows.count, "flow"), counted(policy.expectations.count, "expectation")]
        console.out("\(path): ok: \(counts.joined(separator: ", ")) (every expectation holds)")
        return .success
    }
}

/// `1 zone`, `3 zones`.
func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
