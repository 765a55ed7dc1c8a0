/* health.c — the data-health checks (see health.h): from the facts of the
 * leads and events and the tables metrics_compute() already built, one row per check with what was
 * measured, the limit, the status its policy gives, and one sentence.
 *
 * It only measures and words: it reads no configuration (the policies come
 * in as parameters), does no I/O, and decides no exit status (cmd/ does). */
#include "health.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"
#include "money.h"
#include "view.h"

const char *const health_policy_name[3] = {"off", "warn", "fail"};

const char *const health_check_name[HC_COUNT] = {
    [HC_SOURCE_STALE] = "source_stale",
    [HC_SOURCE_LAG] = "source_lag",
    [HC_SOURCE_EMPTY] = "source_empty",
    [HC_SOURCE_TRUNCATED] = "source_truncated",
    [HC_NONE_ACCEPTED] = "source_none_accepted",
    [HC_REJECTED_SHARE] = "rejected_share",
    [HC_UNPARSEABLE_SHARE] = "unparseable_share",
    [HC_UNPARSEABLE_FIELD] = "unparseable_field",
    [HC_ORPHANED_EVENTS] = "orphaned_events",
    [HC_ORPHANED_OPPS] = "orphaned_opportunities",
    [HC_MQL_UNREACHABLE] = "mql_unreachable",
    [HC_SPEND_WITHOUT_LEADS] = "spend_without_leads",
    [HC_LEADS_WITHOUT_SPEND] = "leads_without_spend",
    [HC_NO_LEADS] = "no_leads",
    [HC_WEEK_UNFINISHED] = "week_unfinished",
    [HC_SPEND_REPEATED] = "spend_repeated",
    [HC_AMOUNT_NOTATION] = "amount_notation",
    [HC_DEALS_UNDECIDED] = "deals_undecided",
    [HC_WEEK_PARTIAL_DATA] = "week_partial_data",
    [HC_WEEK_WITHOUT_DATA] = "week_without_data",
};

void health_params_default(health_params *hp)
{
	/* one check a line */
	/* clang-format off */
	static const enum health_policy def[HC_COUNT] = {
	    [HC_SOURCE_STALE] = HEALTH_FAIL,
	    [HC_SOURCE_LAG] = HEALTH_WARN,
	    [HC_SOURCE_EMPTY] = HEALTH_FAIL,
	    [HC_SOURCE_TRUNCATED] = HEALTH_FAIL,
	    [HC_NONE_ACCEPTED] = HEALTH_FAIL,
	    [HC_REJECTED_SHARE] = HEALTH_FAIL,
	    [HC_UNPARSEABLE_SHARE] = HEALTH_FAIL,
	    [HC_UNPARSEABLE_FIELD] = HEALTH_FAIL,
	    [HC_ORPHANED_EVENTS] = HEALTH_WARN,
	    [HC_ORPHANED_OPPS] = HEALTH_WARN,
	    [HC_MQL_UNREACHABLE] = HEALTH_WARN,
	    [HC_SPEND_WITHOUT_LEADS] = HEALTH_WARN,
	    [HC_LEADS_WITHOUT_SPEND] = HEALTH_WARN,
	    [HC_NO_LEADS] = HEALTH_FAIL,
	    [HC_WEEK_UNFINISHED] = HEALTH_WARN,
	    [HC_SPEND_REPEATED] = HEALTH_WARN,
	    [HC_AMOUNT_NOTATION] = HEALTH_WARN,
	    [HC_DEALS_UNDECIDED] = HEALTH_FAIL,
	    [HC_WEEK_PARTIAL_DATA] = HEALTH_WARN,
	    [HC_WEEK_WITHOUT_DATA] = HEALTH_WARN,
	};
	/* clang-format on */
	memcpy(hp->policy, def, sizeof def);
	hp->max_rejected_share = 0.05;
	hp->max_orphaned_share = 0.05;
	hp->max_unparseable_share = 0.05;
	hp->max_lag_days = 3;
}

/* The table being built. */
typedef struct hctx {
	const health_facts *f;
	const metrics_params *p;
	const mval *root;
	const health_params *hp;
	mval *rows;
} hctx;

/* A share above zero that one decimal would show as 0.0%. */
static bool tiny_share(double share)
{
	return share > 0 && share * 100 < 0.05;
}

/* A share as the sentences give it, with one decimal, but "under 0.1%" for
 * a tiny one: 2 rows of 62,397 are not none. */
static const char *pct_text(double share, char *buf, size_t n)
{
	if (tiny_share(share))
		snprintf(buf, n, "under 0.1%%");
	else
		snprintf(buf, n, "%.1f%%", share * 100);
	return buf;
}

/* A count as the outputs show counts, in groups of three: "62,397". */
static const char *count_text(int64_t v, char *buf, size_t n)
{
	mq_grouped((double)v, 0, buf, n);
	return buf;
}

/* One row; takes value, limit and msg (a g_strdup_printf string). */
static void add_row(hctx *h, int check, const char *source, bool tripped, mval *value, mval *limit,
		    char *msg)
{
	enum health_policy pol = h->hp->policy[check];
	const char *status = pol == HEALTH_OFF	  ? "off"
			     : !tripped		  ? "pass"
			     : pol == HEALTH_FAIL ? "fail"
						  : "warn";
	mval *r = mv_push(h->rows, mv_obj());
	mv_set(r, "check", mv_str(health_check_name[check]));
	mv_set(r, "source", source ? mv_str(source) : mv_null());
	mv_set(r, "status", mv_str(status));
	mv_set(r, "policy", mv_str(health_policy_name[pol]));
	mv_set(r, "value", value);
	mv_set(r, "limit", limit);
	mv_set(r, "message", mv_str(msg));
	g_free(msg);
}

/* Staleness, emptiness, nothing accepted and the rejected share of one
 * source's data-quality row. */

/* The room of a hint: the longest names two date layouts and a source. */
#define HINT_MAX 256

static const char *unreadable_hint(const hctx *h, const char *field, const char *source,
				   char buf[HINT_MAX]);

/* What most often causes a reject reason, with the setting to look at: ""
 * when the reason says it all (a negative amount). */
static const char *reason_hint(const hctx *h, const char *reason, const char *source,
			       char buf[HINT_MAX])
{
	buf[0] = '\0';
	if (strncmp(reason, "unparseable_", 12) == 0)
		return unreadable_hint(h, reason + 12, source, buf);
	if (strncmp(reason, "missing_", 8) == 0)
		/* a row a spreadsheet cleared, its separators alone, is no
		 * row: these have other values */
		snprintf(buf, HINT_MAX,
			 "rows without a %s that have other values: fill the %s in, or "
			 "delete such rows from the export",
			 reason + 8, reason + 8);
	else if (strcmp(reason, "wrong_field_count") == 0)
		snprintf(buf, HINT_MAX,
			 "another delimiter than the header's, or a quote left open? set "
			 "delimiter in [source.%s]",
			 source);
	else if (strcmp(reason, "invalid_encoding") == 0)
		snprintf(buf, HINT_MAX,
			 "bytes that are not UTF-8, or a NUL: an export in windows-1252 (set "
			 "encoding in [source.%s]), or a damaged file?",
			 source);
	else if (strcmp(reason, "id_scientific_notation") == 0)
		snprintf(buf, HINT_MAX,
			 "ids such as 1.95135E+11: Excel wrote them in scientific notation and "
			 "their digits are lost; export the %s again from the CRM, or open the "
			 "CSV without letting Excel convert the id column",
			 source);
	else if (strcmp(reason, "foreign_currency") == 0)
		snprintf(buf, HINT_MAX, "rows in another currency than the report's (--currency)");
	return buf;
}

/* The reason of by (a rejected_by_reason object) with the most rows, and
 * in *most their number; NULL (and 0) when it holds none. */
static const char *most_rejected(const mval *by, int64_t *most)
{
	const char *top = NULL;
	*most = 0;
	for (size_t i = 0; by && i < mv_len(by); i++)
		if (mv_int_of(mv_at(by, i)) > *most) {
			*most = mv_int_of(mv_at(by, i));
			top = mv_key(by, i);
		}
	return top;
}

