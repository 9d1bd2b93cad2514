// Umbrella header of the C shims: one header per C library, each function a typed wrapper for a
// macro or variadic call that Swift cannot import.
#include "curl_shims.h"
#include "openssl_shims.h"
#include "file_shims.h"
#include "heap_shims.h"
#include "process_shims.h"
