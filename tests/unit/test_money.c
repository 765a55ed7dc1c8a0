/* test_money.c — amounts and counts as exports write them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "money.h"

typedef struct money_case {
	const char *in;
	bool ok;
	double want;
} money_case;

static const money_case money_cases[] = {
    {"1234.5", true, 1234.5},
    {"1,234.50", true, 1234.5},
    {"1,234,567.25", true, 1234567.25},
    {"0", true, 0},
    {"0.75", true, 0.75},
    {".5", true, 0.5},
    {"$99", true, 99},
    {"$1,000", true, 1000},
    {"\xE2\x82\xAC"
     "12.30",
     true, 12.3}, /* €12.30 */
    {"\xC2\xA3"
     "7",
     true, 7}, /* £7 */
    {"-12", true, -12},
    {"-$12.5", true, -12.5},
    {"$-12.5", true, -12.5},
    {"(12.50)", true, -12.5},
    {"($1,200)", true, -1200},
    {"999", true, 999},
    {"1,23", false, 0},
    {"1,2345", false, 0},
    {"1234,567", false, 0},
    {",123", false, 0},
    {"1,,234", false, 0},
    {"12,", false, 0},
    {"NaN", false, 0},
    {"nan", false, 0},
    {"inf", false, 0},
    {"1e400", false, 0},
    {"1e3", false, 0},
    {"", false, 0},
    {"$", false, 0},
    {"-", false, 0},
    {"12.", false, 0},
    {"1.2.3", false, 0},
    {"12 USD", false, 0},
    {"--5", false, 0},
    {"(-5)", false, 0},
    {"(5", false, 0},
    {"0x10", false, 0},
    {"1234567890123456789012345678901234567890123", false, 0},
};

static void test_money(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof money_cases / sizeof *money_cases; i++) {
		const money_case *c = &money_cases[i];
		double got = -999;
		bool ok = money_parse(c->in, strlen(c->in), &got);
		if (ok != c->ok || (ok && got != c->want))
			fail_msg("\"%s\": ok %d got %g, want ok %d %g", c->in, ok, got, c->ok,
				 c->want);
		if (!ok)
			assert_true(got == -999); /* untouched */
	}
}

/* An ISO code before the number, as Salesforce writes amounts; the code
 * after it, or no space after it, is not read. */
static void test_coded(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		bool dec_comma, ok;
		double want;
		const char *code;
	} cases[] = {
	    {"USD 23,000.00", false, true, 23000, "USD"},
	    {"EUR 1.234,50", true, true, 1234.5, "EUR"},
	    {"GBP  410", false, true, 410, "GBP"},
	    {"-USD 5.00", false, true, -5, "USD"},
	    {"(USD 12.50)", false, true, -12.5, "USD"},
	    {"USD $7", false, true, 7, "USD"},
	    {"23,000.00 USD", false, false, 0, ""},
	    {"USD23,000.00", false, false, 0, ""},
	    {"usd 5", false, false, 0, ""},
	    {"US 5", false, false, 0, ""},
	    {"USDX 5", false, false, 0, ""},
	    {"USD ", false, false, 0, ""},
	    {"USD 1,23", false, false, 0, ""},
	    {"USD 1.234,50", false, false, 0, ""},
	    {"EUR 23,000.00", true, false, 0, ""},
	    {"23000", false, false, 0, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		double got = -999;
		char code[4] = "";
		bool ok = money_parse_coded(cases[i].in, strlen(cases[i].in), cases[i].dec_comma,
					    &got, code);
		if (ok != cases[i].ok ||
		    (ok && (got != cases[i].want || strcmp(code, cases[i].code))))
			fail_msg("\"%s\": ok %d got %g %s, want ok %d %g %s", cases[i].in, ok, got,
				 code, cases[i].ok, cases[i].want, cases[i].code);
		if (!ok)
			assert_true(got == -999);
	}
	/* the plain parser is unchanged: a code is the coded one's */
	double v;
	assert_false(money_parse("USD 5", 5, &v));
}