/* ": mostly unparseable_created_at (3004 rows); mqlreport check
 * --show-rejects lists them", or "" when nothing was rejected: where the
 * reasons are when a stopped run publishes no rejects.csv. */
static void top_reason(const hctx *h, const mval *q, char *buf, size_t n)
{
	const char *source = mv_str_of(mv_get(q, "source"));
	int64_t most;
	const char *top = most_rejected(mv_get(q, "rejected_by_reason"), &most);
	char hint[HINT_MAX] = "";
	if (top)
		reason_hint(h, top, source ? source : "…", hint);
	/* spend read from several files: the setting goes in the group of the
	 * file the rows are in, which the listing names; from one named file,
	 * in its group */
	char *where = strstr(hint, "[source.spend]");
	bool spend = source && strcmp(source, source_name[SRC_SPEND]) == 0;
	if (where && spend && (h->f->spend_files > 1 || h->f->spend_only[0])) {
		char *group = h->f->spend_files > 1
				  ? g_strdup("the group of the file the rows are in "
					     "([source.spend.NAME] or [source.spend])")
				  : g_strdup_printf("[source.spend.%s]", h->f->spend_only);
		char *t = g_strdup_printf("%.*s%s%s", (int)(where - hint), hint, group,
					  where + strlen("[source.spend]"));
		g_strlcpy(hint, t, sizeof hint);
		g_free(t);
		g_free(group);
	}
	if (top)
		snprintf(buf, n,
			 ": mostly %s (%lld row%s)%s%s; mqlreport check --show-rejects lists them",
			 top, (long long)most, most == 1 ? "" : "s", hint[0] ? ": " : "", hint);
	else
		buf[0] = '\0';
}

/* What an optional amount left empty as unreadable, ex (the first such),
 * says of its source: a currency code or words around the number, the other
 * decimal mark than the one set, or a value below zero. */
static void amount_hint(const char *ex, bool comma, const char *source, char buf[HINT_MAX])
{
	size_t len = strlen(ex), i = 0;
	double v;
	char code[4];
	while (i < len && (ex[i] == '(' || ex[i] == '-'))
		i++;
	bool lettered = i < len && g_ascii_isalpha(ex[i]);
	/* a value below zero reads in both notations */
	bool own =
	    money_parse_style(ex, len, comma, &v) || money_parse_coded(ex, len, comma, &v, code);
	/* … and is left empty in the other notation too */
	bool other = !own &&
		     (money_parse_style(ex, len, !comma, &v) ||
		      money_parse_coded(ex, len, !comma, &v, code)) &&
		     v >= 0;
	if (other && comma)
		snprintf(buf, HINT_MAX,
			 "amounts such as \"%s\" are written with a decimal point, but "
			 "decimal = comma is set in [source.%s]: remove it",
			 ex, source);
	else if (other)
		snprintf(buf, HINT_MAX,
			 "amounts such as \"%s\" are written with a decimal comma: set "
			 "decimal = comma in [source.%s]",
			 ex, source);
	else if (lettered)
		snprintf(buf, HINT_MAX,
			 "amounts such as \"%s\" are not read: a currency code is read before "
			 "the number, in capitals and with a space (USD 1,234.50), and no other "
			 "word; correct them in the export",
			 ex);
	else if (own)
		snprintf(buf, HINT_MAX, "amounts below zero, such as \"%s\", are left empty", ex);
	else
		snprintf(buf, HINT_MAX,
			 "amounts such as \"%s\" are not read (1,234.50 and USD 1,234.50 are; "
			 "1.234,50 with decimal = comma in [source.%s]): correct them in the "
			 "export",
			 ex, source);
}

/* What to look at when a field's values could not be read. */
static const char *unreadable_hint(const hctx *h, const char *field, const char *source,
				   char buf[HINT_MAX])
{
	int s = 0;
	while (s < SRC_COUNT && strcmp(source_name[s], source) != 0)
		s++;
	bool comma = s < SRC_COUNT && h->p->decimal_comma[s];
	int dates = s < SRC_COUNT ? h->p->date_style[s] : 0;
	/* a spend amount it cannot read rejects the row; a negative one is
	 * negative_amount: neither is "left empty" */
	bool spend = s == SRC_SPEND;
	const char *ex = s < SRC_COUNT ? h->f->amount_unread[s] : "";
	if (strcmp(field, "amount") == 0 && !spend && ex[0])
		amount_hint(ex, comma, source, buf);
	else if (strcmp(field, "amount") == 0 && spend)
		snprintf(
		    buf, HINT_MAX,
		    comma ? "its amounts are read as 1.234,50 (decimal = comma is set in "
			    "[source.%s]): are some written otherwise?"
			  : "are its amounts written with a decimal comma? set decimal = comma in "
			    "[source.%s]",
		    source);
	else if (strcmp(field, "amount") == 0)
		snprintf(buf, HINT_MAX,
			 comma
			     ? "amounts below zero are left empty, as are amounts not written "
			       "1.234,50 (decimal = comma is set in [source.%s])"
			     : "are its amounts written with a decimal comma (set decimal = comma "
			       "in [source.%s]), or below zero (left empty)?",
			 source);
	else if (strncmp(field, "is_", 3) == 0)
		snprintf(buf, HINT_MAX, "its flags read as true/false, yes/no or 1/0");
	else if (strcmp(field, "company_size") == 0)
		/* the decimal setting decides what separates thousands: a German
		 * export's 1.200 is read only with decimal = comma */
		snprintf(buf, HINT_MAX,
			 comma
			     ? "company_size reads as a number of employees or a band such as "
			       "51-200, with a point or a space between thousands (1.200, as "
			       "decimal = comma is set in [source.%s]) or a comma (1,200)"
			     : "company_size reads as a number of employees or a band such as "
			       "51-200, with a comma between thousands (1,200); one written 1.200 "
			       "is read with decimal = comma in [source.%s] (which reads amounts "
			       "as 1.234,50)",
			 source);
	else if (dates) {
		/* the two other layouts than the one set, each by what tells it */
		static const char *const other[4] = {
		    "",
		    "day first (dmy), or month first with a 24-hour clock (mdy)",
		    "month first, with AM/PM (us) or a 24-hour clock (mdy)",
		    "day first (dmy), or month first with AM/PM (us)",
		};
		static const char *const set[4] = {"", "us", "dmy", "mdy"};
		snprintf(buf, HINT_MAX,
			 "are its dates %s? set that date_format in [source.%s] (%s %s); "
			 "serial numbers are never read",
			 other[dates & 3], source,
			 dates & DATES_BY_PRESET ? "its preset reads" : set[dates & 3],
			 dates & DATES_BY_PRESET ? set[dates & 3] : "is set");
	} else
		snprintf(buf, HINT_MAX,
			 "are its dates in a format the reader does not take by default? set "
			 "date_format = us (M/D/YYYY h:mm AM), mdy (M/D/YYYY 13:05) or dmy in "
			 "[source.%s]; serial numbers are never read",
			 source);
	return buf;
}

/* The optional fields whose values could not be read (left empty, counted
 * in warnings_by_field), each as a share of the rows accepted: a date
 * format or a decimal comma the reader was not told about empties a field
 * without rejecting a row, and the report then counts, say, no MQL at all. */
