/* weekly.h — the headline KPIs week by week and what moved this week
 * (extensions of metrics.json, docs/metrics.md): the series behind the
 * workbook's KPI tiles and the e-mail's trend chart, and the numbers behind
 * the "What changed" sentences. */
#ifndef MQL_WEEKLY_H
#define MQL_WEEKLY_H

#include "view.h"

/* The headline KPIs of the tiles, in tile order (NULL-terminated). */
extern const char *const weekly_kpis[];

/* `kpi_trend`: one row per week of the 13, oldest first: {week, and every
 * weekly_kpis key, each followed by its `<kpi>_n` where the week has one}
 * of weeks[w], funnel_window() over that week alone,
 * outcomes as of as_of (so the last row equals windows.1w and the one
 * before summary's last_week); weeks are borrowed. */
mval *kpi_trend_table(const metrics_params *p, mval *const weeks[TREND_WEEKS]);
/* The first of the 13 weeks with any lead, spend, MQL, SQL or win (0 when
 * none has any): kpi_trend's weeks before it are `before_data`. */
int kpi_trend_first(mval *const weeks[TREND_WEEKS]);

/* `what_changed`: one row per weekly_kpis key: {kpi, this_week, last_week,
 * change, change_unit, n, low_sample, mean_13w, sd_13w, z_score, unusual}
 * (n and low_sample as weekly_set_sample() sets them from this_week, the
 * windows.1w object, borrowed). change is in
 * percentage points for rates and ROI (change_unit "pp", 2.1 = 2.1 points)
 * and relative otherwise ("%", 0.19 = +19%; null when last week is 0 or
 * null); mean_13w and sd_13w (sample standard deviation) are over the
 * weekly values of kpi_trend that are not null; z_score = (this − mean) / sd
 * (null when sd is 0 or fewer than 3 weeks have a value); unusual = |z| > 2. */
mval *what_changed_table(const mval *kpi_trend, const mval *this_week, const metrics_params *p);

/* Set row's change and change_unit for kpi going from last to now, as
 * what_changed_table() defines them (summary's rows too). */
void weekly_set_change(mval *row, const char *kpi, const mval *now, const mval *last);

/* Set row's n, the cases this week's value of kpi rests on (week's
 * `<kpi>_n`: a rate's denominator, the values behind a median or mean;
 * null for a count or an amount), and low_sample, true when there are
 * fewer than p->low_sample_min of them but at least one, or none while the
 * figure is defined (a ROI with spend and no deal won) (summary's rows
 * too). */
void weekly_set_sample(mval *row, const char *kpi, const mval *week, const metrics_params *p);

#endif
