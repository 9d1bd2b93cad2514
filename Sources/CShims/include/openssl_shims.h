#pragma once
#include <openssl/ssl.h>

// --- Digests ---

/// SHA-256 of `count` bytes without EVP: EVP's first digest loads the OpenSSL configuration and fetches the
/// algorithm from a provider, which cost `ztpol apply` a millisecond more than hashing its 2 MB policy.
void ztpol_sha256(const void *bytes, size_t count, unsigned char digest[32]);

// --- Certificates (X.509 reading) ---

/// XN_FLAG_RFC2253 is a macro built from other macros, which Swift does not import.
unsigned long ztpol_xn_flag_rfc2253(void);
