import CNetfilter
import Glibc
@testable import Netlink
import XCTest

/// The pages of a batch are prefaulted ahead of the writing (`MessagePages.prefaultAhead`): only memory of
/// the page being written, never past its end, and never a byte of what was written changed.
final class MessagePagesPrefaultTests: XCTestCase {
    /// Writes a message of `length` bytes at `pages.next`: its header, then bytes numbered by `mark`.
    private func write(_ pages: MessagePages, length: Int, mark: UInt8) throws {
        let raw = UnsafeMutableRawPointer(pages.next)
        for offset in MemoryLayout<nlmsghdr>.size..<length {
            raw.storeBytes(of: mark &+ UInt8(truncatingIfNeeded: offset), toByteOffset: offset, as: UInt8.self)
        }
        raw.storeBytes(of: nlmsghdr(nlmsg_len: UInt32(length), nlmsg_type: 0, nlmsg_flags: 0,
                                    nlmsg_seq: UInt32(mark), nlmsg_pid: 0), as: nlmsghdr.self)
        try pages.commit()
    }

    /// Messages of sizes that end pages at every kind of place, the last one moved to a fresh page: after
    /// every commit the prefaulted memory ends inside the page being written, which starts where the
    /// batch's last page starts; and in the end every message holds exactly the bytes written to it.
    func testPrefaultingStaysOnThePageBeingWritten() throws {
        let pageBytes = Int(MessagePages.pageSize + MessagePages.overrun)
        for length in [512, 4_096, 12_000, 16_384, 40_000, 60_000, Int(MessagePages.overrun)] {
            let pages = try MessagePages()
            var written: [(mark: UInt8, length: Int)] = []
            for number in 0..<(3 * Int(MessagePages.pageSize) / length + 3) {
                let mark = UInt8(truncatingIfNeeded: number)
                try write(pages, length: length, mark: mark)
                written.append((mark, length))
                let current = try XCTUnwrap(pages.pages.last?.iov_base)
                if pages.pages.count > 1 || length * (number + 1) >= MessagePages.prefaultStep {
                    XCTAssertEqual(pages.pageStart, current, "messages of \(length): page start after \(number + 1)")
                }
                XCTAssertLessThanOrEqual(pages.prefaulted, current + pageBytes,
                                         "messages of \(length): prefaulted past the page after \(number + 1)")
            }
            XCTAssertGreaterThan(pages.pages.count, 2, "messages of \(length) filled too few pages to test anything")
            // Every message as written, in order, across the pages.
            var index = 0
            for page in pages.pages {
                var offset = 0
                while offset < page.iov_len {
                    let message = page.iov_base! + offset
                    let header = message.load(as: nlmsghdr.self)
                    let (mark, length) = written[index]
                    XCTAssertEqual(Int(header.nlmsg_len), length)
                    XCTAssertEqual(header.nlmsg_seq, UInt32(mark))
                    let body = UnsafeRawBufferPointer(start: message, count: length)
                    let wrong = (MemoryLayout<nlmsghdr>.size..<length).first {
                        body[$0] != mark &+ UInt8(truncatingIfNeeded: $0)
                    }
                    XCTAssertNil(wrong, "message \(index) of \(length) bytes changed at \(wrong ?? 0)")
                    offset += length
                    index += 1
                }
            }
            XCTAssertEqual(index, written.count)
        }
    }
}
