import Foundation
import PolicyModel
import Testing

/// `PolicyLoader.readBytes` gives a file's bytes exactly, whatever its size says: regular files, a pipe
/// (size 0, filled by steps), and a file of /proc (size 0, yet with text).
@Suite struct PolicyReadTests {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ztpol-read-\(UUID().uuidString)")

    @Test(arguments: [0, 1, 4_095, 4_096, 100_003])
    func aFileIsReadWhole(_ size: Int) throws {
        try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
        let path = Self.folder.appendingPathComponent("f\(size)").path
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(PolicyLoader.readBytes(path) == bytes)
    }

    @Test func aPipeIsReadToItsEnd() throws {
        try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
        let path = Self.folder.appendingPathComponent("fifo").path
        #expect(mkfifo(path, 0o600) == 0)
        let bytes = (0..<300_001).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let writer = Thread {
            let descriptor = open(path, O_WRONLY)
            bytes.withUnsafeBytes { raw in
                var written = 0
                while written < raw.count {
                    let count = write(descriptor, raw.baseAddress! + written, min(4_000, raw.count - written))
                    guard count > 0 else { break }
                    written += count
                }
            }
            close(descriptor)
        }
        writer.start()
        #expect(PolicyLoader.readBytes(path) == bytes)
    }

    @Test func aFileWhoseSizeIsZeroIsStillReadWhole() throws {
        let text = try #require(PolicyLoader.readBytes("/proc/self/status"))
        #expect(text.count > 100 && String(decoding: text, as: UTF8.self).hasPrefix("Name:"))
        #expect(PolicyLoader.readBytes("/nonexistent/policy.zt") == nil)
        #expect(PolicyLoader.readBytes("/tmp") == nil)
    }
}
