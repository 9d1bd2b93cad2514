#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include "file_shims.h"

int ztpol_rename_exchange(const char *first, const char *second) {
    return renameat2(AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
}

void ztpol_open_standard_descriptors(void) {
    for (int descriptor = 0; descriptor <= 2; descriptor++) {
        if (fcntl(descriptor, F_GETFD) != -1) continue;
        // The lowest free descriptor: this one, as those below it are open.
        if (open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY) < 0) return;
    }
}
