import Foundation

/// Where the command line writes: results to standard output, progress and diagnostics to standard error.
struct Console: Sendable {
    /// True when standard error is a terminal, so colour may be used there.
    let colourOnStandardError: Bool
    /// True when standard output is a terminal.
    let colourOnStandardOutput: Bool

    init() {
        colourOnStandardError = isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        colourOnStandardOutput = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Writes a result line (or block) to standard output.
    func out(_ text: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
    }

    /// Writes a progress, warning or error line to standard error.
    func err(_ text: String, terminator: String = "\n") {
        FileHandle.standardError.write(Data((text + terminator).utf8))
    }

    /// `ztpol: error: message` on standard error.
    func error(_ message: String) {
        err("ztpol: error: \(message)")
    }
}
