/* test_normalize.c — value normalisation of SPEC §3, and the plain-text
 * check every row goes through first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "normalize.h"
#include "textenc.h"

static void test_value(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"Google - Ads", "google_ads"},
	    {"  Paid Social ", "paid_social"},
	    {"paid_social", "paid_social"},
	    {"Closed Won", "closed_won"},
	    {"E-Mail--Marketing", "e_mail_marketing"},
	    {"ORGANIC_SEARCH", "organic_search"},
	    {"a \t b", "a_\t_b"}, /* only spaces and '-' fold; a tab stays */
	    {"", ""},
	    {"   ", ""},
	    {"Caf\xC3\xA9 Ads", "caf\xC3\xA9_ads"},
	    /* every letter of UTF-8 text: one channel however it is cased */
	    {"\xC3\x89V\xC3\x89NEMENTS", "\xC3\xA9v\xC3\xA9nements"},
	    {" \xC3\x89v\xC3\xA9nements - Paris", "\xC3\xA9v\xC3\xA9nements_paris"},
	    {"\303\234BER", "\303\274ber"}, /* Ü, ü in octal: B and b are hex digits */
	    /* U+023A's lower case takes three bytes where it took two */
	    {"\xC8\xBA-\xC8\xBA", "\xE2\xB1\xA5_\xE2\xB1\xA5"},
	    /* not UTF-8 (windows-1252 bytes): ASCII letters only */
	    {"CAF\xC9 Ads", "caf\xC9_ads"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[64];
		size_t n = norm_value(cases[i][0], strlen(cases[i][0]), out);
		out[n] = '\0';
		if (strcmp(out, cases[i][1]) != 0)
			fail_msg("\"%s\" → \"%s\", want \"%s\"", cases[i][0], out, cases[i][1]);
	}
	char out[16];
	size_t n = norm_upper(" us ", 4, out);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "US", 2);
	n = norm_upper("\xC3\xB6sterreich", 11, out);
	assert_int_equal(n, 11);
	assert_memory_equal(out, "\xC3\x96STERREICH", 11);
	/* U+0390 upper-cased is three letters of two bytes: the most growth */
	char grown[NORM_ROOM(2)];
	n = norm_upper("\xCE\x90", 2, grown);
	assert_int_equal(n, 6);
	assert_memory_equal(grown, "\xCE\x99\xCC\x88\xCC\x81", 6);
	const char *s = "\t x y \r\n";
	size_t len = strlen(s);
	norm_trim(&s, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "x y", 3);
}

static void test_company_size(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		bool dec_comma, ok;
		int64_t want;
	} cases[] = {
	    {"250", false, true, 250},
	    {"51-200", false, true, 51},
	    {"1,001-5,000", false, true, 1001},
	    {"1,001 - 5,000", false, true, 1001},
	    {"10000+", false, true, 10000},
	    {"10,000+", false, true, 10000},
	    {"0", false, true, 0},
	    {"200-51", false, false, 0},
	    {"-5", false, false, 0},
	    {"lots", false, false, 0},
	    {"5.5", false, false, 0},
	    {"+", false, false, 0},
	    {"", false, false, 0},
	    {"51-", false, false, 0},
	    {"1.200", false, false, 0}, /* a decimal point's 1.2 */
	    {"1.001-5.000", false, false, 0},
	    /* decimal = comma, as a German Salesforce report writes them */
	    {"1.200", true, true, 1200},
	    {"250", true, true, 250},
	    {"1.001-5.000", true, true, 1001},
	    {"1.001 - 5.000", true, true, 1001},
	    {"10.000+", true, true, 10000},
	    {"1 200", true, true, 1200},
	    {"1\xE2\x80\xAF"
	     "001-5\xE2\x80\xAF"
	     "000",
	     true, true, 1001},
	    {"1,001-5,000", true, true, 1001}, /* a band written in English */
	    {"5.000-1.001", true, false, 0},
	    {"5,5", true, false, 0},
	    {"1.20", true, false, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int64_t v = -1;
		bool ok =
		    norm_company_size(cases[i].in, strlen(cases[i].in), cases[i].dec_comma, &v);
		if (ok != cases[i].ok || (ok && v != cases[i].want))
			fail_msg("\"%s\" (decimal comma %d): ok %d got %lld", cases[i].in,
				 cases[i].dec_comma, ok, (long long)v);
	}
}

