#ifndef ZTPOL_HEAP_SHIMS_H
#define ZTPOL_HEAP_SHIMS_H

/// Tells glibc's malloc to serve large blocks from the heap and keep freed memory: by default it maps
/// every block over 128 KiB on its own and unmaps it when freed, so a 100k-element array touched fresh
/// pages again each time (about 5 us a page on a virtual machine). For a command that runs well under
/// a second and gives everything back at exit. (M_MMAP_THRESHOLD and M_TRIM_THRESHOLD do not import.)
void ztpol_keep_heap_for_short_run(void);

#endif