static void unparseable_check(hctx *h, const mval *q, const char *name, int64_t acc)
{
	const mval *by = mv_get(q, "warnings_by_field");
	double lim = h->hp->max_unparseable_share, worst = 0;
	const char *worst_field = NULL;
	int64_t worst_n = 0;
	for (size_t i = 0; i < mv_len(by); i++) {
		const char *field = mv_key(by, i);
		int64_t n = mv_int_of(mv_at(by, i));
		if (strcmp(field, "invalid_encoding") != 0 && n > worst_n) {
			worst_n = n; /* invalid_encoding: bytes replaced, no field emptied */
			worst_field = field;
		}
	}
	worst = worst_field ? (double)worst_n / (double)acc : 0;
	GString *over = g_string_new(NULL); /* the other fields above the limit */
	for (size_t i = 0; i < mv_len(by); i++) {
		const char *field = mv_key(by, i);
		int64_t n = mv_int_of(mv_at(by, i));
		if (field != worst_field && strcmp(field, "invalid_encoding") != 0 &&
		    (double)n / (double)acc > lim)
			g_string_append_printf(over, ", %s %lld", field, (long long)n);
	}
	bool tripped = worst > lim;
	char hint[HINT_MAX], pw[32], nw[32], na[32];
	pct_text(worst, pw, sizeof pw);
	count_text(worst_n, nw, sizeof nw);
	count_text(acc, na, sizeof na);
	char *msg =
	    !worst_field ? g_strdup_printf("%s: every value of its optional fields was read", name)
	    : tripped
		? g_strdup_printf("%s: %s %s values (%s of the %s rows accepted) could "
				  "not be read and were left empty, above the %.1f%% limit%s%s: %s",
				  name, nw, worst_field, pw, na, lim * 100,
				  over->len ? "; also" : "", over->len ? over->str + 1 : "",
				  unreadable_hint(h, worst_field, name, hint))
		: g_strdup_printf("%s: %s of the rows have a value of %s that could not be "
				  "read (%s of %s), the most of any field, within the %.1f%% limit",
				  name, pw, worst_field, nw, na, lim * 100);
	add_row(h, HC_UNPARSEABLE_SHARE, name, tripped, mv_num(worst, MF_RATE),
		mv_num(lim, MF_RATE), msg);
	g_string_free(over, TRUE);
}

/* The values read of source's optional field, or -1 when the facts do not
 * count that field. */
static int64_t values_read(const health_facts *f, const char *source, const char *field)
{
	if (strcmp(source, source_name[SRC_LEADS]) == 0) {
		for (int t = 0; t < LT_COUNT; t++)
			if (strcmp(field, lead_time_column[t]) == 0)
				return f->lead_times[t];
		return strcmp(field, "amount") == 0	    ? f->lead_amounts
		       : strcmp(field, "company_size") == 0 ? f->lead_sizes
							    : -1;
	}
	if (strcmp(source, source_name[SRC_OPPORTUNITIES]) == 0)
		return strcmp(field, "closed_at") == 0	 ? f->opp_closed
		       : strcmp(field, "amount") == 0	 ? f->opp_amounts
		       : strcmp(field, "is_won") == 0	 ? f->opp_won
		       : strcmp(field, "is_closed") == 0 ? f->opp_closed_flags
							 : -1;
	return -1;
}

/* Fewer unreadable values of a field than this are never called most of
 * it: one "n/a" in a column its writer left empty is not a broken column. */
#define FIELD_UNREADABLE_MIN 10

/* An optional field more than half of whose written values could not be
 * read (and were left empty), FIELD_UNREADABLE_MIN of them at least: a
 * column in a format the reader was not told about. When few rows fill it
 * (won_at, a deal's amount) its share of the rows stays under
 * max_unparseable_share, and the report would count no win, no revenue. */
static void unparseable_field_check(hctx *h, const mval *q, const char *name)
{
	const mval *by = mv_get(q, "warnings_by_field");
	const char *worst_field = NULL;
	int64_t worst_n = 0, worst_read = 0;
	double worst = 0;
	for (size_t i = 0; i < mv_len(by); i++) {
		const char *field = mv_key(by, i);
		int64_t n = mv_int_of(mv_at(by, i)), read = values_read(h->f, name, field);
		if (read < 0 || n < FIELD_UNREADABLE_MIN)
			continue;
		double share = (double)n / (double)(n + read);
		if (share > worst) {
			worst = share;
			worst_field = field;
			worst_n = n;
			worst_read = read;
		}
	}
	bool tripped = worst > 0.5;
	char hint[HINT_MAX], pw[32], nw[32], nt[32];
	char *msg =
	    !worst_field ? g_strdup_printf("%s: no field has %d or more values it could not read",
					   name, FIELD_UNREADABLE_MIN)
	    : tripped
		? g_strdup_printf("%s: %s of the %s %s values written could not be read and were "
				  "left empty, more than half of them, so the report would count "
				  "almost none: %s",
				  name, count_text(worst_n, nw, sizeof nw),
				  count_text(worst_n + worst_read, nt, sizeof nt), worst_field,
				  unreadable_hint(h, worst_field, name, hint))
		: g_strdup_printf("%s: %s of the %s values written could not be read (%s of %s), "
				  "no more than half",
				  name, pct_text(worst, pw, sizeof pw), worst_field,
				  count_text(worst_n, nw, sizeof nw),
				  count_text(worst_n + worst_read, nt, sizeof nt));
	add_row(h, HC_UNPARSEABLE_FIELD, name, tripped, mv_num(worst, MF_RATE),
		mv_num(0.5, MF_RATE), msg);
}

/* A source that reaches into the report week but ends days before its
 * end: an export taken mid-week, whose last days are missing. Only the
 * sources stamped to the second: spend is dated by day, and some teams
 * book a week's spend on one of its days. */
static void lag_check(hctx *h, const char *name, ts_ms newest)
{
	if (strcmp(name, source_name[SRC_LEADS]) != 0 && strcmp(name, source_name[SRC_EVENTS]) != 0)
		return;
	/* in days to a tenth, as the message writes it, so that the verdict and
	 * the figure beside it never disagree (3.04 days is "3.0", within 3) */
	double lag = round((double)(h->p->as_of - newest) / MS_PER_DAY * 10) / 10;
	double lim = h->hp->max_lag_days;
	bool tripped = lag > lim;
	add_row(h, HC_SOURCE_LAG, name, tripped, mv_num(lag, MF_DAYS), mv_num(lim, MF_DAYS),
		tripped
		    ? g_strdup_printf("%s: its newest row is %.1f days before the report week "
				      "ends, more than the %g-day limit: the export looks taken "
				      "before the week was over, and the days after it are "
				      "missing from the report; export it again, or raise "
				      "max_lag_days in [health] if the source is quiet that long",
				      name, lag, lim)
		    : g_strdup_printf("%s: its newest row is %.1f days before the report week "
				      "ends, within the %g-day limit",
				      name, lag, lim));
}

/* "spend: none of the 98 rows of [source.spend.linkedin] (linkedin.csv)
 * was accepted, so nothing of that file counts: mostly unparseable_date
 * (98 rows): <what to set in that file's own group>; …" of a source summed
 * from several files, some of which lost every row (quality's
 * files_none_accepted). g_free() it. */
static char *files_lost_text(const hctx *h, const char *name, const mval *lost)
{
	GString *b = g_string_new(NULL);
	for (size_t i = 0; i < mv_len(lost); i++) {
		const mval *f = mv_at(lost, i);
		const char *file = mv_str_of(mv_get(f, "file"));
		char group[96], rows[32], hint[HINT_MAX];
		/* the file of [source.spend] itself, or of [source.spend.NAME] */
		if (file && strcmp(file, name) != 0)
			snprintf(group, sizeof group, "%s.%s", name, file);
		else
			snprintf(group, sizeof group, "%s", name);
		int64_t most;
		const char *top = most_rejected(mv_get(f, "rejected_by_reason"), &most);
		if (top)
			reason_hint(h, top, group, hint);
		else
			hint[0] = '\0';
		count_text(mv_int_of(mv_get(f, "rows_read")), rows, sizeof rows);
		g_string_append_printf(b,
				       "%snone of the %s rows of [source.%s] (%s) was accepted, so "
				       "nothing of that file counts",
				       b->len ? "; " : "", rows, group,
				       mv_str_of(mv_get(f, "location")));
		if (top)
			g_string_append_printf(b, ": mostly %s (%lld row%s)%s%s", top,
					       (long long)most, most == 1 ? "" : "s",
					       hint[0] ? ": " : "", hint);
	}
	char *msg =
	    g_strdup_printf("%s: %s; mqlreport check --show-rejects lists the rows", name, b->str);
	g_string_free(b, TRUE);
	return msg;
}

