/* changes.c — words for the week's movements (changes.h).
 *
 * Phrases only: which row moved and how unusual it is comes from
 * metrics/weekly.c; it must not compute a statistic. */
#include "changes.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "numfmt.h"

void changes_text(const mval *row, char *buf, size_t n, int *good)
{
	const mval *ch = mv_get(row, "change");
	const cat_entry *e = catalog_find(mv_str_of(mv_get(row, "kpi")));
	*good = 0;
	if (mv_is_null(ch)) {
		snprintf(buf, n, "—");
		return;
	}
	double d = mv_num_of(ch);
	bool pp = g_strcmp0(mv_str_of(mv_get(row, "change_unit")), "pp") == 0;
	double shown = pp ? d : d * 100;
	numfmt_signed(shown, numfmt_change_decimals(shown, pp), pp ? " pp" : "%", buf, n);
	int sign = d > 0 ? 1 : d < 0 ? -1 : 0;
	if (e && e->direction != CD_NONE)
		*good = e->direction == CD_UP ? sign : -sign;
}

bool changes_no_spend_value(const char *kpi, const mval *v)
{
	return catalog_is_per_unit(kpi) && v && !mv_is_null(v) && mv_num_of(v) == 0;
}

bool changes_no_spend(const mval *row, const char *week)
{
	return changes_no_spend_value(mv_str_of(mv_get(row, "kpi")), mv_get(row, week));
}

/* Either week's. */
bool changes_no_spend_either(const mval *row)
{
	return changes_no_spend(row, "this_week") || changes_no_spend(row, "last_week");
}

const char changes_no_spend_text[] =
    "A cost per lead, per MQL or per customer has a dash (\xE2\x80\x94) in a week without "
    "spend: with nothing spent it does not apply (it is not free).";

/* A cost without spend in either week did not move: it does not apply. */
bool changes_moved(const mval *row)
{
	if (changes_no_spend_either(row))
		return false;
	const mval *ch = mv_get(row, "change");
	if (!mv_is_null(ch))
		return mv_num_of(ch) != 0;
	/* no relative change from a week at zero, yet a move all the same */
	double t = mv_num_of(mv_get(row, "this_week")), l = mv_num_of(mv_get(row, "last_week"));
	return isfinite(t) && isfinite(l) && t != l;
}

/* Which way a row moved: +1, −1, or 0 when it did not (changes_moved). */
static int move_sign(const mval *row)
{
	if (!changes_moved(row))
		return 0;
	double d = mv_num_of(mv_get(row, "change"));
	if (isnan(d)) /* from a week at zero */
		d = mv_num_of(mv_get(row, "this_week")) - mv_num_of(mv_get(row, "last_week"));
	return d > 0 ? 1 : -1;
}

typedef struct ranked {
	const mval *row;
	double key;
} ranked;

static int by_key(const void *a, const void *b)
{
	double x = ((const ranked *)a)->key, y = ((const ranked *)b)->key;
	return x > y ? -1 : x < y;
}

/* The weeks a row's mean is over (13 where the row does not say). */
static long mean_weeks(const mval *row)
{
	const mval *w = mv_get(row, "mean_weeks");
	return w && !mv_is_null(w) ? (long)mv_int_of(w) : 13;
}

/* A row the verdict judges: enough weeks (a z-score), comparable with
 * last week, on enough cases, and not a cost without spend. */
static bool judged(const mval *row)
{
	return !mv_is_null(mv_get(row, "z_score")) && !changes_young(row) && !changes_few(row) &&
	       !changes_no_spend_either(row);
}

/* A judged row outside the usual range. */
static bool unusual_move(const mval *row)
{
	return judged(row) && mv_bool_of(mv_get(row, "unusual"));
}

/* "the last 13 weeks", or "the 5 weeks with data" when the exports begin
 * within them. */
static void weeks_span(long weeks, char *buf, size_t n)
{
	if (weeks >= 13 || weeks <= 0)
		snprintf(buf, n, "the last 13 weeks");
	else
		snprintf(buf, n, "the %ld weeks with data", weeks);
}

