/* test_reports.c — the renderers on a hand-built tree (report_tree.h):
 * metrics.json's exact text, the display and Excel formats, the generic
 * grids, rejects.csv, and that the workbook and the PDF are written,
 * reproducibly, with errors that name the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "changes.h"
#include "chart.h"
#include "health.h"
#include "grid.h"
#include "json.h"
#include "layout.h"
#include "catalog.h"
#include "numfmt.h"
#include "palette.h"
#include "report_tree.h"
#include "shown.h"
#include "weekdates.h"
#include "xlsx_int.h"
#include "pdf_int.h"
#include "reports.h"
#include "xlsx.h"
#include "xlsx_int.h"

static char *slurp(const char *path, size_t *len)
{
	if (len)
		*len = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = xmalloc((size_t)n + 1);
	size_t got = fread(buf, 1, (size_t)n, fp);
	fclose(fp);
	buf[got] = '\0';
	if (len)
		*len = got;
	return buf;
}

static char *tmpdir;

static int setup_dir(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	tmpdir = xasprintf("%s/test_reports.XXXXXX", base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	free(tmpdir);
	return rc == 0 ? 0 : -1;
}

/* The exact pretty-printed text of a small tree. */
static void test_json_layout(void **state)
{
	(void)state;
	mval *root = mv_obj();
	mval *a = mv_set(root, "zeta", mv_arr());
	mv_push(a, mv_int(1, MF_COUNT));
	mv_push(a, mv_obj());
	mv_set(root, "alpha", mv_obj());
	mv_set(root, "empty", mv_arr());
	mv_set(root, "ok", mv_bool(true));
	char *s = report_json_string(root);
	/* keys in tree order (zeta before alpha), two spaces per level, empty
	 * containers as {} and [], a final newline */
	assert_string_equal(s, "{\n"
			       "  \"zeta\": [\n"
			       "    1,\n"
			       "    {}\n"
			       "  ],\n"
			       "  \"alpha\": {},\n"
			       "  \"empty\": [],\n"
			       "  \"ok\": true\n"
			       "}\n");
	g_free(s);
	mv_free(root);
}

