import CNetfilter
import Glibc

/// Runs code with the calling thread inside a named network namespace (`ip netns add NAME` makes
/// `/run/netns/NAME`), then puts the thread back. A socket created inside stays in that namespace for
/// its whole life, so only the socket's creation needs to happen there.
public enum NetworkNamespace {
    /// `CLONE_NEWNET` from <sched.h>, hidden from Swift behind `_GNU_SOURCE` like `setns` itself.
    private static let cloneNewNet: Int32 = 0x4000_0000

    static func path(of name: String) -> String { name.hasPrefix("/") ? name : "/run/netns/\(name)" }

    /// Why `name` cannot name a network namespace, or nil when it can: an absolute path, or a name as
    /// `ip netns add` takes it (no `/`, not `.` or `..`), whose file exists under /run/netns.
    public static func problem(with name: String) -> String? {
        if !name.hasPrefix("/") && (name.isEmpty || name.contains("/") || name == "." || name == "..") {
            return "'\(name)' is not a network namespace name (as made by 'ip netns add'), nor an absolute path"
        }
        if access(path(of: name), F_OK) != 0 {
            return "no network namespace '\(name)': \(path(of: name)) does not exist (see 'ip netns list')"
        }
        return nil
    }


    /// Calls `body` inside namespace `name` (a name under /run/netns, or a path), or in the current
    /// namespace when `name` is nil.
    public static func run<Result>(in name: String?, _ body: () throws(NetlinkError) -> Result)
        throws(NetlinkError) -> Result {
        guard let name else { return try body() }
        let target = path(of: name)
        // This thread's own namespace, to return to; /proc/self would be the main thread's.
        let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard home >= 0 else { throw .system("open(/proc/thread-self/ns/net)") }
        defer { close(home) }
        let destination = open(target, O_RDONLY | O_CLOEXEC)
        guard destination >= 0 else { throw .system("open(\(target))") }
        defer { close(destination) }
        guard setns(destination, cloneNewNet) == 0 else { throw .system("setns(\(target))") }
        defer {
            // Staying in the wrong namespace would silently aim every later socket at it.
            if setns(home, cloneNewNet) != 0 { fatalError("setns back to the original network namespace failed") }
        }
        return try body()
    }
}
