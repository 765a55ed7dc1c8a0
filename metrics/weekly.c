/* weekly.c — the 13-week series of every headline KPI and the week's
 * movements against their normal variation (weekly.h).
 *
 * Computes from the view only: no I/O, no wording (the renderers phrase the
 * sentences from these numbers and the catalogue). */
#include "weekly.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const weekly_kpis[] = {
    "leads",
    "mqls",
    "sqls",
    "wins",
    "revenue",
    "spend",
    "cost_per_mql",
    "cac", /* the PDF's tile and the e-mail's row: the workbook's Overview too */
    "mql_to_sql_rate",
    "roi",
    "time_to_sql_days_median",
    "speed_to_lead_minutes_median",
    NULL,
};

static mval *copy_number(const mval *x)
{
	if (mv_kind_of(x) == MV_INT)
		return mv_int(mv_int_of(x), mv_fmt_of(x));
	return mv_num(mv_num_of(x), mv_fmt_of(x)); /* null (or absent) stays null */
}

/* Whether anything happened in a week: a lead, spend, an MQL, an SQL or a
 * win. The weeks before the first such week lie before the exports begin
 * (a first export of the last month): their zeros are no data, not a quiet
 * quarter, and counted as weeks they would drag the 13 weeks' mean down. */
static bool week_has_data(const mval *week)
{
	static const char *const any[] = {"leads", "spend", "mqls", "sqls", "wins"};
	for (size_t i = 0; i < sizeof any / sizeof any[0]; i++) {
		double x = mv_num_of(mv_get(week, any[i]));
		if (!isnan(x) && x != 0)
			return true;
	}
	return false;
}

int kpi_trend_first(mval *const weeks[TREND_WEEKS])
{
	int first = 0;
	while (first < TREND_WEEKS && !week_has_data(weeks[first]))
		first++;
	return first == TREND_WEEKS ? 0 : first; /* every week when none has any */
}

mval *kpi_trend_table(const metrics_params *p, mval *const weeks[TREND_WEEKS])
{
	mval *rows = mv_arr();
	int first = kpi_trend_first(weeks);
	for (int w = 0; w < TREND_WEEKS; w++) {
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "week", mv_str(p->week_label[w]));
		for (const char *const *k = weekly_kpis; *k; k++) {
			const mval *x = mv_get(weeks[w], *k);
			/* a week before the data: null, its format kept */
			mv_set(o, *k,
			       w < first ? mv_num_or_null(false, 0, mv_fmt_of(x)) : copy_number(x));
			/* its count of cases, where the week has one, beside it */
			char key[128];
			snprintf(key, sizeof key, "%s_n", *k);
			const mval *n = mv_get(weeks[w], key);
			if (n)
				mv_set(o, key, w < first ? mv_null() : copy_number(n));
		}
		mv_set(o, "before_data", mv_bool(w < first));
	}
	return rows;
}

/* Rates and ROI move in percentage points; counts, money and durations in percent. */
static bool moves_in_points(const char *kpi, const mval *x)
{
	return mv_fmt_of(x) == MF_RATE || strcmp(kpi, "roi") == 0;
}

void weekly_set_change(mval *row, const char *kpi, const mval *now, const mval *last)
{
	double x = mv_num_of(now), y = mv_num_of(last);
	if (moves_in_points(kpi, now)) {
		bool ok = !isnan(x) && !isnan(y);
		mv_set(row, "change", mv_num_or_null(ok, (x - y) * 100, MF_PLAIN));
		mv_set(row, "change_unit", mv_str("pp"));
	} else {
		/* relative to the base's size: a rise from a negative base is a rise */
		bool ok = !isnan(x) && !isnan(y) && y != 0;
		mv_set(row, "change", mv_num_or_null(ok, ok ? (x - y) / fabs(y) : 0, MF_CHANGE));
		mv_set(row, "change_unit", mv_str("%"));
	}
}