static void source_checks(hctx *h, const mval *q)
{
	const char *name = mv_str_of(mv_get(q, "source"));
	if (!name)
		return;
	int64_t read = mv_int_of(mv_get(q, "rows_read"));
	int64_t acc = mv_int_of(mv_get(q, "rows_accepted"));
	int64_t rej = mv_int_of(mv_get(q, "rows_rejected"));
	char cr[32]; /* the rows read, as the sentences show them */
	bool required = strcmp(name, source_name[SRC_OPPORTUNITIES]) != 0;
	if (required && acc > 0) {
		ts_ms week = h->p->week_start[TREND_WEEKS - 1];
		ts_ms newest = mv_time_of(mv_get(q, "newest_timestamp"));
		bool stale = newest == TS_NONE || newest < week;
		/* how long before, in whole units it has reached: "18 minutes",
		 * "5 hours", "7 days" (7 days and 18 minutes); under a minute is
		 * one */
		double ms = newest == TS_NONE ? 0 : (double)(week - newest);
		double n;
		const char *unit;
		if (ms < 3600000.0)
			n = fmax(1, floor(ms / 60000.0)), unit = "minute";
		else if (ms < (double)MS_PER_DAY)
			n = floor(ms / 3600000.0), unit = "hour";
		else
			n = floor(ms / MS_PER_DAY), unit = "day";
		char gap[48];
		snprintf(gap, sizeof gap, "%.0f %s%s", n, unit, n == 1 ? "" : "s");
		char *msg =
		    !stale ? g_strdup_printf("%s: its rows reach into the report week", name)
		    : newest == TS_NONE
			? g_strdup_printf("%s: none of its rows is dated before the end of the "
					  "report week",
					  name)
			: g_strdup_printf("%s: its rows end %s before the report "
					  "week starts: the export looks out of date",
					  name, gap);
		add_row(h, HC_SOURCE_STALE, name, stale, mv_time(newest), mv_time(week), msg);
		if (!stale)
			lag_check(h, name, newest);
	}
	if (read == 0) {
		/* an opportunities source, once given, replaces the leads' wins
		 * and revenue: empty, it reports none */
		add_row(h, HC_SOURCE_EMPTY, name, true, mv_int(0, MF_COUNT), mv_int(1, MF_COUNT),
			required
			    ? g_strdup_printf("%s: the required source has no rows at all (a "
					      "header only): the export looks broken; if it is "
					      "empty on purpose, set source_empty = warn in "
					      "[health]",
					      name)
			    : g_strdup_printf("%s: the source has no rows at all (a header "
					      "only), and its deals replace the leads' wins and "
					      "revenue, so the report would count none: the "
					      "export looks broken; if it is empty on purpose, "
					      "set source_empty = warn in [health]",
					      name));
	} else {
		add_row(h, HC_SOURCE_EMPTY, name, false, mv_int(read, MF_COUNT),
			mv_int(1, MF_COUNT),
			g_strdup_printf("%s: %s rows read", name, count_text(read, cr, sizeof cr)));
	}
	if (read > 0) {
		int64_t cut = mv_int_of(mv_get(q, "truncated_at_line"));
		add_row(h, HC_SOURCE_TRUNCATED, name, cut > 0, mv_int(cut, MF_COUNT),
			mv_int(0, MF_COUNT),
			cut > 0
			    ? g_strdup_printf("%s: line %lld, the file's last, is cut off (a "
					      "short row with no line break after it): the "
					      "export looks incomplete; fetch or export it again",
					      name, (long long)cut)
			    : g_strdup_printf("%s: the file ends with a whole row", name));
	}
	char why[400], ca[32];
	top_reason(h, q, why, sizeof why);
	count_text(read, cr, sizeof cr);
	count_text(acc, ca, sizeof ca);
	const mval *lost = mv_get(q, "files_none_accepted");
	/* the value is then the lost file's rows accepted, 0, below its limit
	 * as the check's rule reads */
	if (read > 0 && acc > 0 && mv_len(lost) > 0)
		add_row(h, HC_NONE_ACCEPTED, name, true, mv_int(0, MF_COUNT), mv_int(1, MF_COUNT),
			files_lost_text(h, name, lost));
	else if (read > 0)
		add_row(h, HC_NONE_ACCEPTED, name, acc == 0, mv_int(acc, MF_COUNT),
			mv_int(1, MF_COUNT),
			acc == 0 ? g_strdup_printf("%s: none of its %s rows was accepted%s", name,
						   cr, why)
				 : g_strdup_printf("%s: %s of %s rows accepted", name, ca, cr));
	if (read > 0) {
		char ps[32], cj[32];
		double share = (double)rej / (double)read, lim = h->hp->max_rejected_share;
		/* with no row accepted, the check above gives the reason and what
		 * to do: said once, not twice in a row */
		bool told = acc == 0 && h->hp->policy[HC_NONE_ACCEPTED] != HEALTH_OFF;
		add_row(h, HC_REJECTED_SHARE, name, share > lim, mv_num(share, MF_RATE),
			mv_num(lim, MF_RATE),
			g_strdup_printf("%s: %s of the rows were rejected (%s of %s), %s "
					"the %.1f%% limit%s",
					name, pct_text(share, ps, sizeof ps),
					count_text(rej, cj, sizeof cj), cr,
					share > lim ? "above" : "within", lim * 100,
					share <= lim ? ""
					: told ? " (why, and what to do: source_none_accepted)"
					       : why));
	}
	if (acc > 0)
		unparseable_check(h, q, name, acc);
	/* the sources with optional fields */
	if (acc > 0 && (strcmp(name, source_name[SRC_LEADS]) == 0 ||
			strcmp(name, source_name[SRC_OPPORTUNITIES]) == 0))
		unparseable_field_check(h, q, name);
}

/* A deal this many days old has had the time to close: the deals of a
 * young pipeline have not, and their not closing tells of no lost column. */
#define DEALS_MATURE_DAYS 91

void health_facts_init(health_facts *f)
{
	*f = (health_facts){.max_fit = -INFINITY, .data_begin = TS_NONE};
}

/* t, an instant of data before as_of (a lead created, an event, a day
 * of spend), into f's weeks of the 13 that hold data. */
static void week_seen(health_facts *f, const metrics_params *p, ts_ms t)
{
	int w = t < p->as_of ? funnel_week_of(p, t) : -1;
	if (w >= 0)
		f->week_data[w] = true;
}

/* The earlier of f's beginning and t (health.h). */
void health_facts_begin(health_facts *f, ts_ms as_of, ts_ms t)
{
	if (t != TS_NONE && t < as_of && (f->data_begin == TS_NONE || t < f->data_begin))
		f->data_begin = t;
}

/* Lead i's events [from, to) (in time order, before as_of) into f's weeks
 * with data. Only the weeks between its first and last event that no data
 * has shown yet are looked up, so once every week has some, a lead costs
 * no lookup. */
static void event_weeks(health_facts *f, const view *v, size_t i, uint32_t from, uint32_t to)
{
	const dataset *ds = v->ds;
	const metrics_params *p = v->p;
	ts_ms first = ev_at(ds, &ds->events[from]), last = ev_at(ds, &ds->events[to - 1]);
	week_seen(f, p, first);
	week_seen(f, p, last);
	int a = first < p->week_start[0] ? 0 : funnel_week_of(p, first);
	int b = funnel_week_of(p, last);
	for (int w = a; b >= 0 && w <= b; w++)
		if (!f->week_data[w] && ds_lead_event_from(ds, i, p->week_start[w]) <
					    ds_lead_event_from(ds, i, p->week_start[w + 1]))
			f->week_data[w] = true;
}

/* Each spend row's week, and its day where it has an amount (health.h). */
void health_facts_add_spend(health_facts *f, const dataset *ds, const metrics_params *p)
{
	/* as kpi_trend, a day of no amount makes no week one with data */
	for (size_t k = 0; k < ds->nspend; k++) {
		const spend_row *r = &ds->spend[k];
		week_seen(f, p, r->day);
		if (r->amount != 0)
			health_facts_begin(f, p->as_of, r->day);
	}
}

/* The events of v dated before as_of into f: how many, how many of leads
 * that exist, and the kinds of those. The counts come from each lead's
 * range in time order; a lead's events are read one by one only while a
 * kind that some tag of the data set has is still unseen, which in most
 * exports is a few leads' worth. */
