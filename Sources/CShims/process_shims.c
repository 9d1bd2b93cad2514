#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "process_shims.h"

enum { stack_size = 64 * 1024 };

/// What the child needs, kept at the top of its own stack: the caller's frame is gone by the time the
/// child reads it.
struct release {
    int descriptor;
    int parent;  // a pidfd of the process that started the child
};

// Runs in the child, on its own stack but in the parent's memory: raw system calls only (no malloc, no
// stdio; errno is the parent thread's, so it is never read).
static int release_after_exit(void *argument) {
    const struct release *release = argument;
    int low = release->descriptor < release->parent ? release->descriptor : release->parent;
    int high = release->descriptor < release->parent ? release->parent : release->descriptor;
    // Every other descriptor goes at once: whoever reads the parent's output must see its end when the
    // parent exits, not when this child does.
    if (low > 0) syscall(SYS_close_range, 0, low - 1, 0);
    if (high > low + 1) syscall(SYS_close_range, low + 1, high - 1, 0);
    syscall(SYS_close_range, high + 1, ~0U, 0);
    // A pidfd polls ready once every thread of the parent has exited, which is after its descriptors
    // were closed: this close is then the last one.
    // Interrupted waits are tried again, a few times: a wait that keeps failing must not spin forever, and
    // closing early only means that the parent, if still there, does the waiting.
    struct pollfd exited = { .fd = release->parent, .events = POLLIN };
    for (int tries = 0; tries < 16 && syscall(SYS_poll, &exited, 1, -1) != 1; tries++) {}
    syscall(SYS_close, release->descriptor);
    syscall(SYS_exit, 0);
    return 0;
}

int ztpol_release_after_exit(int descriptor) {
    int parent = (int)syscall(SYS_pidfd_open, getpid(), 0);
    if (parent < 0) return -1;
    // Never unmapped by the parent: the child runs on it until it exits, and the mapping goes with the
    // address space.
    char *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        int saved = errno;
        close(parent);
        errno = saved;
        return -1;
    }
    struct release *release = (struct release *)(stack + stack_size) - 1;
    *release = (struct release){ .descriptor = descriptor, .parent = parent };
    // CLONE_VM shares the address space instead of copying it, and without CLONE_FILES the child gets its
    // own copy of the descriptor table. No exit signal: the child outlives this process, and whoever
    // adopts it reaps it.
    int child = clone(release_after_exit, (char *)release, CLONE_VM, release);
    int saved = errno;
    close(parent);  // the child holds its own copy
    if (child < 0) {
        munmap(stack, stack_size);
        errno = saved;
    }
    return child;
}