/* Numbers: integers for MV_INT, the shortest round trip for doubles. */
static void test_json_numbers(void **state)
{
	(void)state;
	static const struct {
		double d;
		const char *want;
	} cases[] = {
	    {0.1, "0.1"},		     /* not 0.10000000000000001 */
	    {1.0 / 3, "0.3333333333333333"}, /* 16 digits read back as 1/3, 15 do not */
	    {2.0, "2"},
	    {100.0, "100"}, /* not 1e+02 */
	    {123456789012.0, "123456789012"},
	    {1e20, "100000000000000000000"}, /* 21 digits: still written out */
	    {0.00001234, "0.00001234"},
	    {1e-7, "1e-7"}, /* from 10^-7 on: an exponent */
	    {-1.5e-10, "-1.5e-10"},
	    {0.0, "0"},
	    {-0.25, "-0.25"},
	    {12500.5, "12500.5"},
	    {1e21, "1e+21"},
	    {5e-324, "5e-324"},				  /* the smallest subnormal */
	    {0.30000000000000004, "0.30000000000000004"}, /* 0.1 + 0.2 needs 17 */
	    /* powers of two: the doubles below are denser than those above */
	    {0x1p149, "7.1362384635298e+44"},	/* not 7.1362384635297994e+44 */
	    {0x1p-44, "5.684341886080802e-14"}, /* the nearest 16 digits do not read back */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[40];
		json_format_double(cases[i].d, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
	/* any finite double reads back exactly (random bit patterns) */
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double d;
		memcpy(&d, &x, sizeof d);
		if (!isfinite(d))
			continue;
		char buf[40];
		json_format_double(d, buf, sizeof buf);
		if (strtod(buf, NULL) != d)
			fail_msg("%.17g written as %s does not read back", d, buf);
	}
	mval *root = mv_obj();
	mv_set(root, "i",
	       mv_int(-9007199254740993LL, MF_COUNT)); /* 2^53 + 1: exact as an integer */
	mv_set(root, "n", mv_num(NAN, MF_RATE));       /* a 0/0 rate is null */
	mv_set(root, "z", mv_num(-0.0, MF_MONEY));     /* no negative zero */
	char *s = report_json_string(root);
	assert_string_equal(s, "{\n  \"i\": -9007199254740993,\n  \"n\": null,\n  \"z\": 0\n}\n");
	g_free(s);
	mv_free(root);
}

static void test_json_time(void **state)
{
	(void)state;
	static const struct {
		ts_ms t;
		const char *want;
	} cases[] = {
	    {TREE_AS_OF, "2026-03-09T00:00:00Z"},
	    {TREE_GENERATED, "2026-03-09T06:30:15Z"}, /* .750 cut off, not rounded */
	    {0, "1970-01-01T00:00:00Z"},
	    {-1500, "1969-12-31T23:59:58Z"}, /* -1.5 s: the second that contains it */
	    /* 2024-02-29T23:59:59.999Z: 19782 days (54 years, 13 leap days
	     * 1972..2020, + 31 + 28) + 86399.999 s */
	    {19782LL * 86400000 + 86399999, "2024-02-29T23:59:59Z"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		json_format_time(cases[i].t, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_json_strings(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"plain", "\"plain\""},
	    {"say \"hi\"", "\"say \\\"hi\\\"\""},
	    {"back\\slash", "\"back\\\\slash\""},
	    {"tab\tnl\ncr\r", "\"tab\\tnl\\ncr\\r\""},
	    {"bell\x01\x1f", "\"bell\\u0001\\u001f\""},
	    {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x88",
	     "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x88\""},
	    {"bad\xFF", "\"bad\xEF\xBF\xBD\""},			/* not UTF-8: U+FFFD */
	    {"cut\xE2\x82", "\"cut\xEF\xBF\xBD\xEF\xBF\xBD\""}, /* a truncated sequence */
	    {"sur\xED\xA0\x80",
	     "\"sur\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""}, /* a UTF-16 surrogate */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mval *v = mv_str(cases[i].in);
		char *s = json_compact(v);
		assert_string_equal(s, cases[i].want);
		g_free(s);
		mv_free(v);
	}
	/* longer than the writer escapes at a time, with sequences across its
	 * steps: 30,000 euro signs of 3 bytes, a tab, a byte that is not UTF-8 */
	GString *in = g_string_new(NULL), *want = g_string_new("\"");
	for (int i = 0; i < 30000; i++)
		g_string_append(in, "\xE2\x82\xAC");
	g_string_append(want, in->str);
	g_string_append(in, "\t\xFF");
	g_string_append(want, "\\t\xEF\xBF\xBD\"");
	mval *v = mv_str(in->str);
	char *s = json_compact(v);
	assert_string_equal(s, want->str);
	g_free(s);
	mv_free(v);
	g_string_free(in, TRUE);
	g_string_free(want, TRUE);
}

/* Fragments of the whole tree's metrics.json. */
static void test_json_tree(void **state)
{
	(void)state;
	mval *root = tree_build();
	char *path = xasprintf("%s/metrics.json", tmpdir);
	mq_err err = {0};
	assert_int_equal(report_json_write(root, path, &err), 0);
	char *s = slurp(path, NULL);
	assert_non_null(s);
	char *mem = report_json_string(root);
	assert_string_equal(s, mem);
	static const char *const fragments[] = {
	    "{\n  \"report\": {\n    \"week\": \"2026-W10\",\n",
	    "\"as_of\": \"2026-03-09T00:00:00Z\"",
	    "\"generated_at\": \"2026-03-09T06:30:15Z\"",
	    "\"currency\": \"EUR\"",
	    /* windows.1w: no closed deals, so null; ints without a fraction */
	    "\"1w\": {\n      \"leads\": 12,\n      \"mqls\": 2,\n      \"revenue\": 0,\n",
	    "\"close_rate\": null,",
	    "\"close_rate\": 0.3333333333333333,",
	    "\"revenue\": 12500.5,",
	    "\"cost_per_mql\": 750.125,", /* 1500.25 / 2 */
	    "\"mqls_per_week\": 2.25,",
	    "\"roi\": -0.25,",
	    "\"clv_to_cac\": null\n",
	    "\"campaign\": \"Spring \\\"Launch\\\"\\\\2026\"",
	    "\"campaign\": \"Retarget\\tQ1 \xE2\x82\xAC\"",
	    "\"low_sample\": true",
	    "\"newest_timestamp\": \"2026-03-08T23:00:00Z\"",
	    ("\"rejected_by_reason\": {\n          \"missing_lead_id\": 1\n        },\n        "
	     "\"warnings_by_field\": {},"),
	    "\"stale_sources\": []",
	    "\"experimental\": {\n    \"pipeline_velocity\": 1234.5\n  }\n}\n",
	};
	for (size_t i = 0; i < sizeof fragments / sizeof fragments[0]; i++) {
		if (!strstr(s, fragments[i]))
			fail_msg("metrics.json lacks fragment %zu: %s", i, fragments[i]);
	}
	/* top-level keys in tree order */
	const char *order[] = {"\"report\"",	   "\"windows\"",     "\"summary\"",
			       "\"by_channel\"",   "\"by_campaign\"", "\"trend\"",
			       "\"data_quality\"", "\"experimental\""};
	const char *at = s;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const char *p = strstr(at, order[i]);
		if (!p)
			fail_msg("key %s missing or out of order", order[i]);
		at = p;
	}
	g_free(mem);
	free(s);
	free(path);
	mv_free(root);
}

/* A header of another shape than tree_build()'s: nested, with an array. */
static mval *other_header(void)
{
	mval *h = mv_obj();
	mv_set(h, "week", mv_str("2026-W11"));
	mval *in = mv_set(h, "inputs", mv_obj());
	mval *ev = mv_set(in, "events", mv_obj());
	mv_set(ev, "sha256", mv_str("00ff"));
	mv_push(mv_set(h, "stale", mv_arr()), mv_int(3, MF_COUNT));
	return h;
}

/* A draft written with a member's value, and the tree streamed with that
 * value swapped in, are the file of the tree that holds that value,
 * whichever member it is (first, last, or missing). */
static void test_json_draft(void **state)
{
	(void)state;
	char *path = xasprintf("%s/draft.json", tmpdir);
	static const char *const keys[] = {"report", "experimental", "windows", "no_such_key"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		mval *root = tree_build();
		mval *want = tree_build();
		bool present = mv_get(root, keys[k]) != NULL;
		if (present)
			mv_set(want, keys[k], other_header());
		json_draft *d = report_json_draft(root, keys[k]);
		mv_free(root); /* the draft holds its own text */
		mval *value = other_header();
		mq_err err = {0};
		assert_int_equal(report_json_draft_write(d, value, path, &err), 0);
		char *got = slurp(path, NULL);
		char *exp = report_json_string(want);
		if (strcmp(got, exp) != 0)
			fail_msg("the draft for %s differs from the tree that holds its value:\n%s",
				 keys[k], got);
		assert_true(present == (strstr(got, "2026-W11") != NULL));
		/* streamed with the value swapped in: the same text */
		root = tree_build();
		assert_int_equal(report_json_write_as(root, keys[k], value, path, &err), 0);
		char *streamed = slurp(path, NULL);
		assert_string_equal(streamed, exp);
		free(streamed);
		mv_free(root);
		g_free(exp);
		free(got);
		mv_free(value);
		mv_free(want);
	}
	/* a draft whose file cannot be made: the error names it, the draft is freed */
	mval *root = tree_build();
	char *bad = xasprintf("%s/no/such/dir/metrics.json", tmpdir);
	mq_err err = {0};
	assert_int_equal(
	    report_json_draft_write(report_json_draft(root, "report"), root, bad, &err), -1);
	assert_int_equal(err.status, MQ_CANTCREAT);
	assert_non_null(strstr(err.msg, bad));
	free(bad);
	mv_free(root);
	free(path);
}

static void test_numfmt(void **state)
{
	(void)state;
	static const struct {
		double d;
		bool integral;
		mv_fmt f;
		const char *cur, *want;
	} cases[] = {
	    {1234, true, MF_COUNT, NULL, "1,234"},
	    {2.25, false, MF_COUNT, NULL, "2.25"},
	    {1234.5, false, MF_MONEY, "USD", "$1,234.50"},
	    {1234567.891, false, MF_MONEY, "EUR",
	     "\xE2\x82\xAC"
	     "1,234,568"}, /* whole units from 10,000 */
	    {-42.5, false, MF_MONEY, "GBP",
	     "\xE2\x88\x92\xC2\xA3" /* a true minus sign, as every output writes it */
	     "42.50"},
	    {99.5, false, MF_MONEY, "CHF", "99.50 CHF"},
	    {5000, true, MF_MONEY, "USD", "$5,000"}, /* an axis tick: whole */
	    {5000.5, true, MF_MONEY, "USD", "$5,000.50"},
	    {0.123, false, MF_RATE, NULL, "12.3%"},
	    {12.105, false, MF_RATE, NULL, "1,210.5%"}, /* grouped as every number */
	    {0.2, false, MF_CHANGE, NULL, "+20.0%"},
	    {-12.863, false, MF_CHANGE, NULL,
	     "\xE2\x88\x92"
	     "1,286.3%"},
	    {-0.05, false, MF_CHANGE, NULL,
	     "\xE2\x88\x92"
	     "5.0%"},
	    {2.5, false, MF_DAYS, NULL, "2.5 d"},
	    {42, false, MF_MINUTES, NULL, "42 min"},
	    {4.25, false, MF_MINUTES, NULL,
	     "4.3 min"}, /* a half away from zero, as the workbook's format shows it */
	    {0.0625, false, MF_RATE, NULL, "6.3%"},
	    {-0.0625, false, MF_CHANGE, NULL,
	     "\xE2\x88\x92"
	     "6.3%"},
	    {2.675, false, MF_MONEY, "USD", "$2.68"}, /* 2.67499999… as a double */
	    /* a currency's own minor units: none for yen, three for dinars */
	    {3810.54, false, MF_MONEY, "JPY",
	     "\xC2\xA5"
	     "3,811"},
	    {259.81, false, MF_MONEY, "jpy",
	     "\xC2\xA5"
	     "260"},
	    {99.5, false, MF_MONEY, "KWD", "99.500 KWD"},
	    {0.125, false, MF_RATIO, NULL, "0.13"},
	    {2.25, false, MF_DAYS, NULL, "2.3 d"},
	    {-0.25, false, MF_RATIO, NULL,
	     "\xE2\x88\x92"
	     "0.25"},
	    {62.5, false, MF_SCORE, NULL, "62.5"},
	    {60, true, MF_SCORE, NULL, "60"},
	    {NAN, false, MF_RATE, NULL, "\xE2\x80\x94"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		numfmt_number(cases[i].d, cases[i].integral, cases[i].f, cases[i].cur, buf,
			      sizeof buf);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, buf, cases[i].want);
	}
	char buf[64];
	mval *t = mv_time(TREE_GENERATED);
	numfmt_value(t, NULL, buf, sizeof buf);
	assert_string_equal(buf, "2026-03-09 06:30 UTC");
	mv_free(t);
	mval *n = mv_null();
	numfmt_value(n, NULL, buf, sizeof buf);
	assert_string_equal(buf, "\xE2\x80\x94"); /* null shows as an em dash */
	mv_free(n);
}

/* A "What changed" sentence's three amounts share one precision: the
 * largest of them decides ("$9,900" beside "$10,135", not "$9,899.69"). */
static void test_sentence_precision(void **state)
{
	(void)state;
	mval *root = mv_obj();
	mval *rows = mv_set(root, "what_changed", mv_arr());
	mval *r = mv_push(rows, mv_obj());
	mv_set(r, "kpi", mv_str("spend"));
	mv_set(r, "this_week", mv_num(10135.2, MF_MONEY));
	mv_set(r, "last_week", mv_num(13054.4, MF_MONEY));
	mv_set(r, "change", mv_num(-0.2236, MF_CHANGE));
	mv_set(r, "change_unit", mv_str("%"));
	mv_set(r, "mean_13w", mv_num(9899.69, MF_MONEY));
	mv_set(r, "z_score", mv_num(0.1, MF_RATIO));
	mv_set(r, "unusual", mv_bool(false));
	mv_set(mv_set(root, "report", mv_obj()), "currency", mv_str("USD"));
	char **s = changes_sentences(root, 4);
	assert_non_null(s);
	assert_non_null(s[0]);
	assert_non_null(strstr(s[0], "to $10,135 (last week $13,054; 13-week average $9,900)"));
	g_strfreev(s);
	mv_free(root);
}

/* The catalogue's words for what the report names by key: an attribution
 * model ("W-shaped" for w_shaped, lowered in a sentence where it starts a
 * plain word), a text value ("loose" of the threshold's lean); names of
 * the same figure in alphabetical order, case ignored. */
static void test_catalog_words(void **state)
{
	(void)state;
	assert_string_equal(catalog_model_label("w_shaped"), "W-shaped");
	assert_string_equal(catalog_model_label("first_touch"), "First touch");
	char *s = catalog_in_sentence(catalog_model_label("first_touch"));
	assert_string_equal(s, "first touch");
	g_free(s);
	s = catalog_in_sentence(catalog_model_label("u_shaped"));
	assert_string_equal(s, "U-shaped");
	g_free(s);
	assert_string_equal(catalog_model_label("no_such_model"), "No such model");
	assert_string_equal(catalog_value_label("lean", "loose"), "Loose: sales rejects many MQLs");
	assert_string_equal(catalog_value_label("mql_source", "export"),
			    "The leads export's MQL date");
	assert_string_equal(catalog_value_label("lean", "other"), "other");
	assert_true(shown_name_cmp("bing_generic", "Webinar: ROI") < 0);
	assert_true(shown_name_cmp("Webinar", "webinar") < 0); /* a total order */
	assert_int_equal(shown_name_cmp("a", "a"), 0);
}

/* Values shown together share one precision: a table's column, a tile's two
 * weeks, an axis's ticks. */
static void test_shared_precision(void **state)
{
	(void)state;
	char buf[64];
	const cat_entry *spend = catalog_find("spend");
	assert_non_null(spend);
	catalog_format_among(spend, 8077.03, 19937.4, "USD", buf, sizeof buf);
	assert_string_equal(buf, "$8,077"); /* beside $19,937 */
	catalog_format_among(spend, 8077.03, 9000, "USD", buf, sizeof buf);
	assert_string_equal(buf, "$8,077.03");
	catalog_format_among(spend, 0, 17500, "USD", buf, sizeof buf);
	assert_string_equal(buf, "$0"); /* last week's nothing beside $17,500 */
	catalog_format_among(spend, 17500, 0, "USD", buf, sizeof buf);
	assert_string_equal(buf, "$17,500"); /* its own size counts too */
	static const struct {
		double t, step;
		mv_fmt f;
		const char *want;
	} ticks[] = {
	    {0, 0.5, MF_MONEY, "$0.00"},    {1, 0.5, MF_MONEY, "$1.00"},
	    {0.5, 0.5, MF_MONEY, "$0.50"},  {2, 0.5, MF_COUNT, "2.0"},
	    {0.25, 0.25, MF_COUNT, "0.25"}, {2000, 500, MF_MONEY, "$2k"},
	    {3, 1, MF_COUNT, "3"},
	};
	for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++) {
		numfmt_tick(ticks[i].t, ticks[i].step, ticks[i].f, "USD", buf, sizeof buf);
		if (strcmp(buf, ticks[i].want) != 0)
			fail_msg("tick %zu: got \"%s\", want \"%s\"", i, buf, ticks[i].want);
	}
	/* amounts in the unit of a chart's largest: a tiny one is never written
	 * as 0, and the unit is the largest's as rounded */
	static const struct {
		double d, largest;
		mv_fmt f;
		const char *want;
	} among[] = {
	    {9000, 9000, MF_MONEY, "$9.0k"},
	    {304.62, 9000, MF_MONEY, "$0.3k"},
	    {30, 9000, MF_MONEY, "<$0.1k"},
	    {-30, 9000, MF_MONEY, ">\xE2\x88\x92$0.1k"},
	    {5, 9000, MF_COUNT, "<0.1k"},
	    {499, 629000, MF_MONEY, "<$1k"},
	    {629000, 629000, MF_MONEY, "$629k"},
	    {999950, 999950, MF_MONEY, "$1.0M"},
	    {-2500, 9000, MF_MONEY, "\xE2\x88\x92$2.5k"},
	    {0, 9000, MF_MONEY, "$0"},
	    {304.62, 800, MF_MONEY, "$304.62"},
	};
	for (size_t i = 0; i < sizeof among / sizeof among[0]; i++) {
		numfmt_short_among(among[i].d, among[i].largest, among[i].f, "USD", buf,
				   sizeof buf);
		if (strcmp(buf, among[i].want) != 0)
			fail_msg("among %zu: got \"%s\", want \"%s\"", i, buf, among[i].want);
	}
}

/* A table stops above the sheet's last row, which keeps the note. */
static void test_xlsx_rows_fit(void **state)
{
	(void)state;
	assert_int_equal(xrows_fit(10, 5, 100), 5);
	assert_int_equal(xrows_fit(10, 90, 100), 90); /* rows 10 .. 99 */
	assert_int_equal(xrows_fit(10, 91, 100), 90); /* row 100: the note */
	assert_int_equal(xrows_fit(10, 1200000, 1048575), 1048565);
	assert_int_equal(xrows_fit(100, 3, 100), 0);
	assert_int_equal(xrows_fit(101, 3, 100), 0);
	assert_int_equal(xrows_fit(99, 0, 100), 0);
}

static void test_xlsx_formats(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(xlsx_num_format(MF_COUNT, true, "USD", buf, sizeof buf), "#,##0");
	assert_string_equal(xlsx_num_format(MF_MONEY, false, "USD", buf, sizeof buf),
			    "\"$\"#,##0.00");
	assert_string_equal(xlsx_num_format(MF_MONEY, false, "chf", buf, sizeof buf),
			    "#,##0.00 \"CHF\"");
	assert_string_equal(xlsx_num_format(MF_MONEY, false, "JPY", buf, sizeof buf),
			    "\"\xC2\xA5\"#,##0");
	assert_string_equal(xlsx_num_format(MF_MONEY, false, "KWD", buf, sizeof buf),
			    "#,##0.000 \"KWD\"");
	/* only letters of a code reach the format string */
	assert_string_equal(xlsx_num_format(MF_MONEY, false, "X\"Y;", buf, sizeof buf),
			    "#,##0.00 \"XY\"");
	assert_string_equal(xlsx_num_format(MF_RATE, false, "USD", buf, sizeof buf), "0.0%");
	assert_string_equal(xlsx_num_format(MF_CHANGE, false, "USD", buf, sizeof buf),
			    /* a true minus, as the PDF's; thousands grouped, as its text */
			    "+#,##0.0%;\"\xE2\x88\x92\"#,##0.0%;\"±0%\"");
	assert_string_equal(xlsx_num_format(MF_DAYS, false, "USD", buf, sizeof buf), "0.0 \"d\"");
	assert_null(xlsx_num_format(MF_PLAIN, true, "USD", buf, sizeof buf));
	assert_string_equal(xlsx_num_format(MF_SCORE, true, "USD", buf, sizeof buf), "0");
	assert_string_equal(xlsx_num_format(MF_SCORE, false, "USD", buf, sizeof buf), "0.0");
}

/* The grid shapes of grid.h, on the parts of the tree. */
static void test_grid_shapes(void **state)
{
	(void)state;
	mval *root = tree_build();

	/* windows: side by side, metric then 1w, 4w, 13w */
	grid_set *s = grid_build(mv_get(root, "windows"), "window");
	assert_int_equal(s->n, 1);
	const grid *g = &s->blocks[0];
	assert_int_equal(g->ncols, 4);
	assert_string_equal(g->cols[0], "metric");
	assert_string_equal(g->cols[3], "13w");
	assert_int_equal(g->nrows, 16); /* tree_window() sets 16 metrics */
	assert_string_equal(grid_at(g, 0, 0)->text, "leads");
	assert_int_equal(mv_int_of(grid_at(g, 0, 3)->v), 130);
	assert_true(mv_is_null(grid_at(g, 6, 1)->v)); /* close_rate in 1w */
	grid_set_free(s);

	/* by_channel: one table, the window first, 3 windows × 3 channels */
	s = grid_build(mv_get(root, "by_channel"), "window");
	assert_int_equal(s->n, 1);
	g = &s->blocks[0];
	assert_true(g->is_table);
	assert_string_equal(g->cols[0], "window");
	assert_string_equal(g->cols[1], "channel");
	assert_int_equal(g->nrows, 9);
	assert_string_equal(g->group[8], "13w");
	assert_string_equal(grid_at(g, 8, 0)->text, "13w");
	assert_string_equal(mv_str_of(grid_at(g, 8, 1)->v), "email");
	grid_set_free(s);

	/* data_quality: the sources table, then the other members as metric/value
	 * rows; nested objects become dotted columns and names */
	s = grid_build(mv_get(root, "data_quality"), NULL);
	assert_int_equal(s->n, 2);
	g = &s->blocks[0];
	assert_string_equal(g->title, "sources");
	assert_true(grid_col(g, "rejected_by_reason.missing_lead_id") >= 0);
	assert_int_equal(grid_col(g, "warnings_by_field"), -1); /* empty: no column */
	g = &s->blocks[1];
	assert_int_equal(g->nrows, 4);
	assert_string_equal(grid_at(g, 2, 0)->text, "unknown_event_types_by_type.fax_sent");
	assert_string_equal(grid_at(g, 3, 0)->text,
			    "stale_sources"); /* an array of scalars is a value */
	grid_set_free(s);

	/* report: nested inputs flattened */
	s = grid_build(mv_get(root, "report"), NULL);
	g = &s->blocks[0];
	assert_string_equal(grid_at(g, 5, 0)->text, "inputs.leads.bytes");
	grid_set_free(s);
	mv_free(root);
}

static void test_layout_templates(void **state)
{
	(void)state;
	mq_err err = {0};
	layout_workbook *w = layout_workbook_parse(layout_tpl_workbook, "workbook.ini", &err);
	assert_non_null(w);
	/* the Overview comes first, the Glossary last */
	assert_string_equal(w->sheets[0].kind, "overview");
	assert_string_equal(w->sheets[0].path, "what_changed");
	assert_string_equal(w->sheets[w->nsheets - 1].kind, "glossary");
	layout_workbook_free(w);
	layout_pdf *p = layout_pdf_parse(layout_tpl_pdf, "report_pdf.ini", &err);
	assert_non_null(p);
	assert_int_equal(p->sections[0].kind, LK_RANKING);
	assert_string_equal(p->sections[0].path, "by_campaign.13w");
	assert_int_equal(p->sections[0].top, 15);
	char buf[64];
	assert_string_equal(layout_label(p, "cost_per_mql", buf, sizeof buf), "Cost per MQL");
	assert_string_equal(layout_label(p, "time_to_mql_days_median", buf, sizeof buf),
			    "Time to mql days median");
	layout_pdf_free(p);

	/* a broken template is refused with its name and group */
	mq_err e2 = {0};
	assert_null(layout_workbook_parse("[workbook]\nsheets = a\n", "t.ini", &e2));
	assert_int_equal(e2.status, MQ_SOFTWARE);
	assert_non_null(strstr(e2.msg, "t.ini: sheet [a]"));
}

static void test_rejects_csv(void **state)
{
	(void)state;
	dataset *ds = dataset_new();
	const char *f1[] = {"L1", "b,c", "say \"hi\""};
	size_t l1[] = {2, 3, 8};
	const char *f2[] = {"x", "line\nbreak"};
	size_t l2[] = {1, 10};
	dataset_reject(ds, SRC_LEADS, 7, "wrong_field_count", f1, l1, 3);
	dataset_reject(ds, SRC_SPEND, 12, "negative_amount", f2, l2, 2);
	char *path = xasprintf("%s/rejects.csv", tmpdir);
	mq_err err = {0};
	assert_int_equal(report_rejects_write(ds, path, &err), 0);
	char *s = slurp(path, NULL);
	/* header to the widest row (3 fields); rows keep their own field count;
	 * RFC 4180: quotes around a comma, a quote (doubled) or a line break */
	assert_string_equal(s, "source,line,reason,field_1,field_2,field_3\r\n"
			       "leads,7,wrong_field_count,L1,\"b,c\",\"say \"\"hi\"\"\"\r\n"
			       "spend,12,negative_amount,x,\"line\nbreak\"\r\n");
	free(s);
	dataset_free(ds);

	ds = dataset_new();
	assert_int_equal(report_rejects_write(ds, path, &err), 0);
	s = slurp(path, NULL);
	assert_string_equal(s, "source,line,reason\r\n");
	free(s);
	free(path);
	dataset_free(ds);
}

static bool same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = slurp(a, &la), *y = slurp(b, &lb);
	bool same = x && y && la == lb && memcmp(x, y, la) == 0;
	free(x);
	free(y);
	return same;
}

/* The workbook and the PDF are written, whole, and the same tree gives the
 * same bytes (the creation dates are as_of, not the clock). */
static void test_xlsx_pdf_written(void **state)
{
	(void)state;
	mval *root = tree_build();
	char *x1 = xasprintf("%s/a.xlsx", tmpdir), *x2 = xasprintf("%s/b.xlsx", tmpdir);
	char *p1 = xasprintf("%s/a.pdf", tmpdir), *p2 = xasprintf("%s/b.pdf", tmpdir);
	mq_err err = {0};
	assert_int_equal(report_xlsx_write(root, x1, &err), 0);
	sleep(1); /* a clock-stamped file would now differ */
	assert_int_equal(report_xlsx_write(root, x2, &err), 0);
	assert_int_equal(report_pdf_write(root, p1, &err), 0);
	assert_int_equal(report_pdf_write(root, p2, &err), 0);
	assert_int_equal(err.status, MQ_OK);

	size_t n;
	char *s = slurp(x1, &n);
	assert_true(n > 1000);
	assert_memory_equal(s, "PK\x03\x04", 4); /* a zip container */
	free(s);
	s = slurp(p1, &n);
	assert_true(n > 1000);
	assert_memory_equal(s, "%PDF-", 5);
	assert_non_null(memmem(s, n, "%%EOF", 5));
	free(s);
	assert_true(same_file(x1, x2));
	assert_true(same_file(p1, p2));

	/* no temp file is left beside the outputs */
	char *cmd = xasprintf("ls '%s' | grep -c tmp", tmpdir);
	FILE *ls = popen(cmd, "r");
	char out[16] = "";
	assert_non_null(fgets(out, sizeof out, ls));
	pclose(ls);
	assert_string_equal(out, "0\n");
	free(cmd);
	free(x1);
	free(x2);
	free(p1);
	free(p2);
	mv_free(root);
}

/* The text of one part of a written workbook (unzip -p), or NULL. */
static char *xlsx_part(const char *xlsx, const char *part)
{
	char *cmd = xasprintf("unzip -p '%s' '%s'", xlsx, part);
	FILE *p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return NULL;
	GString *b = g_string_new(NULL);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		g_string_append_len(b, buf, (gssize)n);
	int rc = pclose(p);
	if (rc != 0) {
		g_string_free(b, TRUE);
		return NULL;
	}
	return g_string_free(b, FALSE);
}

/* The Overview's health banner: with a warning, its words are on the first
 * sheet's third row (merged across the page, in the warning style) above the
 * KPI tiles; with every check passing there is no banner row. */
static void test_overview_banner(void **state)
{
	(void)state;
	mval *root = tree_build();
	mval *h = mv_set(mv_get(root, "data_quality"), "health", mv_arr());
	mval *ok = mv_push(h, mv_obj());
	mv_set(ok, "check", mv_str("source_stale"));
	mv_set(ok, "status", mv_str("pass"));
	mv_set(ok, "message", mv_str("leads: rows reach the report week"));
	char *x1 = xasprintf("%s/banner-none.xlsx", tmpdir),
	     *x2 = xasprintf("%s/banner.xlsx", tmpdir);
	mq_err err = {0};
	assert_int_equal(report_xlsx_write(root, x1, &err), 0);
	mval *w = mv_push(h, mv_obj());
	mv_set(w, "check", mv_str("rejected_share"));
	mv_set(w, "status", mv_str("warn"));
	mv_set(w, "message", mv_str("spend: 12% of the rows were rejected, over the 5% limit"));
	assert_int_equal(report_xlsx_write(root, x2, &err), 0);

	const char *want = "Data health warning \xE2\x80\x94 Rejected rows (rejected_share): "
			   "spend: 12% of the rows were "
			   "rejected, over the 5% limit";
	char *strings = xlsx_part(x2, "xl/sharedStrings.xml");
	char *sheet = xlsx_part(x2, "xl/worksheets/sheet1.xml");
	assert_non_null(strings);
	assert_non_null(sheet);
	assert_non_null(strstr(strings, want));
	/* a pass is not a warning: the banner (its one shared string) does not
	 * name it, though the Data quality sheet lists every check */
	const char *banner = strstr(strings, "Data health warning");
	const char *end = banner ? strstr(banner, "</t>") : NULL;
	assert_non_null(end);
	const char *stale = strstr(banner, "(source_stale)");
	assert_true(!stale || stale > end);
	assert_non_null(strstr(strings, "(source_stale)"));
	/* left of the charts, which float from column G */
	assert_non_null(strstr(sheet, "<mergeCell ref=\"A3:F3\"/>"));
	assert_non_null(strstr(sheet, "<c r=\"A3\""));
	free(strings);
	free(sheet);
	strings = xlsx_part(x1, "xl/sharedStrings.xml");
	sheet = xlsx_part(x1, "xl/worksheets/sheet1.xml");
	assert_non_null(strings);
	assert_null(strstr(strings, "Data health warning"));
	assert_null(strstr(sheet, "<mergeCell ref=\"A3:F3\"/>"));
	free(strings);
	free(sheet);
	free(x1);
	free(x2);
	mv_free(root);
}

/* The colour of a pixel of an ARGB32 image, as 0..1 components. */
static void pixel(cairo_surface_t *img, int x, int y, double rgb[3])
{
	cairo_surface_flush(img);
	const unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	uint32_t px;
	memcpy(&px, data + y * stride + x * 4, 4);
	rgb[0] = (double)((px >> 16) & 0xFF) / 255;
	rgb[1] = (double)((px >> 8) & 0xFF) / 255;
	rgb[2] = (double)(px & 0xFF) / 255;
}

/* A bar chart drawn on a surface the caller owns: a bar where there is a
 * value, none where the value is missing. */
static void test_chart_bars(void **state)
{
	(void)state;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 200);
	cairo_t *cr = cairo_create(img);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	const char *labels[] = {"a", "b", "c"};
	double v[] = {0.5, NAN, 1.0};
	chart_series s = {.name = "rate", .v = v};
	chart_data d = {.labels = labels, .n = 3, .series = &s, .nseries = 1, .fmt = MF_RATE};
	assert_int_equal(chart_bar(cr, (chart_box){0, 0, 400, 200}, &d), 0);
	/* the plot runs from x0 (20..50, after the tick labels) to 396, so 3
	 * slots of 115..125 px; the bars fill the middle 70% of a slot, from the
	 * axis at y = 184 up: 0.5 of a top of 1.0 or 1.2 reaches y <= 110.
	 * (95, 150) is inside the first bar for any x0 in that range, (215, 150)
	 * in the middle of the second slot, which has no bar. */
	double rgb[3];
	pixel(img, 95, 150, rgb);
	if (fabs(rgb[0] - 0.16) > 0.02 || fabs(rgb[1] - 0.40) > 0.02 || fabs(rgb[2] - 0.66) > 0.02)
		fail_msg("no bar at (95,150): %.2f %.2f %.2f", rgb[0], rgb[1], rgb[2]);
	pixel(img, 215, 150, rgb);
	if (rgb[2] - rgb[0] > 0.2)
		fail_msg("a bar for a missing value at (215,150): %.2f %.2f %.2f", rgb[0], rgb[1],
			 rgb[2]);
	/* the chart restored the context: the caller's source is still white */
	cairo_pattern_t *src = cairo_get_source(cr);
	double r, g, b, a;
	assert_int_equal(cairo_pattern_get_rgba(src, &r, &g, &b, &a), CAIRO_STATUS_SUCCESS);
	assert_true(r == 1 && g == 1 && b == 1);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
}