static char *sentence(const mval *row, const char *currency)
{
	const char *kpi = mv_str_of(mv_get(row, "kpi"));
	const cat_entry *e = catalog_find(kpi);
	char now[64], last[64], ch[64], mean[64];
	int good;
	/* the sentence's three amounts share one precision ("$10,135 … average
	 * $9,900", not "$9,899.69"): the largest of them decides */
	double t = mv_num_of(mv_get(row, "this_week")), l = mv_num_of(mv_get(row, "last_week"));
	double m = mv_num_of(mv_get(row, "mean_13w"));
	double largest = 0;
	for (int i = 0; i < 3; i++) {
		double v = i == 0 ? t : i == 1 ? l : m;
		largest = isfinite(v) && fabs(v) > largest ? fabs(v) : largest;
	}
	catalog_format_among(e, t, largest, currency, now, sizeof now);
	catalog_format_among(e, l, largest, currency, last, sizeof last);
	if (e && e->format == CF_COUNT && fabs(m) < 10 && m != floor(m))
		numfmt_fixed(m, 1, NULL, mean, sizeof mean); /* "1.5", not "1.50" */
	else						     /* "123", not "123.23" */
		catalog_format_among(e, e && e->format == CF_COUNT ? round(m) : m, largest,
				     currency, mean, sizeof mean);
	changes_text(row, ch, sizeof ch, &good);
	double d = mv_num_of(mv_get(row, "change"));
	const char *verb = d > 0 ? "rose" : d < 0 ? "fell" : "held at";
	const char *mag = ch[0] == '+' ? ch + 1 : strncmp(ch, "−", 3) == 0 ? ch + 3 : "";
	const char *label = e ? e->label : kpi;
	/* the weeks the mean is over: 13, or those with a value (a first export
	 * of a month leaves the weeks before it without one) */
	long weeks = mean_weeks(row);
	char avg[48];
	snprintf(avg, sizeof avg, "%ld-week average", weeks > 0 && weeks < 13 ? weeks : 13);
	/* the weeks of the range are the average's, which the sentence names,
	 * and the verdict above the sentences says them whole: each sentence
	 * repeating "of the last 13 weeks" only made them longer */
	const char *how = mv_is_null(mv_get(row, "z_score"))
			      ? "too few weeks to judge against its usual range"
			  : mv_bool_of(mv_get(row, "unusual")) ? "outside its usual range"
							       : "within its usual range";
	const char *young = e && e->young ? e->young : NULL;
	char *cases = changes_few(row) ? changes_cases_text(row) : NULL;
	char *tail =
	    young && cases
		? g_strdup_printf(", though %s, and this week's value rests on %s", young, cases)
	    : young ? g_strdup_printf(", though %s", young)
	    : cases ? g_strdup_printf(", though this week's value rests on %s", cases)
		    : g_strdup("");
	char *s = isnan(d) /* from a week at zero: no relative change to give */
		      ? g_strdup_printf("%s %s from %s to %s (%s %s): %s%s.", label,
					move_sign(row) > 0 ? "rose" : "fell", last, now, avg, mean,
					how, tail)
		      : d == 0 ? g_strdup_printf("%s held at %s (%s %s): %s%s.", label, now, avg,
						 mean, how, tail)
			       : g_strdup_printf("%s %s %s to %s (last week %s; %s %s): %s%s.",
						 label, verb, mag, now, last, avg, mean, how, tail);
	g_free(cases);
	g_free(tail);
	return s;
}

