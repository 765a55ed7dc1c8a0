/* normalize.c — trimming, the normal form of categorical values, company
 * sizes and yes/no values. It must not intern or keep anything: every
 * function writes into the caller's buffer, and the loader interns the
 * result (a text with non-ASCII letters takes one temporary copy). */
#include "normalize.h"

#include <glib.h>
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

/* A cut inside a character moves back to its first byte. */
void norm_example(char *buf, size_t n, const char *s, size_t len)
{
	size_t k = len < n ? len : n - 1;
	while (k < len && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	for (size_t i = 0; i < k; i++)
		buf[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	buf[k] = '\0';
}
