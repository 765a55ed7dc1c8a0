/* test_mail.c — the e-mail message: sizes, header safety, KPI lines,
 * templates and the MIME text. Expected values are worked by hand in the
 * comments beside each case. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "catalog.h"
#include "mail.h"
#include "mail_body.h"
#include "mail_chart.h"

static void test_base64_size(void **state)
{
	(void)state;
	static const struct {
		int64_t raw, want;
	} cases[] = {
	    {0, 0},	/* nothing */
	    {1, 6},	/* 1 group → 4 chars, 1 line + CRLF */
	    {3, 6},	/* 1 group */
	    {4, 10},	/* 2 groups → 8 chars + CRLF */
	    {57, 78},	/* 19 groups → 76 chars: one full line + CRLF */
	    {58, 84},	/* 20 groups → 80 chars: 2 lines → 80 + 4 */
	    {114, 156}, /* 38 groups → 152 chars: 2 full lines + 2 CRLF */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(mail_base64_size(cases[i].raw), cases[i].want);
}

static void test_header_clean(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"plain", "plain"},
	    {"a\r\nBcc: evil@example.com",
	     "a  Bcc: evil@example.com"}, /* CR and LF become spaces */
	    {"tab\there", "tab here"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = mail_header_clean(cases[i].in);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

/* A summary row as metrics builds it. */
static mval *row(const char *kpi, mval *now, mval *last, mval *change)
{
	mval *o = mv_obj();
	mv_set(o, "kpi", mv_str(kpi));
	mv_set(o, "this_week", now);
	mv_set(o, "last_week", last);
	mv_set(o, "change", change);
	return o;
}

static mval *tree(void)
{
	mval *root = mv_obj();
	mval *rep = mv_set(root, "report", mv_obj());
	mv_set(rep, "week", mv_str("2026-W47"));
	mv_set(rep, "currency", mv_str("USD"));
	mval *sum = mv_set(root, "summary", mv_arr());
	/* 412 MQLs against 381: change 412 / 381 − 1 = 0.0814 → "+8.1%" */
	mv_push(sum, row("mqls", mv_int(412, MF_COUNT), mv_int(381, MF_COUNT),
			 mv_num(412.0 / 381.0 - 1, MF_CHANGE)));
	/* no leads last week: change null, last week shown instead */
	mv_push(sum, row("leads", mv_int(5, MF_COUNT), mv_int(0, MF_COUNT), mv_null()));
	/* no rate either week */
	mv_push(sum, row("close_rate", mv_null(), mv_null(), mv_null()));
	/* a rate's change is in points (summary's change_unit "pp") */
	mval *r = mv_push(sum, row("lead_to_mql_rate", mv_num(0.108, MF_RATE),
				   mv_num(0.139, MF_RATE), mv_num(-3.1, MF_PLAIN)));
	mv_set(r, "change_unit", mv_str("pp"));
	return root;
}

static void test_kpi_lines(void **state)
{
	(void)state;
	mval *root = tree();
	const mval *sum = mv_get(root, "summary");
	static const char *const want[] = {
	    "MQLs 412, +8.1% on last week",
	    "Leads 5 (last week 0)",
	    "Close rate —",
	};
	for (size_t i = 0; i < 3; i++) {
		char *line = mail_kpi_line(mv_at(sum, i), "USD");
		assert_string_equal(line, want[i]);
		free(line);
	}
	mv_free(root);
}

/* The dash's note comes with a dash in the KPI table, and only then. */
static void test_kpi_notes(void **state)
{
	(void)state;
	mval *root = tree(); /* close_rate and leads' change are null */
	for (int html = 0; html < 2; html++) {
		char *note = mail_kpi_notes(root, html, MAIL_WORKBOOK | MAIL_PDF);
		assert_non_null(strstr(note, "A dash (\xE2\x80\x94) marks a figure with nothing to "
					     "measure"));
		assert_non_null(strstr(note, html ? "<p " : "no closed deal among the week's"));
		/* the close rate follows the week's MQLs, which a week with wins may
		 * not show: said, as a dash beside "Wins 3" reads as a fault */
		char **lines = g_strsplit(note, "\n", -1);
		char *flat = g_strjoinv(" ", lines);
		if (!html)
			assert_non_null(
			    strstr(flat, "which follows the week's MQLs and not the week's wins"));
		g_free(flat);
		g_strfreev(lines);
		free(note);
	}
	mval *sum = mv_set(root, "summary", mv_arr()); /* replaces it: every cell a figure */
	mv_push(sum, row("mqls", mv_int(412, MF_COUNT), mv_int(381, MF_COUNT),
			 mv_num(412.0 / 381.0 - 1, MF_CHANGE)));
	for (int html = 0; html < 2; html++) {
		char *note = mail_kpi_notes(root, html, MAIL_WORKBOOK | MAIL_PDF);
		assert_string_equal(note, "");
		free(note);
	}
	/* a rate whose cohort still converts: said to be left unjudged */
	mv_push(sum, row("mql_to_sql_rate", mv_num(0.068, MF_RATE), mv_num(0.324, MF_RATE),
			 mv_num(-25.6, MF_PLAIN)));
	char *note = mail_kpi_notes(root, true, MAIL_WORKBOOK | MAIL_PDF); /* unwrapped */
	assert_non_null(strstr(note, "Not judged better or worse, as not yet comparable with last "
				     "week: MQL \xE2\x86\x92 SQL rate: this week"));
	assert_null(strstr(note, "A dash"));
	free(note);
	/* more won deals than wins: a customer's further deals, said */
	mval *w = mv_set(mv_set(root, "windows", mv_obj()), "1w", mv_obj());
	mv_set(w, "wins", mv_int(2, MF_COUNT));
	mv_set(w, "won_deals", mv_int(4, MF_COUNT));
	mv_set(w, "deal_size_mean_n", mv_int(4, MF_COUNT));
	note = mail_kpi_notes(root, true, MAIL_WORKBOOK | MAIL_PDF);
	assert_non_null(strstr(note, "Revenue adds up the amounts of 4 deals won this week"));
	free(note);
	mv_free(root);
}

/* A what_changed row as metrics builds it. */
static mval *moved(const char *kpi, mval *now, mval *last, double change, const char *unit,
		   double z)
{
	mval *o = row(kpi, now, last, mv_num(change, strcmp(unit, "pp") ? MF_CHANGE : MF_PLAIN));
	mv_set(o, "change_unit", mv_str(unit));
	mv_set(o, "z_score", mv_num(z, MF_RATIO));
	return o;
}

/* The subject's movements: MQLs first, then the largest comparable ones
 * outside the usual range; a change not yet comparable (young) is no
 * headline however large, nor one the body calls usual. */
static void test_headline(void **state)
{
	(void)state;
	mval *root = tree();
	mval *w = mv_set(root, "what_changed", mv_arr());
	mv_push(w, moved("mqls", mv_int(412, MF_COUNT), mv_int(381, MF_COUNT), 0.081, "%", 0.5));
	mv_push(w, moved("mql_to_sql_rate", mv_num(0.068, MF_RATE), mv_num(0.324, MF_RATE), -25.6,
			 "pp", -4));
	mv_set(mv_at(w, 1), "unusual", mv_bool(true));
	mv_push(w, moved("leads", mv_int(130, MF_COUNT), mv_int(120, MF_COUNT), 0.083, "%", 3));
	mv_set(mv_at(w, 2), "unusual", mv_bool(true));
	mv_push(w, moved("sqls", mv_int(13, MF_COUNT), mv_int(23, MF_COUNT), -0.43, "%", -1.5));
	char *h = mail_headline(root, 3, 64);
	assert_string_equal(h, "412 MQLs (+8.1%), 130 leads (+8.3%)");
	free(h);
	/* within the usual range: no headline, however large its percent; and
	 * with no other move outside it (the young rate is not judged), a usual
	 * week, said first */
	mv_set(mv_at(w, 2), "unusual", mv_bool(false));
	h = mail_headline(root, 3, 64);
	assert_string_equal(h, "a usual week, 412 MQLs (+8.1%)");
	free(h);
	/* but not over data a check warns of: the warnings say what the week is */
	mval *dq = mv_set(root, "data_quality", mv_obj());
	mval *hl = mv_set(dq, "health", mv_arr());
	for (int k = 0; k < 2; k++) {
		mval *c = mv_push(hl, mv_obj());
		mv_set(c, "check", mv_str(k ? "no_leads" : "source_stale"));
		mv_set(c, "status", mv_str("warn"));
	}
	h = mail_headline(root, 3, 64);
	assert_string_equal(h, "2 data warnings; 412 MQLs (+8.1%)");
	free(h);
	mv_free(root);
	/* a rise from a week at zero, unusual: in the subject, from what */
	root = tree();
	w = mv_set(root, "what_changed", mv_arr());
	mv_push(w, moved("mqls", mv_int(4, MF_COUNT), mv_int(6, MF_COUNT), -0.33, "%", -0.3));
	mval *rev = mv_push(
	    w, moved("revenue", mv_num(34767, MF_MONEY), mv_num(0, MF_MONEY), 0, "%", 2.85));
	mv_set(rev, "change", mv_null());
	mv_set(rev, "unusual", mv_bool(true));
	h = mail_headline(root, 3, 80);
	assert_string_equal(h, "4 MQLs (\xE2\x88\x92"
			       "33%), revenue $34,767 (from $0)");
	free(h);
	mv_free(root);
	/* one of a count is said in the singular */
	root = tree();
	w = mv_set(root, "what_changed", mv_arr());
	mv_push(w, moved("mqls", mv_int(1, MF_COUNT), mv_int(2, MF_COUNT), -0.5, "%", 0.5));
	mv_push(w, moved("wins", mv_int(1, MF_COUNT), mv_int(4, MF_COUNT), -0.75, "%", 3));
	mv_set(mv_at(w, 1), "unusual", mv_bool(true));
	h = mail_headline(root, 3, 64);
	assert_string_equal(h, "1 MQL (−50%), 1 win (−75%)");
	free(h);
	mv_free(root);
	/* no spend this week: the spend in the precision of the body's
	 * sentence, its average deciding ("$0", not "$0.00"), and no cost per
	 * MQL, which does not apply (not "$0.00", −100%) */
	root = tree();
	w = mv_set(root, "what_changed", mv_arr());
	mv_push(w, moved("mqls", mv_int(44, MF_COUNT), mv_int(37, MF_COUNT), 0.19, "%", 0.5));
	mval *cost = mv_push(
	    w, moved("cost_per_mql", mv_num(0, MF_MONEY), mv_num(360.05, MF_MONEY), -1, "%", -4));
	mv_set(cost, "unusual", mv_bool(true));
	mval *spent = mv_push(
	    w, moved("spend", mv_num(0, MF_MONEY), mv_num(8801.45, MF_MONEY), -1, "%", -3.2));
	mv_set(spent, "unusual", mv_bool(true));
	mv_set(spent, "mean_13w", mv_num(10307.66, MF_MONEY));
	h = mail_headline(root, 3, 80);
	assert_string_equal(h, "44 MQLs (+19%), spend $0 (\xE2\x88\x92"
			       "100%)");
	free(h);
	mv_free(root);
}

/* A KPI whose figure rests on few cases: flagged with its cases in both
 * parts of the table, its figure grey and its change uncoloured in HTML,
 * no "better" or "worse" in text, named in the note, and no headline
 * however large its move. */
/* Revenue and ROI in the KPI table: the note says which attribution model
 * the reports' splits follow, and that these totals do not depend on it. */
static void test_attribution_note(void **state)
{
	(void)state;
	mval *root = tree();
	char *note = mail_kpi_notes(root, false, MAIL_WORKBOOK | MAIL_PDF);
	assert_null(strstr(note, "attribution"));
	free(note);
	mv_set(mv_get(root, "report"), "attribution", mv_str("first_touch"));
	mv_push(mv_get(root, "summary"), row("roi", mv_num(4.35, MF_RATIO), mv_num(17.2, MF_RATIO),
					     mv_num(-1286.3, MF_PLAIN)));
	/* one line: the text part wraps it */
	note = mail_kpi_notes(root, true, MAIL_WORKBOOK | MAIL_PDF);
	assert_non_null(strstr(note, "Revenue and ROI here count each won deal once, whatever the "
				     "attribution model; by channel and campaign, in the attached "
				     "reports, they follow the first touch model."));
	free(note);
	mv_free(root);
}

/* Each message is worded for the reports it carries: one of the PDF alone
 * points to no workbook and no report folder, which its reader has not,
 * and names the report it attaches; the workbook's keeps them. */
static void test_notes_for_what_is_carried(void **state)
{
	(void)state;
	assert_int_equal(mail_carried(NULL), MAIL_WORKBOOK | MAIL_PDF);
	assert_int_equal(mail_carried(""), 0);
	assert_int_equal(mail_carried("pdf"), MAIL_PDF);
	assert_int_equal(mail_carried("workbook"), MAIL_WORKBOOK);
	assert_int_equal(mail_carried("workbook pdf"), MAIL_WORKBOOK | MAIL_PDF);
	mval *root = tree();
	mv_set(mv_get(root, "report"), "attribution", mv_str("first_touch"));
	mv_push(mv_get(root, "summary"), row("roi", mv_num(4.35, MF_RATIO), mv_num(17.2, MF_RATIO),
					     mv_num(-1286.3, MF_PLAIN)));
	mval *src = mv_set(mv_set(root, "data_quality", mv_obj()), "sources", mv_arr());
	mval *leads = mv_push(src, mv_obj());
	mv_set(leads, "source", mv_str("leads"));
	mv_set(leads, "rows_rejected", mv_int(2, MF_COUNT));
	char *pdf = mail_kpi_notes(root, true, MAIL_PDF);
	assert_non_null(strstr(pdf, "Left out of every figure: 2 rows the exports hold but the "
				    "report could not read (leads 2).</p>"));
	assert_null(strstr(pdf, "workbook"));
	assert_null(strstr(pdf, "folder"));
	assert_non_null(strstr(pdf, "by channel and campaign, in the attached campaign-ROI report, "
				    "they follow the first touch model."));
	free(pdf);
	char *wb = mail_kpi_notes(root, true, MAIL_WORKBOOK);
	assert_non_null(strstr(wb, "(leads 2); the workbook"));
	assert_non_null(strstr(wb, "Data quality sheet says why"));
	assert_non_null(strstr(wb, "in the attached workbook, they follow"));
	free(wb);
	char *none = mail_kpi_notes(root, true, 0); /* both left out for size */
	assert_null(strstr(none, "attached"));
	assert_null(strstr(none, "workbook"));
	free(none);
	/* the template, through the message's own variable */
	const mail_var vars[] = {
	    {"attachments", "campaign-roi-2026-W47.pdf (the campaign-ROI report, 73 kB)"},
	    {"reports", "pdf"},
	    {"note", ""}};
	for (int html = 0; html < 2; html++) {
		char *body = mail_render(mail_template(html ? "email.html" : "email.txt"), root,
					 vars, G_N_ELEMENTS(vars), html);
		assert_null(strstr(body, "workbook"));
		assert_null(strstr(body, "folder"));
		assert_non_null(strstr(body, "campaign-ROI"));
		free(body);
	}
	mv_free(root);
}

/* "What changed" without a movement to name says why, as the workbook and
 * the PDF do, rather than leaving the section out. */
static void test_changes_none_said(void **state)
{
	(void)state;
	mval *root = tree();
	mval *wc = mv_set(root, "what_changed", mv_arr());
	mval *r = mv_push(wc, mv_obj());
	mv_set(r, "kpi", mv_str("leads"));
	mv_set(r, "this_week", mv_int(100, MF_COUNT));
	mv_set(r, "last_week", mv_null());
	mv_set(r, "change", mv_null());
	mv_set(r, "z_score", mv_null());
	for (int html = 0; html < 2; html++) {
		char *b = mail_changes_block(root, 4, html);
		assert_non_null(strstr(b, html ? "What changed" : "WHAT CHANGED"));
		assert_non_null(strstr(b, "Nothing to compare with yet"));
		free(b);
	}
	/* judged, with no change to name (0 both weeks): the verdict alone */
	mv_set(r, "last_week", mv_int(100, MF_COUNT));
	mv_set(r, "z_score", mv_num(0.1, MF_PLAIN));
	mv_set(r, "unusual", mv_bool(false));
	for (int html = 0; html < 2; html++) {
		char *b = mail_changes_block(root, 4, html);
		assert_non_null(strstr(b, html ? "What changed" : "WHAT CHANGED"));
		assert_non_null(strstr(b, "A usual week"));
		free(b);
	}
	mv_free(root);
}

/* The moments a template shows are in the report's time zone, named, as
 * the week's dates are: not a UTC time under a Berlin report's heading. */
static void test_moments_in_report_zone(void **state)
{
	(void)state;
	mval *root = tree();
	mval *rep = mv_get(root, "report");
	mv_set(rep, "timezone", mv_str("Europe/Berlin"));
	/* 2026-11-23T05:30:00Z: 6:30 in Berlin */
	mv_set(rep, "generated_at", mv_time(INT64_C(1795411800000)));
	char *out = mail_render("at {{generated_at}}.", root, NULL, 0, false);
	assert_string_equal(out, "at Mon 23 Nov 2026 06:30 Europe/Berlin.");
	free(out);
	mv_free(root);
}

/* The picture's alt text names each series' first and last value and says
 * which last week is not yet comparable (drawn hollow). */
static void test_trend_alt(void **state)
{
	(void)state;
	mval *root = tree();
	mval *trend = mv_set(root, "kpi_trend", mv_arr());
	for (int w = 0; w < 3; w++) {
		mval *o = mv_push(trend, mv_obj());
		mv_set(o, "week", mv_str(w == 2 ? "2026-W47" : w ? "2026-W46" : "2026-W45"));
		mv_set(o, "mqls", mv_int(40 + w, MF_COUNT));
		mv_set(o, "mql_to_sql_rate", mv_num(w == 2 ? 0.07 : 0.3, MF_RATE));
	}
	char *alt = mail_trend_alt(root);
	assert_non_null(strstr(alt, "from W45 to W47"));
	assert_non_null(strstr(alt, "MQLs from 40 to 42;"));
	assert_non_null(strstr(alt, "from 30.0% to 7.0% (this week not yet comparable)"));
	free(alt);
	/* a week without a value is no "—" at an end: the nearest week with one,
	 * named; a series without any says so */
	mv_set(mv_at(trend, 0), "leads", mv_null());
	mv_set(mv_at(trend, 1), "leads", mv_int(95, MF_COUNT));
	mv_set(mv_at(trend, 2), "leads", mv_int(102, MF_COUNT));
	mv_set(mv_at(trend, 0), "sqls", mv_int(7, MF_COUNT));
	mv_set(mv_at(trend, 1), "sqls", mv_int(9, MF_COUNT));
	mv_set(mv_at(trend, 2), "sqls", mv_null());
	mv_set(mv_at(trend, 1), "wins", mv_int(2, MF_COUNT));
	alt = mail_trend_alt(root);
	assert_null(strstr(alt, "\xE2\x80\x94"));
	assert_non_null(strstr(alt, "Leads from 95 in W46 to 102;"));
	assert_non_null(strstr(alt, "SQLs from 7 to 9 in W46;"));
	assert_non_null(strstr(alt, "Wins 2 in W46 only;"));
	assert_non_null(strstr(alt, "Cost per MQL: no value;"));
	free(alt);
	mv_free(root);
}

/* A tree whose kpi_trend has 13 weeks: counts of tens and a cost per MQL
 * of `cost` times 1 to 2, in `currency`. */
static mval *trend_tree(const char *currency, double cost)
{
	mval *root = tree();
	mv_set(mv_get(root, "report"), "currency", mv_str(currency));
	mval *trend = mv_set(root, "kpi_trend", mv_arr());
	for (int w = 0; w < 13; w++) {
		mval *o = mv_push(trend, mv_obj());
		char week[16];
		snprintf(week, sizeof week, "2026-W%02d", 35 + w);
		mv_set(o, "week", mv_str(week));
		mv_set(o, "leads", mv_int(116 + w, MF_COUNT));
		mv_set(o, "mqls", mv_int(25 + w % 5, MF_COUNT));
		mv_set(o, "sqls", mv_int(6 + w, MF_COUNT));
		mv_set(o, "wins", mv_int(w % 3, MF_COUNT));
		mv_set(o, "cost_per_mql", mv_num(cost * (1 + w / 12.0), MF_MONEY));
		mv_set(o, "mql_to_sql_rate", mv_num(0.3 + w / 100.0, MF_RATE));
	}
	return root;
}

/* Whether the picture's texts hold `want` whole. */
static bool has_text(const mail_trend_text *t, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].text, want))
			return true;
	return false;
}