size_t changes_ranked(const mval *root, const mval **rows, size_t max)
{
	const mval *all = mv_get(root, "what_changed");
	size_t n = mv_len(all);
	ranked *r = g_new0(ranked, n ? n : 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const mval *row = mv_at(all, i);
		/* no change, or none known, is no movement to name; a rise
		 * from zero is one, though it has no relative change */
		if (!changes_moved(row))
			continue;
		/* the week's move against this KPI's usual weekly move; a row
		 * with too few weeks to tell comes after, by the change's size
		 * (a move from zero the largest) */
		double m = mv_num_of(mv_get(row, "move_ratio"));
		double d = fabs(mv_num_of(mv_get(row, "change")));
		if (isnan(d))
			d = INFINITY;
		bool pp = g_strcmp0(mv_str_of(mv_get(row, "change_unit")), "pp") == 0;
		r[k].row = row;
		r[k].key = isnan(m) ? -1 / (1 + (pp ? d / 100 : d)) : m;
		/* a change not yet comparable (a cohort still converting) after
		 * every comparable one: its distance from the weeks before is
		 * mostly its youth; so is one that rests on few cases */
		if (changes_young(row) || changes_few(row))
			r[k].key -= 1e12;
		k++;
	}
	qsort(r, k, sizeof *r, by_key);
	/* the rows the verdict names as outside their usual range are among
	 * those kept, whatever their move (the verdict names no figure the
	 * sentences leave out); the others fill the places left; the kept
	 * keep their order */
	bool *keep = g_new0(bool, k ? k : 1);
	size_t out = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < k && out < max; i++)
			if (!keep[i] && (pass == 1 || unusual_move(r[i].row))) {
				keep[i] = true;
				out++;
			}
	for (size_t i = 0, o = 0; i < k; i++)
		if (keep[i])
			rows[o++] = r[i].row;
	g_free(keep);
	g_free(r);
	return out;
}

int changes_unusual_count(const mval *root)
{
	const mval *all = mv_get(root, "what_changed");
	int any = 0, unusual = 0;
	for (size_t i = 0; i < mv_len(all); i++) {
		any += judged(mv_at(all, i));
		unusual += unusual_move(mv_at(all, i));
	}
	return any ? unusual : -1;
}

/* A row outside its usual range that the verdict does not judge. */
static bool unusual_unjudged(const mval *row)
{
	return !judged(row) && !changes_no_spend_either(row) &&
	       !mv_is_null(mv_get(row, "z_score")) && mv_bool_of(mv_get(row, "unusual"));
}

/* The rows outside their usual range that the verdict does not judge (not
 * yet comparable, or on few cases), said after it so that "a usual week"
 * never hides a figure far from its weeks: " Not judged, though outside
 * its usual range: MQL → SQL rate (not yet comparable)." or "". */
static char *unjudged_tail(const mval *all)
{
	size_t total = 0, n = 0;
	for (size_t i = 0; i < mv_len(all); i++)
		total += unusual_unjudged(mv_at(all, i));
	if (!total)
		return g_strdup("");
	GString *b = g_string_new(NULL);
	for (size_t i = 0; i < mv_len(all); i++) {
		const mval *row = mv_at(all, i);
		if (!unusual_unjudged(row))
			continue;
		const char *kpi = mv_str_of(mv_get(row, "kpi"));
		const cat_entry *e = catalog_find(kpi);
		char *label = catalog_in_sentence(e ? e->label : kpi);
		/* as the row's own flag says it: few cases first */
		char *why = changes_flag_text(row);
		n++;
		g_string_append_printf(b, "%s%s (%s)",
				       n == 1	    ? ""
				       : n == total ? " and "
						    : ", ",
				       label, why);
		g_free(why);
		g_free(label);
	}
	char *out = g_strdup_printf(" Not judged, though outside %s usual range: %s.",
				    total == 1 ? "its" : "their", b->str);
	g_string_free(b, TRUE);
	return out;
}

/* The weeks the judged rows' ranges are over: "the last 13 weeks", or,
 * when the data begins within them, "the 5 weeks with data". */
static void verdict_span(const mval *all, char *buf, size_t n)
{
	long most = 0;
	for (size_t i = 0; i < mv_len(all); i++) {
		const mval *row = mv_at(all, i);
		if (judged(row) && mean_weeks(row) > most)
			most = mean_weeks(row);
	}
	weeks_span(most, buf, n);
}

