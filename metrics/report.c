/* report.c — metrics_compute(): the whole metrics tree in SPEC §8's
 * order, with half of the tables built on a second GThread. It must not do
 * I/O or keep state between calls, and the tables built on the two threads
 * must only read the view. */
#include "metrics.h"

#include <glib.h>

#include "breakdown.h"
#include "calibration.h"
#include "qualify.h"
#include "drilldown.h"
#include "funnel.h"
#include "health.h"
#include "lifecycle.h"
#include "pipeline.h"
#include "quality.h"
#include "sums.h"
#include "trend.h"
#include "view.h"
#include "weekly.h"

const char *const attr_model_name[ATTR_COUNT] = {
    "first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay",
};

void metrics_params_default(metrics_params *p)
{
	*p = (metrics_params){
	    .as_of = 0,
	    .now = TS_NONE,
	    .mql_source = MQL_AUTO,
	    .attribution = ATTR_FIRST_TOUCH,
	    .gross_margin = 0.8,
	    .expected_lifetime_years = 3,
	    .low_sample_min = 30,
	    .model = NULL,
	    .scores = NULL,
	    .health = NULL,
	};
}

/* Half of the tables, built on a second core while the first builds the
 * other half (breakdowns, trend, cohorts, calibration, data quality and the
 * facts the health checks read from the view): the windows and the
 * summary, engagement and the lifecycle, about as long (measured on a
 * million leads). The two tables
 * that read the events end to end (engagement, data quality) are on
 * different cores, as an export of many event types makes both long. Each
 * only reads the view and returns a new tree; the root is assembled in SPEC
 * §8's order either way. */
typedef struct side_tables {
	const view *v;
	mval *windows, *summary, *engagement, *lifecycle, *kpi_trend;
} side_tables;

/* The windows of `windows` and the weeks of `kpi_trend` (the summary's
 * last week is the one before the report week): from the caller's sums
 * (the 13 weeks, and each window the union of its weeks), or over the
 * leads in three passes, the 13w window and then the 1w and
 * 4w ones and then the 13 weeks, so that no more of their lists (one entry
 * per MQL) are held at once than one 13-week window's, the largest first,
 * while the other thread's tables are still small. */
static gpointer side_tables_run(gpointer arg)
{
	side_tables *s = arg;
	const metrics_params *p = s->v->p;
	ts_ms start[SUMS_WINDOWS], end[SUMS_WINDOWS];
	int weeks[SUMS_WINDOWS];
	mval *win[SUMS_WINDOWS];
	sums_windows(p, start, end, weeks);
	int w13 = WIN_COUNT - 1;
	_Static_assert(WIN_COUNT == 3, "1w, 4w, then 13w");
	if (p->sums) {
		for (int w = 0; w < WIN_COUNT; w++)
			win[w] = funnel_acc_union(p->sums->weeks, TREND_WEEKS - (size_t)weeks[w],
						  TREND_WEEKS, s->v, weeks[w]);
		funnel_acc_tables(p->sums->weeks, s->v, weeks + WIN_COUNT, win + WIN_COUNT);
	} else {
		funnel_windows(s->v, 1, start + w13, end + w13, weeks + w13, win + w13);
		funnel_windows(s->v, WIN_COUNT - 1, start, end, weeks, win);
		funnel_windows(s->v, TREND_WEEKS, start + WIN_COUNT, end + WIN_COUNT,
			       weeks + WIN_COUNT, win + WIN_COUNT);
	}
	mval *const *weekly = win + WIN_COUNT;
	s->windows = mv_obj();
	for (int w = 0; w < WIN_COUNT; w++)
		mv_set(s->windows, funnel_window_name[w], win[w]);
	/* last week before the data began: unknown, not a week of zeros */
	bool last_known = kpi_trend_first(weekly) <= TREND_WEEKS - 2;
	s->summary =
	    summary_table(mv_get(s->windows, "1w"), last_known ? weekly[TREND_WEEKS - 2] : NULL, p);
	s->engagement = engagement_table(s->v);
	s->lifecycle = lifecycle_table(s->v);
	s->kpi_trend = kpi_trend_table(p, weekly);
	for (int k = 0; k < TREND_WEEKS; k++)
		mv_free(weekly[k]);
	return NULL;
}

mval *metrics_compute(const dataset *ds, const metrics_params *p)
{
	view *v = view_new(ds, p);
	side_tables side = {.v = v};
	GThread *worker = g_thread_try_new("mql-tables", side_tables_run, &side, NULL);

	/* null placeholders hold the key order until the worker's tables replace them */
	mval *root = mv_obj();
	mv_set(root, "windows", mv_null());
	mv_set(root, "summary", mv_null());
	mval *by_channel, *by_campaign;
	lead_sums *sums = p->sums;
	if (sums)
		bd_acc_tables(sums->breakdowns, v, &by_channel, &by_campaign);
	else
		breakdown_tables(v, &by_channel, &by_campaign);
	mv_set(root, "by_channel", by_channel);
	mv_set(root, "by_campaign", by_campaign);
	trend_acc own = {0};
	if (!sums)
		trend_acc_add(&own, v);
	const trend_acc *weeks = sums ? &sums->trend : &own;
	mv_set(root, "trend", trend_acc_trend(weeks, v));
	mv_set(root, "cohorts", trend_acc_cohorts(weeks, p));
	trend_acc_free(&own);
	mv_set(root, "engagement", mv_null());
	calibration_tables(v, root);
	mv_set(root, "lifecycle", mv_null());
	mv_set(root, "data_quality", mv_null());
	/* extensions of SPEC §8 for the workbook and the e-mail (docs/metrics.md) */
	mv_set(root, "kpi_trend", mv_null());
	mv_set(root, "what_changed", mv_null());
	mv_set(root, "qualification", mv_null());
	mv_set(root, "drilldown", sums ? drill_acc_table(sums->drill) : drilldown_table(v));
	mval *pipeline = sums ? pipe_sums_table(sums->pipeline, v) : pipeline_table(v);
	if (pipeline)
		mv_set(root, "pipeline", pipeline);
	mval *quality = quality_table(v);
	health_facts facts; /* what the health checks read from the view */
	health_facts_init(&facts);
	health_facts_add(&facts, v);

	if (worker)
		g_thread_join(worker);
	else
		side_tables_run(&side);
	mv_set(root, "windows", side.windows);
	mv_set(root, "summary", side.summary);
	mv_set(root, "engagement", side.engagement);
	mv_set(root, "lifecycle", side.lifecycle);
	mv_set(root, "data_quality", quality);
	mv_set(root, "kpi_trend", side.kpi_trend);
	mv_set(root, "what_changed",
	       what_changed_table(side.kpi_trend, mv_path(side.windows, "1w"), p));
	mv_set(root, "qualification", qualification_table(root, p, ds->leads_have_mql));
	/* the health checks read the finished tables, so they come last */
	mv_set(quality, "health", health_table(&facts, root, p));

	view_free(v);
	return root;
}
