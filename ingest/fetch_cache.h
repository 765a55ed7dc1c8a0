/* fetch_cache.h — the validators (ETag, Last-Modified) kept beside a fetched
 * file in dest + ".meta", for conditional requests; internal to ingest's
 * fetch. */
#ifndef MQL_FETCH_CACHE_H
#define MQL_FETCH_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* Copy a server's value (NULL: "") cut to size, without control
 * characters: they never reach a log, a stored or a re-sent header. */
void fetch_clean_copy(char *dst, size_t size, const char *v);

/* Read the validators kept for url beside dest into etag and lm. False when
 * there are none (or they belong to another URL, or dest is gone). */
bool fetch_cache_read(const char *dest, const char *url, char *etag, size_t esize, char *lm,
		      size_t lsize);

/* Keep the validators of a new body, or forget old ones when both are
 * empty. Best effort: a missing cache only costs a download. */
void fetch_cache_write(const char *dest, const char *url, const char *etag, const char *lm);

#endif
