import Certificates
import Foundation

/// What is at a path: nothing, a regular file (bytes and permission bits), a symbolic link or a directory.
/// The journal keeps the state before ztpol's first change, so that `remove` can put it back exactly.
enum FileState: Codable, Equatable, Sendable {
    case absent
    case file(contents: Data, mode: UInt32)
    case symlink(target: String)
    case directory(mode: UInt32)

    /// A SHA-256 over the state, to tell later whether a path still holds what ztpol wrote there.
    var digest: String {
        var bytes: [UInt8]
        switch self {
        case .absent: bytes = Array("absent".utf8)
        case .file(let contents, let mode): bytes = Array("file \(mode) ".utf8) + contents
        case .symlink(let target): bytes = Array("symlink ".utf8) + Array(target.utf8)
        case .directory(let mode): bytes = Array("directory \(mode)".utf8)
        }
        return sha256(bytes).hexString
    }

    /// Words for logs and `status`.
    var summary: String {
        switch self {
        case .absent: "absent"
        case .file(let contents, let mode): "file of \(contents.count) bytes, mode \(String(mode, radix: 8))"
        case .symlink(let target): "link to \(target)"
        case .directory: "directory"
        }
    }
}
