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

/* The length of a space at s[i]: 1 for an ASCII space, 2 for a no-break
 * space (U+00A0, French Excel's before `€`), 3 for a narrow no-break space
 * (U+202F, newer French locales' between thousands); 0 for anything else. */
static size_t space_at(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	if (s[i] == ' ')
		return 1;
	if (s[i] == '\xC2')
		return i + 2 <= len && s[i + 1] == '\xA0' ? 2 : 0;
	if (s[i] == '\xE2')
		return i + 3 <= len && memcmp(s + i, "\xE2\x80\xAF", 3) == 0 ? 3 : 0;
	return 0;
}

/* s[*i] and *i moved past the spaces there, as space_at() reads them. */
static void skip_spaces(const char *s, size_t len, size_t *i)
{
	size_t sl;
	while ((sl = space_at(s, len, *i)))
		*i += sl;
}

/* The currency sign at s[*i] — '$', 'E' (€) or 'L' (£) — with *i moved
 * past it and the spaces after it (`€ 410.00`); 0 when there is none. */
static char symbol_at(const char *s, size_t len, size_t *i)
{
	char kind = 0;
	if (*i < len && s[*i] == '$')
		kind = '$', (*i)++;
	else if (*i + 3 <= len && memcmp(s + *i, "\xE2\x82\xAC", 3) == 0) /* € */
		kind = 'E', *i += 3;
	else if (*i + 2 <= len && memcmp(s + *i, "\xC2\xA3", 2) == 0) /* £ */
		kind = 'L', *i += 2;
	if (kind)
		skip_spaces(s, len, i);
	return kind;
}

/* Whether a currency sign is at s[*i], moving *i past it as symbol_at(). */
static bool skip_symbol(const char *s, size_t len, size_t *i)
{
	return symbol_at(s, len, i) != 0;
}

/* A thousands separator at s[*i] in the given style: `,` for a decimal
 * point; `.` or a space (space_at(): a no-break one too) for a decimal
 * comma. Returns its length, or 0. */
static size_t group_sep(const char *s, size_t len, size_t i, bool dec_comma)
{
	if (!dec_comma)
		return s[i] == ',';
	return s[i] == '.' ? 1 : space_at(s, len, i);
}

/* Digits with optional thousands separators at s[*i], copied without the
 * separators into buf. Returns the number of digits, or -1 on a bad
 * grouping. */
static int int_part(const char *s, size_t len, size_t *i, char *buf, size_t *blen, bool dec_comma)
{
	size_t group = 0;
	int nd = 0;
	bool grouped = false;
	while (*i < len) {
		char c = s[*i];
		size_t sl;
		if (is_digit(c)) {
			if (*blen >= MONEY_MAX_DIGITS)
				return -1;
			buf[(*blen)++] = c;
			nd++;
			group++;
			(*i)++;
		} else if ((sl = group_sep(s, len, *i, dec_comma)) && *i + sl < len &&
			   is_digit(s[*i + sl])) {
			/* the first group has 1 to 3 digits, every later one exactly 3 */
			if (group == 0 || (grouped ? group != 3 : group > 3))
				return -1;
			grouped = true;
			group = 0;
			*i += sl;
		} else {
			break;
		}
	}
	if (grouped && group != 3)
		return -1;
	return nd;
}

/* The fraction after the decimal mark, copied into buf after a '.'.
 * Returns false on a mark without digits or too many digits. */
static bool frac_part(const char *s, size_t len, size_t *i, char *buf, size_t *blen, int *frac)
{
	buf[(*blen)++] = '.';
	(*i)++;
	while (*i < len && is_digit(s[*i])) {
		if (*blen >= MONEY_MAX_DIGITS + 1)
			return false;
		buf[(*blen)++] = s[(*i)++];
		(*frac)++;
	}
	return *frac > 0;
}