char *changes_verdict(const mval *root)
{
	int unusual = changes_unusual_count(root);
	if (unusual < 0)
		return NULL;
	char span[64];
	verdict_span(mv_get(root, "what_changed"), span, sizeof span);
	char *tail = unjudged_tail(mv_get(root, "what_changed"));
	if (unusual == 0) {
		char *out = g_strdup_printf("A usual week: no headline figure %smoved outside its "
					    "usual range of %s.%s",
					    *tail ? "that can be judged " : "", span, tail);
		g_free(tail);
		return out;
	}
	/* the unusual rows, the largest movement first (changes_ranked), then
	 * those that did not move from last week but stand outside the range
	 * all the same (both weeks far from the 13 weeks' mean) */
	const mval *all = mv_get(root, "what_changed");
	size_t n = mv_len(all);
	const mval **rows = g_new0(const mval *, 2 * n + 1);
	size_t k = changes_ranked(root, rows, n), m = 0;
	for (size_t i = 0; i < k; i++)
		if (unusual_move(rows[i]))
			rows[m++] = rows[i];
	for (size_t i = 0; i < n; i++) {
		const mval *row = mv_at(all, i);
		if (unusual_move(row) && !changes_moved(row))
			rows[m++] = row;
	}
	GString *moved = g_string_new(NULL);
	for (size_t i = 0; i < m; i++) {
		const char *kpi = mv_str_of(mv_get(rows[i], "kpi"));
		const cat_entry *e = catalog_find(kpi);
		char *label = catalog_in_sentence(e ? e->label : kpi);
		int d = move_sign(rows[i]);
		g_string_append_printf(moved, "%s%s %s",
				       i == 0	    ? ""
				       : i == m - 1 ? " and "
						    : ", ",
				       label,
				       d > 0   ? "rose"
				       : d < 0 ? "fell"
					       : "stood");
		g_free(label);
	}
	g_free(rows);
	char *out = g_strdup_printf("An unusual week: %s outside %s usual range of %s.%s",
				    moved->str, m == 1 ? "its" : "their", span, tail);
	g_string_free(moved, TRUE);
	g_free(tail);
	return out;
}

/* Why no movement is named: no last week, only zeros, or no change. */
char *changes_none_sentence(const mval *root)
{
	const mval *all = mv_get(root, "what_changed"), *first = NULL;
	if (!mv_len(all) || changes_unusual_count(root) >= 0 || changes_ranked(root, &first, 1))
		return NULL;
	/* figures last week; of both weeks, and of both other than zero */
	size_t last_week = 0, both = 0, nonzero = 0;
	for (size_t i = 0; i < mv_len(all); i++) {
		const mval *row = mv_at(all, i);
		double t = mv_num_of(mv_get(row, "this_week")),
		       l = mv_num_of(mv_get(row, "last_week"));
		last_week += !isnan(l);
		both += !isnan(l) && !isnan(t);
		nonzero += !isnan(l) && !isnan(t) && (t != 0 || l != 0);
	}
	if (nonzero) /* and none moved (changes_moved) */
		return g_strdup("No headline figure changed from last week.");
	if (!last_week)
		return g_strdup("Nothing to compare with yet: the exports hold no week before this "
				"one, so no figure has a change from last week or a usual range of "
				"weeks to be judged against.");
	if (both)
		return g_strdup("Nothing to compare with yet: this week's and last week's figures "
				"are all zero or empty.");
	return g_strdup("Nothing to compare with yet: no headline figure has a value both this "
			"week and last week.");
}

char **changes_sentences(const mval *root, size_t max)
{
	const char *currency = mv_str_of(mv_path(root, "report.currency"));
	size_t n = mv_len(mv_get(root, "what_changed"));
	const mval **rows = g_new0(const mval *, n ? n : 1);
	size_t k = changes_ranked(root, rows, max);
	/* room for the sentence of no movement too, and the NULL after */
	char **out = g_new0(char *, k + 2);
	for (size_t i = 0; i < k; i++)
		out[i] = sentence(rows[i], currency ? currency : "USD");
	g_free(rows);
	/* without a movement to name, why: a heading over nothing reads as a
	 * part of the report gone missing */
	if (k == 0)
		out[0] = changes_none_sentence(root);
	return out;
}

