import PolicyLanguage

/// Picks the subcommand from the command line, runs it, and turns usage errors into a message and exit code 1.
enum Dispatcher {
    static func run(_ words: [String], console: Console) -> ExitCode {
        guard let name = words.first else {
            console.err(topLevelHelp)
            return .failure
        }
        switch name {
        case "--help", "-h", "help":
            // `ztpol help COMMAND` is `ztpol COMMAND --help`.
            if words.count > 1, let command = CommandTable.command(named: words[1]) {
                console.out(command.help)
            } else {
                console.out(topLevelHelp)
            }
            return .success
        case "--version":
            console.out("ztpol \(ztpolVersion)")
            return .success
        default:
            break
        }
        guard let command = CommandTable.command(named: name) else {
            let names = CommandTable.commands.map(\.name)
            console.error("unknown command '\(name)'\(Suggestions.hint(for: name, in: names) ?? ";") commands are: "
                          + "\(names.joined(separator: ", ")) (see 'ztpol --help')")
            return .failure
        }
        let arguments = Arguments(Array(words.dropFirst()))
        if arguments.wantsHelp {
            console.out(command.help)
            return .success
        }
        do {
            return try command.run(arguments, console)
        } catch let usage as UsageError {
            console.error(usage.message)
            console.err("usage: " + String(command.help.prefix { $0 != "\n" }).replacingPrefix("usage: ", with: ""))
            return .failure
        } catch {
            console.error("\(error)")
            return .failure
        }
    }

    static var topLevelHelp: String {
        let width = CommandTable.commands.map(\.name.count).max() ?? 0
        let lines = CommandTable.commands.map { command in
            "  " + command.name + String(repeating: " ", count: width + 2 - command.name.count) + command.summary
        }
        return """
        ztpol \(ztpolVersion): zero-trust firewall policy compiler. One policy describes a fleet; each host is
        locked down with nftables and certified by a private ACME server.

        usage: ztpol COMMAND [OPTIONS]

        commands:
        \(lines.joined(separator: "\n"))

        Run 'ztpol COMMAND --help' for a command's options.
        Exit codes: 0 success (diff: no difference), 1 error (nothing was changed; renew and bootstrap say their
        exceptions in --help), 2 diff found differences.
        """
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
