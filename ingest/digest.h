/* digest.h — the SHA-256 of a source's bytes, as lower-case hex, for the
 * manifest, the report and the log.
 *
 * digest_init() starts a digest; digest_final() writes the hex and frees
 * it. Failures inside libcrypto abort: they mean no memory. */
#ifndef MQL_DIGEST_H
#define MQL_DIGEST_H

#include <stddef.h>

struct evp_md_ctx_st; /* libcrypto's EVP_MD_CTX */

typedef struct digest {
	struct evp_md_ctx_st *ctx;
} digest;

void digest_init(digest *d);
void digest_update(digest *d, const void *p, size_t n);
void digest_final(digest *d, char hex[65]); /* 64 hex digits and a NUL */

/* The digest of a source read from several files (or loaded in several
 * loads): the SHA-256 of their digests' hex[0..n), one after the other in
 * the order given, so that a change to any of them changes it. */
void digest_of_digests(const char *const *hex, size_t n, char out[65]);

#endif