/* Every figure of the trend picture reads whole, within its panel, over no
 * other text: a cost per MQL in dong or in billions of yen (the figure
 * longer than the room beside its label, low and high longer than a line)
 * is not cut with "…" ("9,503,…" read as another number), and a figure in
 * dollars keeps its place beside the label. */
static void test_trend_figures_whole(void **state)
{
	(void)state;
	static const struct {
		const char *currency;
		double cost;
		const char *figure, *low, *high; /* as the picture must write them */
		double height;			 /* 0: taller than the dollars' */
	} cases[] = {
	    {"USD", 250, "$500.00", "low $250.00 \xC2\xB7 high $500.00", NULL, 482},
	    {"CHF", 256.3, "512.60 CHF", NULL, NULL, 0},
	    {"VND", 5707152, "11,414,304 VND", "low 5,707,152 VND", "high 11,414,304 VND", 0},
	    {"JPY", 34242915000.0,
	     "\xC2\xA5"
	     "68,485,830,000",
	     "low \xC2\xA5"
	     "34,242,915,000",
	     "high \xC2\xA5"
	     "68,485,830,000",
	     0},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		mval *root = trend_tree(cases[c].currency, cases[c].cost);
		mail_trend_text t[64];
		double height;
		size_t n = mail_trend_texts(root, t, 64, &height);
		assert_true(n > 13 && n <= 64);
		assert_true(has_text(t, n, cases[c].figure));
		if (cases[c].low)
			assert_true(has_text(t, n, cases[c].low));
		if (cases[c].high)
			assert_true(has_text(t, n, cases[c].high));
		for (size_t i = 0; i < n; i++) {
			assert_null(strstr(t[i].text, "\xE2\x80\xA6"));
			assert_true(t[i].x >= t[i].left - 0.5);
			assert_true(t[i].x + t[i].w <= t[i].right + 0.5);
			assert_true(t[i].right <= 560);
			assert_true(t[i].size >= 12); /* set smaller, not too small to read */
			for (size_t k = i + 1; k < n; k++) {
				bool apart = t[i].x + t[i].w <= t[k].x ||
					     t[k].x + t[k].w <= t[i].x ||
					     t[i].y + t[i].h <= t[k].y + 0.5 ||
					     t[k].y + t[k].h <= t[i].y + 0.5;
				if (!apart)
					fail_msg("%s: \"%s\" overlaps \"%s\"", cases[c].currency,
						 t[i].text, t[k].text);
			}
		}
		/* the dollars' picture keeps its height; a figure under its label
		 * makes it taller */
		if (cases[c].height > 0)
			assert_true(fabs(height - cases[c].height) < 0.5);
		else
			assert_true(height > 482);
		size_t len = 0;
		unsigned char *png = mail_trend_png(root, &len);
		assert_non_null(png);
		/* the PNG's height (IHDR, big-endian at byte 20) is the layout's */
		uint32_t h = (uint32_t)png[20] << 24 | (uint32_t)png[21] << 16 |
			     (uint32_t)png[22] << 8 | png[23];
		assert_int_equal(h, (uint32_t)(height * 2));
		free(png);
		mv_free(root);
	}
}

