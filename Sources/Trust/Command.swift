import Foundation

/// A program run to completion, standard output and error captured together.
struct CommandResult {
    let status: Int32
    let output: String

    /// The last few lines of output, for an error message.
    var tail: String {
        let lines = output.split(whereSeparator: \.isNewline).suffix(5)
        return lines.isEmpty ? "no output" : lines.joined(separator: " | ")
    }
}

/// Directories searched for commands, inside the root as on the host: the usual `PATH` of root.
let commandDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

extension RootFilesystem {
    /// The root path of the executable `name`, searched in the usual directories of the root.
    func findCommand(_ name: String) -> String? {
        commandDirectories.map { "\($0)/\(name)" }.first { isExecutableFile($0) }
    }

    /// The argument vector that runs `arguments` (whose first element is a path inside the root) in the root:
    /// as is on `/`, through `chroot` otherwise. Nil when the host has no `chroot`.
    func invocation(_ arguments: [String]) -> [String]? {
        if isHostRoot { return arguments }
        guard let chroot = RootFilesystem(root: "/").findCommand("chroot") else { return nil }
        return [chroot, root] + arguments
    }
}

/// Runs `arguments[0]` (an absolute path) with the rest as arguments and root's usual `PATH`.
func runCommand(_ arguments: [String]) throws(TrustError) -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = commandDirectories.joined(separator: ":")
    environment["LC_ALL"] = "C"
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        throw TrustError(.refreshFailed, "cannot start \(arguments[0]): \(error.localizedDescription)")
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}
