/* normalize.c — trimming, the normal form of categorical values, company
 * sizes and yes/no values. It must not allocate or intern: every function
 * writes into the caller's buffer, and the loader interns the result. */
#include "normalize.h"

#include <string.h>

#include "money.h"

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

void norm_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;
	while (n && is_ws(*p)) {
		p++;
		n--;
	}
	while (n && is_ws(p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

size_t norm_value(const char *s, size_t len, char *out)
{
	norm_trim(&s, &len);
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
	return o;
}

size_t norm_upper(const char *s, size_t len, char *out)
{
	norm_trim(&s, &len);
	for (size_t i = 0; i < len; i++)
		out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
	return len;
}

bool norm_company_size(const char *s, size_t len, int64_t *out)
{
	if (len && s[len - 1] == '+') {
		const char *p = s;
		size_t n = len - 1;
		norm_trim(&p, &n);
		return count_parse(p, n, out);
	}
	const char *dash = memchr(s, '-', len);
	if (!dash)
		return count_parse(s, len, out);
	const char *a = s, *b = dash + 1;
	size_t na = (size_t)(dash - s), nb = len - na - 1;
	norm_trim(&a, &na);
	norm_trim(&b, &nb);
	int64_t lo, hi;
	if (!count_parse(a, na, &lo) || !count_parse(b, nb, &hi) || hi < lo)
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
