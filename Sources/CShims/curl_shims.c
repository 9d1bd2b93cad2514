#include "curl_shims.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// The libcurl functions ztpol calls, found in the library once.
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} api;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;
static int available = 0;
static char failure[512] = "libcurl was not loaded";

#define FIND(field, symbol)                                                                 \
    do {                                                                                    \
        *(void **)&api.field = dlsym(library, symbol);                                      \
        if (!api.field) {                                                                   \
            snprintf(failure, sizeof failure, "libcurl.so.4 has no %s", symbol);            \
            return;                                                                         \
        }                                                                                   \
    } while (0)

static void load(void) {
    // The ABI soname Debian's libcurl4 (and libcurl4-openssl-dev) installs.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "cannot load libcurl.so.4 (install libcurl4): %s", dlerror());
        return;
    }
    FIND(global_init, "curl_global_init");
    FIND(easy_init, "curl_easy_init");
    FIND(easy_cleanup, "curl_easy_cleanup");
    FIND(easy_reset, "curl_easy_reset");
    FIND(easy_perform, "curl_easy_perform");
    FIND(easy_strerror, "curl_easy_strerror");
    FIND(easy_setopt, "curl_easy_setopt");
    FIND(easy_getinfo, "curl_easy_getinfo");
    FIND(slist_append, "curl_slist_append");
    FIND(slist_free_all, "curl_slist_free_all");
    available = 1;
}

int ztpol_curl_load(void) {
    pthread_once(&loaded, load);
    return available;
}

const char *ztpol_curl_load_error(void) { return failure; }

// The functions below are called only after ztpol_curl_load() returned 1.

CURLcode ztpol_curl_global_init(long flags) { return api.global_init(flags); }
CURL *ztpol_curl_easy_init(void) { return api.easy_init(); }
void ztpol_curl_easy_cleanup(CURL *handle) { api.easy_cleanup(handle); }
void ztpol_curl_easy_reset(CURL *handle) { api.easy_reset(handle); }
CURLcode ztpol_curl_easy_perform(CURL *handle) { return api.easy_perform(handle); }
const char *ztpol_curl_easy_strerror(CURLcode code) { return api.easy_strerror(code); }

struct curl_slist *ztpol_curl_slist_append(struct curl_slist *list, const char *text) {
    return api.slist_append(list, text);
}

void ztpol_curl_slist_free_all(struct curl_slist *list) { api.slist_free_all(list); }

CURLcode ztpol_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return api.easy_setopt(handle, option, value);
}

CURLcode ztpol_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return api.easy_setopt(handle, option, value);
}

CURLcode ztpol_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return api.easy_setopt(handle, option, value);
}

CURLcode ztpol_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return api.easy_setopt(handle, option, value);
}

CURLcode ztpol_curl_setopt_write_callback(CURL *handle, CURLoption option,
                                          size_t (*callback)(char *, size_t, size_t, void *)) {
    return api.easy_setopt(handle, option, callback);
}

CURLcode ztpol_curl_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    // CURL_BLOB_COPY: curl keeps its own copy, so the caller's buffer may go away at once.
    struct curl_blob blob = { (void *)data, length, CURL_BLOB_COPY };
    return api.easy_setopt(handle, option, &blob);
}

CURLcode ztpol_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return api.easy_getinfo(handle, info, value);
}

CURLcode ztpol_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return api.easy_getinfo(handle, info, value);
}
