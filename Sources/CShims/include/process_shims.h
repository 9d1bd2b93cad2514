#ifndef ZTPOL_PROCESS_SHIMS_H
#define ZTPOL_PROCESS_SHIMS_H

/// Makes the last close of `descriptor` happen after this process has exited, in a child that shares
/// this process's memory (clone with CLONE_VM, so nothing is copied) and holds a copy of `descriptor`
/// alone: it waits for this process to exit (a pidfd), closes the descriptor, and exits, unmapping the
/// memory it shared. Whatever the kernel does when the descriptor is finally released, and the
/// teardown of this process's memory, then no longer delay this process's exit.
///
/// This process must keep its own copy of `descriptor` open until it exits. Returns the child's
/// process id, or -1 with errno set (nothing was started; the descriptor is then released at exit as usual).
int ztpol_release_after_exit(int descriptor);

#endif
