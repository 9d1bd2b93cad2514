import CShims
import Foundation

/// Writes whole files so that a reader (a web server reloading, a crash midway) sees either the old
/// content or the new one: a temporary file in the same directory, flushed, then renamed over.
enum AtomicFile {
    /// - Parameter mode: the final permissions, set before any byte is written (0600 for keys).
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("open", temporary) }
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            // The umask may have narrowed `mode` at creation; fchmod sets exactly what was asked.
            guard fchmod(descriptor, mode) == 0 else { throw failure("fchmod", temporary) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw failure("write", temporary) }
                offset += written
            }
            guard fsync(descriptor) == 0 else { throw failure("fsync", temporary) }
        }
        guard rename(temporary, path) == 0 else { throw failure("rename", path) }
        committed = true
        // The rename itself is durable only once the directory is flushed.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Puts the complete directory `staging` in the place of `path` in one step (an exchange of the two
    /// names, or a plain rename when `path` is absent or empty), then deletes what was there. Files in the
    /// old directory that `staging` lacks (a user's own) are carried over first.
    static func replaceDirectory(_ path: String, with staging: String) throws {
        let manager = FileManager.default
        let existing = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        for name in existing where !manager.fileExists(atPath: "\(staging)/\(name)") {
            do {
                try manager.copyItem(atPath: "\(path)/\(name)", toPath: "\(staging)/\(name)")
            } catch {
                throw StorageError(call: "copy", path: "\(path)/\(name)", reason: "\(error)")
            }
        }
        if existing.isEmpty {
            guard rename(staging, path) == 0 else { throw failure("rename", path) }
        } else {
            guard ztpol_rename_exchange(staging, path) == 0 else { throw failure("renameat2", path) }
            try? manager.removeItem(atPath: staging)  // the old set, now under the staging name
        }
        let parent = (path as NSString).deletingLastPathComponent
        let descriptor = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    static func write(_ text: String, to path: String, mode: mode_t) throws {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    /// Creates `path` and missing parents with mode 0700, and narrows an existing one to 0700.
    static func makeDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/\(component)"
            if mkdir(current, 0o700) != 0 && errno != EEXIST { throw failure("mkdir", current) }
        }
        guard chmod(path, 0o700) == 0 else { throw failure("chmod", path) }
    }

    static func failure(_ call: String, _ path: String) -> StorageError {
        StorageError(call: call, path: path, reason: String(cString: strerror(errno)))
    }
}
