import Foundation
import PolicyLanguage
import Prefault

/// The front door of the language: policy text in, checked `Policy` and every diagnostic out.
public enum PolicyLoader {
    /// Reads, parses and checks the policy file at `path`.
    /// - Returns: the policy, or nil when there is any error; and every diagnostic, in source order.
    public static func load(path: String) -> (Policy?, [Diagnostic]) {
        guard let bytes = readBytes(path) else {
            let location = SourceLocation(file: path, line: 1, column: 1)
            return (nil, [Diagnostic(.cannotRead(path, reason: unreadableReason(path)), at: location)])
        }
        return load(bytes: bytes, path: path)
    }

    /// The largest policy file read: `PolicySyntax.maximumBytes`.
    public static let maximumBytes = PolicySyntax.maximumBytes

    /// The bytes of the file at `path`, read to its end or to one byte past `maximumBytes`, whichever comes
    /// first (a pipe or a device has no size to go by); nil when it cannot be read.
    public static func readBytes(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else { return nil }
        // One byte more than the size, so that the end shows without growing the buffer (a pipe's size is 0).
        let first = min(Int(status.st_size), maximumBytes) + 1
        guard var bytes = readChunk(descriptor, count: first) else { return nil }
        // Filled: a pipe, or a file that grew since fstat. Read on in steps as large as what was read so far.
        var filled = bytes.count == first
        while filled && bytes.count <= maximumBytes {
            let step = min(bytes.count, maximumBytes + 1 - bytes.count)
            guard let more = readChunk(descriptor, count: step) else { return nil }
            bytes += more
            filled = more.count == step
        }
        return bytes
    }

    /// Up to `count` bytes, fewer at the end; nil on an error. Read into memory left uninitialised:
    /// zeroing 2 MB first touched every page twice.
    private static func readChunk(_ descriptor: Int32, count: Int) -> [UInt8]? {
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let whole = UnsafeMutableRawBufferPointer(buffer)
            Prefault.forWriting(UnsafeMutableRawBufferPointer(rebasing: whole[..<count]))
            while initialized < count {
                let got = Foundation.read(descriptor, buffer.baseAddress! + initialized, count - initialized)
                if got == 0 { break }
                if got < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                initialized += got
            }
        }
        return failed ? nil : bytes
    }

    /// As `load(path:)`, for the bytes already read from `path`: a named pipe or `/dev/stdin` gives its
    /// text once, so whoever read it must not read it again to say what is wrong with it.
    public static func load(bytes: [UInt8], path: String) -> (Policy?, [Diagnostic]) {
        guard bytes.count <= maximumBytes else {
            let reason = "it is larger than \(maximumBytes >> 20) MiB, more than any policy needs"
            let location = SourceLocation(file: path, line: 1, column: 1)
            return (nil, [Diagnostic(.cannotRead(path, reason: reason), at: location)])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let invalid = firstInvalidByte(bytes)
            let location = SourceLocation(file: path, line: invalid?.line ?? 1, column: invalid?.column ?? 1)
            return (nil, [Diagnostic(.notUTF8(path, byte: invalid?.byte), at: location)])
        }
        return load(text: text, path: path)
    }

    /// Where the first byte that does not belong to valid UTF-8 stands (columns count characters), and
    /// that byte.
    static func firstInvalidByte(_ bytes: [UInt8]) -> (line: Int, column: Int, byte: UInt8)? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var (line, column, offset) = (1, 1, 0)
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    (line, column) = (line + 1, 1)
                } else {
                    column += 1
                }
            case .emptyInput:
                return nil
            case .error:
                return (line, column, bytes[offset])
            }
        }
    }

    /// Why `path` could not be read, in the system's words ("no such file or directory", "permission denied").
    static func unreadableReason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "it is a directory"
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor < 0 else {
            close(descriptor)
            return "reading it failed"
        }
        return String(cString: strerror(errno)).lowercased()
    }

    /// Parses and checks policy `text` as if read from `path`, against which the files it names are resolved.
    public static func load(text: String, path: String) -> (Policy?, [Diagnostic]) {
        let (syntax, syntaxDiagnostics) = Parser.parse(text, file: path)
        var checker = PolicyChecker(syntax: syntax, path: path)
        let policy = checker.check(hadSyntaxErrors: syntaxDiagnostics.contains { $0.severity == .error })
        return (policy, Diagnostic.reported(syntaxDiagnostics + checker.diagnostics))
    }
}
