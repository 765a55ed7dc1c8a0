/* test_json_numbers.c — metrics.json's doubles against a reference that
 * tries every precision: the text reads back as the same double, and has
 * the fewest significant digits of any that does, the nearest of them. The
 * doubles cover both of the writer's paths (a few decimals, 16 and 17
 * digits, tiny and huge numbers) and every power of two, where the doubles
 * below are denser than those above. Layout is test_reports' business. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* The significant digits of a number's text, leading and trailing zeros cut. */
static void sig_digits(const char *text, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = text; *p && *p != 'e' && *p != 'E'; p++)
		if (*p >= '0' && *p <= '9' && k + 1 < n && (k || *p != '0'))
			out[k++] = *p;
	while (k > 1 && out[k - 1] == '0')
		k--;
	if (k == 0)
		out[k++] = '0';
	out[k] = '\0';
}

/* Add one to the last digit of "d.ddd…" (a carry may make it "10.000…"). */
static void bump_last(char *mant, int *exp10)
{
	int i = (int)strlen(mant) - 1;
	for (; i >= 0; i--) {
		if (mant[i] == '.')
			continue;
		if (mant[i] != '9') {
			mant[i]++;
			return;
		}
		mant[i] = '0';
	}
	mant[0] = '1';
	(*exp10)++;
}

/* The reference: from 1 to 17 digits, the nearest decimal of that many
 * digits, then the one above it; the first that reads back. */
static void reference_digits(double d, char *out, size_t n)
{
	for (int prec = 0; prec <= 16; prec++) {
		char sci[64], mant[40], alt[64];
		snprintf(sci, sizeof sci, "%.*e", prec, d);
		if (strtod(sci, NULL) == d) {
			sig_digits(sci, out, n);
			return;
		}
		char *e = strchr(sci, 'e');
		int exp10 = atoi(e + 1);
		snprintf(mant, sizeof mant, "%.*s", (int)(e - sci), sci);
		bump_last(mant, &exp10);
		snprintf(alt, sizeof alt, "%se%d", mant, exp10);
		if (strtod(alt, NULL) == d) {
			sig_digits(alt, out, n);
			return;
		}
	}
	fail_msg("%.17g: no text of 17 digits reads back", d);
}

static void check_one(double d)
{
	char buf[40], got[32], want[32];
	json_format_double(d, buf, sizeof buf);
	if (strtod(buf, NULL) != d)
		fail_msg("%.17g written as %s does not read back", d, buf);
	sig_digits(buf, got, sizeof got);
	reference_digits(fabs(d), want, sizeof want);
	if (strcmp(got, want) != 0)
		fail_msg("%.17g written as %s: the shortest digits are %s", d, buf, want);
}

static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Numbers as reports hold them: amounts, their shares and ratios. */
static void report_like_numbers_are_shortest(void **state)
{
	(void)state;
	uint64_t x = 2463534242ULL;
	for (int i = 0; i < 4000; i++) {
		double whole = (double)(next_random(&x) % 100000000000ULL);
		int frac = (int)(next_random(&x) % 12);
		check_one(whole / pow(10, frac));
		double a = (double)(next_random(&x) % 100000),
		       b = (double)(next_random(&x) % 997 + 1);
		check_one(a / b);
		check_one(-(a / b - 1));
		check_one((a + 0.5) * 1e9 / b); /* past 10^15 sometimes */
	}
	/* the edges of the writer's fast range */
	static const double edges[] = {
	    1e-6,
	    9.999999999999999e-7,
	    1.0000000000000002e-6,
	    999999999999999.0,
	    999999999999999.5,
	    1e15,
	    1e15 + 2,
	    123456789012345.6,
	    4503599627370497.0,
	    0.1 + 0.2,
	    0.1 + 0.7,
	    2.0 / 3,
	    12345678.901234567,
	    1e22,
	    1e23,
	    5e-324,
	};
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
		check_one(edges[i]);
		check_one(nextafter(edges[i], 0));
		check_one(nextafter(edges[i], INFINITY));
	}
}

/* Any bit pattern, and every power of two with its neighbours. */
static void any_double_is_shortest(void **state)
{
	(void)state;
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 4000; i++) {
		uint64_t bits = next_random(&x);
		double d;
		memcpy(&d, &bits, sizeof d);
		if (isfinite(d))
			check_one(d);
	}
	for (int e = -1074; e < 1024; e++) {
		double d = ldexp(1, e);
		check_one(d);
		check_one(nextafter(d, 0));
		check_one(nextafter(d, INFINITY));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(report_like_numbers_are_shortest),
	    cmocka_unit_test(any_double_is_shortest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
