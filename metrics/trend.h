/* trend.h — the week-by-week tables of SPEC §6 (trend, cohorts), the
 * engagement table per window, and `summary`: the report week's headline
 * KPIs beside the week before. */
#ifndef MQL_TREND_H
#define MQL_TREND_H

#include "view.h"

/* `trend`: one row per week of the 13, oldest first:
 * {week, leads, mqls, sqls, wins, revenue, spend, cost_per_mql}. */
mval *trend_table(const view *v);

/* `cohorts`: one row per MQL week of the 13: {week, mqls, sql_rate_Nw with
 * _ci_low/_ci_high for N = 1, 2, 4, 8}; a rate is null until the cohort
 * week's end + N calendar weeks <= as_of, and when the cohort is empty. */
mval *cohorts_table(const view *v);

/* `engagement`: {1w, 4w, 13w}, each rows {type, events, unique_leads} for
 * every event type with events in the window (existing leads only), plus
 * mql_rate (with interval) for content_download and
 * premium_content_download; ordered by events, most first, then by type. */
mval *engagement_table(const view *v);

/* The headline KPIs of `summary`, in order, NULL-terminated. */
extern const char *const summary_kpis[];

/* `summary`: rows {kpi, this_week, last_week, change, change_unit, n,
 * low_sample} where
 * this_week is the 1w window object and last the same metrics over
 * [week_start[11], week_start[12]) with outcomes as of as_of
 * (funnel_window()'s objects, borrowed); change and change_unit as
 * what_changed's (weekly.h): points for rates and ROI, relative otherwise;
 * n and low_sample as weekly_set_sample() sets them. */
mval *summary_table(const mval *this_week, const mval *last, const metrics_params *p);

#endif
