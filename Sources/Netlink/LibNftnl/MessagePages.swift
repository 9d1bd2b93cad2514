import CNetfilter
import Glibc
import Prefault

/// Netlink messages laid out in pages that go to the kernel in one `sendmsg` (libnftnl's batch).
///
/// A message is written at `next`, then `commit()` keeps it on the current page, or — when it would
/// pass the page's end — moves it to a fresh page. A page has `overrun` spare bytes beyond its size,
/// so a message up to that long always fits while it is written: nothing is ever truncated.
final class MessagePages {
    static let pageSize: UInt32 = 256 * 1024
    /// The largest message: a set-element list is capped at 64 KiB (a u16 attribute length) plus headers.
    static let overrun: UInt32 = 68 * 1024

    private let batch: OpaquePointer
    private(set) var messageCount = 0
    private(set) var byteCount = 0
    /// The start of the page being written, and how far into it the memory is prefaulted (see `prefaultAhead`).
    private(set) var pageStart: UnsafeMutableRawPointer
    private(set) var prefaulted: UnsafeMutableRawPointer
    /// Whether the batch has proved large: a page filled, or the first one past `prefaultStep`.
    private var isLarge = false

    init() throws(NetlinkError) {
        guard let batch = nftnl_batch_alloc(MessagePages.pageSize, MessagePages.overrun) else {
            throw .system("nftnl_batch_alloc")
        }
        self.batch = batch
        pageStart = nftnl_batch_buffer(batch)
        prefaulted = pageStart
    }

    deinit { nftnl_batch_free(batch) }

    /// Where the next message is to be written.
    var next: UnsafeMutablePointer<CChar> { nftnl_batch_buffer(batch).assumingMemoryBound(to: CChar.self) }

    /// Keeps the message just written at `next`.
    func commit() throws(NetlinkError) {
        let length = next.withMemoryRebound(to: nlmsghdr.self, capacity: 1) { Int($0.pointee.nlmsg_len) }
        // Longer than the spare room, the message has already written past the page: a bug here, not input.
        precondition(length <= Int(MessagePages.overrun), "netlink message of \(length) bytes overran its page")
        guard nftnl_batch_update(batch) == 0 else { throw .system("nftnl_batch_update") }
        messageCount += 1
        byteCount += length
        prefaultAhead(lastLength: length)
    }

    /// A table's elements fill pages of fresh memory, a page fault per 4 KiB (1,250 for a 100k-prefix table),
    /// each slower than prefaulting the same memory in bulk (`Prefault`). Once the batch proves large, the
    /// page being written is prefaulted ahead of the writing, a step at a time; an element change, which
    /// writes a few hundred bytes, is left to fault them.
    static let prefaultStep = 64 * 1024

    /// - Parameter lastLength: the length of the message just committed, which a new page starts with.
    private func prefaultAhead(lastLength: Int) {
        let here = nftnl_batch_buffer(batch)!
        var pageEnd = pageStart + Int(MessagePages.pageSize + MessagePages.overrun)
        if here < pageStart || here >= pageEnd {
            // A new page: the one before filled up, and the message that did not fit was moved to the new
            // one's start, before `here`. Its end is measured from that start, or the prefaulting would run
            // past the page by the moved message's length.
            (pageStart, isLarge) = (here - lastLength, true)
            prefaulted = pageStart
            pageEnd = pageStart + Int(MessagePages.pageSize + MessagePages.overrun)
        }
        isLarge = isLarge || here - pageStart >= MessagePages.prefaultStep
        guard isLarge, here + MessagePages.prefaultStep > prefaulted, prefaulted < pageEnd else { return }
        let from = max(prefaulted, here)
        let end = min(pageEnd, here + 2 * MessagePages.prefaultStep)
        Prefault.forWriting(UnsafeMutableRawBufferPointer(start: from, count: end - from))
        prefaulted = end
    }

    /// The pages, for `sendmsg`.
    var pages: [iovec] {
        let count = Int(nftnl_batch_iovec_len(batch))
        var vectors = [iovec](repeating: iovec(), count: count)
        vectors.withUnsafeMutableBufferPointer { nftnl_batch_iovec(batch, $0.baseAddress, UInt32(count)) }
        return vectors
    }

    /// The message with sequence number `sequence`, to find what the kernel pointed at in it.
    func message(withSequence sequence: UInt32) -> UnsafeRawBufferPointer? {
        for page in pages {
            var remaining = Int32(page.iov_len)
            var message = page.iov_base.map { UnsafePointer($0.assumingMemoryBound(to: nlmsghdr.self)) }
            while let current = message, mnl_nlmsg_ok(current, remaining) {
                if current.pointee.nlmsg_seq == sequence {
                    return UnsafeRawBufferPointer(start: current, count: Int(current.pointee.nlmsg_len))
                }
                message = mnl_nlmsg_next(current, &remaining).map { UnsafePointer($0) }
            }
        }
        return nil
    }
}