static void events_before_add(health_facts *f, const view *v)
{
	const dataset *ds = v->ds;
	bool can[EV_COUNT] = {false};
	for (size_t t = 0; t < ds->ntags; t++)
		can[ev_kind(ds->tags[t].type)] = true;
	int unseen = 0;
	for (int k = 0; k < EV_COUNT; k++)
		unseen += can[k] && !f->kind_seen[k];
	for (size_t i = 0; ds->lead_ev && i < ds->nleads; i++) {
		uint32_t from = ds_lead_event_from(ds, i, TS_NONE + 1);
		uint32_t to = ds_lead_event_from(ds, i, v->as_of);
		f->events_before += to - from;
		if (!lv_exists(v, i))
			continue;
		f->events_linked += to - from;
		if (from < to)
			event_weeks(f, v, i, from, to);
		for (uint32_t k = from; unseen && k < to; k++) {
			int kind = ev_kind_of(&ds->events[k]);
			unseen -= !f->kind_seen[kind];
			f->kind_seen[kind] = true;
		}
	}
	/* the orphans, in file order */
	for (size_t k = ds->lead_ev ? ds->lead_ev[ds->nleads] : 0; k < ds->nevents; k++) {
		ts_ms at = ev_at(ds, &ds->events[k]);
		f->events_before += at != TS_NONE && at < v->as_of;
	}
}

void health_facts_add(health_facts *f, const view *v)
{
	const dataset *ds = v->ds;
	/* the weeks the leads and the spend show first: the events' are then
	 * looked up in the others only */
	for (size_t i = 0; i < ds->nleads; i++) {
		if (!lv_exists(v, i))
			continue;
		lead_view l = lv_get(v, i);
		week_seen(f, v->p, l.t[LT_CREATED]);
		/* what makes kpi_trend's weeks with data (weekly.c) */
		static const int made[] = {LT_CREATED, LT_MQL, LT_SQL, LT_WON};
		for (size_t k = 0; k < sizeof made / sizeof made[0]; k++)
			health_facts_begin(f, v->as_of, l.t[made[k]]);
	}
	health_facts_add_spend(f, ds, v->p);
	events_before_add(f, v);
	for (size_t i = 0; i < ds->nleads; i++) {
		/* the optional values read, of every lead kept */
		const lead *l = &ds->leads[i];
		for (int t = 0; t < LT_COUNT; t++)
			f->lead_times[t] += lead_t(ds, l, t) != TS_NONE;
		f->lead_amounts += !isnan(l->amount);
		f->lead_sizes += l->company_size >= 0;
		if (!lv_exists(v, i))
			continue;
		f->max_fit = fmax(f->max_fit, v->score[i].fit);
		f->leads_exist++;
		f->export_mqls += lv_before(lead_t(ds, l, LT_MQL), v->as_of) != TS_NONE;
	}
	f->leads_have_mql = ds->leads_have_mql;
	for (int s = 0; s < SRC_COUNT; s++)
		if (!f->amount_unread[s][0])
			memcpy(f->amount_unread[s], ds->src[s].amount_unread,
			       sizeof f->amount_unread[s]);
	if (ds->src[SRC_SPEND].nfiles > f->spend_files)
		f->spend_files = ds->src[SRC_SPEND].nfiles;
	const source_stats *sp = &ds->src[SRC_SPEND];
	if (sp->nfiles == 1 && strcmp(sp->files[0].name, source_name[SRC_SPEND]) != 0)
		g_strlcpy(f->spend_only, sp->files[0].name, sizeof f->spend_only);
	for (size_t k = 0; k < ds->nopps; k++) {
		const opportunity *o = &ds->opps[k];
		f->opp_closed += o->closed != TS_NONE;
		f->opp_amounts += !isnan(o->amount);
		f->opp_won += o->is_won >= 0;
		f->opp_closed_flags += o->is_closed >= 0;
		f->opps_linked += o->created != TS_NONE && o->created < v->as_of &&
				  o->lead != NO_LEAD && lv_exists(v, o->lead);
		f->opps_unnamed += ds->opps_by_converted && o->created != TS_NONE &&
				   o->created < v->as_of && o->lead == NO_LEAD;
		/* as of as_of, of a lead that exists: the deals the leads'
		 * wins come from */
		enum opp_state st = v->opp_state ? (enum opp_state)v->opp_state[k] : OPP_NONE;
		if (st == OPP_NONE || o->lead == NO_LEAD || !lv_exists(v, o->lead))
			continue;
		bool closed = st == OPP_WON || st == OPP_LOST;
		bool old = o->created < v->as_of - DEALS_MATURE_DAYS * MS_PER_DAY;
		f->deals_old += old;
		f->deals_old_closed += old && closed;
		f->deals_closed += closed;
		f->deals_won += st == OPP_WON;
		f->deals_won_amount += st == OPP_WON && !isnan(o->amount);
	}
}

static void orphan_check(hctx *h, int64_t before)
{
	int64_t orphaned = mv_int_of(mv_path(h->root, "data_quality.orphaned_events"));
	double lim = h->hp->max_orphaned_share;
	if (before == 0) {
		add_row(h, HC_ORPHANED_EVENTS, "events", false, mv_null(), mv_num(lim, MF_RATE),
			g_strdup("events: no event before the end of the report week"));
		return;
	}
	double share = (double)orphaned / (double)before;
	char ps[32], co[32], cb[32];
	add_row(h, HC_ORPHANED_EVENTS, "events", share > lim, mv_num(share, MF_RATE),
		mv_num(lim, MF_RATE),
		g_strdup_printf("events: %s belong to no known lead (%s of %s), %s the "
				"%.1f%% limit%s",
				pct_text(share, ps, sizeof ps), count_text(orphaned, co, sizeof co),
				count_text(before, cb, sizeof cb), share > lim ? "above" : "within",
				lim * 100,
				share > lim ? ": do the events' lead_id values spell the leads' "
					      "(the same prefix and padding, the same id field), "
					      "and does the leads export reach as far back as "
					      "the events' (an event of a lead it leaves out "
					      "belongs to no known lead)?"
					    : ""));
}

/* data_quality's row of the opportunities source, or NULL without one. */
static const mval *opportunities_row(const hctx *h)
{
	const mval *sources = mv_path(h->root, "data_quality.sources");
	for (size_t i = 0; i < mv_len(sources); i++)
		if (g_strcmp0(mv_str_of(mv_get(mv_at(sources, i), "source")), "opportunities") == 0)
			return mv_at(sources, i);
	return NULL;
}

/* The opportunities whose lead does not exist: no lead takes their wins
 * and revenue (SPEC §3), so these are in no total, channel or campaign.
 * Over the opportunities created before as_of (those of a lead, which each
 * part of the data adds, and the orphaned, which data quality counts over
 * all of it); no row without the source. What to look at follows the
 * join: the opportunities' lead_id, or the leads' converted opportunity
 * id. */
static void orphan_opps_check(hctx *h)
{
	const mval *src = opportunities_row(h);
	if (!src)
		return;
	int64_t orphaned = mv_int_of(mv_path(h->root, "data_quality.orphaned_opportunities"));
	int64_t rows = h->f->opps_linked + orphaned;
	double lim = h->hp->max_orphaned_share;
	if (rows == 0) {
		add_row(h, HC_ORPHANED_OPPS, "opportunities", false, mv_null(),
			mv_num(lim, MF_RATE),
			g_strdup("opportunities: none created before the end of the report week"));
		return;
	}
	double share = (double)orphaned / (double)rows;
	bool tripped = share > lim;
	char ps[32], co[32], cb[32];
	add_row(h, HC_ORPHANED_OPPS, "opportunities", tripped, mv_num(share, MF_RATE),
		mv_num(lim, MF_RATE),
		g_strdup_printf("opportunities: %s belong to no known lead (%s of %s), %s the "
				"%.1f%% limit%s",
				pct_text(share, ps, sizeof ps), count_text(orphaned, co, sizeof co),
				count_text(rows, cb, sizeof cb), tripped ? "above" : "within",
				lim * 100,
				!tripped ? ""
				: h->f->opps_unnamed > 0
				    ? ": their wins and revenue are in no total, channel or "
				      "campaign; they are joined through the leads' converted "
				      "opportunity id: does the leads export hold each deal's "
				      "opportunity_id in that column, and reach as far back as "
				      "the deals (a deal whose lead it leaves out belongs to "
				      "none)?"
				    : ": their wins and revenue are in no total, channel or "
				      "campaign; does each opportunity name one lead_id as the "
				      "leads spell it (a CRM's list of several contact ids, "
				      "\"101;102\", names none)?"));
}

