#include "openssl_shims.h"

// --- Certificates (X.509 reading) ---

unsigned long ztpol_xn_flag_rfc2253(void) { return XN_FLAG_RFC2253; }