/* A table longer than a page continues on the next pages. */
static void test_pdf_long_table(void **state)
{
	(void)state;
	mval *root = tree_build();
	char names[150][16];
	const char *ptrs[150];
	for (int i = 0; i < 150; i++) {
		snprintf(names[i], sizeof names[i], "channel_%03d", i);
		ptrs[i] = names[i];
	}
	mv_set(mv_get(root, "by_channel"), "13w", tree_breakdown("channel", ptrs, 150, 1));
	char *p = xasprintf("%s/long.pdf", tmpdir);
	mq_err err = {0};
	assert_int_equal(report_pdf_write(root, p, &err), 0);
	size_t n;
	char *s = slurp(p, &n);
	/* pages: 1 (headline, bar chart of 24 bars), 2 (campaigns), 3 (trend
	 * and the first ~40 of 150 channel rows at 13 pt), then 110 more rows
	 * at about 55 a page: 2 more. The page tree counts them. */
	const char *count = memmem(s, n, "/Count ", 7);
	assert_non_null(count);
	int pages = atoi(count + 7);
	if (pages < 5)
		fail_msg("150 channel rows should run over at least 5 pages, got %d", pages);
	free(s);
	free(p);
	mv_free(root);
}

/* The health banner's warnings: entries of data_quality.health whose status
 * is warn or fail (not pass or off), as "Label (check): message", the
 * reader's words first and the [health] key after (a key the catalogue does
 * not know: "check: message"); the PDF draws with them. */
