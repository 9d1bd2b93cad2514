/// Every subcommand, in the order `ztpol --help` lists them.
enum CommandTable {
    static var commands: [CommandEntry] {
        [
            CommandEntry(CheckCommand.self),
            CommandEntry(CompileCommand.self),
            CommandEntry(ApplyCommand.self),
            CommandEntry(DiffCommand.self),
            CommandEntry(TrustCommand.self),
            CommandEntry(CertCommand.self),
            CommandEntry(RenewCommand.self),
            CommandEntry(BootstrapCommand.self),
            CommandEntry(RollbackCommand.self),
        ]
    }

    static func command(named name: String) -> CommandEntry? {
        commands.first { $0.name == name }
    }
}

/// A command's name, texts and entry point as plain values. (Calling static members through an
/// `any Command.Type` crashes Swift 6.3's SIL generator, so the table holds these instead.)
struct CommandEntry {
    let name: String
    let summary: String
    let help: String
    let run: (Arguments, Console) throws -> ExitCode

    init<C: Command>(_ command: C.Type) {
        name = C.name
        summary = C.summary
        help = C.help
        run = C.run
    }
}