/* The longest line of text, in characters. */
static size_t widest_line(const char *text)
{
	size_t most = 0;
	char **lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++)
		most = MAX(most, (size_t)g_utf8_strlen(*l, -1));
	g_strfreev(lines);
	return most;
}

/* The plain-text table keeps to 78 characters whatever its figures' length:
 * figures of 15 characters (billions of yen) in columns each as wide as its
 * own, the labels wrapped beside them; of 22 (KWD in tens of quadrillions) each label
 * on a line of its own, its figures under it; every figure whole. */
static void test_kpi_text_long_figures(void **state)
{
	(void)state;
	static const struct {
		const char *currency;
		double revenue;
		const char *whole, *label_line; /* label_line: the label alone on its line */
	} cases[] = {
	    {"JPY", 10573050000.0,
	     "\xC2\xA5"
	     "10,573,050,000",
	     NULL},
	    {"KWD", 12345678901234500.0, "12,345,678,901,234,500", "Revenue\n"},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		mval *root = tree();
		mv_set(mv_get(root, "report"), "currency", mv_str(cases[c].currency));
		mval *sum = mv_get(root, "summary");
		mv_push(sum, row("revenue", mv_num(cases[c].revenue, MF_MONEY),
				 mv_num(cases[c].revenue * 2, MF_MONEY), mv_num(-0.5, MF_CHANGE)));
		char *text = mail_kpi_table(root, false);
		if (widest_line(text) > 78)
			fail_msg("%s: a line of %zu characters:\n%s", cases[c].currency,
				 widest_line(text), text);
		if (!strstr(text, cases[c].whole))
			fail_msg("%s: no %s in:\n%s", cases[c].currency, cases[c].whole, text);
		assert_non_null(strstr(text, "not yet comparable"));
		if (cases[c].label_line)
			assert_non_null(strstr(text, cases[c].label_line));
		free(text);
		mv_free(root);
	}
}

