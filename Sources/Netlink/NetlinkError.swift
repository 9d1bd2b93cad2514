import Glibc
import Nftables

/// Why talking to the kernel's nftables failed: a value that names the failing call or the refused
/// object, the errno and, for the kernel's refusals, the attribute it pointed at.
public struct NetlinkError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// A C library or system call failed (`call` and `errno` say which and why).
        case systemCall
        /// The kernel refused the batch; nothing of it was applied.
        case rejected
        /// The table cannot be written faithfully; nothing was sent (see `problems`).
        case invalidTable
        /// `applyElementChanges` was given tables that differ in more than set elements.
        case notElementOnly
        /// The ruleset changed between reading and writing it (the generation moved on).
        case rulesetChanged
        /// The kernel answered something this code does not expect.
        case malformedReply
    }

    public var code: Code
    /// The C function or system call that failed, e.g. `setns(/run/netns/x)` or `sendmsg`.
    public var call: String?
    public var errno: Int32?
    /// The object the kernel refused, e.g. "rule 3 of chain input".
    public var object: NftObject?
    /// Where in the refused message the kernel pointed (its extended acknowledgement), e.g.
    /// "expression 4 (immediate)".
    public var attribute: String?
    /// Problems found before sending, for `.invalidTable`.
    public var problems: [TableProblem]
    /// Anything else worth saying.
    public var detail: String?

    init(_ code: Code, call: String? = nil, errno: Int32? = nil, object: NftObject? = nil, attribute: String? = nil,
         problems: [TableProblem] = [], detail: String? = nil) {
        self.code = code
        self.call = call
        self.errno = errno
        self.object = object
        self.attribute = attribute
        self.problems = problems
        self.detail = detail
    }

    /// A failed call, with the current `errno`.
    static func system(_ call: String, errno number: Int32 = Glibc.errno) -> NetlinkError {
        NetlinkError(.systemCall, call: call, errno: number)
    }

    /// The kernel or the system refused for lack of privilege.
    public var isPermissionDenied: Bool { errno == EPERM || errno == EACCES }

    /// The kernel's words for an errno, e.g. "No such file or directory".
    public var reason: String? { errno.map { String(cString: strerror($0)) } }

    public var description: String {
        switch code {
        case .systemCall:
            return "\(call ?? "a system call") failed: \(reason ?? "unknown error")" + (detail.map { " (\($0))" } ?? "")
                + (isPermissionDenied ? "; reading or changing nftables and entering network namespaces needs root "
                    + "(CAP_NET_ADMIN and CAP_SYS_ADMIN)" : "")
        case .rejected:
            var text = "the kernel refused \(object?.description ?? "the batch"): \(reason ?? "unknown error")"
            if let attribute { text += " (at \(attribute))" }
            if let detail { text += "; \(detail)" }
            return text + "; nothing was changed"
        case .invalidTable:
            return "the table cannot be written: " + problems.map(\.description).joined(separator: "; ")
        case .notElementOnly:
            return "the tables differ in more than set elements" + (detail.map { ": \($0)" } ?? "")
        case .rulesetChanged:
            return "the ruleset changed while ztpol was working on it" + (detail.map { ": \($0)" } ?? "")
        case .malformedReply:
            return "unexpected reply from the kernel" + (detail.map { ": \($0)" } ?? "")
        }
    }
}
