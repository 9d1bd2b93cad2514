import CShims
import Netlink

/// Connections the process holds until it exits; only the main thread adds to it.
nonisolated(unsafe) private var heldUntilExit: [NetlinkConnection] = []

/// Lets the process exit without waiting for the kernel to release `connection`'s socket.
///
/// After a transaction that deleted anything (an element, or a table being replaced), the last close of a
/// netfilter socket waits for nf_tables to free what was deleted: an RCU grace period, 5 to 15 ms here,
/// longer than the whole rest of a one-element change. The kernel committed and acknowledged the batch
/// before that: the ruleset is already in force. So a child that shares this process's memory holds a copy
/// of the socket and closes it once this process has exited (`ztpol_release_after_exit`); the same child
/// then also tears down the memory this process leaves, 25 MB after a 100k-prefix apply. The kernel does
/// the same work; this process is just not there for it.
///
/// Where no child can be started, the socket is closed at exit as usual.
func releaseAfterExit(_ connection: NetlinkConnection) {
    heldUntilExit.append(connection)
    _ = ztpol_release_after_exit(connection.socketDescriptor)
}
