import Nftables

/// `ztpol compile POLICY [--zone NAME]`: print this host's ruleset in nft's syntax.
enum CompileCommand: Command {
    static let name = "compile"
    static let summary = "print a host's nftables ruleset (loads with nft -f)"
    static let help = """
        usage: ztpol compile POLICY [--zone NAME ...] [--table NAME] [--log-dropped]

        Checks POLICY and prints the host's part of it as an nftables program in nft's own syntax:
        what 'ztpol apply' puts in the kernel, and what 'nft -f' loads. Needs no root and touches
        nothing.

        options:
        \(RulesetOptions.help)
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let options = try RulesetOptions(&arguments)
        let path = try arguments.positionals(exactly: ["POLICY"])[0]
        guard let input = PolicyInput.load(path, console: console) else { return .failure }
        let (_, table) = try options.compile(input.policy)
        console.out(NftRenderer(counters: .bare).render(table.canonical), terminator: "")
        return .success
    }
}
