import Foundation

/// Runs the configured reload command (e.g. `systemctl reload nginx`) after new files are in place.
enum ReloadCommand {
    /// Why a reload command failed: its exit status and the end of what it printed.
    struct Failure: Error, CustomStringConvertible, Sendable {
        let command: String
        let status: Int32
        let output: String

        var description: String {
            "reload command `\(command)` exited with status \(status)\(output.isEmpty ? "" : ": \(output)")"
        }
    }

    static func run(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: output.suffix(500), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(command: command, status: process.terminationStatus, output: text)
        }
    }
}