void weekly_set_sample(mval *row, const char *kpi, const mval *week, const metrics_params *p)
{
	char key[128];
	snprintf(key, sizeof key, "%s_n", kpi);
	const mval *n = mv_get(week, key);
	bool has = n && !mv_is_null(n);
	int64_t cases = has ? mv_int_of(n) : 0;
	/* a figure defined on no case (a ROI with spend and no deal won:
	 * −100%, the spend with nothing set against it) measures nothing yet */
	const mval *x = mv_get(week, kpi);
	bool none = cases == 0 && x && !mv_is_null(x);
	mv_set(row, "n", has ? mv_int(cases, MF_COUNT) : mv_null());
	mv_set(row, "low_sample", mv_bool(has && (cases > 0 || none) && cases < p->low_sample_min));
}

static void set_variation(mval *o, const mval *trend, const char *kpi, double now)
{
	double sum = 0, sq = 0;
	int n = 0;
	for (size_t w = 0; w < mv_len(trend); w++) {
		double x = mv_num_of(mv_get(mv_at(trend, w), kpi));
		if (isnan(x))
			continue;
		sum += x;
		n++;
	}
	double mean = n ? sum / n : NAN;
	for (size_t w = 0; w < mv_len(trend); w++) {
		double x = mv_num_of(mv_get(mv_at(trend, w), kpi));
		if (!isnan(x))
			sq += (x - mean) * (x - mean);
	}
	double sd = n > 1 ? sqrt(sq / (n - 1)) : NAN;
	bool has_z = n >= 3 && sd > 0 && !isnan(now);
	double z = has_z ? (now - mean) / sd : NAN;
	mv_fmt f = mv_fmt_of(mv_get(mv_at(trend, 0), kpi));
	mv_set(o, "mean_13w", mv_num_or_null(n > 0, mean, f == MF_COUNT ? MF_PLAIN : f));
	mv_set(o, "mean_weeks", mv_int(n, MF_COUNT));
	mv_set(o, "sd_13w", mv_num_or_null(n > 1, sd, f == MF_COUNT ? MF_PLAIN : f));
	mv_set(o, "z_score", mv_num_or_null(has_z, z, MF_RATIO));
	mv_set(o, "unusual", mv_bool(has_z && fabs(z) > 2));
}

/* The size of the week's move (this week − last week) against the typical
 * size of a move from one week to the next in the 13 weeks, this one
 * included (their root mean square): how large a movement it is for this
 * KPI, whatever its level. A KPI on a steady climb lies far from its mean
 * every week but moves as much as usual (about 1); a flat one that jumps
 * moves several times its usual amount. */
static void set_move(mval *o, const mval *trend, const char *kpi)
{
	double sq = 0;
	int n = 0;
	size_t nweeks = mv_len(trend);
	for (size_t w = 1; w < nweeks; w++) {
		double d = mv_num_of(mv_get(mv_at(trend, w), kpi)) -
			   mv_num_of(mv_get(mv_at(trend, w - 1), kpi));
		if (isnan(d))
			continue;
		sq += d * d;
		n++;
	}
	double usual = n ? sqrt(sq / n) : NAN;
	double now = nweeks >= 2 ? mv_num_of(mv_get(mv_at(trend, nweeks - 1), kpi)) -
				       mv_num_of(mv_get(mv_at(trend, nweeks - 2), kpi))
				 : NAN;
	bool has = n >= 3 && usual > 0 && !isnan(now);
	mv_set(o, "move_ratio", mv_num_or_null(has, fabs(now) / usual, MF_RATIO));
}

mval *what_changed_table(const mval *trend, const mval *this_week, const metrics_params *p)
{
	mval *rows = mv_arr();
	size_t nweeks = mv_len(trend);
	if (nweeks < 2)
		return rows;
	const mval *now_row = mv_at(trend, nweeks - 1), *last_row = mv_at(trend, nweeks - 2);
	for (const char *const *k = weekly_kpis; *k; k++) {
		const mval *a = mv_get(now_row, *k), *b = mv_get(last_row, *k);
		double x = mv_num_of(a);
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "kpi", mv_str(*k));
		mv_set(o, "this_week", copy_number(a));
		mv_set(o, "last_week", copy_number(b));
		weekly_set_change(o, *k, a, b);
		weekly_set_sample(o, *k, this_week, p);
		set_variation(o, trend, *k, x);
		set_move(o, trend, *k);
	}
	return rows;
}
