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

/* The length of the UTF-8 sequence lead byte c begins, or 0. */
static size_t seq_len(unsigned c)
{
	return c >= 0xC2 && c <= 0xDF	? 2
	       : c >= 0xE0 && c <= 0xEF ? 3
	       : c >= 0xF0 && c <= 0xF4 ? 4
					: 0;
}

size_t textenc_probe_utf8(utf8_probe *p, const unsigned char *b, size_t n)
{
	size_t i = 0, first = n;
	if (p->nheld) {
		size_t need = seq_len(p->held[0]);
		while ((size_t)p->nheld < need && i < n)
			p->held[p->nheld++] = b[i++];
		if ((size_t)p->nheld < need)
			return n;
		if (g_utf8_validate_len((const char *)p->held, need, NULL))
			p->utf8++;
		else
			p->other++;
		p->nheld = 0;
	}
	while (i < n) {
		const gchar *end;
		bool whole = g_utf8_validate_len((const char *)b + i, n - i, &end);
		size_t e = (size_t)((const unsigned char *)end - b);
		for (size_t k = i; k < e && first == n; k++)
			if (b[k] >= 0x80)
				first = k;
		if (whole)
			break;
		size_t need = seq_len(b[e]), rest = n - e;
		bool cut = need && rest < need;
		for (size_t k = e + 1; cut && k < n; k++)
			cut = (b[k] & 0xC0) == 0x80;
		if (cut) { /* the next chunk may complete it */
			memcpy(p->held, b + e, rest);
			p->nheld = (int)rest;
			break;
		}
		p->other++;
		i = e + 1;
	}
	/* a valid stretch holds no NUL, so its first byte beyond ASCII is
	 * the chunk's first character beyond it */
	if (first < n)
		p->utf8++;
	return first;
}
