/* report_tree.h — a realistic report tree built by hand, shared by the
 * renderer unit tests and the render_fixture harness. Every value here is
 * typed in, so the tests can state what each output must show. */
#ifndef MQL_TEST_REPORT_TREE_H
#define MQL_TEST_REPORT_TREE_H

#include <stdio.h>

#include "mval.h"

/* 2026-03-09T00:00:00Z (the end of ISO week 2026-W10), by hand: 56 years
 * 1970..2025 with 14 leap days = 20454 days, + 31 (Jan) + 28 (Feb) + 8 =
 * 20521 days; × 86400 s = 1773014400 s. */
#define TREE_AS_OF 1773014400000LL
/* generated at 06:30:15.750 that Monday: 6×3600 + 30×60 + 15 = 23415 s */
#define TREE_GENERATED (TREE_AS_OF + 23415750LL)

static const char *const tree_channels[3] = {"paid_search", "webinar", "email"};

static mval *tree_window(int64_t leads, int64_t mqls, double revenue, bool closed)
{
	mval *w = mv_obj();
	mv_set(w, "leads", mv_int(leads, MF_COUNT));
	mv_set(w, "mqls", mv_int(mqls, MF_COUNT));
	mv_set(w, "revenue", mv_num(revenue, MF_MONEY));
	mv_set(w, "spend", mv_num(1500.25, MF_MONEY));
	mv_set(w, "cost_per_mql", mv_num_or_null(mqls > 0, 1500.25 / (double)mqls, MF_MONEY));
	mv_set(w, "lead_to_mql_rate", mv_num(0.1, MF_RATE));
	mv_set(w, "close_rate", mv_num_or_null(closed, 1.0 / 3, MF_RATE));
	mv_set(w, "close_rate_ci_low", mv_num_or_null(closed, 0.0615, MF_RATE));
	mv_set(w, "close_rate_ci_high", mv_num_or_null(closed, 0.7923, MF_RATE));
	mv_set(w, "time_to_mql_days_median", mv_num(2.5, MF_DAYS));
	mv_set(w, "speed_to_lead_minutes_median", mv_num(42, MF_MINUTES));
	mv_set(w, "roi", mv_num(-0.25, MF_RATIO));
	mv_set(w, "mqls_per_week", mv_num(2.25, MF_COUNT));
	mv_set(w, "sqls", mv_int(mqls / 2, MF_COUNT));
	mv_set(w, "wins", mv_int(closed ? 1 : 0, MF_COUNT));
	mv_set(w, "clv_to_cac", mv_null());
	return w;
}

/* Week i of the 13 ending 2026-W10 as trend has it, whose columns are
 * kpi_trend's first eight, as in a real report: 2025 has 52 ISO weeks (1 Jan
 * 2025 is a Wednesday), so 2025-W50..W52 then 2026-W01..W10; the last one
 * is windows.1w's. */
static mval *tree_trend_week(int i)
{
	mval *r = mv_obj();
	char week[16];
	snprintf(week, sizeof week, i < 3 ? "2025-W%02d" : "2026-W%02d", i < 3 ? 50 + i : i - 2);
	int64_t mqls = i == 12 ? 2 : 3 + i % 4;
	mv_set(r, "week", mv_str(week));
	mv_set(r, "leads", mv_int(i == 12 ? 12 : 8 + i % 5, MF_COUNT));
	mv_set(r, "mqls", mv_int(mqls, MF_COUNT));
	mv_set(r, "sqls", mv_int(mqls / 2, MF_COUNT));
	mv_set(r, "wins", mv_int(i == 12 ? 0 : i % 2, MF_COUNT));
	mv_set(r, "revenue", mv_num(i == 12 ? 0 : 900.5 * (i % 3), MF_MONEY));
	mv_set(r, "spend", mv_num(1500.25, MF_MONEY));
	mv_set(r, "cost_per_mql", mv_num(1500.25 / (double)mqls, MF_MONEY));
	return r;
}

/* kpi_trend: trend's weeks with the rates, ROI and medians beside. */
static void tree_kpi_trend(mval *root)
{
	mval *t = mv_set(root, "kpi_trend", mv_arr());
	for (int i = 0; i < 13; i++) {
		mval *r = mv_push(t, tree_trend_week(i));
		int64_t mqls = mv_int_of(mv_get(r, "mqls"));
		mv_set(r, "mql_to_sql_rate", mv_num((double)(mqls / 2) / (double)mqls, MF_RATE));
		mv_set(r, "roi", mv_num(i == 12 ? -1 : -0.25, MF_RATIO));
		mv_set(r, "time_to_sql_days_median", mv_num_or_null(i != 4, 3.5, MF_DAYS));
		mv_set(r, "speed_to_lead_minutes_median", mv_num(42, MF_MINUTES));
	}
}

