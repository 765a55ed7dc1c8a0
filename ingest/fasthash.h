/* fasthash.h — the inline byte hash and comparison of the loader's hash
 * tables (the memos and the lead-id index), on the per-row path.
 *
 * Not the string pool's hash (dataset.c), and not for anything that must be
 * stable across versions: values are never stored or shown. */
#ifndef MQL_FASTHASH_H
#define MQL_FASTHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A fast hash of bytes, eight at a time. */
static inline uint64_t hash64(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0x94D049BB133111EBULL;
	return h ^ (h >> 29);
}

/* Equal bytes; short values compared without a call. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	if (n > 16)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

#endif