static void test_few_cases(void **state)
{
	(void)state;
	mval *root = tree();
	mval *q = mv_set(root, "qualification", mv_obj());
	mv_set(q, "low_sample_min", mv_int(30, MF_COUNT));
	mval *sum = mv_set(root, "summary", mv_arr());
	mval *r = mv_push(sum, row("sales_acceptance_rate", mv_num(0.69, MF_RATE),
				   mv_num(0.62, MF_RATE), mv_num(6.9, MF_PLAIN)));
	mv_set(r, "change_unit", mv_str("pp"));
	mv_set(r, "n", mv_int(29, MF_COUNT));
	mv_set(r, "low_sample", mv_bool(true));
	char *text = mail_kpi_table(root, false);
	assert_non_null(strstr(text, "+7.0 pp  only 29 cases\n"));
	assert_null(strstr(text, "better"));
	free(text);
	char *html = mail_kpi_table(root, true);
	assert_non_null(strstr(html, "(only 29 cases)</span>"));
	assert_non_null(strstr(html, "color:#666666;white-space:nowrap;\">69.0%"));
	assert_null(strstr(html, "#1A7F37")); /* the good colour */
	free(html);
	char *note = mail_kpi_notes(root, true, MAIL_WORKBOOK | MAIL_PDF);
	assert_non_null(strstr(note, "figure rests on fewer than 30 cases: Sales acceptance rate: "
				     "29 cases."));
	free(note);
	/* the same rise with enough cases is called better */
	mv_set(r, "low_sample", mv_bool(false));
	text = mail_kpi_table(root, false);
	assert_non_null(strstr(text, "+7.0 pp  better\n"));
	free(text);

	mval *w = mv_set(root, "what_changed", mv_arr());
	mv_push(w, moved("mqls", mv_int(412, MF_COUNT), mv_int(381, MF_COUNT), 0.081, "%", 0.5));
	mval *few = mv_push(
	    w, moved("cost_per_mql", mv_num(170, MF_MONEY), mv_num(90, MF_MONEY), 0.89, "%", 3));
	mv_set(few, "n", mv_int(4, MF_COUNT));
	mv_set(few, "low_sample", mv_bool(true));
	mv_set(few, "unusual", mv_bool(true));
	mv_push(w, moved("leads", mv_int(130, MF_COUNT), mv_int(120, MF_COUNT), 0.083, "%", 2.5));
	mv_set(mv_at(w, 2), "unusual", mv_bool(true));
	char *h = mail_headline(root, 3, 64);
	assert_string_equal(h, "412 MQLs (+8.1%), 130 leads (+8.3%)");
	free(h);
	mv_free(root);
}

