/* textenc.h — the text encodings of a source: its name in the
 * configuration, windows-1252 decoded to UTF-8, and whether bytes are
 * valid text. */
#ifndef MQL_TEXTENC_H
#define MQL_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* True when s[0..len) is UTF-8 without a NUL. */
bool textenc_valid(const char *s, size_t len);

/* True when s[0..len) is ASCII without a NUL: eight bytes at a time, on
 * every row. */
static inline bool textenc_plain_ascii(const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;
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
