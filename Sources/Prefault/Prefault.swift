#if canImport(Glibc)
import Glibc
#endif

/// Fresh memory made ready in one system call instead of one page fault per page as it is first written.
///
/// On the virtual machines ztpol is measured on, a page fault costs 2 to 5 µs, and prefaulting the same
/// pages with `MADV_POPULATE_WRITE` about 1.4 µs a page. A large buffer that is about to be filled (a policy
/// read from its file, the kept ranges of a zone, the pages of a netlink batch) is a few hundred pages.
public enum Prefault {
    /// Prefaults the pages that `memory` lies on, for writing. Only a hint: it changes no byte, and where
    /// the kernel cannot (before Linux 5.14, or on other systems) the pages simply fault as they are written.
    public static func forWriting(_ memory: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = memory.baseAddress, memory.count >= minimumBytes else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // Whole pages: the first and last ones may hold other allocations too, which populating leaves as they are.
        let start = Int(bitPattern: base) & ~(page - 1)
        let end = (Int(bitPattern: base) + memory.count + page - 1) & ~(page - 1)
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_POPULATE_WRITE)
        #endif
    }

    /// Below this, a buffer spans too few pages for the call to pay.
    public static let minimumBytes = 64 * 1024
}
