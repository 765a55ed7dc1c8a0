/* mq_textf(): text cut to a buffer never splits a UTF-8 character.
 * mq_fixed(), mq_grouped(): numbers rounded as a spreadsheet shows them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <float.h>
#include <glib.h>

#include "base.h"

static void fits_whole(void **state)
{
	(void)state;
	char b[16];
	mq_textf(b, sizeof b, "%s %d", "caf\xC3\xA9", 42);
	assert_string_equal(b, "caf\xC3\xA9 42");
	mq_textf(b, 4, "%s", "abc"); /* exactly fills */
	assert_string_equal(b, "abc");
}

/* Every buffer size from 1 to past the text: valid UTF-8, a prefix of the
 * text whole characters long, and "…" at the end whenever it was cut. */
static void cut_at_a_character(void **state)
{
	(void)state;
	GString *text = g_string_new("id ");
	for (int i = 0; i < 40; i++)
		g_string_append(text, i % 3 ? "\xC3\xBC" : "\xE2\x82\xAC"); /* ü and € */
	g_string_append(text, "\xF0\x9F\x93\x88 end");			    /* four bytes */
	for (size_t n = 1; n <= text->len + 2; n++) {
		char b[256];
		memset(b, 'x', sizeof b);
		mq_textf(b, n, "%s", text->str);
		size_t len = strlen(b);
		assert_true(len < n);
		if (!g_utf8_validate(b, -1, NULL))
			fail_msg("size %zu: not UTF-8: %s", n, b);
		bool cut = text->len >= n;
		size_t keep = cut && len >= 3 ? len - 3 : len;
		if (cut && n >= 4)
			assert_memory_equal(b + keep, "\xE2\x80\xA6", 3);
		assert_memory_equal(b, text->str, keep);
		if (cut && n >= 4) /* cut no earlier than one character before the room */
			assert_true(keep + 3 + 4 > n - 1);
	}
	g_string_free(text, true);
}

/* A half goes away from zero, as under a workbook's number format, also
 * for the decimal a double only comes near (2.675 is 2.67499999… stored). */
/* An error message longer than mq_err holds ends in "…", cut before a
 * character, never in one; the first error set stays. */
static void long_error_says_it_is_cut(void **state)
{
	(void)state;
	mq_err e = {0};
	mq_err_set(&e, MQ_DATAERR, "%s", "short");
	mq_err_set(&e, MQ_USAGE, "%s", "later");
	assert_int_equal(e.status, MQ_DATAERR);
	assert_string_equal(e.msg, "short");
	/* "é" is two bytes: the cut falls inside one wherever it lands */
	GString *s = g_string_new(NULL);
	while (s->len < 2 * sizeof e.msg)
		g_string_append(s, "\xC3\xA9");
	for (size_t shift = 0; shift < 2; shift++) {
		mq_err c = {0};
		mq_err_set(&c, MQ_DATAERR, "%.*s%s", (int)shift, "x", s->str);
		size_t n = strlen(c.msg);
		assert_true(n < sizeof c.msg);
		assert_true(n > sizeof c.msg - 8);
		assert_string_equal(c.msg + n - 3, "\xE2\x80\xA6");
		assert_true(g_utf8_validate(c.msg, -1, NULL));
	}
	g_string_free(s, TRUE);
	/* one that fits has no mark */
	mq_err f = {0};
	mq_err_set(&f, MQ_DATAERR, "%0*d", (int)sizeof f.msg - 1, 7);
	assert_int_equal(strlen(f.msg), sizeof f.msg - 1);
	assert_int_equal(f.msg[sizeof f.msg - 2], '7');
}

static void rounds_as_a_spreadsheet(void **state)
{
	(void)state;
	static const struct {
		double d;
		int decimals;
		const char *want;
	} cases[] = {
	    {6.25, 1, "6.3"},	 {-6.25, 1, "-6.3"},	 {2.675, 2, "2.68"},
	    {0.5, 0, "1"},	 {1.5, 0, "2"},		 {2.5, 0, "3"},
	    {-2.5, 0, "-3"},	 {0.05, 1, "0.1"},	 {0.04, 1, "0.0"},
	    {-0.04, 1, "0.0"},	 {0.96, 0, "1"},	 {999.95, 1, "1000.0"},
	    {9.995, 2, "10.00"}, {123.456, 2, "123.46"}, {0, 2, "0.00"},
	    {1e-20, 2, "0.00"},	 {4.24, 1, "4.2"},	 {1e20, 0, "100000000000000000000"},
	    {1234.5, 0, "1235"}, {0.0006, 3, "0.001"},	 {12.3, 0, "12"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char b[64];
		mq_fixed(cases[i].d, cases[i].decimals, b, sizeof b);
		if (strcmp(b, cases[i].want) != 0)
			fail_msg("%.17g to %d decimals: got \"%s\", want \"%s\"", cases[i].d,
				 cases[i].decimals, b, cases[i].want);
	}
	char b[400];
	mq_fixed(-DBL_MAX, 2, b, sizeof b); /* 309 digits, the sign, the decimals */
	assert_int_equal(strlen(b), 1 + 309 + 3);
	assert_memory_equal(b, "-17976931348623", 15);
	mq_grouped(-1234.5, 0, b, sizeof b);
	assert_string_equal(b, "-1,235");
	mq_grouped(-0.004, 2, b, sizeof b);
	assert_string_equal(b, "0.00");
	mq_grouped(999999.5, 0, b, sizeof b);
	assert_string_equal(b, "1,000,000");
	mq_grouped(DBL_MAX, 0, b, sizeof b); /* cut to the buffer, never past it */
	assert_int_equal(strlen(b), sizeof b - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fits_whole),
	    cmocka_unit_test(cut_at_a_character),
	    cmocka_unit_test(rounds_as_a_spreadsheet),
	    cmocka_unit_test(long_error_says_it_is_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
