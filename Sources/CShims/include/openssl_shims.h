#pragma once
#include <openssl/ssl.h>

// --- Certificates (X.509 reading) ---

/// XN_FLAG_RFC2253 is a macro built from other macros, which Swift does not import.
unsigned long ztpol_xn_flag_rfc2253(void);