static void test_pdf_health(void **state)
{
	(void)state;
	mval *root = tree_build();
	mval *dq = mv_get(root, "data_quality");
	if (!dq)
		dq = mv_set(root, "data_quality", mv_obj());
	mval *h = mv_set(dq, "health", mv_arr());
	const char *rows[5][3] = {{"source_stale", "warn", "spend is 9 days old"},
				  {"rejects", "pass", "few rows rejected"},
				  {"leads_in_week", "off", "not checked"},
				  {"orphaned_events", "fail", "120 events of no lead"},
				  {"duplicates", "warn", "3 duplicate leads"}};
	for (int i = 0; i < 5; i++) {
		mval *e = mv_push(h, mv_obj());
		mv_set(e, "check", mv_str(rows[i][0]));
		mv_set(e, "status", mv_str(rows[i][1]));
		mv_set(e, "message", mv_str(rows[i][2]));
	}
	char buf[128];
	assert_int_equal(pd_health_warnings(root, 0, NULL, 0), 3);
	pd_health_warnings(root, 0, buf, sizeof buf);
	assert_string_equal(buf, "Out-of-date export (source_stale): spend is 9 days old");
	pd_health_warnings(root, 1, buf, sizeof buf);
	assert_string_equal(buf, "Events of no lead (orphaned_events): 120 events of no lead");
	pd_health_warnings(root, 2, buf, sizeof buf);
	assert_string_equal(buf, "duplicates: 3 duplicate leads");
	char *p = xasprintf("%s/health.pdf", tmpdir);
	mq_err err = {0};
	assert_int_equal(report_pdf_write(root, p, &err), 0);
	free(p);
	mv_free(root);
}

