/* digest.c — the SHA-256 of the bytes read, through OpenSSL's libcrypto
 * (SHA extensions where the CPU has them: a fraction of the time of
 * parsing; GLib's GChecksum took longer than the parse), and that of
 * several files' digests. It must not read files or know the sources: the
 * reader feeds it. */
#include "digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

void digest_init(digest *d)
{
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx || EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1)
		abort();
}

void digest_update(digest *d, const void *p, size_t n)
{
	if (EVP_DigestUpdate(d->ctx, p, n) != 1)
		abort();
}

void digest_final(digest *d, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(d->ctx, md, &n) != 1)
		abort();
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
}

void digest_of_digests(const char *const *hex, size_t n, char out[65])
{
	digest d;
	digest_init(&d);
	for (size_t i = 0; i < n; i++)
		digest_update(&d, hex[i], strlen(hex[i]));
	digest_final(&d, out);
}
