#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Files that only spare work (kept zone statements, apply's record of its table): whatever they say is
/// checked before it is used, so losing or tearing one costs time, never a wrong result.
public enum CacheFile {
    /// Writes `bytes` to a file beside `path` and renames it there, so that a reader finds the old file or
    /// the whole new one. Not synced to disk: a file torn by a crash fails its reader's check, and an fsync
    /// cost 4 ms a file (/run is not always a tmpfs). Failing to write only costs the next run its saving.
    public static func write(_ bytes: [UInt8], to path: String) {
        let temporary = "\(path).\(getpid()).tmp"
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW
        var descriptor = open(temporary, flags, 0o600)
        if descriptor < 0 && errno == EEXIST {
            // Left by a killed process that had this process id: no live process writes it.
            unlink(temporary)
            descriptor = open(temporary, flags, 0o600)
        }
        guard descriptor >= 0 else { return }
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }
                written += count
            }
        }
        close(descriptor)
        if written != bytes.count || rename(temporary, path) != 0 { unlink(temporary) }
    }
}