/* Fewer deals than this of a kind are never called a column lost. */
#define DEALS_UNDECIDED_MIN 10

/* An opportunities export whose deals decide no win or no revenue by as_of
 * — DEALS_UNDECIDED_MIN of the kind at least: none closed of the deals 13
 * weeks old or more, none won though that many old deals closed, or none
 * of that many won deals with an amount — a column it lacks or the
 * mapping misses (closed_at; is_won and stage; amount). Its deals take the
 * place of the leads' opportunity_at, won_at, lost_at and amount (SPEC
 * §3), so the report would count no win or no revenue, and go out. A
 * young pipeline (no deal old enough to have closed) is none of these. No
 * row without the source. */
static void deals_check(hctx *h)
{
	const mval *src = opportunities_row(h);
	if (!src || mv_int_of(mv_get(src, "rows_accepted")) == 0)
		return; /* source_empty and source_none_accepted say so */
	const health_facts *f = h->f;
	char a[32], b[32], c[32], d[32];
	/* what the report then lacks, and where to look, of each kind found
	 * missing: the first is said */
	char *what = NULL;
	const char *look = NULL;
	int missing = 0;
	if (f->deals_old >= DEALS_UNDECIDED_MIN && f->deals_closed == 0) {
		missing++;
		count_text(f->deals_old, a, sizeof a);
		what = g_strdup_printf(
		    "none of its %s deals created 13 weeks or more before the "
		    "week's end was closed by then, so the report counts no win and "
		    "no revenue",
		    a);
		look = "does the export have a closed_at column, or one the mapping should take "
		       "for it ([columns.opportunities])?";
	}
	if (f->deals_old_closed >= DEALS_UNDECIDED_MIN && f->deals_won == 0) {
		if (!missing++) {
			count_text(f->deals_closed, a, sizeof a);
			what = g_strdup_printf("none of its %s closed deals is won, so the report "
					       "counts no win and no revenue",
					       a);
			look =
			    "a deal is won by its is_won column or, where that is empty, a stage "
			    "of won or closed_won; does the export have either, or one the "
			    "mapping should take for it ([columns.opportunities])?";
		}
	}
	if (f->deals_won >= DEALS_UNDECIDED_MIN && f->deals_won_amount == 0) {
		if (!missing++) {
			count_text(f->deals_won, a, sizeof a);
			what = g_strdup_printf("none of its %s won deals has an amount, so the "
					       "report counts no revenue",
					       a);
			look = "does the export have an amount column, or one the mapping should "
			       "take for it ([columns.opportunities])?";
		}
	}
	char *msg;
	if (what) {
		/* the way out, where the run would stop: deals kept without the
		 * field, a pipeline that truly never closed or won */
		bool stops = h->hp->policy[HC_DEALS_UNDECIDED] == HEALTH_FAIL;
		msg = g_strdup_printf(
		    "opportunities: %s, as its deals take the place of the leads "
		    "export's opportunity_at, won_at, lost_at and amount: %s%s",
		    what, look,
		    stops ? " If its deals truly lack it, set deals_undecided = warn "
			    "in [health]"
			  : "");
		g_free(what);
	} else {
		msg = g_strdup_printf("opportunities: %s deals, %s closed, %s won, %s of them with "
				      "an amount",
				      count_text(f->opps_linked, a, sizeof a),
				      count_text(f->deals_closed, b, sizeof b),
				      count_text(f->deals_won, c, sizeof c),
				      count_text(f->deals_won_amount, d, sizeof d));
	}
	/* the kinds found missing, against none */
	add_row(h, HC_DEALS_UNDECIDED, "opportunities", missing > 0, mv_int(missing, MF_COUNT),
		mv_int(0, MF_COUNT), msg);
}

/* The most behavioural points any lead can have with the event types the
 * data holds: each category with a positive-point type present adds its
 * cap (no cap: unbounded). */
static double engagement_max(const score_model *m, const bool kind_seen[EV_COUNT])
{
	double total = 0;
	for (int c = 0; c < SC_COUNT; c++) {
		bool positive = false;
		for (int k = 1; k < EV_COUNT; k++)
			positive |= kind_seen[k] && m->event_cat[k] == c && m->event_points[k] > 0;
		if (positive)
			total += m->cap[c] < 0 ? INFINITY : m->cap[c];
	}
	return total;
}

static void mql_check(hctx *h)
{
	const metrics_params *p = h->p;
	const bool *kind_seen = h->f->kind_seen;
	int64_t linked = h->f->events_linked;
	bool from_score = metrics_mql_from_score(p->mql_source, h->f->leads_have_mql);
	if (!from_score) {
		/* the export's column: no lead has a date in it (SPEC §4 keeps
		 * the column even then), or there is no such column */
		int64_t n = h->f->export_mqls, leads = h->f->leads_exist;
		bool tripped = leads > 0 && n == 0;
		const char *why = !h->f->leads_have_mql ? "the leads export has no mql_at column"
							: "the leads export's mql_at column is "
							  "empty for every lead";
		add_row(h, HC_MQL_UNREACHABLE, "leads", tripped, mv_int(n, MF_COUNT),
			mv_int(1, MF_COUNT),
			tripped ? g_strdup_printf("no lead can be an MQL: MQLs come from the leads "
						  "export, and %s, so the MQL count stays 0; if "
						  "the CRM does not fill it, score the leads "
						  "(mql_source = score, or --mql-source score)",
						  why)
				: g_strdup("MQLs come from the leads export's mql_at column, not "
					   "the score"));
		return;
	}
	if (!p->model) {
		add_row(h, HC_MQL_UNREACHABLE, NULL, false, mv_null(), mv_null(),
			g_strdup("no scoring model is given, so no score is measured"));
		return;
	}
	double fit = h->f->max_fit;
	double threshold = p->model->threshold;
	if (fit == -INFINITY) {
		add_row(h, HC_MQL_UNREACHABLE, NULL, false, mv_null(), mv_num(threshold, MF_SCORE),
			g_strdup("no lead exists yet, so no score is measured"));
		return;
	}
	double eng = linked ? engagement_max(p->model, kind_seen) : 0;
	double best = fit + eng;
	bool tripped = best < threshold;
	char *why = isinf(eng) ? g_strdup("unbounded")
		    : linked   ? g_strdup_printf("%g at most", eng)
			       : g_strdup("0: no event belongs to a lead");
	add_row(h, HC_MQL_UNREACHABLE, NULL, tripped, mv_num_or_null(!isinf(best), best, MF_SCORE),
		mv_num(threshold, MF_SCORE),
		tripped ? g_strdup_printf("no lead can reach the MQL threshold of %g: the largest "
					  "possible score is %g (fit %g, engagement %s), so the "
					  "score-based MQL count stays 0",
					  threshold, best, fit, why)
			: g_strdup_printf("a lead can reach the MQL threshold of %g (fit up to %g, "
					  "engagement %s)",
					  threshold, fit, why));
	g_free(why);
}

/* The channel rows of one window of by_channel. */
static const mval *channels(const hctx *h, const char *window)
{
	return mv_get(mv_get(h->root, "by_channel"), window);
}

static bool paid(const hctx *h, const char *channel)
{
	const mval *rows = channels(h, "13w");
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *r = mv_at(rows, i);
		const char *c = mv_str_of(mv_get(r, "channel"));
		if (c && !strcmp(c, channel))
			return mv_num_of(mv_get(r, "spend")) > 0;
	}
	return false;
}

/* Spend on channels without a lead, MQL, SQL or win (13 weeks), and report-week leads on
 * paid channels (spend in any of the 13 weeks) without spend that week. */