/* An empty tree still gives valid files (no sheet data, no rows). */
static void test_empty_tree(void **state)
{
	(void)state;
	mval *root = mv_obj();
	char *x = xasprintf("%s/empty.xlsx", tmpdir), *p = xasprintf("%s/empty.pdf", tmpdir);
	mq_err err = {0};
	assert_int_equal(report_xlsx_write(root, x, &err), 0);
	assert_int_equal(report_pdf_write(root, p, &err), 0);
	char *s = report_json_string(root);
	assert_string_equal(s, "{}\n");
	g_free(s);
	free(x);
	free(p);
	mv_free(root);
}

/* A file that cannot be created: -1, MQ_CANTCREAT, a message naming it. */
/* The sentences of what changed and of qualification: a rate of a cohort
 * still converting says so beside its change, a count's average reads as a
 * count, and the qualification sentence names both shares and the
 * sweep's candidate. */
static mval *changed_row(const char *kpi, double now, double last, double change, const char *unit,
			 double mean)
{
	mval *r = mv_obj();
	mv_set(r, "kpi", mv_str(kpi));
	mv_set(r, "this_week", mv_num(now, MF_PLAIN));
	mv_set(r, "last_week", mv_num(last, MF_PLAIN));
	mv_set(r, "change", mv_num(change, MF_PLAIN));
	mv_set(r, "change_unit", mv_str(unit));
	mv_set(r, "mean_13w", mv_num(mean, MF_PLAIN));
	mv_set(r, "sd_13w", mv_num(1, MF_PLAIN));
	mv_set(r, "z_score", mv_num(-3, MF_PLAIN));
	mv_set(r, "unusual", mv_bool(true));
	return r;
}

/* The lines a wrapped cell takes: words kept whole where they fit, a word
 * longer than a line broken, a newline ending one. */
static void test_wrapped_lines(void **state)
{
	(void)state;
	assert_int_equal(xwrapped_lines(NULL, 10), 1);
	assert_int_equal(xwrapped_lines("", 10), 1);
	assert_int_equal(xwrapped_lines("aaa bbb", 7), 1);
	assert_int_equal(xwrapped_lines("aaa bbb ccc", 7), 2);	/* "aaa bbb" / "ccc" */
	assert_int_equal(xwrapped_lines("aaaa bbbb cc", 7), 2); /* "aaaa" / "bbbb cc" */
	assert_int_equal(xwrapped_lines("aaaa bbbb ccc", 7), 3);
	assert_int_equal(xwrapped_lines("abcdefghijklmnopqrst", 8), 3);
	assert_int_equal(xwrapped_lines("one\ntwo", 40), 2);
	assert_int_equal(xwrapped_lines("\u00e9\u00e9\u00e9 \u00e9\u00e9\u00e9", 7),
			 1); /* characters, not bytes */
}

/* Text made showable: noncharacters and invalid bytes become U+FFFD, a
 * text longer than max is cut to max characters ending with "…", and a
 * clean short text is left alone. */
static void test_shown_text(void **state)
{
	(void)state;
	assert_false(shown_needs_work("Spring \xC3\xBC", 10));
	assert_false(shown_needs_work(NULL, 10));
	static const char *const odd[] = {"a\xEF\xBF\xBE", "a\xEF\xBF\xBF", "a\xEF\xB7\x90",
					  "a\xF4\x8F\xBF\xBF", "a\xFF"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		assert_true(shown_needs_work(odd[i], 10));
		char *t = shown_text(odd[i], 10);
		assert_string_equal(t, "a\xEF\xBF\xBD");
		g_free(t);
	}
	assert_true(shown_needs_work("abcdef", 5));
	char *t = shown_text("abcdef", 5);
	assert_string_equal(t, "abcd\xE2\x80\xA6");
	g_free(t);
	t = shown_text("\xC3\xBC\xC3\xBC\xC3\xBC", 2); /* characters, not bytes */
	assert_string_equal(t, "\xC3\xBC\xE2\x80\xA6");
	g_free(t);
	t = shown_text("abcde", 5);
	assert_string_equal(t, "abcde");
	g_free(t);
	t = shown_text("abc", 0);
	assert_string_equal(t, "");
	g_free(t);
}

/* The largest movements first: a KPI far from its 13-week mean that moved
 * as much as it usually does (a steady climb) comes after one that moved
 * three times its usual amount, however their levels lie; every output
 * names the same CHANGES_MAX of them. */
static void test_changes_rank_by_move(void **state)
{
	(void)state;
	mval *root = mv_obj(), *rows = mv_arr();
	mval *climb = mv_push(rows, changed_row("leads", 869, 862, 0.008, "%", 800));
	mv_set(climb, "z_score", mv_num(2.5, MF_PLAIN));
	mv_set(climb, "move_ratio", mv_num(1.0, MF_PLAIN));
	mval *jump = mv_push(rows, changed_row("wins", 20, 27, -0.26, "%", 26));
	mv_set(jump, "z_score", mv_num(-1.2, MF_PLAIN));
	mv_set(jump, "unusual", mv_bool(false));
	mv_set(jump, "move_ratio", mv_num(3.0, MF_PLAIN));
	mval *small[CHANGES_MAX + 2];
	for (int i = 0; i < CHANGES_MAX + 2; i++) {
		mval *r = small[i] = mv_push(rows, changed_row("spend", 100, 99, 0.01, "%", 100));
		mv_set(r, "move_ratio", mv_num(0.1, MF_PLAIN));
		mv_set(r, "unusual", mv_bool(false));
	}
	mv_set(root, "what_changed", rows);
	char **s = changes_sentences(root, CHANGES_MAX);
	assert_non_null(strstr(s[0], "Wins fell 26%"));
	assert_non_null(strstr(s[1], "Leads rose 0.8%"));
	assert_int_equal(g_strv_length(s), CHANGES_MAX);
	g_strfreev(s);
	/* a figure the verdict names as outside its usual range has its
	 * sentence, however small its move: here the last of the rows */
	mv_set(small[CHANGES_MAX + 1], "kpi", mv_str("mqls"));
	mv_set(small[CHANGES_MAX + 1], "unusual", mv_bool(true));
	s = changes_sentences(root, CHANGES_MAX);
	assert_int_equal(g_strv_length(s), CHANGES_MAX);
	assert_non_null(strstr(s[0], "Wins fell 26%"));
	assert_non_null(strstr(s[1], "Leads rose 0.8%"));
	bool named = false;
	for (char **t = s; *t; t++)
		named = named || strstr(*t, "MQLs rose 1.0%") != NULL;
	assert_true(named);
	g_strfreev(s);
	mv_free(root);
}

/* A rise from a week at zero has no relative change (null), yet it is a
 * movement: the verdict that calls it unusual says which way it went, and
 * its sentence says from what to what, among the named, however the ranks
 * fall; a figure at zero both weeks is none. */
