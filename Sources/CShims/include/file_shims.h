#ifndef ZTPOL_FILE_SHIMS_H
#define ZTPOL_FILE_SHIMS_H

/// Swaps two paths (files or directories) in one step: renameat2(RENAME_EXCHANGE), which needs _GNU_SOURCE
/// and so does not import. Returns 0, or -1 with errno set.
int ztpol_rename_exchange(const char *first, const char *second);

/// Opens /dev/null on whichever of descriptors 0, 1 and 2 is closed, so that no file or socket opened
/// later takes their place: a command run with `>&-` would otherwise write its results into whatever got
/// descriptor 1 (an epoll descriptor, which refuses them, or the netlink socket).
void ztpol_open_standard_descriptors(void);

#endif
