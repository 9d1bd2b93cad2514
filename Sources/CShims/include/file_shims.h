#ifndef ZTPOL_FILE_SHIMS_H
#define ZTPOL_FILE_SHIMS_H

/// Swaps two paths (files or directories) in one step: renameat2(RENAME_EXCHANGE), which needs _GNU_SOURCE
/// and so does not import. Returns 0, or -1 with errno set.
int ztpol_rename_exchange(const char *first, const char *second);

#endif