/* "38.8%", as every output shows a rate (one decimal), or NULL for a null
 * share. */
static const char *pct(const mval *o, const char *key, char *buf, size_t n)
{
	double v = mv_num_of(mv_get(o, key));
	if (isnan(v))
		return NULL;
	numfmt_percent(v, 1, false, buf, n);
	return buf;
}

/* The clause for a side with a share but too few cases to judge it by, or
 * NULL: "too few SQLs (10, fewer than 30) to judge whether it is too
 * strict". */
static char *unjudged(const mval *q, bool loose_side)
{
	const char *share = loose_side ? "rejected_share" : "sql_without_mql_rate";
	const char *judged = loose_side ? "rejected_judged" : "never_judged";
	if (mv_is_null(mv_get(q, share)) || mv_bool_of(mv_get(q, judged)))
		return NULL;
	return g_strdup_printf(
	    "too few %s (%lld, fewer than %lld) to judge whether it is too %s",
	    loose_side ? "MQLs reviewed" : "SQLs",
	    (long long)mv_int_of(mv_get(q, loose_side ? "reviewed_mqls_13w" : "sqls_13w")),
	    (long long)mv_int_of(mv_get(q, "low_sample_min")), loose_side ? "loose" : "strict");
}

/* What the lean says, after the two shares. MQLs from the score: of its
 * threshold, with the sweep's candidate. MQLs from the CRM (its MQL date or
 * status): of the CRM's rule, which no threshold of ours moves; the sweep's
 * candidate is then what the score would do instead. */
static char *lean_verdict(const mval *q)
{
	const char *lean = mv_str_of(mv_get(q, "lean"));
	const char *src = mv_str_of(mv_get(q, "mql_source"));
	bool crm = src && strcmp(src, "score") != 0;
	double t = mv_num_of(mv_get(q, "threshold")),
	       c = mv_num_of(mv_get(q, "candidate_threshold"));
	char cc[16], cn[16], rc[16], rn[16];
	const char *cap_c = pct(q, "candidate_sql_capture_rate", cc, sizeof cc);
	const char *cap_n = pct(q, "sql_capture_rate", cn, sizeof cn);
	const char *rate_c = pct(q, "candidate_sql_rate", rc, sizeof rc);
	const char *rate_n = pct(q, "sql_rate", rn, sizeof rn);
	bool cand = !isnan(c) && cap_c && cap_n && rate_c && rate_n;
	bool loose = !g_strcmp0(lean, "loose"), strict = !g_strcmp0(lean, "strict");
	char *who = crm ? g_strdup_printf("The CRM's MQL rule (MQLs come from its %s, not "
					  "from the score)",
					  !strcmp(src, "status") ? "lead status" : "MQL date")
			: g_strdup_printf("The score's threshold of %.0f", t);
	char *out;
	if ((loose || strict) && cand && crm)
		out = g_strdup_printf("%s looks too %s: by the score, a threshold of %.0f would "
				      "have %s %s of the SQLs at an SQL rate of %s.",
				      who, loose ? "loose" : "strict", c, loose ? "kept" : "caught",
				      cap_c, rate_c);
	else if ((loose || strict) && cand)
		out = g_strdup_printf(
		    "%s looks too %s: at %.0f it would "
		    "have %s %s of the SQLs (now %s) at an SQL rate of %s (now %s).",
		    who, loose ? "loose" : "strict", c, loose ? "kept" : "caught", cap_c, cap_n,
		    rate_c, rate_n);
	else if ((loose || strict) && crm)
		out = g_strdup_printf("%s looks too %s, and no score threshold would do "
				      "better: the CRM's rule is where to look.",
				      who, loose ? "loose" : "strict");
	else if (loose || strict)
		out = g_strdup_printf("%s looks too %s, but no %s "
				      "threshold %s: the scoring rules, not the threshold, are "
				      "where to look.",
				      who, loose ? "loose" : "strict", loose ? "higher" : "lower",
				      loose ? "keeps the SQLs" : "catches more SQLs");
	else if (!g_strcmp0(lean, "mixed"))
		out = crm ? g_strdup_printf("Both are high: %c%s is where to look.",
					    g_ascii_tolower(who[0]), who + 1)
			  : g_strdup("Both are high: the scoring rules, not the threshold, are "
				     "where to look.");
	else if (!g_strcmp0(lean, "too_few"))
		out = g_strdup_printf("%s is not judged:", who);
	else {
		bool rj = mv_bool_of(mv_get(q, "rejected_judged")),
		     nj = mv_bool_of(mv_get(q, "never_judged"));
		if (rj && nj)
			out = g_strdup_printf("Neither stands out: %c%s looks about right.",
					      g_ascii_tolower(who[0]), who + 1);
		else
			out = g_strdup_printf("%s does not look too %s;", who,
					      rj ? "loose" : "strict");
	}
	g_free(who);
	return out;
}

