/* normalize.c — trimming, the normal form of categorical values, company
 * sizes and yes/no values. It must not intern or keep anything: every
 * function writes into the caller's buffer, and the loader interns the
 * result (a text with non-ASCII letters takes one temporary copy). */
#include "normalize.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "textenc.h"

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* The trimmed text s with every letter in the case `up` asks for, when it
 * has letters beyond ASCII: a new string (g_free) whose length is *len;
 * NULL for ASCII text, which the callers fold byte by byte, and for text
 * that is not UTF-8. */
static char *unicode_case(const char *s, size_t *len, bool up)
{
	if (textenc_plain_ascii(s, *len) || !g_utf8_validate(s, (gssize)*len, NULL))
		return NULL;
	char *c = up ? g_utf8_strup(s, (gssize)*len) : g_utf8_strdown(s, (gssize)*len);
	*len = strlen(c);
	return c;
}

size_t norm_value(const char *s, size_t len, char *out)
{
	norm_trim(&s, &len);
	char *low = unicode_case(s, &len, false);
	if (low)
		s = low;
	size_t o = 0;
	bool run = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '-') {
			if (!run)
				out[o++] = '_';
			run = true;
			continue;
		}
		run = false;
		out[o++] = lower(c);
	}
	g_free(low);
	return o;
}

size_t norm_upper(const char *s, size_t len, char *out)
{
	norm_trim(&s, &len);
	char *up = unicode_case(s, &len, true);
	if (up)
		s = up;
	for (size_t i = 0; i < len; i++)
		out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
	g_free(up);
	return len;
}

bool norm_company_size(const char *s, size_t len, bool dec_comma, int64_t *out)
{
	if (len && s[len - 1] == '+') {
		const char *p = s;
		size_t n = len - 1;
		norm_trim(&p, &n);
		return count_parse(p, n, dec_comma, out);
	}
	const char *dash = memchr(s, '-', len);
	if (!dash)
		return count_parse(s, len, dec_comma, out);
	const char *a = s, *b = dash + 1;
	size_t na = (size_t)(dash - s), nb = len - na - 1;
	norm_trim(&a, &na);
	norm_trim(&b, &nb);
	int64_t lo, hi;
	if (!count_parse(a, na, dec_comma, &lo) || !count_parse(b, nb, dec_comma, &hi) || hi < lo)
		return false;
	*out = lo;
	return true;
}

bool norm_eq_nocase(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	if (n != len)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != lower(word[i]))
			return false;
	return true;
}

bool norm_bool(const char *s, size_t len, int8_t *out)
{
	if (norm_eq_nocase(s, len, "true") || norm_eq_nocase(s, len, "1") ||
	    norm_eq_nocase(s, len, "yes")) {
		*out = 1;
		return true;
	}
	if (norm_eq_nocase(s, len, "false") || norm_eq_nocase(s, len, "0") ||
	    norm_eq_nocase(s, len, "no")) {
		*out = 0;
		return true;
	}
	return false;
}

/* The digits, the fraction, then E+ and digits, nothing else. */
bool norm_sci_id(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0)
		return false;
	if (i < len && (s[i] == '.' || s[i] == ',')) { /* 1,95135E+11: a decimal comma's */
		size_t j = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == j)
			return false;
	}
	if (i + 2 >= len || (s[i] != 'E' && s[i] != 'e') || s[i + 1] != '+')
		return false;
	for (i += 2; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The visible form (norm_visible()) the messages quote. */
void norm_example(char *buf, size_t n, const char *s, size_t len)
{
	norm_visible(buf, n, s, len);
}

/* Whether code point u beyond ASCII is one norm_visible() writes as
 * <U+XXXX>: nothing on the page, or a look-alike of a plain character. */
static bool unseen(gunichar u)
{
	switch (g_unichar_type(u)) {
	case G_UNICODE_CONTROL:
	case G_UNICODE_FORMAT:
	case G_UNICODE_UNASSIGNED:
	case G_UNICODE_PRIVATE_USE:
	case G_UNICODE_SURROGATE:
	case G_UNICODE_SPACE_SEPARATOR:
	case G_UNICODE_LINE_SEPARATOR:
	case G_UNICODE_PARAGRAPH_SEPARATOR:
		return true;
	default:
		break;
	}
	/* blank letters and signs, the combining grapheme joiner; dashes
	 * and minus signs that read as '-' */
	return u == 0x034F || u == 0x115F || u == 0x1160 || u == 0x2800 || u == 0x3164 ||
	       u == 0xFFA0 || (u >= 0x2010 && u <= 0x2015) || u == 0x2212 || u == 0xFE63 ||
	       u == 0xFF0D;
}

/* Each character's form is written whole or not at all. */
size_t norm_visible(char *buf, size_t n, const char *s, size_t len)
{
	size_t o = 0, i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		char esc[16];
		size_t w = 1; /* bytes of s read */
		const char *form = NULL;
		if (c == '\t' || c == '\r' || c == '\n') {
			snprintf(esc, sizeof esc, "\\%c", c == '\t' ? 't' : c == '\r' ? 'r' : 'n');
			form = esc;
		} else if (c < 0x20 || c == 0x7F) {
			snprintf(esc, sizeof esc, "\\x%02X", c);
			form = esc;
		} else if (c >= 0x80) {
			gunichar u = g_utf8_get_char_validated(s + i, (gssize)(len - i));
			if (u == (gunichar)-1 || u == (gunichar)-2 || u == 0) {
				snprintf(esc, sizeof esc, "\\x%02X", c);
				form = esc;
			} else {
				w = (size_t)(g_utf8_next_char(s + i) - (s + i));
				if (unseen(u)) {
					snprintf(esc, sizeof esc, "<U+%04X>", (unsigned)u);
					form = esc;
				}
			}
		}
		size_t fw = form ? strlen(form) : w;
		if (o + fw >= n)
			break;
		memcpy(buf + o, form ? form : s + i, fw);
		o += fw;
		i += w;
	}
	buf[o] = '\0';
	return i;
}