static void test_changes_from_zero(void **state)
{
	(void)state;
	mval *root = mv_obj(), *rows = mv_arr();
	mval *rev = mv_push(rows, changed_row("revenue", 34767, 0, 0, "%", 4797));
	mv_set(rev, "change", mv_null());
	mv_set(rev, "z_score", mv_num(2.85, MF_PLAIN));
	mv_set(rev, "move_ratio", mv_num(2.78, MF_PLAIN));
	mval *cost = mv_push(rows, changed_row("cost_per_mql", 480, 277, 0.73, "%", 490));
	mv_set(cost, "z_score", mv_num(-0.1, MF_PLAIN));
	mv_set(cost, "unusual", mv_bool(false));
	mv_set(cost, "move_ratio", mv_num(0.31, MF_PLAIN));
	mval *wins = mv_push(rows, changed_row("wins", 0, 0, 0, "%", 0.3));
	mv_set(wins, "change", mv_null());
	mv_set(wins, "unusual", mv_bool(false));
	mv_set(wins, "z_score", mv_num(-0.5, MF_PLAIN));
	mv_set(root, "what_changed", rows);
	char **s = changes_sentences(root, 1);
	assert_non_null(s[0]);
	assert_string_equal(s[0], "Revenue rose from $0 to $34,767 (13-week average $4,797): "
				  "outside its usual range.");
	assert_null(s[1]);
	g_strfreev(s);
	s = changes_sentences(root, CHANGES_MAX);
	assert_int_equal(g_strv_length(s), 2); /* not wins, at 0 both weeks */
	g_strfreev(s);
	char *v = changes_verdict(root);
	assert_non_null(strstr(v, "An unusual week: revenue rose outside its usual range"));
	g_free(v);
	mv_free(root);
}

/* Won deals beyond the week's wins (a customer's further deals) are
 * explained beside the tiles, counted with an amount or without
 * (won_deals); as many deals as wins need no word. */
static void test_changes_deals_note(void **state)
{
	(void)state;
	mval *root = mv_obj();
	mval *w = mv_set(mv_set(root, "windows", mv_obj()), "1w", mv_obj());
	mv_set(w, "wins", mv_int(2, MF_COUNT));
	mv_set(w, "won_deals", mv_int(2, MF_COUNT));
	mv_set(w, "deal_size_mean_n", mv_int(2, MF_COUNT));
	assert_null(changes_deals_note(root));
	mv_set(w, "won_deals", mv_int(4, MF_COUNT));
	mv_set(w, "deal_size_mean_n", mv_int(4, MF_COUNT));
	char *s = changes_deals_note(root);
	assert_string_equal(s, "Revenue adds up the amounts of 4 deals won this week; Wins counts "
			       "the 2 leads won for the first time, so a customer's further deals "
			       "add to revenue, not to wins.");
	g_free(s);
	/* further deals without an amount still outnumber the wins */
	mv_set(w, "deal_size_mean_n", mv_int(2, MF_COUNT));
	s = changes_deals_note(root);
	assert_string_equal(s, "Revenue adds up the amounts of 4 deals won this week (2 of them "
			       "without an amount, which add 0); Wins counts the 2 leads won for "
			       "the first time, so a customer's further deals add to revenue, not "
			       "to wins.");
	g_free(s);
	mv_set(w, "wins", mv_int(0, MF_COUNT));
	mv_set(w, "won_deals", mv_int(1, MF_COUNT));
	mv_set(w, "deal_size_mean_n", mv_int(1, MF_COUNT));
	s = changes_deals_note(root);
	assert_string_equal(s,
			    "Revenue adds up the amounts of 1 deal won this week, though no lead "
			    "was won for the first time: it is a further deal of a customer "
			    "won before.");
	g_free(s);
	mv_set(w, "deal_size_mean_n", mv_int(0, MF_COUNT));
	s = changes_deals_note(root);
	assert_string_equal(s,
			    "Revenue adds up the amounts of 1 deal won this week (it has no "
			    "amount), though no lead was won for the first time: it is a further "
			    "deal of a customer won before.");
	g_free(s);
	mv_free(root);
}

/* A figure defined on no case (a ROI with spend and no deal won, flagged
 * low_sample with n 0) is flagged with what it lacks, the catalogue's
 * no_cases, and the note gives it a sentence of its own after the figures
 * on few cases. */
static void test_changes_no_cases(void **state)
{
	(void)state;
	mval *root = mv_obj();
	mv_set(mv_set(root, "qualification", mv_obj()), "low_sample_min", mv_int(30, MF_COUNT));
	mval *roi = mv_obj(), *rate = mv_obj();
	mv_set(roi, "kpi", mv_str("roi"));
	mv_set(roi, "n", mv_int(0, MF_COUNT));
	mv_set(roi, "low_sample", mv_bool(true));
	mv_set(rate, "kpi", mv_str("mql_to_sql_rate"));
	mv_set(rate, "n", mv_int(15, MF_COUNT));
	mv_set(rate, "low_sample", mv_bool(true));
	char *flag = changes_flag_text(roi);
	assert_string_equal(flag, "no deal won");
	g_free(flag);
	const mval *rows[2] = {roi, rate};
	char *note = changes_few_note(root, rows, 2);
	assert_string_equal(note,
			    "Read with care and not judged better or worse, as this week's "
			    "figure rests on fewer than 30 cases: MQL \xE2\x86\x92 SQL rate: 15 "
			    "cases. In grey and not judged better or worse, as this week's "
			    "figure rests on no case and measures nothing yet: ROI (no deal "
			    "won).");
	g_free(note);
	note = changes_few_note(root, rows, 1);
	assert_string_equal(note, "In grey and not judged better or worse, as this week's figure "
				  "rests on no case and measures nothing yet: ROI (no deal won).");
	g_free(note);
	mv_free(roi);
	mv_free(rate);
	mv_free(root);
}

/* Every data-health check has the catalogue's words: a label the banners,
 * the e-mail and the Data quality sheet name it by, when it trips, and a
 * definition for the Glossary (a check without them showed as "unnamed
 * check" and its raw key). */
static void test_checks_catalogued(void **state)
{
	(void)state;
	for (int c = 0; c < HC_COUNT; c++) {
		char key[96];
		snprintf(key, sizeof key, "check:%s", health_check_name[c]);
		const cat_entry *e = catalog_find(key);
		if (!e || !catalog_check_label(health_check_name[c]) ||
		    !catalog_check_trips(health_check_name[c]) || !e->definition)
			fail_msg("%s: no label, trips or definition in the catalogue", key);
	}
}

/* A tree whose by_channel.13w holds these channels (NULL-ended). */
static mval *channels_tree(const char *const *names)
{
	mval *root = mv_obj();
	mval *rows = mv_set(mv_set(root, "by_channel", mv_obj()), "13w", mv_arr());
	for (const char *const *n = names; *n; n++)
		mv_set(mv_push(rows, mv_obj()), "channel", mv_str(*n));
	return root;
}

/* A channel's colour: a common channel keeps its own whatever else the
 * week holds; a channel new this week takes a colour left free and shifts
 * no other's; unknown, and channels past the palette, are grey. */
static void test_channel_colours(void **state)
{
	(void)state;
	const char *ten[] = {"content_syndication",
			     "direct",
			     "email",
			     "events",
			     "linkedin",
			     "organic_search",
			     "paid_search",
			     "paid_social",
			     "referral",
			     "webinar",
			     NULL};
	mval *root = channels_tree(ten);
	for (int i = 0; ten[i]; i++) /* the samples' colours, as they were by rank */
		assert_int_equal(palette_channel_colour(root, ten[i]), palette_channel[i]);
	assert_int_equal(palette_channel_colour(root, "unknown"), PALETTE_GREY);
	assert_int_equal(palette_channel_colour(root, "podcast"), PALETTE_GREY); /* not there */
	mv_free(root);
	/* two new channels before them in the alphabet: the ten keep theirs,
	 * and the new ones, with no colour left, are grey */
	const char *twelve[] = {"a_partner",   "b_podcast",	 "content_syndication",
				"direct",      "email",		 "events",
				"linkedin",    "organic_search", "paid_search",
				"paid_social", "referral",	 "webinar",
				NULL};
	root = channels_tree(twelve);
	for (int i = 0; ten[i]; i++)
		assert_int_equal(palette_channel_colour(root, ten[i]), palette_channel[i]);
	assert_int_equal(palette_channel_colour(root, "a_partner"), PALETTE_GREY);
	mv_free(root);
	/* without direct and email, the new channels take their colours, in
	 * alphabetical order, and the others keep theirs */
	const char *mixed[] = {"b_podcast", "a_partner", "webinar", "paid_search", NULL};
	root = channels_tree(mixed);
	assert_int_equal(palette_channel_colour(root, "a_partner"), palette_channel[0]);
	assert_int_equal(palette_channel_colour(root, "b_podcast"), palette_channel[1]);
	assert_int_equal(palette_channel_colour(root, "webinar"), palette_channel[9]);
	assert_int_equal(palette_channel_colour(root, "paid_search"), palette_channel[6]);
	mv_free(root);
}

/* The week in one sentence: usual when no row that can be judged is
 * unusual; else the unusual ones, largest movement first, with their
 * direction; none when no row can be judged (too few weeks, a young KPI,
 * one on few cases). */
