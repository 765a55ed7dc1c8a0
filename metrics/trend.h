/* trend.h — the week-by-week tables of SPEC §6 (trend, cohorts), the
 * engagement table per window, and `summary`: the report week's headline
 * KPIs beside the week before. */
#ifndef MQL_TREND_H
#define MQL_TREND_H

#include "esum.h"
#include "view.h"

/* What `trend` and `cohorts` count, added data set by data set (the whole
 * data set, or an engine's chunks of leads with their opportunities); no
 * sum depends on the order of the leads. A zeroed one is empty. */
#define COHORT_HORIZONS 4 /* weeks after the cohort week: 1, 2, 4, 8 */
typedef struct trend_acc {
	int64_t leads[TREND_WEEKS], mqls[TREND_WEEKS], sqls[TREND_WEEKS], wins[TREND_WEEKS];
	int64_t cohort_sql[TREND_WEEKS][COHORT_HORIZONS]; /* the week's MQLs SQL by then */
	esum revenue[TREND_WEEKS];
} trend_acc;
void trend_acc_add(trend_acc *t, const view *v);
void trend_acc_free(trend_acc *t);
/* `trend` from what t holds and the spend of v's data set: one row per
 * week of the 13, oldest first:
 * {week, leads, mqls, sqls, wins, revenue, spend, cost_per_mql}. */
mval *trend_acc_trend(const trend_acc *t, const view *v);
/* `cohorts` from what t holds: one row per MQL week of the 13: {week,
 * mqls, sql_rate_Nw with _ci_low/_ci_high for N = 1, 2, 4, 8}; a rate is
 * null until the cohort week's end + N calendar weeks <= as_of, and when
 * the cohort is empty. */
mval *trend_acc_cohorts(const trend_acc *t, const metrics_params *p);

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
 * n and low_sample as weekly_set_sample() sets them. last NULL: the week
 * before lies before the data begins (kpi_trend's `before_data`), and
 * last_week and change are null, as there. */
mval *summary_table(const mval *this_week, const mval *last, const metrics_params *p);

#endif
