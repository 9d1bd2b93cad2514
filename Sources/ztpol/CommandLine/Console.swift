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
        // A line goes out in one write, so that a reader that stops after the first bytes (`| head -c1`)
        // does not end the command with SIGPIPE on a second one. A large block is not copied for it.
        if text.utf8.count < 64 * 1024 {
            Console.write(text + terminator, to: STDOUT_FILENO)
        } else {
            Console.write(text, to: STDOUT_FILENO)
            Console.write(terminator, to: STDOUT_FILENO)
        }
    }

    /// Writes a progress, warning or error line to standard error.
    func err(_ text: String, terminator: String = "\n") {
        Console.write(text + terminator, to: STDERR_FILENO)
    }

    /// Writes the text's bytes where they are: a compiled ruleset can be tens of megabytes, and copying
    /// it twice on the way out cost as much as rendering it. A descriptor that cannot take them (a full
    /// disk, a closed pipe when SIGPIPE is ignored) loses the rest and makes the command exit 1 (main.swift):
    /// Foundation's FileHandle.write would stop the process instead, after the work it reports on was done.
    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    if descriptor == STDOUT_FILENO { Console.outputError = errno }
                    return
                }
                offset += written
            }
        }
    }

    /// The error of the first write to standard output that failed, if any: the command then exits 1.
    nonisolated(unsafe) static var outputError: Int32?

    /// `ztpol: error: message` on standard error.
    func error(_ message: String) {
        err("ztpol: error: \(message)")
    }
}
