#pragma once
#include <curl/curl.h>

// libcurl is loaded on first use (dlopen), not at start-up: only the ACME commands need it, and
// binding it with its forty-odd dependent libraries cost every other command about 5 ms to start.
// Every call into libcurl goes through these functions.

// 1 when libcurl is loaded (loading it on the first call), else 0; then ztpol_curl_load_error says why.
int ztpol_curl_load(void);
const char *ztpol_curl_load_error(void);

CURLcode ztpol_curl_global_init(long flags);
CURL *ztpol_curl_easy_init(void);
void ztpol_curl_easy_cleanup(CURL *handle);
void ztpol_curl_easy_reset(CURL *handle);
CURLcode ztpol_curl_easy_perform(CURL *handle);
const char *ztpol_curl_easy_strerror(CURLcode code);
struct curl_slist *ztpol_curl_slist_append(struct curl_slist *list, const char *text);
void ztpol_curl_slist_free_all(struct curl_slist *list);

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed
// wrapper per argument kind.

CURLcode ztpol_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ztpol_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ztpol_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ztpol_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ztpol_curl_setopt_write_callback(CURL *handle, CURLoption option,
                                          size_t (*callback)(char *, size_t, size_t, void *));
CURLcode ztpol_curl_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length);

CURLcode ztpol_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ztpol_curl_getinfo_string(CURL *handle, CURLINFO info, char **value);