/* The placeholders a subject may hold are those of one line mail_render()
 * fills with no variables: each of them leaves no braces; a variable's name
 * (filled only in the bodies), a block, a misspelt name or a KPI that is
 * no row of `summary` (it would show "—") is named. */
static void test_subject_placeholders(void **state)
{
	(void)state;
	mval *root = tree();
	for (size_t i = 0; i < mail_nplaceholders; i++) {
		char *t = g_strdup_printf("{{%s}}", mail_placeholders[i]);
		assert_null(mail_unknown_placeholder(t));
		char *out = mail_render(t, root, NULL, 0, false);
		if (strstr(out, "{{"))
			fail_msg("%s is left as written: %s", t, out);
		free(out);
		g_free(t);
	}
	assert_null(mail_unknown_placeholder("Week {{ week_short }}: {{kpi:mqls}}"));
	static const char *const bad[] = {"note",      "trend_alt", "attachments", "reports",
					  "trend_cid", "kpi_table", "kpis",	   "weak",
					  "kpi:nope",  "kpi:clv",   "value:sha256"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *t = g_strdup_printf("x {{%s}} y", bad[i]);
		char *u = mail_unknown_placeholder(t);
		assert_non_null(u);
		assert_string_equal(u, bad[i]);
		free(u);
		g_free(t);
	}
	mv_free(root);
}