static void test_count(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		bool dec_comma, ok;
		int64_t want;
	} cases[] = {
	    {"1200", false, true, 1200},
	    {"1,200", false, true, 1200},
	    {"1,234,567", false, true, 1234567},
	    {"12.5", false, false, 0},
	    {"1.200", false, false, 0}, /* a point is a decimal point here */
	    {"1 200", false, false, 0},
	    {"-3", false, false, 0},
	    {"", false, false, 0},
	    {"1,20", false, false, 0},
	    {"9999999999999999999", false, false, 0},
	    /* decimal = comma: grouped as its amounts are (a German 1.200) */
	    {"1200", true, true, 1200},
	    {"1.200", true, true, 1200},
	    {"1.234.567", true, true, 1234567},
	    {"1 200", true, true, 1200},
	    {"1\xC2\xA0"
	     "200",
	     true, true, 1200}, /* a no-break space */
	    {"1\xE2\x80\xAF"
	     "200",
	     true, true, 1200},		 /* a narrow no-break space */
	    {"1,200", true, true, 1200}, /* no fraction: a comma can only group */
	    {"1.20", true, false, 0},
	    {"1.2000", true, false, 0},
	    {"1.200,5", true, false, 0},
	    {"12,5", true, false, 0},
	    {".200", true, false, 0},
	    {"1.", true, false, 0},
	    {"1\xC2", true, false, 0},
	    {"1\xE2\x80", true, false, 0},
	    {"1\xE2\x80\xAE"
	     "200",
	     true, false, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int64_t v = -1;
		bool ok = count_parse(cases[i].in, strlen(cases[i].in), cases[i].dec_comma, &v);
		if (ok != cases[i].ok || (ok && v != cases[i].want))
			fail_msg("\"%s\" (decimal comma %d): ok %d got %lld", cases[i].in,
				 cases[i].dec_comma, ok, (long long)v);
	}
}

/* Spaces as French Excel writes them: a no-break space (U+00A0) before
 * `€`, a narrow no-break space (U+202F) between thousands, read wherever
 * an ASCII space is; any other space, or one where none is read, is not. */