static void spend_checks(hctx *h)
{
	GString *no_leads = g_string_new(NULL), *no_spend = g_string_new(NULL);
	int64_t n1 = 0, n2 = 0;
	const mval *rows = channels(h, "13w");
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *r = mv_at(rows, i);
		const char *c = mv_str_of(mv_get(r, "channel"));
		/* a lead created earlier with an MQL, SQL or win in the 13 weeks
		 * spells the channel as the spend does */
		bool seen = mv_int_of(mv_get(r, "leads")) > 0 || mv_int_of(mv_get(r, "mqls")) > 0 ||
			    mv_int_of(mv_get(r, "sqls")) > 0 || mv_int_of(mv_get(r, "wins")) > 0;
		if (c && mv_num_of(mv_get(r, "spend")) > 0 && !seen)
			g_string_append_printf(no_leads, "%s%s", n1++ ? ", " : "", c);
	}
	rows = channels(h, "1w");
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *r = mv_at(rows, i);
		const char *c = mv_str_of(mv_get(r, "channel"));
		if (c && mv_int_of(mv_get(r, "leads")) > 0 &&
		    !(mv_num_of(mv_get(r, "spend")) > 0) && paid(h, c))
			g_string_append_printf(no_spend, "%s%s", n2++ ? ", " : "", c);
	}
	add_row(
	    h, HC_SPEND_WITHOUT_LEADS, "spend", n1 > 0, mv_int(n1, MF_COUNT), mv_int(0, MF_COUNT),
	    n1 ? g_strdup_printf("spend on channels without a lead, MQL, SQL or win in the last "
				 "13 weeks: %s (a channel name the leads spell differently?)",
				 no_leads->str)
	       : g_strdup("every channel with spend has leads, MQLs, SQLs or wins in the last "
			  "13 weeks"));
	add_row(h, HC_LEADS_WITHOUT_SPEND, "spend", n2 > 0, mv_int(n2, MF_COUNT),
		mv_int(0, MF_COUNT),
		n2 ? g_strdup_printf("report-week leads on paid channels without spend that week: "
				     "%s (is the spend export complete?)",
				     no_spend->str)
		   : g_strdup("every paid channel with leads in the report week has spend"));
	g_string_free(no_leads, TRUE);
	g_string_free(no_spend, TRUE);
	/* rows that repeat another exactly: every one is summed (SPEC), so an
	 * export appended to itself doubles the spend without a word */
	int64_t rep = mv_int_of(mv_path(h->root, "data_quality.repeated_spend_rows"));
	char cnt[32];
	mq_grouped((double)rep, 0, cnt, sizeof cnt);
	add_row(
	    h, HC_SPEND_REPEATED, "spend", rep > 0, mv_int(rep, MF_COUNT), mv_int(0, MF_COUNT),
	    rep ? g_strdup_printf("%s row%s repeat%s an earlier row exactly (the same day, "
				  "channel, campaign and amount): every row is summed, so a "
				  "repeat counts twice; if an export was appended twice, remove "
				  "the repeats",
				  cnt, rep == 1 ? "" : "s", rep == 1 ? "s" : "")
		: g_strdup("no row repeats another exactly"));
}

/* Amounts read as written that their writer may have meant otherwise:
 * written with another currency's sign than the report's (read as the
 * report's all the same, SPEC §3), or in a file whose every amount with a
 * decimal point has three digits after it ("1.500": a German export's
 * thousands read as thousandths, 1,000 times too small), which the loader
 * does not count in a currency of three decimals (KWD). */
static void amount_check(hctx *h, const mval *sources)
{
	GString *b = g_string_new(NULL);
	int64_t total = 0;
	const char *only = NULL;
	int involved = 0;
	for (size_t i = 0; i < mv_len(sources); i++) {
		const mval *row = mv_at(sources, i);
		const char *src = mv_str_of(mv_get(row, "source"));
		int64_t sign = mv_int_of(mv_get(row, "amounts_other_sign"));
		int64_t th = mv_int_of(mv_get(row, "amounts_as_thousandths"));
		if (!sign && !th)
			continue;
		involved++;
		only = src;
		total += sign + th;
		char n[32];
		if (sign) {
			mq_grouped((double)sign, 0, n, sizeof n);
			g_string_append_printf(
			    b,
			    "%s%s: %s amount%s written with another currency's "
			    "sign or code than the report's, read as the report's currency "
			    "all the same (convert %s, or set the report's currency)",
			    b->len ? "; " : "", src, n, sign == 1 ? "" : "s",
			    sign == 1 ? "it" : "them");
		}
		if (th) {
			mq_grouped((double)th, 0, n, sizeof n);
			g_string_append_printf(
			    b,
			    "%s%s: %s amount%s read as written, 1.500 as one and a half, from a "
			    "file whose every amount with a decimal point has three digits after "
			    "it (if the point separates thousands there, set decimal = comma for "
			    "that file)",
			    b->len ? "; " : "", src, n, th == 1 ? "" : "s");
		}
	}
	char *msg = total ? g_strdup(b->str)
			  : g_strdup("every amount is written with the report's currency sign or "
				     "none, and no file writes every amount to the thousandth in a "
				     "currency of two decimals or none");
	g_string_free(b, TRUE);
	add_row(h, HC_AMOUNT_NOTATION, involved == 1 ? only : NULL, total > 0,
		mv_int(total, MF_COUNT), mv_int(0, MF_COUNT), msg);
}

/* week_unfinished's message for a week with left_h hours to go: whole
 * hours, and under one "under an hour" (never "0 hours"). */
static char *week_going_message(double left_h)
{
	char left[32];
	if (left_h < 1)
		snprintf(left, sizeof left, "under an hour");
	else
		snprintf(left, sizeof left, "%.0f hour%s", left_h, left_h < 1.5 ? "" : "s");
	return g_strdup_printf("the report week had not ended when this report was made (%s to "
			       "go): its counts are partial and fall short of a whole week's; run "
			       "it again once the week is over",
			       left);
}

/* The date of day `day` (0 Monday … 6 Sunday) of the ISO week `label`
 * ("2026-W46"), as "Thu 12 Nov 2026"; the label and the day's number when
 * the label is none. */
static const char *week_day_text(const char *label, int day, char *buf, size_t n)
{
	static const char *const wday[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int year, week;
	if (sscanf(label, "%d-W%d", &year, &week) != 2 || year < 2 || year > 9998 || week < 1 ||
	    week > 53) {
		snprintf(buf, n, "day %d of %s", day + 1, label);
		return buf;
	}
	/* 4 January is in week 1; its week's Monday starts the ISO year */
	GDate d;
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, 4, G_DATE_JANUARY, (GDateYear)year);
	g_date_subtract_days(&d, g_date_get_weekday(&d) - G_DATE_MONDAY);
	g_date_add_days(&d, (guint)((week - 1) * 7 + day));
	snprintf(buf, n, "%s %d %s %d", wday[day], g_date_get_day(&d),
		 mon[g_date_get_month(&d) - 1], g_date_get_year(&d));
	return buf;
}

/* "2026-W45 (Mon 2 Nov 2026)": week w of the 13, named with its Monday. */
static const char *week_text(const hctx *h, int w, char *buf, size_t n)
{
	char monday[48];
	snprintf(buf, n, "%s (from %s)", h->p->week_label[w],
		 week_day_text(h->p->week_label[w], 0, monday, sizeof monday));
	return buf;
}

/* Whether kpi_trend leaves week w blank, before the first week with any
 * lead, spend, MQL, SQL or win: no figure compares with it. */
static bool before_data(const hctx *h, int w)
{
	return mv_bool_of(mv_get(mv_at(mv_get(h->root, "kpi_trend"), (size_t)w), "before_data"));
}

/* Days a week must miss before its data are called part of it. */
#define PARTIAL_DAYS 1

/* The data begin (the first lead created, MQL, SQL, win or day of spend:
 * what makes kpi_trend's first week with data) more than PARTIAL_DAYS
 * into one of the 13 weeks: that week's figures count only
 * its days from then, and set beside whole weeks — last week's column and
 * every week-on-week change when it is the week before the report week —
 * they fall short as a week of less business would. An export of the
 * last 10 days begins so. A week the trend leaves blank (before_data) is
 * compared with nothing. */