/* The verdict, and what could not be judged for want of cases. */
static char *lean_text(const mval *q)
{
	char *v = lean_verdict(q);
	char *a = unjudged(q, true), *b = unjudged(q, false);
	if (!a && !b)
		return v;
	/* a verdict that is a full sentence gets the clauses as a sentence of
	 * their own; one that waits for them ("not judged:", "not too loose;")
	 * runs on */
	size_t n = strlen(v);
	bool runs_on = n && (v[n - 1] == ':' || v[n - 1] == ';');
	char *clauses = a && b ? g_strdup_printf("%s, and %s", a, b) : g_strdup(a ? a : b);
	if (!runs_on)
		clauses[0] = (char)g_ascii_toupper(clauses[0]);
	char *s = g_strdup_printf("%s %s.", v, clauses);
	g_free(v);
	g_free(a);
	g_free(b);
	g_free(clauses);
	return s;
}

char *changes_mql_basis(const mval *root)
{
	const mval *rep = mv_get(root, "report");
	const char *src = mv_str_of(mv_get(rep, "mql_source"));
	if (g_strcmp0(src, "score") != 0) {
		const char *what = catalog_value_label("mql_source", src ? src : "export");
		return g_strdup_printf("MQLs: %c%s", g_ascii_tolower(what[0]), what + 1);
	}
	double th = mv_num_of(mv_get(rep, "mql_threshold"));
	double h = mv_num_of(mv_get(rep, "score_half_life_days"));
	return isfinite(h) && h > 0
		   ? g_strdup_printf("MQLs: a score of %g or more, its behavioural points halving "
				     "every %g day%s",
				     th, h, h == 1 ? "" : "s")
		   : g_strdup_printf("MQLs: a score of %g or more, its points not decaying", th);
}

char *changes_qualification(const mval *root)
{
	const mval *q = mv_get(root, "qualification");
	if (!q || mv_is_null(mv_get(q, "lean")))
		return NULL;
	char rj[16], nv[16];
	const char *rej = pct(q, "rejected_share", rj, sizeof rj);
	const char *never = pct(q, "sql_without_mql_rate", nv, sizeof nv);
	char *a = rej ? g_strdup_printf("sales rejected %s of the MQLs it reviewed", rej)
		      : g_strdup("sales reviewed no MQL");
	char *b = never ? g_strdup_printf("%s of the SQLs were never MQLs", never)
			: g_strdup("there was no SQL");
	char *lean = lean_text(q);
	/* with decay the sweep's scores are those of the week's end, lower
	 * than when the leads crossed the threshold: its counts fall short of
	 * the MQLs, and a reader comparing them must know why */
	const mval *rep = mv_get(root, "report");
	double hl = mv_num_of(mv_get(rep, "score_half_life_days"));
	bool decayed = isfinite(hl) && hl > 0 && !mv_is_null(mv_get(q, "candidate_threshold"));
	char *s = g_strdup_printf("Over the last 13 weeks %s, and %s. %s%s", a, b, lean,
				  decayed ? " (The threshold sweep scores each lead as of the "
					    "week's end, its behavioural points decayed since, so "
					    "fewer leads reach a threshold than became MQLs at it.)"
					  : "");
	g_free(a);
	g_free(b);
	g_free(lean);
	return s;
}

