import Glibc
import Prefault
import XCTest

/// Prefaulting must make the pages present without changing a byte of them.
final class PrefaultTests: XCTestCase {
    private func minorFaults() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_minflt
    }

    /// 4 MiB of fresh memory written page by page: about 1,024 faults without prefaulting, next to none after.
    func testPrefaultedMemoryIsWrittenWithoutFaults() throws {
        let size = 4 << 20
        for prefault in [false, true] {
            let memory = try XCTUnwrap(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
            XCTAssertNotEqual(memory, MAP_FAILED)
            defer { munmap(memory, size) }
            let buffer = UnsafeMutableRawBufferPointer(start: memory, count: size)
            if prefault { Prefault.forWriting(buffer) }
            let before = minorFaults()
            for offset in stride(from: 0, to: size, by: 4096) { buffer[offset] = 1 }
            let faults = minorFaults() - before
            if prefault {
                XCTAssertLessThan(faults, 64, "\(faults) faults after prefaulting")
            } else {
                XCTAssertGreaterThan(faults, 512, "\(faults) faults without prefaulting: the test measures nothing")
            }
        }
    }

    /// An unaligned buffer inside other data, and one too small to bother with: every byte stays as it was.
    func testPrefaultingChangesNoByte() {
        for count in [100, Prefault.minimumBytes + 12_345] {
            var bytes = (0..<(count + 64)).map { UInt8(truncatingIfNeeded: $0 &* 131) }
            let expected = bytes
            bytes.withUnsafeMutableBytes { raw in
                Prefault.forWriting(UnsafeMutableRawBufferPointer(rebasing: raw[7..<(7 + count)]))
            }
            XCTAssertEqual(bytes, expected)
        }
    }
}
