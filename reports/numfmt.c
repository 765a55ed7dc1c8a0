/* numfmt.c — the display text of a value for the PDF and the charts:
 * money with its symbol, rates as percentages, counts with separators.
 *
 * Text only: rounds for display, never changes a value in the tree. */
#include "numfmt.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json.h"
#include "money.h"

#define DASH "\xE2\x80\x94" /* — */

const char *numfmt_currency_symbol(const char *code)
{
	static const struct {
		const char *code, *sym;
	} table[] = {
	    {"USD", "$"},
	    {"EUR", "\xE2\x82\xAC"},
	    {"GBP", "\xC2\xA3"},
	    {"JPY", "\xC2\xA5"},
	};
	for (size_t i = 0; code && i < sizeof table / sizeof table[0]; i++)
		if (g_ascii_strcasecmp(code, table[i].code) == 0)
			return table[i].sym;
	return NULL;
}

/* An amount's digits with the currency's sign before them ("-$1,234"), or
 * its code after them ("1,234 CHF"). */
static void with_currency(const char *num, const char *currency, char *buf, size_t n)
{
	const char *sym = numfmt_currency_symbol(currency);
	if (sym && num[0] == '-')
		snprintf(buf, n, "-%s%s", sym, num + 1);
	else if (sym)
		snprintf(buf, n, "%s%s", sym, num);
	else
		snprintf(buf, n, "%s %s", num, currency ? currency : "");
}

void numfmt_true_minus(char *buf, size_t n)
{
	size_t len = strlen(buf);
	if (buf[0] != '-' || len + 3 > n) /* "−" is 3 bytes for the 1 of "-" */
		return;
	memmove(buf + 3, buf + 1, len); /* the NUL too */
	memcpy(buf, "\xE2\x88\x92", 3);
}

void numfmt_fixed(double d, int decimals, const char *suffix, char *buf, size_t n)
{
	if (n == 0)
		return;
	mq_fixed(d, decimals, buf, n);
	size_t len = strlen(buf);
	snprintf(buf + len, n - len, "%s", suffix ? suffix : "");
}

int numfmt_change_decimals(double shown, bool points)
{
	/* a tenth of a point on a move of 100 points or more is noise */
	return fabs(shown) < (points ? 100 : 10) ? 1 : 0;
}

void numfmt_signed(double shown, int decimals, const char *unit, char *buf, size_t n)
{
	double a = fabs(shown);
	if (a < 0.5 * pow(10, -decimals)) {
		snprintf(buf, n,
			 "\xC2\xB1"
			 "0%s",
			 unit);
		return;
	}
	char num[400];
	mq_grouped(a, decimals, num, sizeof num);
	snprintf(buf, n, "%s", shown < 0 ? "\xE2\x88\x92" : "+");
	g_strlcat(buf, num, n);
	g_strlcat(buf, unit, n);
}

bool numfmt_money_cents(double largest)
{
	return !(fabs(largest) >= 10000);
}

void numfmt_money(double d, bool cents, const char *currency, char *buf, size_t n)
{
	char num[96];
	if (!isfinite(d)) {
		snprintf(buf, n, "%s", DASH);
		return;
	}
	mq_grouped(d, cents ? money_currency_decimals(currency) : 0, num, sizeof num);
	with_currency(num, currency, buf, n);
	numfmt_true_minus(buf, n);
}

void numfmt_amount(double d, bool cents, const char *currency, char *buf, size_t n)
{
	if (!isfinite(d)) {
		snprintf(buf, n, "%s", DASH);
		return;
	}
	mq_grouped(d, cents ? money_currency_decimals(currency) : 0, buf, n);
	numfmt_true_minus(buf, n);
}

void numfmt_percent(double v, int decimals, bool sign, char *buf, size_t n)
{
	char num[64];
	mq_grouped(v * 100, decimals, num, sizeof num);
	snprintf(buf, n, "%s%s%%", sign && v >= 0 ? "+" : "", num);
	numfmt_true_minus(buf, n);
}

void numfmt_number(double d, bool integral, mv_fmt f, const char *currency, char *buf, size_t n)
{
	if (!isfinite(d)) {
		snprintf(buf, n, "%s", DASH);
		return;
	}
	switch (f) {
	case MF_COUNT:
		mq_grouped(d, integral || d == floor(d) ? 0 : 2, buf, n);
		break;
	case MF_MONEY:
		numfmt_money(d, numfmt_money_cents(d) && !(integral && d == floor(d)), currency,
			     buf, n);
		break;
	case MF_RATE:
		numfmt_percent(d, 1, false, buf, n);
		break;
	case MF_CHANGE:
		numfmt_percent(d, 1, true, buf, n);
		break;
	case MF_DAYS:
		numfmt_fixed(d, 1, " d", buf, n);
		break;
	case MF_MINUTES:
		numfmt_fixed(d, fabs(d) < 10 ? 1 : 0, " min", buf, n);
		break;
	case MF_RATIO:
		numfmt_fixed(d, 2, NULL, buf, n);
		break;
	case MF_SCORE:
		numfmt_fixed(d, integral ? 0 : 1, NULL, buf, n);
		break;
	case MF_PLAIN:
	default:
		if (integral)
			numfmt_fixed(d, 0, NULL, buf, n);
		else
			snprintf(buf, n, "%.4g", d);
		break;
	}
	numfmt_true_minus(buf, n);
}

