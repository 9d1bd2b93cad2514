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
        Console.write(text, to: .standardOutput)
        Console.write(terminator, to: .standardOutput)
    }

    /// Writes a progress, warning or error line to standard error.
    func err(_ text: String, terminator: String = "\n") {
        Console.write(text + terminator, to: .standardError)
    }

    /// Writes the text's bytes where they are: a compiled ruleset can be tens of megabytes, and copying
    /// it twice on the way out cost as much as rendering it.
    private static func write(_ text: String, to handle: FileHandle) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            handle.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count,
                              deallocator: .none))
        }
    }

    /// `ztpol: error: message` on standard error.
    func error(_ message: String) {
        err("ztpol: error: \(message)")
    }
}