static void test_changes_verdict(void **state)
{
	(void)state;
	mval *root = mv_obj(), *rows = mv_set(root, "what_changed", mv_arr());
	assert_null(changes_verdict(root));
	mval *leads = mv_push(rows, changed_row("leads", 130, 120, 0.0833, "%", 123));
	mv_set(leads, "z_score", mv_null());
	assert_null(changes_verdict(root)); /* too few weeks to judge */
	mval *young =
	    mv_push(rows, changed_row("mql_to_sql_rate", 0.068, 0.324, -25.6, "pp", 0.36));
	assert_null(changes_verdict(root)); /* a young KPI is not judged */
	mval *rev = mv_push(rows, changed_row("revenue", 61200, 186600, -0.67, "%", 123204));
	mv_set(rev, "unusual", mv_bool(false));
	mv_set(rev, "z_score", mv_num(-1.1, MF_PLAIN));
	/* the young row lies outside its range: "usual" says it is not judged */
	char *v = changes_verdict(root);
	assert_string_equal(v, "A usual week: no headline figure that can be judged moved outside "
			       "its usual range of the last 13 weeks. Not judged, though outside "
			       "its usual range: MQL → SQL rate (not yet comparable).");
	g_free(v);
	mv_set(young, "unusual", mv_bool(false));
	v = changes_verdict(root);
	assert_string_equal(v, "A usual week: no headline figure moved outside its usual range of "
			       "the last 13 weeks.");
	g_free(v);
	mv_set(young, "unusual", mv_bool(true));
	mval *roi = mv_push(rows, changed_row("roi", 4.35, 17.22, -1286, "pp", 10));
	mv_set(roi, "low_sample", mv_bool(true));
	mv_set(roi, "n", mv_int(3, MF_COUNT));
	mv_set(rev, "unusual", mv_bool(true));
	mv_set(rev, "move_ratio", mv_num(3, MF_PLAIN));
	v = changes_verdict(root);
	assert_string_equal(v, "An unusual week: revenue fell outside its usual range of the last "
			       "13 weeks. Not judged, though outside their usual range: MQL → SQL "
			       "rate (not yet comparable) and ROI (only 3 cases).");
	g_free(v);
	/* a young row on few cases is said to rest on them, as its row's flag
	 * says (changes_flag_text) */
	mv_set(young, "low_sample", mv_bool(true));
	mv_set(young, "n", mv_int(12, MF_COUNT));
	v = changes_verdict(root);
	assert_string_equal(v, "An unusual week: revenue fell outside its usual range of the last "
			       "13 weeks. Not judged, though outside their usual range: MQL → SQL "
			       "rate (only 12 cases) and ROI (only 3 cases).");
	g_free(v);
	char *flag = changes_flag_text(young);
	assert_string_equal(flag, "only 12 cases");
	g_free(flag);
	mv_set(young, "low_sample", mv_bool(false));
	mv_set(young, "unusual", mv_bool(false));
	mv_set(roi, "unusual", mv_bool(false));
	mval *mqls = mv_push(rows, changed_row("mqls", 44, 20, 1.2, "%", 25));
	mv_set(mqls, "move_ratio", mv_num(4, MF_PLAIN));
	mval *wins = mv_push(rows, changed_row("wins", 9, 3, 2, "%", 3));
	mv_set(wins, "move_ratio", mv_num(2, MF_PLAIN));
	v = changes_verdict(root);
	assert_string_equal(v,
			    "An unusual week: MQLs rose, revenue fell and wins rose outside their "
			    "usual range of the last 13 weeks.");
	g_free(v);
	/* no move from last week, both weeks far from the mean: said too */
	mv_push(rows, changed_row("sqls", 0, 0, 0, "%", 14));
	v = changes_verdict(root);
	assert_string_equal(v, "An unusual week: MQLs rose, revenue fell, wins rose and SQLs stood "
			       "outside their usual range of the last 13 weeks.");
	g_free(v);
	mv_free(root);
}

/* Without a movement to name, the sentence says why: no week before this
 * one, a week before of zeros only, or no change at all; none beside a
 * verdict or a movement. */
static void test_changes_none(void **state)
{
	(void)state;
	mval *root = mv_obj(), *rows = mv_set(root, "what_changed", mv_arr());
	assert_null(changes_none_sentence(root)); /* no KPI, no sentence */
	mval *leads = mv_push(rows, changed_row("leads", 100, NAN, NAN, "%", 100));
	mv_set(leads, "last_week", mv_null());
	mv_set(leads, "change", mv_null());
	mv_set(leads, "z_score", mv_null());
	char *s = changes_none_sentence(root);
	assert_non_null(s);
	assert_true(g_str_has_prefix(s, "Nothing to compare with yet: the exports hold no week "
					"before this one"));
	g_free(s);
	/* from a week at zero: no relative change, yet a movement, which
	 * its sentence says */
	mv_set(leads, "last_week", mv_int(0, MF_COUNT));
	assert_null(changes_none_sentence(root));
	char **all = changes_sentences(root, CHANGES_MAX);
	assert_non_null(strstr(all[0], "Leads rose from 0 to 100"));
	g_strfreev(all);
	/* at zero both weeks: no movement, and nothing to compare */
	mv_set(leads, "this_week", mv_int(0, MF_COUNT));
	s = changes_none_sentence(root);
	assert_string_equal(s, "Nothing to compare with yet: this week's and last week's figures "
			       "are all zero or empty.");
	g_free(s);
	/* a figure last week, none this week: nothing to set against it */
	mv_set(leads, "this_week", mv_null());
	s = changes_none_sentence(root);
	assert_string_equal(s, "Nothing to compare with yet: no headline figure has a value both "
			       "this week and last week.");
	g_free(s);
	mv_set(leads, "this_week", mv_int(100, MF_COUNT));
	mv_set(leads, "last_week", mv_int(100, MF_COUNT));
	mv_set(leads, "change", mv_num(0, MF_PLAIN));
	s = changes_none_sentence(root);
	assert_string_equal(s, "No headline figure changed from last week.");
	g_free(s);
	mv_set(leads, "change", mv_num(0.2, MF_PLAIN)); /* a movement: its sentence says it */
	assert_null(changes_none_sentence(root));
	mv_set(leads, "change", mv_num(0, MF_PLAIN));
	mv_set(leads, "z_score", mv_num(0.5, MF_PLAIN)); /* judged: the verdict says it */
	assert_null(changes_none_sentence(root));
	mv_free(root);
}

/* A change as text: a decimal under 10% and under 100 points, none above;
 * a half away from zero, as the workbook's formats show it. */
static void test_changes_text(void **state)
{
	(void)state;
	static const struct {
		double change;
		const char *unit, *want;
	} cases[] = {
	    {-25.6, "pp",
	     "\xE2\x88\x92"
	     "25.6 pp"},
	    {-1286.3, "pp",
	     "\xE2\x88\x92"
	     "1,286 pp"},
	    {99.96, "pp", "+100.0 pp"}, /* the decimal follows the value as measured */
	    {0.04, "pp", "±0 pp"},
	    {0.0625, "%", "+6.3%"},
	    {0.189, "%", "+19%"},
	    {-0.004, "%",
	     "\xE2\x88\x92"
	     "0.4%"},
	    {-0.0004, "%", "±0%"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mval *row = mv_obj();
		mv_set(row, "change", mv_num(cases[i].change, MF_PLAIN));
		mv_set(row, "change_unit", mv_str(cases[i].unit));
		char buf[64];
		int good;
		changes_text(row, buf, sizeof buf, &good);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, buf, cases[i].want);
		mv_free(row);
	}
}