/* what_changed for the counts and amounts of windows.1w (this_week equal). */
static void tree_what_changed(mval *root)
{
	static const struct {
		const char *kpi;
		double now, last, mean, sd;
		mv_fmt f;
	} rows[] = {
	    {"leads", 12, 10, 10.2, 1.4, MF_COUNT},
	    {"mqls", 2, 3, 4.4, 1.1, MF_COUNT},
	    {"spend", 1500.25, 1500.25, 1500.25, 0, MF_MONEY},
	    {"cost_per_mql", 750.125, 500.0833333333333, 380.5, 120.25, MF_MONEY},
	};
	mval *wc = mv_set(root, "what_changed", mv_arr());
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		mval *r = mv_push(wc, mv_obj());
		bool count = rows[i].f == MF_COUNT, sd = rows[i].sd > 0;
		double z = sd ? (rows[i].now - rows[i].mean) / rows[i].sd : 0;
		mv_set(r, "kpi", mv_str(rows[i].kpi));
		mv_set(r, "this_week",
		       count ? mv_int((int64_t)rows[i].now, MF_COUNT)
			     : mv_num(rows[i].now, rows[i].f));
		mv_set(r, "last_week",
		       count ? mv_int((int64_t)rows[i].last, MF_COUNT)
			     : mv_num(rows[i].last, rows[i].f));
		mv_set(r, "change", mv_num(rows[i].now / rows[i].last - 1, MF_CHANGE));
		mv_set(r, "change_unit", mv_str("%"));
		mv_set(r, "mean_13w", mv_num(rows[i].mean, rows[i].f));
		mv_set(r, "sd_13w", mv_num(rows[i].sd, rows[i].f));
		mv_set(r, "z_score", mv_num_or_null(sd, z, MF_RATIO));
		mv_set(r, "unusual", mv_bool(z > 2 || z < -2));
	}
}

/* drilldown: windows.1w's 2 MQLs, 1 SQL and no win, one row per lead. */
static void tree_drilldown(mval *root)
{
	mval *d = mv_set(root, "drilldown", mv_obj());
	mval *lists[3] = {mv_set(d, "mqls", mv_arr()), mv_set(d, "sqls", mv_arr()),
			  mv_set(d, "wins", mv_arr())};
	static const char *const ids[2] = {"L-1001", "L-1002"};
	for (int i = 0; i < 2; i++) {
		for (int l = 0; l < (i == 0 ? 2 : 1); l++) {
			mval *r = mv_push(lists[l], mv_obj());
			mv_set(r, "lead_id", mv_str(ids[i]));
			mv_set(r, "created_at", mv_time(TREE_AS_OF - (9 - i) * 86400000LL));
			mv_set(r, "channel", mv_str(tree_channels[i]));
			mv_set(r, "campaign", mv_str(i ? "Webinar Q1" : "Brand search"));
			mv_set(r, "job_title", mv_str(i ? "Head of Marketing" : "VP Sales"));
			mv_set(r, "company_size", mv_str("201-500"));
			mv_set(r, "industry", mv_str("Software"));
			mv_set(r, "country", mv_str(i ? "AT" : "DE"));
			mv_set(r, "score", mv_num(72.5 - i * 8, MF_SCORE));
			mv_set(r, "fit", mv_num(40 - i * 5, MF_SCORE));
			mv_set(r, "engagement", mv_num(32.5 - i * 3, MF_SCORE));
			mv_set(r, "mql_at", mv_time(TREE_AS_OF - (3 + i) * 86400000LL));
			mv_set(r, "sql_at", l == 1 ? mv_time(TREE_AS_OF - 86400000LL) : mv_null());
			mv_set(r, "won_amount", mv_null());
		}
	}
}

