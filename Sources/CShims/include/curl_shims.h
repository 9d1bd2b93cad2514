#pragma once
#include <curl/curl.h>

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