void numfmt_short(double d, mv_fmt f, const char *currency, char *buf, size_t n)
{
	double a = fabs(d);
	if (!isfinite(d) || (f != MF_MONEY && f != MF_COUNT && f != MF_PLAIN) || a < 1000) {
		numfmt_number(d, d == floor(d), f, currency, buf, n);
		return;
	}
	const char *unit = a >= 1e9 ? "B" : a >= 1e6 ? "M" : "k";
	double scaled = d / (a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : 1e3);
	char num[48];
	numfmt_fixed(scaled, fabs(scaled) < 10 && scaled != floor(scaled) ? 1 : 0, unit, num,
		     sizeof num);
	if (f != MF_MONEY)
		snprintf(buf, n, "%s", num);
	else
		with_currency(num, currency, buf, n);
	numfmt_true_minus(buf, n);
}

void numfmt_short_among(double d, double largest, mv_fmt f, const char *currency, char *buf,
			size_t n)
{
	double a = fabs(largest);
	if (!isfinite(d) || !isfinite(a) || (f != MF_MONEY && f != MF_COUNT && f != MF_PLAIN) ||
	    d == 0) {
		numfmt_number(d, d == floor(d), f, currency, buf, n);
		return;
	}
	if (a < 1000) {
		if (f == MF_MONEY)
			numfmt_money(d, true, currency, buf, n);
		else
			numfmt_number(d, d == floor(d), f, currency, buf, n);
		return;
	}
	/* the unit of the largest as written: 999,950 is "1.0M", not "1000k" */
	static const double divs[] = {1e3, 1e6, 1e9};
	static const char *const units[] = {"k", "M", "B"};
	int u = a >= 1e9 ? 2 : a >= 1e6 ? 1 : 0, dec;
	for (;;) {
		dec = a / divs[u] < 100 ? 1 : 0;
		double shown = round(a / divs[u] * pow(10, dec)) / pow(10, dec);
		if (shown < 1000 || u == 2)
			break;
		u++;
	}
	double step = pow(10, -dec) * divs[u]; /* the smallest amount written */
	char num[48], out[64];
	bool tiny = fabs(d) < step / 2; /* not 0, yet it would be written 0 */
	numfmt_fixed((tiny ? step : fabs(d)) / divs[u], dec, units[u], num, sizeof num);
	if (f != MF_MONEY)
		snprintf(out, sizeof out, "%s", num);
	else
		with_currency(num, currency, out, sizeof out);
	/* a tiny amount beside large ones is "<$0.1k", never "$0.0k", which
	 * reads as nothing */
	const char *sign = tiny ? (d < 0 ? ">\xE2\x88\x92" : "<") : d < 0 ? "\xE2\x88\x92" : "";
	snprintf(buf, n, "%s%s", sign, out);
}

void numfmt_tick(double t, double step, mv_fmt f, const char *currency, char *buf, size_t n)
{
	bool fractional = step > 0 && step != floor(step) && fabs(t) < 1000;
	if (fractional && f == MF_MONEY) {
		numfmt_money(t, true, currency, buf, n);
		return;
	}
	if (fractional && (f == MF_COUNT || f == MF_PLAIN)) {
		int decimals = 1; /* the fewest that write the step exactly, at most 3 */
		while (decimals < 3 &&
		       fabs(step * pow(10, decimals) - round(step * pow(10, decimals))) > 1e-9)
			decimals++;
		numfmt_fixed(t, decimals, NULL, buf, n);
		numfmt_true_minus(buf, n);
		return;
	}
	numfmt_short(t, f, currency, buf, n);
}

void numfmt_value(const mval *v, const char *currency, char *buf, size_t n)
{
	switch (mv_kind_of(v)) {
	case MV_NULL:
		snprintf(buf, n, "%s", DASH);
		return;
	case MV_BOOL:
		snprintf(buf, n, "%s", mv_bool_of(v) ? "yes" : "no");
		return;
	case MV_INT:
		numfmt_number((double)mv_int_of(v), true, mv_fmt_of(v), currency, buf, n);
		return;
	case MV_NUM:
		numfmt_number(mv_num_of(v), false, mv_fmt_of(v), currency, buf, n);
		return;
	case MV_STR:
		mq_textf(buf, n, "%s", mv_str_of(v));
		return;
	case MV_TIME: {
		char iso[32];
		json_format_time(mv_time_of(v), iso, sizeof iso);
		/* 2026-11-22T19:01:53Z → 2026-11-22 19:01 UTC */
		if (strlen(iso) >= 16)
			snprintf(buf, n, "%.10s %.5s UTC", iso, iso + 11);
		else
			snprintf(buf, n, "%s", iso);
		return;
	}
	default: {
		char *s = json_compact(v);
		mq_textf(buf, n, "%s", s);
		g_free(s);
	}
	}
}