static mval *tree_breakdown(const char *key, const char *const *names, size_t n, int scale)
{
	mval *rows = mv_arr();
	for (size_t i = 0; i < n; i++) {
		mval *r = mv_push(rows, mv_obj());
		mv_set(r, key, mv_str(names[i]));
		mv_set(r, "leads", mv_int((int64_t)(10 * (i + 1) * (size_t)scale), MF_COUNT));
		mv_set(r, "mqls", mv_int((int64_t)(3 * (i + 1) * (size_t)scale), MF_COUNT));
		mv_set(r, "wins", mv_int((int64_t)i * scale, MF_COUNT));
		mv_set(r, "revenue", mv_num(1000.5 * (double)i * scale, MF_MONEY));
		mv_set(r, "spend", mv_num(250.0 * (double)(i + 1), MF_MONEY));
		/* the first row has no closed deals: its close rate is undefined */
		bool closed = i > 0;
		mv_set(r, "close_rate", mv_num_or_null(closed, 0.25 * (double)i, MF_RATE));
		mv_set(r, "close_rate_ci_low", mv_num_or_null(closed, 0.05 * (double)i, MF_RATE));
		mv_set(r, "close_rate_ci_high", mv_num_or_null(closed, 0.4 * (double)i, MF_RATE));
		mv_set(r, "roi", mv_num(0.5 * (double)i - 0.2, MF_RATIO));
		mv_set(r, "low_sample", mv_bool(i != 1));
	}
	return rows;
}

