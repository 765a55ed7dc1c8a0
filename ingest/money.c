/* money.c — amounts and counts: a strict syntax check, then strtod on the
 * digits alone. It must not round or convert currencies: a value is read
 * as the export wrote it. */
#include "money.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MONEY_MAX_DIGITS 40

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skip a currency symbol at s[*i]. */
static void skip_symbol(const char *s, size_t len, size_t *i)
{
	if (*i < len && s[*i] == '$')
		(*i)++;
	else if (*i + 3 <= len && memcmp(s + *i, "\xE2\x82\xAC", 3) == 0) /* € */
		*i += 3;
	else if (*i + 2 <= len && memcmp(s + *i, "\xC2\xA3", 2) == 0) /* £ */
		*i += 2;
}

/* Digits with optional thousands separators at s[*i], copied without the
 * commas into buf. Returns the number of digits, or -1 on a bad grouping. */
static int int_part(const char *s, size_t len, size_t *i, char *buf, size_t *blen)
{
	size_t start = *i, group = 0;
	int nd = 0;
	bool grouped = false;
	while (*i < len) {
		char c = s[*i];
		if (is_digit(c)) {
			if (*blen >= MONEY_MAX_DIGITS)
				return -1;
			buf[(*blen)++] = c;
			nd++;
			group++;
			(*i)++;
		} else if (c == ',') {
			/* the first group has 1 to 3 digits, every later one exactly 3 */
			if (group == 0 || (grouped ? group != 3 : group > 3))
				return -1;
			grouped = true;
			group = 0;
			(*i)++;
		} else {
			break;
		}
	}
	if (grouped && group != 3)
		return -1;
	(void)start;
	return nd;
}

bool money_parse(const char *s, size_t len, double *out)
{
	char buf[MONEY_MAX_DIGITS + 4];
	size_t blen = 0, i = 0;
	bool neg = false, paren = false;
	if (i < len && s[i] == '(') {
		paren = true;
		i++;
	}
	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	skip_symbol(s, len, &i);
	if (!neg && !paren && i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	if (paren && neg)
		return false;
	int nd = int_part(s, len, &i, buf, &blen);
	if (nd < 0)
		return false;
	int frac = 0;
	if (i < len && s[i] == '.') {
		buf[blen++] = '.';
		i++;
		while (i < len && is_digit(s[i])) {
			if (blen >= MONEY_MAX_DIGITS + 1)
				return false;
			buf[blen++] = s[i++];
			frac++;
		}
		if (frac == 0)
			return false;
	}
	if (nd == 0 && frac == 0)
		return false;
	if (paren) {
		if (i >= len || s[i] != ')')
			return false;
		i++;
		neg = true;
	}
	if (i != len)
		return false;
	buf[blen] = '\0';
	double v = strtod(buf, NULL);
	if (!isfinite(v))
		return false;
	*out = neg ? -v : v;
	return true;
}

bool count_parse(const char *s, size_t len, int64_t *out)
{
	char buf[MONEY_MAX_DIGITS + 4];
	size_t blen = 0, i = 0;
	int nd = int_part(s, len, &i, buf, &blen);
	if (nd <= 0 || i != len || nd > 18)
		return false;
	int64_t v = 0;
	for (size_t k = 0; k < blen; k++)
		v = v * 10 + (buf[k] - '0');
	*out = v;
	return true;
}