static void test_bool(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		bool ok;
		int8_t want;
	} cases[] = {
	    {"true", true, 1},	{"TRUE", true, 1}, {"1", true, 1},  {"Yes", true, 1},
	    {"false", true, 0}, {"0", true, 0},	   {"NO", true, 0}, {"False", true, 0},
	    {"y", false, 0},	{"", false, 0},	   {"2", false, 0}, {"truee", false, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int8_t v = -1;
		bool ok = norm_bool(cases[i].in, strlen(cases[i].in), &v);
		if (ok != cases[i].ok || (ok && v != cases[i].want))
			fail_msg("\"%s\": ok %d got %d", cases[i].in, ok, v);
	}
}

/* A byte of 0x80 or more, or a NUL, at any place of a row of any length
 * makes it not plain ASCII; plain text is. */
static void test_plain_ascii(void **state)
{
	(void)state;
	char b[80];
	for (size_t len = 0; len <= sizeof b; len++) {
		memset(b, 'a', sizeof b);
		assert_true(textenc_plain_ascii(b, len));
		for (size_t at = 0; at < len; at++) {
			static const unsigned char bad[] = {0x00, 0x80, 0xC3, 0xFF};
			for (size_t k = 0; k < sizeof bad; k++) {
				b[at] = (char)bad[k];
				if (textenc_plain_ascii(b, len))
					fail_msg("length %zu, byte 0x%02X at %zu taken as ASCII",
						 len, bad[k], at);
				b[at] = 0x7F; /* the highest ASCII byte */
				assert_true(textenc_plain_ascii(b, len));
			}
		}
	}
}

/* A text probed in two chunks cut at every place: UTF-8 is UTF-8 wherever
 * a character is cut, windows-1252 is not, and the first character
 * beyond ASCII is found in the chunk it starts in. */
static void test_probe_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool utf8;
	} cases[] = {
	    {"id,name\n1,Caf\xC3\xA9\n2,\xE2\x82\xAC 5\n3,\xF0\x9F\x98\x80\n", true},
	    {"id,name\n1,Caf\xE9\n", false},		      /* windows-1252 é */
	    {"id,name\n1,Caf\xC3\xA9\n2,M\xFCller\n", false}, /* both: not a UTF-8 file */
	    {"id,name\n1,Caf\xC3", false},		      /* cut at the file's end */
	    {"id,name\n1,Cafe\n", false},		      /* ASCII alone */
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		const unsigned char *t = (const unsigned char *)cases[c].text;
		size_t n = strlen(cases[c].text), want = n;
		for (size_t i = 0; i < n; i++)
			if (t[i] >= 0x80 && want == n)
				want = i;
		for (size_t cut = 0; cut <= n; cut++) {
			utf8_probe p = {0};
			size_t a = textenc_probe_utf8(&p, t, cut);
			size_t b = textenc_probe_utf8(&p, t + cut, n - cut);
			bool utf8 = p.utf8 > 0 && p.other == 0 && p.nheld == 0;
			if (utf8 != cases[c].utf8)
				fail_msg("case %zu cut at %zu: UTF-8 %d", c, cut, utf8);
			size_t first = a < cut ? a : b < n - cut ? cut + b : n;
			if (cases[c].utf8 && first != want && !(want < cut && cut - want < 4))
				fail_msg("case %zu cut at %zu: first at %zu, not %zu", c, cut,
					 first, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value),      cmocka_unit_test(test_company_size),
	    cmocka_unit_test(test_bool),       cmocka_unit_test(test_plain_ascii),
	    cmocka_unit_test(test_probe_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