char *changes_young_note(const mval *const *rows, size_t n)
{
	GString *b = g_string_new(NULL);
	for (size_t i = 0; i < n; i++) {
		if (!rows[i] || !changes_young(rows[i]))
			continue;
		const cat_entry *e = catalog_find(mv_str_of(mv_get(rows[i], "kpi")));
		g_string_append_printf(b, "%s%s: %s", b->len ? "; " : "", e->label, e->young);
	}
	if (!b->len) {
		g_string_free(b, TRUE);
		return NULL;
	}
	char *s = g_strdup_printf("Not judged better or worse, as not yet comparable with last "
				  "week: %s.",
				  b->str);
	g_string_free(b, TRUE);
	return s;
}

const char changes_dash_text[] =
    "A dash (\xE2\x80\x94) marks a figure with nothing to measure: a rate, cost or time whose "
    "week had none of what it counts (no closed deal among the week's MQLs for a close rate, "
    "which follows the week's MQLs and not the week's wins; no MQL for a cost per MQL; no SQL "
    "for a time to SQL), or a change from a week at zero or without the figure.";

bool changes_few(const mval *row)
{
	return mv_bool_of(mv_get(row, "low_sample"));
}

/* What a flagged row's figure lacks when it rests on no case at all: the
 * catalogue's no_cases of its KPI ("no deal won"), else "no case". */
static const char *no_cases_text(const mval *row)
{
	const cat_entry *e = catalog_find(mv_str_of(mv_get(row, "kpi")));
	return e && e->no_cases ? e->no_cases : "no case";
}

char *changes_cases_text(const mval *row)
{
	long long n = (long long)mv_int_of(mv_get(row, "n"));
	if (n == 0)
		return g_strdup(no_cases_text(row));
	return g_strdup_printf("only %lld case%s", n, n == 1 ? "" : "s");
}

