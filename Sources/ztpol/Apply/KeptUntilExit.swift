/// Objects the process holds until it exits; only the main thread adds to it.
nonisolated(unsafe) private var keptUntilExit: [AnyObject] = []

/// Holds `connection` until the process exits, so that the kernel closes its socket at exit, after it has
/// released the process's memory. Closing a netfilter socket after a transaction that deleted something
/// waits for the kernel to free it (an RCU grace period, 5 to 15 ms here): closed at exit, that wait
/// overlaps the release of the 25 MB a 100k-prefix apply holds instead of preceding it. The command's
/// time still includes whatever is left of the wait, since the process has not exited before it ends.
func keepUntilExit(_ connection: AnyObject) {
    keptUntilExit.append(connection)
}
