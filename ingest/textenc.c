/* textenc.c — the encodings a source may declare (auto, UTF-8, windows-1252) and
 * the check that a field is valid text. It must not reject or count rows:
 * the row handlers decide what invalid text costs. */
#include "textenc.h"

#include <glib.h>

/* windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,	    0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,	    0x017D, 0,	    0,	    0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	    0x017E, 0x0178,
};

size_t textenc_cp1252_to_utf8(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = in[i];
		if (c < 0x80) {
			out[o++] = (unsigned char)c;
			continue;
		}
		unsigned cp = c < 0xA0 ? cp1252_high[c - 0x80] : c;
		if (!cp) {
			out[o++] = (unsigned char)c;
		} else if (cp < 0x800) {
			out[o++] = (unsigned char)(0xC0 | (cp >> 6));
			out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (unsigned char)(0xE0 | (cp >> 12));
			out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		}
	}
	return o;
}

int textenc_parse(const char *e, const char *name, int *out, mq_err *err)
{
	if (!e || !g_ascii_strcasecmp(e, "auto")) {
		*out = ENC_AUTO;
		return 0;
	}
	if (!g_ascii_strcasecmp(e, "utf-8") || !g_ascii_strcasecmp(e, "utf8")) {
		*out = ENC_UTF8;
		return 0;
	}
	if (!g_ascii_strcasecmp(e, "windows-1252") || !g_ascii_strcasecmp(e, "cp1252") ||
	    !g_ascii_strcasecmp(e, "latin1") || !g_ascii_strcasecmp(e, "iso-8859-1")) {
		*out = ENC_CP1252;
		return 0;
	}
	mq_err_set(err, MQ_CONFIG,
		   "%s: unknown encoding \"%s\" (auto, utf-8 or windows-1252; utf8, cp1252, latin1 "
		   "and iso-8859-1 name them too)",
		   name, e);
	return -1;
}

bool textenc_valid(const char *s, size_t len)
{
	size_t i = 0;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0 || c >= 0x80)
			break;
	}
	if (i == len)
		return true;
	return g_utf8_validate_len(s + i, len - i, NULL);
}