char *changes_few_note(const mval *root, const mval *const *rows, size_t n)
{
	GString *b = g_string_new(NULL), *none = g_string_new(NULL);
	for (size_t i = 0; i < n; i++) {
		if (!rows[i] || !changes_few(rows[i]))
			continue;
		const char *kpi = mv_str_of(mv_get(rows[i], "kpi"));
		long long cases = (long long)mv_int_of(mv_get(rows[i], "n"));
		if (cases == 0)
			g_string_append_printf(none, "%s%s (%s)", none->len ? "; " : "",
					       catalog_label(kpi), no_cases_text(rows[i]));
		else
			g_string_append_printf(b, "%s%s: %lld case%s", b->len ? "; " : "",
					       catalog_label(kpi), cases, cases == 1 ? "" : "s");
	}
	GString *s = g_string_new(NULL);
	if (b->len) {
		long min = changes_low_sample_min(root);
		char *fewer = min >= 0 ? g_strdup_printf("fewer than %ld", min) : g_strdup("few");
		g_string_append_printf(s,
				       "Read with care and not judged better or worse, as this "
				       "week's figure rests on %s cases: %s.",
				       fewer, b->str);
		g_free(fewer);
	}
	if (none->len)
		g_string_append_printf(s,
				       "%sIn grey and not judged better or worse, as this week's "
				       "figure rests on no case and measures nothing yet: %s.",
				       s->len ? " " : "", none->str);
	g_string_free(b, TRUE);
	g_string_free(none, TRUE);
	if (!s->len) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

long changes_low_sample_min(const mval *root)
{
	const mval *min = mv_path(root, "qualification.low_sample_min");
	return min && !mv_is_null(min) ? (long)mv_int_of(min) : -1;
}

bool changes_few_cases(const mval *n, long min)
{
	if (!n || mv_is_null(n) || mv_kind_of(n) == MV_STR || min <= 0)
		return false;
	double k = mv_num_of(n);
	return k >= 1 && k < (double)min;
}

char *changes_deals_note(const mval *root)
{
	const mval *w = mv_path(root, "windows.1w");
	/* every won deal, and those with an amount, which deal_size_mean is over */
	double wins = mv_num_of(mv_get(w, "wins")), deals = mv_num_of(mv_get(w, "won_deals")),
	       priced = mv_num_of(mv_get(w, "deal_size_mean_n"));
	if (isnan(wins) || isnan(deals) || deals <= wins)
		return NULL;
	/* the deals revenue has no amount of, said where there are any */
	double unpriced = isnan(priced) || priced > deals ? 0 : deals - priced;
	char *bare;
	if (unpriced == 0)
		bare = g_strdup("");
	else if (priced == 0)
		bare =
		    g_strdup(deals == 1 ? " (it has no amount)" : " (none of them has an amount)");
	else
		bare = g_strdup_printf(" (%.0f of them without an amount, which add%s 0)", unpriced,
				       unpriced == 1 ? "s" : "");
	char *s;
	if (wins == 0)
		s = g_strdup_printf("Revenue adds up the amounts of %.0f deal%s won this week%s, "
				    "though no lead was won for the first time: %s.",
				    deals, deals == 1 ? "" : "s", bare,
				    deals == 1 ? "it is a further deal of a customer won before"
					       : "they are further deals of customers won before");
	else
		s = g_strdup_printf("Revenue adds up the amounts of %.0f deals won this week%s; "
				    "Wins counts the %.0f lead%s won for the first time, so a "
				    "customer's further deals add to revenue, not to wins.",
				    deals, bare, wins, wins == 1 ? "" : "s");
	g_free(bare);
	return s;
}

char *changes_rejects_note(const mval *root)
{
	return changes_rejects_note_where(root, "the workbook's Data quality sheet says why, and "
						"rejects.csv in the report's folder lists them");
}

/* The rows left out, then where to look when `where` is given. */
char *changes_rejects_note_where(const mval *root, const char *where)
{
	const mval *sources = mv_path(root, "data_quality.sources");
	GString *by = g_string_new(NULL);
	int64_t total = 0;
	for (size_t i = 0; i < mv_len(sources); i++) {
		const mval *s = mv_at(sources, i);
		int64_t n = mv_int_of(mv_get(s, "rows_rejected"));
		const char *name = mv_str_of(mv_get(s, "source"));
		if (n <= 0 || !name)
			continue;
		char count[32];
		mq_grouped((double)n, 0, count, sizeof count);
		g_string_append_printf(by, "%s%s %s", by->len ? ", " : "", name, count);
		total += n;
	}
	char *out = NULL;
	if (total > 0) {
		char count[32];
		mq_grouped((double)total, 0, count, sizeof count);
		out = g_strdup_printf("Left out of every figure: %s row%s the exports hold but "
				      "the report could not read (%s)%s%s.",
				      count, total == 1 ? "" : "s", by->str, where ? "; " : "",
				      where ? where : "");
	}
	g_string_free(by, TRUE);
	return out;
}

bool changes_young(const mval *row)
{
	const cat_entry *e = catalog_find(mv_str_of(mv_get(row, "kpi")));
	return e && e->young && !mv_is_null(mv_get(row, "this_week"));
}

char *changes_flag_text(const mval *row)
{
	if (changes_few(row))
		return changes_cases_text(row);
	return changes_young(row) ? g_strdup("not yet comparable") : NULL;
}

bool changes_has_dash(const mval *row)
{
	return mv_is_null(mv_get(row, "this_week")) || mv_is_null(mv_get(row, "last_week")) ||
	       mv_is_null(mv_get(row, "change"));
}
