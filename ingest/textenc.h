/* textenc.h — the text encodings of a source: its name in the
 * configuration, windows-1252 decoded to UTF-8, and whether bytes are
 * valid text. */
#ifndef MQL_TEXTENC_H
#define MQL_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base.h"

/* ENC_AUTO: UTF-8, and a row that is not UTF-8 is read as windows-1252
 * (the loader decides per row; the bytes are fed as they are). */
enum text_encoding { ENC_UTF8, ENC_CP1252, ENC_AUTO };

/* The encoding named e (NULL: auto) into *out. Returns 0, or -1 with err
 * MQ_CONFIG naming the source `name`. */
int textenc_parse(const char *e, const char *name, int *out, mq_err *err);

/* Convert windows-1252 to UTF-8. An undefined byte is kept as it is: a lone
 * continuation byte after whole sequences is never UTF-8, so its row is
 * rejected as invalid_encoding and rejects.csv shows the byte read. out
 * holds 3 * n. Returns the bytes written. */
size_t textenc_cp1252_to_utf8(const unsigned char *in, size_t n, unsigned char *out);

/* What the bytes of a file read as windows-1252 look like as UTF-8, chunk
 * by chunk: a file all of whose bytes beyond ASCII are UTF-8 is a UTF-8
 * file, and reading it as windows-1252 turns "Café" into "CafÃ©". */
typedef struct utf8_probe {
	unsigned char held[4]; /* a sequence the last chunk's end cut short */
	int nheld;
	int64_t utf8;  /* chunks with a character beyond ASCII in UTF-8 */
	int64_t other; /* bytes beyond ASCII (or NUL) that are no UTF-8 */
} utf8_probe;

/* Probe the next n bytes of a file. Returns where in b the first whole
 * UTF-8 sequence beyond ASCII that starts in b begins, or n when none. */
size_t textenc_probe_utf8(utf8_probe *p, const unsigned char *b, size_t n);

/* True when s[0..len) is UTF-8 without a NUL. */
bool textenc_valid(const char *s, size_t len);

/* True when s[0..len) is ASCII without a NUL: sixteen bytes at a time
 * (eight without SSE2), on every row. */
static inline bool textenc_plain_ascii(const char *s, size_t len)
{
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i zero = _mm_setzero_si128();
	if (len >= 16) {
		/* sixteen bytes at a time, the last sixteen overlapping */
		for (;; i += 16) {
			if (i + 16 > len)
				i = len - 16;
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			/* a byte of 0x80 or more has its high bit set; a NUL compares equal */
			if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero))))
				return false;
			if (i + 16 == len)
				return true;
		}
	}
#endif
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w & highs) || ((w - ones) & ~w & highs))
			return false;
	}
	for (; i < len; i++)
		if (s[i] == 0 || (unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

#endif
