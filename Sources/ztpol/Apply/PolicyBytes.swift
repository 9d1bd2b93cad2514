import Foundation

/// A policy file's bytes, read straight into one array: apply digests them, splits them into statements and
/// compares them with the statements it kept, and through `Data` the 2 MB of a large policy were copied twice.
enum PolicyBytes {
    /// Nil when the file cannot be read; the caller's usual load then reports why.
    static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        // Read to the end, not to the size fstat gave: the file may grow while it is read. One byte more
        // than that size, so that the end shows without growing the buffer (a pipe's size is 0).
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let got = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            count += got
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}
