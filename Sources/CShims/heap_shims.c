#include <malloc.h>
#include "heap_shims.h"

void ztpol_keep_heap_for_short_run(void) {
    // 32 MiB is the largest threshold glibc takes; bigger blocks are still mapped on their own.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}