bool money_parse_style(const char *s, size_t len, bool dec_comma, double *out)
{
	char buf[MONEY_MAX_DIGITS + 4];
	size_t blen = 0, i = 0;
	bool neg = false, paren = false, sym;
	if (i < len && s[i] == '(') {
		paren = true;
		i++;
	}
	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	sym = skip_symbol(s, len, &i);
	if (!neg && !paren && i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	if (paren && neg)
		return false;
	int nd = int_part(s, len, &i, buf, &blen, dec_comma);
	if (nd < 0)
		return false;
	int frac = 0;
	if (i < len && s[i] == (dec_comma ? ',' : '.') && !frac_part(s, len, &i, buf, &blen, &frac))
		return false;
	if (nd == 0 && frac == 0)
		return false;
	if (paren) {
		if (i >= len || s[i] != ')')
			return false;
		i++;
		neg = true;
	}
	/* a decimal comma's countries write the symbol after: `1.234,50 €` */
	if (dec_comma && !sym && i < len) {
		size_t j = i;
		skip_spaces(s, len, &j);
		if (j < len && skip_symbol(s, len, &j) && j == len)
			i = len;
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

bool money_parse_coded(const char *s, size_t len, bool dec_comma, double *out, char code[4])
{
	char buf[96];
	size_t i = 0;
	if (len >= sizeof buf)
		return false;
	/* an accounting parenthesis or a minus may come before the code */
	while (i < len && i < 2 && (s[i] == '(' || s[i] == '-'))
		i++;
	if (i + 4 > len)
		return false;
	for (size_t k = 0; k < 3; k++)
		if (s[i + k] < 'A' || s[i + k] > 'Z')
			return false;
	size_t j = i + 3;
	if (!space_at(s, len, j))
		return false;
	skip_spaces(s, len, &j);
	/* the amount without the code: what came before it, then what follows */
	memcpy(buf, s, i);
	memcpy(buf + i, s + j, len - j);
	if (!money_parse_style(buf, i + len - j, dec_comma, out))
		return false;
	memcpy(code, s + i, 3);
	code[3] = '\0';
	/* a currency's code, not a word of three capitals ("TBD 5,000") */
	return money_is_currency(code);
}

/* The sign an amount is written with, before or after the number. */
static char sign_of(const char *s, size_t len)
{
	size_t i = 0, end = len;
	while (i < end && (s[i] == '(' || s[i] == '-' || s[i] == ' '))
		i++;
	while (end > i && (s[end - 1] == ')' || s[end - 1] == ' '))
		end--;
	size_t j = i;
	char kind = symbol_at(s, end, &j);
	/* after the number: a sign of 1 to 3 bytes that ends the text */
	for (size_t back = 1; !kind && back <= 3 && back <= end - i; back++) {
		j = end - back;
		char k = symbol_at(s, end, &j);
		if (k && j == end)
			kind = k;
	}
	return kind;
}

/* A currency code of three letters in capitals into up; false for any
 * other text (NULL too). */
static bool code_upper(const char *code, char up[4])
{
	if (!code || strlen(code) != 3)
		return false;
	for (int k = 0; k < 4; k++)
		up[k] = (char)(code[k] >= 'a' && code[k] <= 'z' ? code[k] - 32 : code[k]);
	return true;
}

static bool code_in(const char *up, const char *const *list)
{
	for (size_t k = 0; list[k]; k++)
		if (strcmp(up, list[k]) == 0)
			return true;
	return false;
}

bool money_sign_fits(const char *s, size_t len, const char *code)
{
	static const char *const pounds[] = {"GBP", "GIP", "FKP", "SHP", "EGP", NULL};
	static const char *const pesos[] = {"MXN", "ARS", "CLP", "COP", "CUP",
					    "DOP", "UYU", "BRL", NULL};
	char c = sign_of(s, len);
	char up[4];
	if (!c || !code_upper(code, up))
		return true;
	if (c == 'E')
		return strcmp(up, "EUR") == 0;
	if (code_in(up, c == 'L' ? pounds : pesos))
		return true;
	return c == '$' && up[2] == 'D'; /* USD, CAD, AUD, NZD, SGD, HKD … */
}

int money_currency_decimals(const char *code)
{
	/* ISO 4217's currencies without minor units, and those of three */
	static const char *const none[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
					   "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
					   "VND", "VUV", "XAF", "XOF", "XPF", NULL};
	static const char *const three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", NULL};
	char up[4];
	if (!code_upper(code, up))
		return 2;
	return code_in(up, none) ? 0 : code_in(up, three) ? 3 : 2;
}

int money_point_digits(const char *s, size_t len)
{
	const char *dot = memchr(s, '.', len);
	if (!dot || memchr(dot + 1, '.', len - (size_t)(dot + 1 - s)))
		return -1;
	int n = 0;
	for (const char *p = dot + 1; p < s + len && *p >= '0' && *p <= '9'; p++)
		n++;
	return n;
}

bool money_parse(const char *s, size_t len, double *out)
{
	return money_parse_style(s, len, false, out);
}

/* A count's digits in one style of grouping into buf; false unless the
 * whole text is such digits, 1 to 18 of them. */
static bool count_digits(const char *s, size_t len, bool dec_comma, char *buf, size_t *blen)
{
	size_t i = 0;
	*blen = 0;
	int nd = int_part(s, len, &i, buf, blen, dec_comma);
	return nd > 0 && i == len && nd <= 18;
}

bool count_parse(const char *s, size_t len, bool dec_comma, int64_t *out)
{
	char buf[MONEY_MAX_DIGITS + 4];
	size_t blen;
	/* a count has no fraction: under a decimal comma, `1,200` can only be
	 * a thousand two hundred, grouped as a decimal point's locale writes it */
	if (!count_digits(s, len, dec_comma, buf, &blen) &&
	    !(dec_comma && count_digits(s, len, false, buf, &blen)))
		return false;
	int64_t v = 0;
	for (size_t k = 0; k < blen; k++)
		v = v * 10 + (buf[k] - '0');
	*out = v;
	return true;
}

/* ISO 4217's codes of the currencies in use (no metals, funds of the IMF
 * or test codes), sorted: what tells a code from three capitals that are a
 * word or an abbreviation ("Cost CPC"). */
static const char iso4217[][4] = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL",
    "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
};

/* bsearch()'s order of two codes. */
static int code_order(const void *a, const void *b)
{
	return memcmp(a, b, 3);
}

bool money_is_currency(const char *code)
{
	return code && strlen(code) == 3 &&
	       bsearch(code, iso4217, sizeof iso4217 / sizeof *iso4217, sizeof *iso4217,
		       code_order) != NULL;
}

bool money_header_currency(const char *s, size_t len, char out[4])
{
	const char *code;
	if (len >= 5 && s[len - 1] == ')' && s[len - 5] == '(')
		code = s + len - 4; /* "Amount spent (EUR)" */
	else if (len >= 5 && s[len - 4] == ' ')
		code = s + len - 3; /* "Cost EUR" */
	else
		return false;
	for (int k = 0; k < 3; k++)
		if (code[k] < 'A' || code[k] > 'Z')
			return false;
	memcpy(out, code, 3);
	out[3] = '\0';
	return money_is_currency(out);
}
