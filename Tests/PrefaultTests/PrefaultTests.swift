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

    /// Empty buffers, with and without an address: nothing to do, and no crash.
    func testAnEmptyBufferIsLeftAlone() {
        Prefault.forWriting(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        var byte: UInt8 = 7
        withUnsafeMutableBytes(of: &byte) { raw in
            Prefault.forWriting(UnsafeMutableRawBufferPointer(rebasing: raw[0..<0]))
        }
        XCTAssertEqual(byte, 7)
    }

    /// Buffers that end exactly where their mapping ends, before a page nobody may touch, from unaligned
    /// and aligned starts: every byte stays as written, the pages are present afterwards, and the guard
    /// page is still not mapped for anyone (`mincore` says it is not resident).
    func testABufferAtTheEndOfItsMappingIsPrefaultedWithinIt() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = (Prefault.minimumBytes / page) + 4
        for start in [0, 1, 7, page - 1, page + 13] {
            let size = (pages + 1) * page
            let memory = try XCTUnwrap(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
            XCTAssertNotEqual(memory, MAP_FAILED)
            defer { munmap(memory, size) }
            let guardPage = memory + pages * page
            XCTAssertEqual(mprotect(guardPage, page, PROT_NONE), 0)
            let buffer = UnsafeMutableRawBufferPointer(start: memory + start, count: pages * page - start)
            // Some pages written before (with a pattern), the rest still fresh.
            for offset in stride(from: 0, to: buffer.count, by: 3 * page) { buffer[offset] = UInt8(offset / page % 251) }
            let before = Array(buffer)
            Prefault.forWriting(buffer)
            XCTAssertTrue(Array(buffer) == before, "prefaulting from \(start) changed bytes")
            var resident = [UInt8](repeating: 0, count: pages + 1)
            XCTAssertEqual(mincore(memory, size, &resident), 0)
            XCTAssertEqual(resident[pages] & 1, 0, "the guard page became resident")
            let first = start / page
            XCTAssertEqual(resident[first..<pages].filter { $0 & 1 == 1 }.count, pages - first,
                           "from \(start): pages missing")
        }
    }
}