/* The whole tree; caller frees with mv_free(). */
static mval *tree_build(void)
{
	mval *root = mv_obj();
	mval *rep = mv_set(root, "report", mv_obj());
	mv_set(rep, "week", mv_str("2026-W10"));
	mv_set(rep, "as_of", mv_time(TREE_AS_OF));
	mv_set(rep, "timezone", mv_str("Europe/Berlin"));
	mv_set(rep, "currency", mv_str("EUR"));
	mv_set(rep, "generated_at", mv_time(TREE_GENERATED));
	mval *in = mv_set(rep, "inputs", mv_obj());
	mval *leads = mv_set(in, "leads", mv_obj());
	mv_set(leads, "bytes", mv_int(2048, MF_PLAIN));
	mv_set(leads, "sha256",
	       mv_str("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));

	mval *win = mv_set(root, "windows", mv_obj());
	mv_set(win, "1w", tree_window(12, 2, 0, false));
	mv_set(win, "4w", tree_window(40, 8, 12500.5, true));
	mv_set(win, "13w", tree_window(130, 26, 40250.75, true));

	mval *sum = mv_set(root, "summary", mv_arr());
	struct {
		const char *kpi;
		double now, before, change; /* now / before - 1; a rate's in points */
		mv_fmt f;
		bool defined;
	} kpis[] = {
	    {"mqls", 12, 10, 0.2, MF_COUNT, true},		  /* 12/10 - 1 */
	    {"cost_per_mql", 150.5, 120.4, 0.25, MF_MONEY, true}, /* 150.5/120.4 - 1 */
	    {"spend", 1500.25, 1500.25, 0, MF_MONEY, true},
	    {"lead_to_mql_rate", 0.1, 0.125, -2.5, MF_RATE, true}, /* (0.1 - 0.125) × 100 */
	    {"close_rate", 0, 0, 0, MF_RATE, false},
	};
	for (size_t i = 0; i < sizeof kpis / sizeof kpis[0]; i++) {
		mval *r = mv_push(sum, mv_obj());
		mv_set(r, "kpi", mv_str(kpis[i].kpi));
		if (kpis[i].f == MF_COUNT) {
			mv_set(r, "this_week", mv_int((int64_t)kpis[i].now, MF_COUNT));
			mv_set(r, "last_week", mv_int((int64_t)kpis[i].before, MF_COUNT));
		} else {
			mv_set(r, "this_week",
			       mv_num_or_null(kpis[i].defined, kpis[i].now, kpis[i].f));
			mv_set(r, "last_week",
			       mv_num_or_null(kpis[i].defined, kpis[i].before, kpis[i].f));
		}
		bool pp = kpis[i].f == MF_RATE;
		mv_set(r, "change",
		       mv_num_or_null(kpis[i].defined, kpis[i].change, pp ? MF_PLAIN : MF_CHANGE));
		mv_set(r, "change_unit", mv_str(pp ? "pp" : "%"));
	}

	const char *windows[3] = {"1w", "4w", "13w"};
	static const char *const campaigns[2] = {"Spring \"Launch\"\\2026",
						 "Retarget\tQ1 \xE2\x82\xAC"};
	mval *bch = mv_set(root, "by_channel", mv_obj());
	mval *bca = mv_set(root, "by_campaign", mv_obj());
	for (int w = 0; w < 3; w++) {
		mv_set(bch, windows[w], tree_breakdown("channel", tree_channels, 3, w + 1));
		mv_set(bca, windows[w], tree_breakdown("campaign", campaigns, 2, w + 1));
	}

	mval *trend = mv_set(root, "trend", mv_arr());
	for (int i = 0; i < 13; i++)
		mv_push(trend, tree_trend_week(i));

	mval *coh = mv_set(root, "cohorts", mv_arr());
	for (int i = 0; i < 2; i++) {
		mval *r = mv_push(coh, mv_obj());
		mv_set(r, "week", mv_str(i ? "2026-W10" : "2026-W09"));
		mv_set(r, "mqls", mv_int(4, MF_COUNT));
		mv_set(r, "sql_rate_1w", mv_num_or_null(i == 0, 0.5, MF_RATE));
		mv_set(r, "sql_rate_2w", mv_null());
	}

	mval *eng = mv_set(root, "engagement", mv_obj());
	for (int w = 0; w < 3; w++) {
		mval *rows = mv_set(eng, windows[w], mv_arr());
		mval *r = mv_push(rows, mv_obj());
		mv_set(r, "type", mv_str("content_download"));
		mv_set(r, "events", mv_int(7 * (w + 1), MF_COUNT));
		mv_set(r, "unique_leads", mv_int(5 * (w + 1), MF_COUNT));
		mv_set(r, "mql_rate", mv_num(0.4, MF_RATE));
		r = mv_push(rows, mv_obj());
		mv_set(r, "type", mv_str("page_visit"));
		mv_set(r, "events", mv_int(30, MF_COUNT));
		mv_set(r, "unique_leads", mv_int(11, MF_COUNT));
	}

	mval *bands = mv_set(root, "score_bands", mv_arr());
	for (int b = 0; b < 3; b++) {
		mval *r = mv_push(bands, mv_obj());
		mv_set(r, "band", mv_int(50 + 10 * b, MF_SCORE));
		mv_set(r, "leads", mv_int(8 - b, MF_COUNT));
		mv_set(r, "sql_rate", mv_num(0.1 * b, MF_RATE));
		mv_set(r, "win_rate", mv_num(0.05 * b, MF_RATE));
	}
	mval *sweep = mv_set(root, "threshold_sweep", mv_arr());
	mval *s = mv_push(sweep, mv_obj());
	mv_set(s, "threshold", mv_int(60, MF_SCORE));
	mv_set(s, "leads", mv_int(9, MF_COUNT));
	mv_set(s, "sql_rate", mv_num(0.3, MF_RATE));
	mv_set(s, "sql_capture_rate", mv_num(0.75, MF_RATE));
	mv_set(mv_set(root, "calibration", mv_obj()), "score_auc", mv_num(0.8125, MF_RATIO));

	mval *life = mv_set(root, "lifecycle", mv_obj());
	const char *stages[] = {"customer", "lost", "sql", "hot", "mql", "pql", "lead"};
	for (int i = 0; i < 7; i++)
		mv_set(life, stages[i], mv_int(i + 1, MF_COUNT));

	mval *dq = mv_set(root, "data_quality", mv_obj());
	mval *srcs = mv_set(dq, "sources", mv_arr());
	mval *src = mv_push(srcs, mv_obj());
	mv_set(src, "source", mv_str("leads"));
	mv_set(src, "rows_read", mv_int(21, MF_COUNT));
	mv_set(src, "rows_accepted", mv_int(20, MF_COUNT));
	mv_set(src, "rows_rejected", mv_int(1, MF_COUNT));
	mv_set(mv_set(src, "rejected_by_reason", mv_obj()), "missing_lead_id", mv_int(1, MF_COUNT));
	mv_set(src, "warnings_by_field", mv_obj());
	mv_set(src, "newest_timestamp", mv_time(TREE_AS_OF - 3600000));
	mv_set(src, "stale", mv_bool(false));
	mv_set(dq, "duplicates", mv_int(1, MF_COUNT));
	mv_set(dq, "orphaned_events", mv_int(0, MF_COUNT));
	mv_set(mv_set(dq, "unknown_event_types_by_type", mv_obj()), "fax_sent",
	       mv_int(2, MF_COUNT));
	mv_set(dq, "stale_sources", mv_arr());

	/* the extensions for the Overview and the drill-down sheets */
	tree_kpi_trend(root);
	tree_what_changed(root);
	tree_drilldown(root);

	/* a metric no template names: it must still appear */
	mv_set(mv_set(root, "experimental", mv_obj()), "pipeline_velocity",
	       mv_num(1234.5, MF_MONEY));
	return root;
}

#endif