/* A {{ that opens no placeholder, or a }} that closes none, is named as
 * written around it: the subject would otherwise go out with the braces;
 * a placeholder's own braces, spaces inside them and lone braces are not. */
static void test_malformed_placeholders(void **state)
{
	(void)state;
	static const char *const fine[] = {"MQL report {{week}}: {{kpi:mqls}}",
					   "{{ week_short }}",
					   "{week} and {x}",
					   "{{week}}} {",
					   "",
					   "no braces at all"};
	for (size_t i = 0; i < G_N_ELEMENTS(fine); i++) {
		char *m = mail_malformed_placeholder(fine[i]);
		if (m)
			fail_msg("\"%s\" is taken for malformed: \"%s\"", fine[i], m);
	}
	static const struct {
		const char *tmpl, *shown;
	} bad[] = {
	    {"ROI {{kpi:roi}", "{{kpi:roi}"},
	    {"Week {{week", "{{week"},
	    {"{{week {{kpi:mqls}}", "{{week"},
	    {"{{kpi:roi} and {{week}}", "{{kpi:roi}"},
	    {"{{week}} {{{kpi:mqls}}}", "{{{kpi:mqls}}}"},
	    {"{{kp{i}}", "{{kp{i}}"},
	    {"Week {week}}", "{week}}"},
	    {"{{week}}}} x", "}}"},
	    {"MQLs {{", "{{"},
	    {"{{week", "{{week"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *m = mail_malformed_placeholder(bad[i].tmpl);
		if (!m || strcmp(m, bad[i].shown) != 0)
			fail_msg("\"%s\": named \"%s\", not \"%s\"", bad[i].tmpl,
				 m ? m : "(nothing)", bad[i].shown);
		free(m);
	}
	/* a long one is cut between characters */
	char *m = mail_malformed_placeholder("{{ \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
					     "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
					     "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
					     "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
					     "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
					     "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
	assert_non_null(m);
	assert_true(strlen(m) <= 60 && strlen(m) > 50);
	assert_true(g_utf8_validate(m, -1, NULL));
	free(m);
}

static void test_render(void **state)
{
	(void)state;
	mval *root = tree();
	mail_var vars[] = {{"note", "<b>big</b> & more"}};
	static const struct {
		const char *tmpl;
		bool html;
		const char *want;
	} cases[] = {
	    {"Week {{week}}", false, "Week 2026-W47"},
	    {"{{ kpi:mqls }}!", false, "MQLs 412, +8.1% on last week!"},
	    {"{{value:mqls}} vs {{last:mqls}} ({{change:mqls}})", false, "412 vs 381 (+8.1%)"},
	    {"{{change:lead_to_mql_rate}}", false,
	     "\xE2\x88\x92"
	     "3.1 pp"},
	    {"{{kpi:lead_to_mql_rate}}", false,
	     "Lead \xE2\x86\x92 MQL rate 10.8%, \xE2\x88\x92"
	     "3.1 pp on last week"},
	    {"{{kpis}}", false,
	     "  MQLs 412, +8.1% on last week\n  Leads 5 (last week 0)\n  Close rate —\n"
	     "  Lead \xE2\x86\x92 MQL rate 10.8%, \xE2\x88\x92"
	     "3.1 pp on last week\n"},
	    {"{{note}}", false, "<b>big</b> & more"},
	    {"{{note}}", true, "&lt;b&gt;big&lt;/b&gt; &amp; more"}, /* escaped in HTML */
	    {"{{unknown}} {{", false, "{{unknown}} {{"},	     /* left as written */
	    {"{{value:nope}}", false, "—"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = mail_render(cases[i].tmpl, root, vars, 1, cases[i].html);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
	char *html = mail_render("<ul>{{kpis}}</ul>", root, NULL, 0, true);
	assert_non_null(strstr(html, "<li>MQLs 412, +8.1% on last week</li>"));
	free(html);
	mv_free(root);
	assert_non_null(mail_template("email.txt"));
	assert_non_null(strstr(mail_template("email.html"), "{{kpi_table}}"));
	assert_non_null(mail_template("failure.txt"));
	assert_null(mail_template("nope.txt"));
}

/* A placeholder shows a KPI as the KPI table, the workbook and the PDF do:
 * in the catalogue's unit, not as the tree holds it (a ROI of 4.35 is
 * 435%; a speed to lead of 157 minutes shows in hours). Each value is also
 * the one on that KPI's row of the table. */
static void test_placeholder_units(void **state)
{
	(void)state;
	mval *root = tree();
	mval *sum = mv_get(root, "summary");
	mv_push(sum, row("roi", mv_num(4.35, MF_RATIO), mv_num(17.22, MF_RATIO),
			 mv_num(-1287, MF_PLAIN)));
	mv_push(sum, row("speed_to_lead_minutes_median", mv_num(157, MF_MINUTES),
			 mv_num(216, MF_MINUTES), mv_num(157.0 / 216.0 - 1, MF_CHANGE)));
	mv_push(sum, row("cac", mv_num(3810.54, MF_MONEY), mv_num(1707.24, MF_MONEY),
			 mv_num(3810.54 / 1707.24 - 1, MF_CHANGE)));
	/* ROI 4.35 → 435%, 17.22 → 1,722%, (4.35 − 17.22) × 100 = −1,287 pp;
	 * 157 and 216 minutes / 60 → 2.6 h and 3.6 h, 157 / 216 − 1 = −27% */
	static const struct {
		const char *tmpl, *want;
	} cases[] = {
	    {"{{kpi:roi}}", "ROI 435%, \xE2\x88\x92"
			    "1,287 pp on last week"},
	    {"{{value:roi}} / {{last:roi}}", "435% / 1,722%"},
	    {"{{kpi:speed_to_lead_minutes_median}}",
	     "Median speed to lead (hours) 2.6 h, \xE2\x88\x92"
	     "27% on last week"},
	    {"{{value:speed_to_lead_minutes_median}} / {{last:speed_to_lead_minutes_median}}",
	     "2.6 h / 3.6 h"},
	    {"{{value:cac}} / {{last:cac}}", "$3,810.54 / $1,707.24"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = mail_render(cases[i].tmpl, root, NULL, 0, false);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
	char *table = mail_kpi_table(root, false);
	static const char *const kpis[] = {"roi", "speed_to_lead_minutes_median", "cac"};
	for (size_t i = 0; i < sizeof kpis / sizeof kpis[0]; i++) {
		char *t =
		    xasprintf("{{value:%s}} {{last:%s}} {{change:%s}}", kpis[i], kpis[i], kpis[i]);
		char *cells = mail_render(t, root, NULL, 0, false);
		char **three = g_strsplit(cells, " ", -1);
		const char *line = strstr(table, catalog_label(kpis[i]));
		assert_non_null(line);
		size_t len = strcspn(line, "\n");
		for (char **c = three; *c; c++)
			if (**c && strcmp(*c, "pp") != 0)
				assert_non_null(g_strstr_len(line, (gssize)len, *c));
		g_strfreev(three);
		free(cells);
		free(t);
	}
	free(table);
	mv_free(root);
}

static void test_build(void **state)
{
	(void)state;
	char path[] = "/tmp/mql-test-mail-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello", 5), 5);
	close(fd);
	const char *to[] = {"a@example.com", "b@example.com", NULL};
	mail_attachment att = {
	    .path = path, .filename = "r\"e\nport.xlsx", .mime_type = "application/pdf"};
	mail_message m = {.from = "r@example.com",
			  .to = to,
			  .subject = "Bericht für KW 47\r\nBcc: x@example.com",
			  .text = "body",
			  .html = "<p>body</p>",
			  .att = &att,
			  .natt = 1,
			  .message_id = "<id.1@example.com>",
			  .date = 0};
	size_t len = 0;
	mq_err err = {0};
	char *msg = mail_build(&m, &len, &err);
	unlink(path);
	assert_non_null(msg);
	assert_int_equal(strlen(msg), len);
	/* every LF is part of a CRLF */
	for (size_t i = 0; i < len; i++)
		if (msg[i] == '\n')
			assert_true(i > 0 && msg[i - 1] == '\r');
	assert_non_null(strstr(msg, "To: a@example.com, b@example.com\r\n"));
	assert_non_null(strstr(msg, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
	assert_non_null(strstr(msg, "Message-ID: <id.1@example.com>\r\n"));
	/* non-ASCII subject: encoded words; the injected line break is gone */
	assert_non_null(strstr(msg, "Subject: =?UTF-8?B?"));
	assert_null(strstr(msg, "\r\nBcc:"));
	/* "hello" in base64 is aGVsbG8=; "body" is Ym9keQ== */
	assert_non_null(strstr(msg, "\r\naGVsbG8=\r\n"));
	assert_non_null(strstr(msg, "\r\nYm9keQ==\r\n"));
	/* the quote and the line break of the file name are replaced */
	assert_non_null(strstr(msg, "filename=\"r_e port.xlsx\""));
	assert_non_null(strstr(msg, "multipart/alternative"));
	free(msg);

	/* a missing attachment is an error naming it */
	att.path = "/nonexistent/report.pdf";
	msg = mail_build(&m, &len, &err);
	assert_null(msg);
	assert_int_equal(err.status, MQ_NOINPUT);
	assert_non_null(strstr(err.msg, "/nonexistent/report.pdf"));
}

/* The Subject header of msg unfolded (CRLFs before white space removed),
 * with every line of it checked to be at most 78 characters. */
static char *subject_of(const char *msg)
{
	const char *h = strstr(msg, "\r\nSubject: ");
	assert_non_null(h);
	h += 2;
	GString *u = g_string_new(NULL);
	for (;;) {
		const char *e = strstr(h, "\r\n");
		assert_non_null(e);
		assert_true(e - h <= 78);
		g_string_append_len(u, h, e - h);
		if (e[2] != ' ' && e[2] != '\t')
			break;
		h = e + 2;
	}
	return g_string_free(u, FALSE);
}

/* The text of a run of RFC 2047 B-encoded words (white space between them ignored). */
static char *decode_words(const char *s)
{
	GString *out = g_string_new(NULL);
	while ((s = strstr(s, "=?UTF-8?B?")) != NULL) {
		s += strlen("=?UTF-8?B?");
		const char *e = strstr(s, "?=");
		assert_non_null(e);
		char *b64 = g_strndup(s, (gsize)(e - s));
		gsize n = 0;
		guchar *raw = g_base64_decode(b64, &n);
		g_string_append_len(out, (const char *)raw, (gssize)n);
		g_free(raw);
		g_free(b64);
		s = e + 2;
	}
	return g_string_free(out, FALSE);
}

/* A 2,000-character subject is folded into lines of at most 78 characters
 * (RFC 5322 §2.1.1, §2.2.3), words too long to fold and non-ASCII text as
 * encoded words (RFC 2047), and reads back as it was. */
static void test_subject_folded(void **state)
{
	(void)state;
	GString *words = g_string_new(NULL), *word = g_string_new(NULL),
		*umlauts = g_string_new(NULL);
	for (int i = 0; words->len < 2000; i++)
		g_string_append_printf(words, "%sCampaign-%d", i ? " " : "", i);
	for (int i = 0; i < 2000; i++)
		g_string_append_c(word, (char)('a' + i % 26));
	while (umlauts->len < 2000)
		g_string_append(umlauts, "Bericht für KW 47 – ");
	const char *short_subject = "Weekly report, week 47";
	const char *subjects[] = {words->str, word->str, umlauts->str, short_subject};
	for (size_t k = 0; k < G_N_ELEMENTS(subjects); k++) {
		const char *to[] = {"a@example.com", NULL};
		mail_message m = {.from = "r@example.com",
				  .to = to,
				  .subject = subjects[k],
				  .text = "body",
				  .message_id = "<id.1@example.com>"};
		size_t len = 0;
		mq_err err = {0};
		char *msg = mail_build(&m, &len, &err);
		assert_non_null(msg);
		char *subj = subject_of(msg);
		if (k == 0 || k == 3) { /* folded at spaces: unfolding gives it back */
			assert_string_equal(subj + strlen("Subject: "), subjects[k]);
		} else {
			char *text = decode_words(subj);
			assert_string_equal(text, subjects[k]);
			g_free(text);
		}
		if (k == 3)
			assert_non_null(strstr(msg, "\r\nSubject: Weekly report, week 47\r\n"));
		g_free(subj);
		free(msg);
	}
	g_string_free(words, TRUE);
	g_string_free(word, TRUE);
	g_string_free(umlauts, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base64_size),
	    cmocka_unit_test(test_header_clean),
	    cmocka_unit_test(test_kpi_lines),
	    cmocka_unit_test(test_kpi_notes),
	    cmocka_unit_test(test_render),
	    cmocka_unit_test(test_placeholder_units),
	    cmocka_unit_test(test_headline),
	    cmocka_unit_test(test_few_cases),
	    cmocka_unit_test(test_trend_alt),
	    cmocka_unit_test(test_subject_placeholders),
	    cmocka_unit_test(test_malformed_placeholders),
	    cmocka_unit_test(test_attribution_note),
	    cmocka_unit_test(test_notes_for_what_is_carried),
	    cmocka_unit_test(test_moments_in_report_zone),
	    cmocka_unit_test(test_changes_none_said),
	    cmocka_unit_test(test_build),
	    cmocka_unit_test(test_trend_figures_whole),
	    cmocka_unit_test(test_kpi_text_long_figures),
	    cmocka_unit_test(test_subject_folded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
