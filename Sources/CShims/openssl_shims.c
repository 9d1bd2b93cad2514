// SHA256_Init and friends are deprecated in OpenSSL 3 in favour of EVP, but remain its direct, provider-free
// path to the same code; see ztpol_sha256.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include "openssl_shims.h"

// --- Digests ---

void ztpol_sha256(const void *bytes, size_t count, unsigned char digest[32]) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, bytes, count);
    SHA256_Final(digest, &context);
}

// --- Certificates (X.509 reading) ---

unsigned long ztpol_xn_flag_rfc2253(void) { return XN_FLAG_RFC2253; }
