import CNetfilter
import Glibc

/// A netlink socket to the kernel's netfilter subsystem (libmnl), closed when it goes away.
final class NetlinkSocket {
    private let socket: OpaquePointer
    /// The port the kernel answers to; replies for anyone else are not ours.
    let portID: UInt32
    private var sequence: UInt32
    /// Large enough for the biggest dump message the kernel sends (it fills up to 32 KiB per message)
    /// and for many acknowledgements per read.
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

    /// Opens the socket, inside network namespace `namespace` (a name under /run/netns) when given.
    init(namespace: String? = nil) throws(NetlinkError) {
        let opened = try NetworkNamespace.run(in: namespace) { () throws(NetlinkError) -> OpaquePointer in
            guard let socket = mnl_socket_open(NETLINK_NETFILTER) else { throw .system("mnl_socket_open") }
            return socket
        }
        socket = opened
        guard mnl_socket_bind(opened, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
            let number = errno
            mnl_socket_close(opened)
            throw .system("mnl_socket_bind", errno: number)
        }
        portID = mnl_socket_get_portid(opened)
        // Start where no stale reply of an earlier process could match.
        sequence = UInt32(truncatingIfNeeded: time(nil))
        // Extended acks point at the refused attribute; capped acks do not echo whole messages back.
        try setOption(SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK")
        try setOption(SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK")
        // A kernel that never answers must become an error, not a hang.
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw .system("setsockopt(SO_RCVTIMEO)")
        }
    }

    deinit {
        mnl_socket_close(socket)
        buffer.deallocate()
    }

    var fd: Int32 { mnl_socket_get_fd(socket) }

    /// The network namespace's cookie (`SO_NETNS_COOKIE`, Linux 5.14): unique until the next boot.
    func namespaceCookie() throws(NetlinkError) -> UInt64 {
        var cookie: UInt64 = 0
        var length = socklen_t(MemoryLayout<UInt64>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &length) == 0 else {
            throw .system("getsockopt(SO_NETNS_COOKIE)")
        }
        return cookie
    }

    /// A fresh sequence number for the next message.
    func nextSequence() -> UInt32 {
        sequence &+= 1
        return sequence
    }

    private func setOption(_ level: Int32, _ name: Int32, _ value: Int32, _ label: String) throws(NetlinkError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .system("setsockopt(\(label))")
        }
    }

    /// Makes room for a batch of `send` bytes and the acknowledgements of it. The FORCE options
    /// pass the system-wide maximum, which root may do (as nft does).
    func reserve(send: Int, receive: Int) throws(NetlinkError) {
        let clamp = { (bytes: Int) in Int32(clamping: bytes) }
        try setOption(SOL_SOCKET, SO_SNDBUFFORCE, clamp(send), "SO_SNDBUFFORCE")
        try setOption(SOL_SOCKET, SO_RCVBUFFORCE, clamp(receive), "SO_RCVBUFFORCE")
    }

    /// Sends the pages as one datagram, which the kernel handles as one transaction.
    func send(pages: [iovec]) throws(NetlinkError) {
        var iovecs = pages
        var address = sockaddr_nl()
        address.nl_family = sa_family_t(AF_NETLINK)
        let total = pages.reduce(0) { $0 + $1.iov_len }
        let sent = withUnsafeMutablePointer(to: &address) { addressPointer in
            iovecs.withUnsafeMutableBufferPointer { vectors in
                var header = msghdr()
                header.msg_name = UnsafeMutableRawPointer(addressPointer)
                header.msg_namelen = socklen_t(MemoryLayout<sockaddr_nl>.size)
                header.msg_iov = vectors.baseAddress
                header.msg_iovlen = vectors.count
                return sendmsg(fd, &header, 0)
            }
        }
        guard sent >= 0 else { throw .system("sendmsg") }
        guard sent == total else {
            throw NetlinkError(.systemCall, call: "sendmsg", detail: "sent \(sent) of \(total) bytes")
        }
    }

    /// Sends one message (a request or a dump request).
    func send(message: UnsafeRawBufferPointer) throws(NetlinkError) {
        guard mnl_socket_sendto(socket, message.baseAddress, message.count) >= 0 else {
            throw .system("mnl_socket_sendto")
        }
    }

    /// Reads one datagram and calls `body` with each message in it. Returns false, without calling
    /// `body`, when `wait` is false and nothing is queued.
    @discardableResult
    func receive(wait: Bool = true, _ body: (UnsafePointer<nlmsghdr>) throws(NetlinkError) -> Void)
        throws(NetlinkError) -> Bool {
        let count = recv(fd, buffer.baseAddress, buffer.count, wait ? 0 : Int32(MSG_DONTWAIT))
        if count < 0 {
            if !wait && (errno == EAGAIN || errno == EWOULDBLOCK) { return false }
            throw .system("recv")
        }
        var remaining = Int32(count)
        var message = buffer.baseAddress.map { UnsafePointer($0.assumingMemoryBound(to: nlmsghdr.self)) }
        while let current = message, mnl_nlmsg_ok(current, remaining) {
            guard current.pointee.nlmsg_pid == 0 || current.pointee.nlmsg_pid == portID else {
                throw NetlinkError(.malformedReply, detail: "reply for port \(current.pointee.nlmsg_pid)")
            }
            try body(current)
            message = mnl_nlmsg_next(current, &remaining).map { UnsafePointer($0) }
        }
        return true
    }
}