static void test_no_break_spaces(void **state)
{
	(void)state;
#define NBSP  "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"
#define EURO  "\xE2\x82\xAC"
	static const struct {
		const char *in;
		bool dec_comma, ok;
		double want;
	} cases[] = {
	    {"1" NBSP "234,50" NBSP EURO, true, true, 1234.5},
	    {"1" NNBSP "234,50" NBSP EURO, true, true, 1234.5},
	    {"1" NNBSP "234" NNBSP "567,89" NNBSP EURO, true, true, 1234567.89},
	    {"99,90" NBSP EURO, true, true, 99.9},
	    {"99,90" NBSP " " EURO, true, true, 99.9},
	    {"1 234,50 " EURO, true, true, 1234.5}, /* ASCII spaces as before */
	    {"-1" NNBSP "500" NBSP EURO, true, true, -1500},
	    {"(1" NNBSP "500,00" NBSP EURO ")", true, false, 0},
	    {EURO NBSP "410,00", true, true, 410},
	    {EURO NBSP "410.00", false, true, 410},
	    {EURO NNBSP "410.00", false, true, 410},
	    {"$" NBSP "1,200", false, true, 1200},
	    {"1" NNBSP "234.50", false, false, 0}, /* a point's groups are commas */
	    {"1" NBSP "234.50", false, false, 0},
	    {"1" NNBSP "23,50", true, false, 0}, /* groups of three only */
	    {"1" NNBSP NNBSP "234,50", true, false, 0},
	    {"1" NNBSP, true, false, 0},
	    {NBSP "12", true, false, 0},
	    {"12" NBSP, true, false, 0},
	    {"12" NBSP "EUR", true, false, 0},
	    {"1\xE2\x80\x89" /* a thin space: not read */
	     "234,50",
	     true, false, 0},
	    {"1\xC2\xA1"
	     "234,50",
	     true, false, 0},
	    {"12\xE2\x80", true, false, 0},
	    {"12\xC2", true, false, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		double got = -999;
		bool ok =
		    money_parse_style(cases[i].in, strlen(cases[i].in), cases[i].dec_comma, &got);
		if (ok != cases[i].ok || (ok && got != cases[i].want))
			fail_msg("\"%s\" (decimal comma %d): ok %d got %g, want ok %d %g",
				 cases[i].in, cases[i].dec_comma, ok, got, cases[i].ok,
				 cases[i].want);
		if (!ok)
			assert_true(got == -999);
	}
	/* after a code as before a number: `EUR 1 234,50` */
	double v = 0;
	char code[4] = "";
	const char *coded = "EUR" NBSP "1" NNBSP "234,50";
	assert_true(money_parse_coded(coded, strlen(coded), true, &v, code));
	assert_true(v == 1234.5);
	assert_string_equal(code, "EUR");
	coded = "USD" NNBSP "23,000.00";
	assert_true(money_parse_coded(coded, strlen(coded), false, &v, code));
	assert_true(v == 23000);
	coded = "USD\xE2\x80\x89"
		"23,000.00";
	assert_false(money_parse_coded(coded, strlen(coded), false, &v, code));
	/* the sign is still seen behind a no-break space */
	const char *signed_amount = "1" NNBSP "234,50" NBSP EURO;
	assert_true(money_sign_fits(signed_amount, strlen(signed_amount), "EUR"));
	assert_false(money_sign_fits(signed_amount, strlen(signed_amount), "USD"));
#undef NBSP
#undef NNBSP
#undef EURO
}

/* The sign an amount is written with against a currency's code. */
static void test_sign_fits(void **state)
{
	(void)state;
	static const struct {
		const char *amount, *code;
		bool fits;
	} cases[] = {
	    {"1000.00", "EUR", true}, /* no sign: any currency */
	    {"$1000.00", "USD", true},
	    {"$1000.00", "cad", true},
	    {"$1000.00", "MXN", true},
	    {"$1000.00", "EUR", false},
	    {"$1000.00", "GBP", false},
	    {"(-$12.50)", "EUR", false},
	    {"\xE2\x82\xAC 410.00", "EUR", true},
	    {"\xE2\x82\xAC 410.00", "USD", false},
	    {"1.234,50 \xE2\x82\xAC", "EUR", true},
	    {"1.234,50 \xE2\x82\xAC", "GBP", false},
	    {"\xC2\xA3"
	     "500",
	     "GBP", true},
	    {"\xC2\xA3"
	     "500",
	     "EUR", false},
	    {"-\xC2\xA3"
	     "500",
	     "USD", false},
	    {"500\xC2\xA3", "USD", false},
	    {"$", "EUR", false},
	    {"", "EUR", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (money_sign_fits(cases[i].amount, strlen(cases[i].amount), cases[i].code) !=
		    cases[i].fits)
			fail_msg("\"%s\" in %s: want fits %d", cases[i].amount, cases[i].code,
				 cases[i].fits);
}

/* The digits after a decimal point, for the warning on "1.500" read as
 * one and a half: none without a point, none of two points. */
static void test_point_digits(void **state)
{
	(void)state;
	static const struct {
		const char *amount;
		int digits;
	} cases[] = {
	    {"1.500", 3},      {"25.700", 3},  {"$1,234.50", 2},
	    {"12.5", 1},       {"12", -1},     {"1.500 \xE2\x82\xAC", 3},
	    {"1.234.567", -1}, {"(3.000)", 3}, {"7.", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (money_point_digits(cases[i].amount, strlen(cases[i].amount)) != cases[i].digits)
			fail_msg("\"%s\": want %d digits after the point", cases[i].amount,
				 cases[i].digits);
}

/* The currency an amount header names at its end: an ISO 4217 code in
 * capitals, in parentheses or after a space; nothing else. */
static void test_header_currency(void **state)
{
	(void)state;
	static const struct {
		const char *header, *code; /* code NULL: names none */
	} cases[] = {
	    {"Amount spent (EUR)", "EUR"},
	    {"Cost (EUR)", "EUR"},
	    {"Cost EUR", "EUR"},
	    {"Amount USD", "USD"},
	    {"(JPY)", "JPY"},
	    {"Cost", NULL},
	    {"Cost (eur)", NULL}, /* not written as a code */
	    {"Cost eur", NULL},
	    {"Cost CPC", NULL},	  /* three capitals, no currency */
	    {"Cost (XAU)", NULL}, /* gold: not money a report sums */
	    {"Cost (EURO)", NULL},
	    {"CostEUR", NULL},
	    {"EUR", NULL},	      /* the whole header: no amount named */
	    {"Cost (EUR) net", NULL}, /* the code not at the end */
	    {"Cost (EUR", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char code[4] = "";
		bool named = money_header_currency(cases[i].header, strlen(cases[i].header), code);
		if (named != (cases[i].code != NULL) || (named && strcmp(code, cases[i].code) != 0))
			fail_msg("\"%s\": want %s, got %s", cases[i].header,
				 cases[i].code ? cases[i].code : "none", named ? code : "none");
	}
	assert_true(money_is_currency("CHF"));
	assert_false(money_is_currency("chf"));
	assert_false(money_is_currency("XXX"));
	assert_false(money_is_currency("EURO"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_money),	    cmocka_unit_test(test_coded),
	    cmocka_unit_test(test_count),	    cmocka_unit_test(test_sign_fits),
	    cmocka_unit_test(test_point_digits),    cmocka_unit_test(test_header_currency),
	    cmocka_unit_test(test_no_break_spaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
