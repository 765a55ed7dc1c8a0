/* fasthash.h — the inline byte hash and comparison of the loader's hash
 * tables (the memos and the lead-id index), and the reading of a numeric
 * id's digits, on the per-row path.
 *
 * Not the string pool's hash (dataset.c), and not for anything that must be
 * stable across versions: values are never stored or shown. */
#ifndef MQL_FASTHASH_H
#define MQL_FASTHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The high and low halves of a 128-bit product, folded: every input bit
 * reaches every output bit. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The n bytes at s (n at most 8) as a word, zero-padded, as memcpy would
 * leave them: a fixed-size load or two rather than a copy whose length is
 * known only at run time (a call, or a loop that mispredicts its end). */
static inline uint64_t load_upto8(const char *s, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4); /* overlapping lo when n < 8 */
		return (uint64_t)lo | (uint64_t)hi << (8 * (n - 4));
	}
	if (n == 0)
		return 0;
	const unsigned char *u = (const unsigned char *)s;
	return (uint64_t)u[0] | (uint64_t)u[n / 2] << (8 * (n / 2)) |
	       (uint64_t)u[n - 1] << (8 * (n - 1));
#else
	uint64_t w = 0;
	memcpy(&w, s, n);
	return w;
#endif
}

/* A fast hash of bytes: one folded multiply for up to 16 bytes (the first
 * and the last eight, overlapping), one more per further 16. Ids that
 * differ only in their last digits (numeric ids), or share a long prefix
 * (prefixed and Salesforce ids), spread as well as random text. */
static inline uint64_t hash64(const char *s, size_t n)
{
	const uint64_t k0 = 0xA0761D6478BD642FULL, k1 = 0xE7037ED1A0B428DBULL;
	uint64_t h = k1 ^ n, a = 0, b = 0;
	const char *end = s + n;
	if (n < 8) {
		a = load_upto8(s, n);
	} else if (n <= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, end - 8, 8);
	} else {
		for (; end - s > 16; s += 16) {
			uint64_t x, y;
			memcpy(&x, s, 8);
			memcpy(&y, s + 8, 8);
			h = fold_mul(x ^ k0, y ^ h);
		}
		memcpy(&a, end - 16, 8); /* the last 16 bytes, overlapping */
		memcpy(&b, end - 8, 8);
	}
	return fold_mul(a ^ k0 ^ h, b ^ k1 ^ (h << 1));
}

/* Equal bytes; values up to 64 bytes compared eight at a time (the last
 * eight overlapping) without a call. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	if (n > 64)
		return memcmp(a, b, n) == 0;
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return false;
		return true;
	}
	uint64_t x, y;
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

/* Whether the 8 bytes at s are all decimal digits; if so *v is the number
 * they write, the first the most significant. A byte b is a digit when its
 * high half is 3 and so is that of b + 6 (a byte that carries into the
 * next when 6 is added has a high half of F, not 3, itself). */
static inline bool digits8(const char *s, uint64_t *v)
{
	_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
		       "byte k of a loaded word is its k-th lowest byte");
	const uint64_t ones = 0x0101010101010101ULL, highs = 0xF0F0F0F0F0F0F0F0ULL;
	uint64_t x;
	memcpy(&x, s, 8);
	if ((x & highs) != 0x30 * ones || ((x + 6 * ones) & highs) != 0x30 * ones)
		return false;
	uint64_t d = x - 0x30 * ones; /* each byte its digit */
	d = d * 10 + (d >> 8);	      /* bytes 0, 2, 4, 6: numbers of two digits */
	*v = ((d & 0xFF) * 100 + (d >> 16 & 0xFF)) * 10000 + (d >> 32 & 0xFF) * 100 +
	     (d >> 48 & 0xFF);
	return true;
}

/* The number that the decimal digits s[0..len) write, into *v; false
 * when a byte is not a digit. len is at most 19: no overflow. Eight digits
 * at a time, then one by one. */
static inline bool digits_value(const char *s, size_t len, uint64_t *v)
{
	uint64_t r = 0, e;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		if (!digits8(s + i, &e))
			return false;
		r = r * 100000000 + e;
	}
	for (; i < len; i++) {
		unsigned d = (unsigned char)s[i] - (unsigned)'0';
		if (d > 9)
			return false;
		r = r * 10 + d;
	}
	*v = r;
	return true;
}

#endif