static void test_changes_sentences(void **state)
{
	(void)state;
	mval *root = mv_obj(), *rows = mv_arr(), *q = mv_obj();
	mv_push(rows, changed_row("mql_to_sql_rate", 0.068, 0.324, -25.6, "pp", 0.361));
	mv_push(rows, changed_row("leads", 130, 120, 0.0833, "%", 123.2307));
	mv_push(rows, changed_row("sqls", 13, 13, 0, "%", 9)); /* no movement: no sentence */
	mv_set(root, "what_changed", rows);
	mv_set(q, "rejected_share", mv_num(0.388, MF_RATE));
	mv_set(q, "sql_without_mql_rate", mv_num(0.043, MF_RATE));
	mv_set(q, "threshold", mv_num(60, MF_SCORE));
	mv_set(q, "sql_rate", mv_num(0.30, MF_RATE));
	mv_set(q, "sql_capture_rate", mv_num(0.90, MF_RATE));
	mv_set(q, "lean", mv_str("loose"));
	mv_set(q, "candidate_threshold", mv_num(70, MF_SCORE));
	mv_set(q, "candidate_sql_rate", mv_num(0.40, MF_RATE));
	mv_set(q, "candidate_sql_capture_rate", mv_num(0.86, MF_RATE));
	mv_set(root, "qualification", q);
	char **s = changes_sentences(root, 5);
	assert_non_null(s[0]);
	assert_non_null(s[1]);
	/* the same z: the rate moved more, but its cohort is still converting
	 * (young), so the comparable movement comes first */
	assert_non_null(strstr(s[1], "MQL → SQL rate fell 25.6 pp"));
	assert_non_null(strstr(s[1], "at most 7 days to reach SQL"));
	assert_non_null(strstr(s[0], "13-week average 123)"));
	assert_null(strstr(s[0], "days"));
	assert_null(s[2]);
	g_strfreev(s);
	/* exports that begin 5 weeks ago: the mean and the range are of those weeks */
	mv_set(mv_at(rows, 1), "mean_weeks", mv_int(5, MF_COUNT));
	mv_set(mv_at(rows, 1), "unusual", mv_bool(false));
	mv_set(mv_at(rows, 1), "z_score", mv_num(1, MF_PLAIN));
	s = changes_sentences(root, 5);
	assert_non_null(strstr(s[0], "Leads rose"));
	assert_non_null(strstr(s[0], "5-week average 123): within its usual range."));
	g_strfreev(s);
	mv_set(mv_at(rows, 2), "mean_weeks", mv_int(5, MF_COUNT));
	mv_set(mv_at(rows, 2), "unusual", mv_bool(false));
	char *v = changes_verdict(root);
	assert_string_equal(v,
			    "A usual week: no headline figure that can be judged moved outside "
			    "its usual range of the 5 weeks with data. Not judged, though outside "
			    "its usual range: MQL → SQL rate (not yet comparable).");
	g_free(v);
	mv_set(mv_at(rows, 1), "mean_weeks", mv_int(13, MF_COUNT));
	mv_set(mv_at(rows, 2), "mean_weeks", mv_int(13, MF_COUNT));
	mv_set(mv_at(rows, 2), "unusual", mv_bool(true));
	mv_set(mv_at(rows, 1), "unusual", mv_bool(true));
	mv_set(mv_at(rows, 1), "z_score", mv_num(-3, MF_PLAIN));
	/* a comparable movement that rests on few cases: said so, and after
	 * every one that does not, however large */
	mval *few = mv_push(rows, changed_row("cost_per_mql", 900, 300, 2, "%", 310));
	mv_set(few, "z_score", mv_num(8, MF_PLAIN));
	mv_set(few, "n", mv_int(1, MF_COUNT));
	mv_set(few, "low_sample", mv_bool(true));
	s = changes_sentences(root, 5);
	assert_non_null(strstr(s[0], "Leads rose"));
	assert_non_null(strstr(s[1], "Cost per MQL rose 200%"));
	assert_non_null(strstr(
	    s[1], "outside its usual range, though this week's value rests on only 1 case."));
	g_strfreev(s);
	mv_set(few, "low_sample", mv_bool(false));
	s = changes_sentences(root, 5);
	assert_non_null(strstr(s[0], "Cost per MQL rose 200%"));
	assert_null(strstr(s[0], "case"));
	g_strfreev(s);
	char *t = changes_qualification(root);
	assert_non_null(t);
	/* rates with one decimal, as the tables beside the sentence show them */
	assert_non_null(strstr(t, "sales rejected 38.8% of the MQLs it reviewed"));
	assert_non_null(strstr(t, "4.3% of the SQLs were never MQLs"));
	assert_non_null(strstr(t,
			       "threshold of 60 looks too loose: at 70 it would have kept 86.0% of "
			       "the SQLs (now 90.0%) at an SQL rate of 40.0% (now 30.0%)"));
	assert_null(strstr(t, "decayed"));
	g_free(t);
	/* with decay, the sweep's counts fall short of the MQLs: said */
	mval *rep =
	    mv_get(root, "report") ? mv_get(root, "report") : mv_set(root, "report", mv_obj());
	mv_set(rep, "score_half_life_days", mv_num(14, MF_DAYS));
	t = changes_qualification(root);
	assert_non_null(strstr(t,
			       "(The threshold sweep scores each lead as of the week's end, its "
			       "behavioural points decayed since, so fewer leads reach a threshold "
			       "than became MQLs at it.)"));
	g_free(t);
	/* a side judged on too few cases is said so, never given a verdict */
	mv_set(q, "low_sample_min", mv_int(30, MF_COUNT));
	mv_set(q, "reviewed_mqls_13w", mv_int(200, MF_COUNT));
	mv_set(q, "sqls_13w", mv_int(10, MF_COUNT));
	mv_set(q, "rejected_judged", mv_bool(true));
	mv_set(q, "never_judged", mv_bool(false));
	t = changes_qualification(root); /* loose, the other side unjudged */
	assert_non_null(strstr(t,
			       "(now 30.0%). Too few SQLs (10, fewer than 30) to judge whether it "
			       "is too strict."));
	g_free(t);
	mv_set(q, "lean", mv_str("balanced"));
	t = changes_qualification(root);
	assert_non_null(strstr(t,
			       "The score's threshold of 60 does not look too loose; too few SQLs "
			       "(10, fewer than 30) to judge whether it is too strict."));
	assert_null(strstr(t, "Neither stands out"));
	g_free(t);
	mv_set(q, "lean", mv_str("too_few"));
	mv_set(q, "reviewed_mqls_13w", mv_int(2, MF_COUNT));
	mv_set(q, "rejected_judged", mv_bool(false));
	t = changes_qualification(root);
	assert_non_null(strstr(t,
			       "The score's threshold of 60 is not judged: too few MQLs reviewed "
			       "(2, fewer than 30) to judge whether it is too loose, and too few "
			       "SQLs (10, fewer than 30) to judge whether it is too strict."));
	assert_null(strstr(t, "looks"));
	g_free(t);
	mv_set(q, "rejected_share", mv_null()); /* no review data: that side is not named */
	t = changes_qualification(root);
	assert_non_null(strstr(t, "sales reviewed no MQL"));
	assert_non_null(strstr(t, "is not judged: too few SQLs (10, fewer than 30)"));
	assert_null(strstr(t, "MQLs reviewed ("));
	g_free(t);
	mv_set(q, "lean", mv_null());
	assert_null(changes_qualification(root));
	mv_free(root);
}

static void test_write_errors(void **state)
{
	(void)state;
	mval *root = tree_build();
	dataset *ds = dataset_new();
	static const char *const names[] = {"metrics.json", "report.xlsx", "report.pdf",
					    "rejects.csv"};
	for (int i = 0; i < 4; i++) {
		char *path = xasprintf("%s/no/such/dir/%s", tmpdir, names[i]);
		mq_err err = {0};
		int rc = i == 0	  ? report_json_write(root, path, &err)
			 : i == 1 ? report_xlsx_write(root, path, &err)
			 : i == 2 ? report_pdf_write(root, path, &err)
				  : report_rejects_write(ds, path, &err);
		assert_int_equal(rc, -1);
		assert_int_equal(err.status, MQ_CANTCREAT);
		if (!strstr(err.msg, path))
			fail_msg("%s: message does not name the file: %s", names[i], err.msg);
		free(path);
	}
	dataset_free(ds);
	mv_free(root);
}

/* The report week as dates: the month once when the week is in one, and
 * both years when it crosses the year's end, whether or not the year was
 * asked for, so 29 Dec is never read as of the later year. */
static void test_week_dates(void **state)
{
	(void)state;
	static const struct {
		const char *as_of;
		bool year;
		const char *longer, *shorter;
	} cases[] = {
	    {"2026-11-23T00:00:00Z", true, "Mon 16 – Sun 22 Nov 2026", "16–22 Nov 2026"},
	    {"2026-11-23T00:00:00Z", false, "Mon 16 – Sun 22 Nov", "16–22 Nov"},
	    {"2026-12-07T00:00:00Z", true, "Mon 30 Nov – Sun 6 Dec 2026", "30 Nov – 6 Dec 2026"},
	    {"2026-01-05T00:00:00Z", true, "Mon 29 Dec 2025 – Sun 4 Jan 2026",
	     "29 Dec 2025 – 4 Jan 2026"},
	    {"2026-01-05T00:00:00Z", false, "Mon 29 Dec 2025 – Sun 4 Jan 2026",
	     "29 Dec 2025 – 4 Jan 2026"},
	    {"2027-01-04T00:00:00Z", false, "Mon 28 Dec 2026 – Sun 3 Jan 2027",
	     "28 Dec 2026 – 3 Jan 2027"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		GDateTime *t = g_date_time_new_from_iso8601(cases[i].as_of, NULL);
		assert_non_null(t);
		mval *rep = mv_obj();
		mv_set(rep, "as_of", mv_time(g_date_time_to_unix(t) * 1000));
		char longer[96], shorter[96];
		report_week_dates(rep, longer, shorter, sizeof longer, cases[i].year);
		assert_string_equal(longer, cases[i].longer);
		assert_string_equal(shorter, cases[i].shorter);
		mv_free(rep);
		g_date_time_unref(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sentence_precision),
	    cmocka_unit_test(test_catalog_words),
	    cmocka_unit_test(test_json_layout),
	    cmocka_unit_test(test_json_numbers),
	    cmocka_unit_test(test_json_time),
	    cmocka_unit_test(test_json_strings),
	    cmocka_unit_test(test_json_tree),
	    cmocka_unit_test(test_json_draft),
	    cmocka_unit_test(test_numfmt),
	    cmocka_unit_test(test_xlsx_formats),
	    cmocka_unit_test(test_grid_shapes),
	    cmocka_unit_test(test_layout_templates),
	    cmocka_unit_test(test_rejects_csv),
	    cmocka_unit_test(test_xlsx_pdf_written),
	    cmocka_unit_test(test_chart_bars),
	    cmocka_unit_test(test_pdf_long_table),
	    cmocka_unit_test(test_empty_tree),
	    cmocka_unit_test(test_pdf_health),
	    cmocka_unit_test(test_changes_text),
	    cmocka_unit_test(test_changes_sentences),
	    cmocka_unit_test(test_changes_verdict),
	    cmocka_unit_test(test_changes_none),
	    cmocka_unit_test(test_channel_colours),
	    cmocka_unit_test(test_changes_rank_by_move),
	    cmocka_unit_test(test_changes_from_zero),
	    cmocka_unit_test(test_changes_deals_note),
	    cmocka_unit_test(test_changes_no_cases),
	    cmocka_unit_test(test_checks_catalogued),
	    cmocka_unit_test(test_wrapped_lines),
	    cmocka_unit_test(test_shown_text),
	    cmocka_unit_test(test_write_errors),
	    cmocka_unit_test(test_overview_banner),
	    cmocka_unit_test(test_xlsx_rows_fit),
	    cmocka_unit_test(test_shared_precision),
	    cmocka_unit_test(test_week_dates),
	};
	return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
