/// One `ztpol` subcommand. Each lives in its own file under `Commands/` and is listed in `CommandTable`.
protocol Command {
    /// The word that selects the command (`check`).
    static var name: String { get }
    /// One line for `ztpol --help`.
    static var summary: String { get }
    /// The full `ztpol NAME --help` text: usage line first, then options.
    static var help: String { get }
    /// Runs the command and returns its exit code; usage errors are thrown.
    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode
}

/// The exit codes ztpol documents in its README.
enum ExitCode: Int32 {
    /// Success; for `diff`, no difference.
    case success = 0
    /// An error: bad policy, bad usage, a failing expectation, a refused batch. Nothing was changed.
    case failure = 1
    /// `diff` only: the two rulesets differ.
    case differs = 2
}