static void partial_week_check(hctx *h)
{
	const metrics_params *p = h->p;
	ts_ms begin = h->f->data_begin;
	int w = funnel_week_of(p, begin);
	char msg_week[80], first[48], monday[48];
	if (w < 0) {
		/* none, or before the 13 weeks */
		add_row(h, HC_WEEK_PARTIAL_DATA, NULL, false, mv_num(0, MF_DAYS),
			mv_num(PARTIAL_DAYS, MF_DAYS),
			begin == TS_NONE
			    ? g_strdup("no lead, MQL, SQL, win or spend before the end of the "
				       "report week")
			    : g_strdup_printf("the data begin before the first of the 13 weeks, %s",
					      p->week_label[0]));
		return;
	}
	/* in days to a tenth, as the message writes it (source_lag's way) */
	double missing = round((double)(begin - p->week_start[w]) / MS_PER_DAY * 10) / 10;
	/* its day: the week's start plus whole days, but for the hour a change
	 * of clocks inside the week moves the days after it by; zones change
	 * them on a Sunday, the week's last day, almost all */
	int day = (int)((begin - p->week_start[w]) / MS_PER_DAY);
	day = day < 0 ? 0 : day > 6 ? 6 : day;
	week_day_text(p->week_label[w], day, first, sizeof first);
	week_day_text(p->week_label[w], 0, monday, sizeof monday);
	bool blank = before_data(h, w);
	bool tripped = missing > PARTIAL_DAYS && !blank;
	const char *label = p->week_label[w];
	if (w == TREND_WEEKS - 1)
		snprintf(msg_week, sizeof msg_week, "the report week %s", label);
	else if (w == TREND_WEEKS - 2)
		snprintf(msg_week, sizeof msg_week, "%s, the week before the report week", label);
	else
		snprintf(msg_week, sizeof msg_week, "%s", label);
	char *msg;
	if (!tripped && blank)
		msg = g_strdup_printf("the data begin on %s, in %s, a week before the first "
				      "lead or spend, which the trend leaves blank: no figure "
				      "compares with it",
				      first, label);
	else if (!tripped)
		msg = g_strdup_printf("the data begin on %s, %.1f days into %s, within %d day "
				      "of its start",
				      first, missing, msg_week, PARTIAL_DAYS);
	else
		msg = g_strdup_printf(
		    "the data begin on %s, %.1f days into %s (the first lead created, MQL, "
		    "SQL, win or day of spend): %s figures count only its days from then, %s; "
		    "export the leads, events and spend from %s or earlier, or read %s as part "
		    "of a week",
		    first, missing, msg_week, w == TREND_WEEKS - 1 ? "its" : "that week's",
		    w == TREND_WEEKS - 1 ? "and no week before it has data to compare them with"
		    : w == TREND_WEEKS - 2
			? "so last week's column and every week-on-week change compare this "
			  "whole week with part of that one"
			: "so the 13-week trend shows it lower than a whole week and its "
			  "averages count it as one",
		    monday, w == TREND_WEEKS - 1 ? "this week's figures" : "that week");
	add_row(h, HC_WEEK_PARTIAL_DATA, NULL, tripped, mv_num(missing, MF_DAYS),
		mv_num(PARTIAL_DAYS, MF_DAYS), msg);
}

/* A week of the 13 after the data begin, before the last week with data,
 * without a lead created, an event or a day of spend, all sources at
 * once: no business stops so, an export that lost the week does (a sync
 * that failed). The trend shows its zeros as a quiet week, and when it is
 * the week before the report week every change is measured from them. A
 * week the trend leaves blank (before_data) is not counted. */
static void empty_week_check(hctx *h)
{
	const health_facts *f = h->f;
	const metrics_params *p = h->p;
	int last = -1;
	for (int w = 0; w < TREND_WEEKS; w++)
		if (f->week_data[w])
			last = w;
	GString *names = g_string_new(NULL);
	int n = 0;
	bool last_week = false;
	for (int w = 0; w < last; w++) {
		if (f->week_data[w] || f->data_begin == TS_NONE ||
		    f->data_begin >= p->week_start[w] || before_data(h, w))
			continue;
		char t[96];
		g_string_append_printf(names, "%s%s", n++ ? ", " : "",
				       week_text(h, w, t, sizeof t));
		last_week |= w == TREND_WEEKS - 2;
	}
	char *msg =
	    n ? g_strdup_printf(
		    "no lead created, no event and no spend in %s%s, while weeks before and "
		    "after %s have some: did an export lose %s (a sync that failed)? The trend "
		    "shows %s as zeros%s; export the leads, events and spend of %s again, or "
		    "read %s zeros as missing",
		    n == 1 ? "" : "the weeks ", names->str, n == 1 ? "it" : "them",
		    n == 1 ? "that week" : "those weeks", n == 1 ? "it" : "them",
		    last_week ? ", and every week-on-week change is measured from last week's "
				"zeros"
			      : "",
		    n == 1 ? "that week" : "those weeks", n == 1 ? "its" : "their")
	    : last < 0 ? g_strdup("no lead, event or spend in the 13 weeks")
		       : g_strdup("every week since the data begin has a lead, an event or "
				  "spend");
	g_string_free(names, TRUE);
	add_row(h, HC_WEEK_WITHOUT_DATA, NULL, n > 0, mv_int(n, MF_COUNT), mv_int(0, MF_COUNT),
		msg);
}

mval *health_table(const health_facts *f, const mval *root, const metrics_params *p)
{
	health_params def;
	const health_params *hp = p->health;
	if (!hp) {
		health_params_default(&def);
		hp = &def;
	}
	hctx h = {.f = f, .p = p, .root = root, .hp = hp, .rows = mv_arr()};
	const mval *sources = mv_path(root, "data_quality.sources");
	for (size_t i = 0; i < mv_len(sources); i++)
		source_checks(&h, mv_at(sources, i));
	int64_t before = f->events_before;
	orphan_check(&h, before);
	orphan_opps_check(&h);
	deals_check(&h);
	mql_check(&h);
	spend_checks(&h);
	amount_check(&h, sources);
	int64_t leads = mv_int_of(mv_path(root, "windows.1w.leads"));
	add_row(&h, HC_NO_LEADS, "leads", leads == 0, mv_int(leads, MF_COUNT), mv_int(1, MF_COUNT),
		leads == 0
		    ? g_strdup("no lead was created in the report week")
		    : g_strdup_printf("%lld leads created in the report week", (long long)leads));
	/* a week still going on: every count of it falls short of a whole week's */
	bool going = p->now != TS_NONE && p->now < p->as_of;
	double left_h = going ? (double)(p->as_of - p->now) / 3600000.0 : 0;
	/* the hours to go, null once it has ended: a finished week's row is
	 * the same whenever the report is made again */
	add_row(&h, HC_WEEK_UNFINISHED, NULL, going, going ? mv_num(left_h, MF_PLAIN) : mv_null(),
		mv_time(p->as_of),
		going ? week_going_message(left_h)
		      : g_strdup("the report week had ended when this report was made"));
	partial_week_check(&h);
	empty_week_check(&h);
	return h.rows;
}

size_t health_count(const mval *health, const char *status)
{
	size_t n = 0;
	for (size_t i = 0; i < mv_len(health); i++) {
		const char *s = mv_str_of(mv_get(mv_at(health, i), "status"));
		n += s && !strcmp(s, status);
	}
	return n;
}

char *health_summary(const mval *health, const char *status)
{
	if (health_count(health, status) == 0)
		return NULL;
	GString *b = g_string_new(NULL);
	for (size_t i = 0; i < mv_len(health); i++) {
		const mval *r = mv_at(health, i);
		const char *s = mv_str_of(mv_get(r, "status"));
		if (!s || strcmp(s, status) != 0)
			continue;
		g_string_append_printf(b, "%s%s (%s)", b->len ? "; " : "",
				       mv_str_of(mv_get(r, "check")),
				       mv_str_of(mv_get(r, "message")));
	}
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}
