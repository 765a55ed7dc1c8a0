/* sums.h — the tables that read every lead one by one (the windows and the
 * weeks' funnel metrics, trend, cohorts, the breakdowns with their
 * attribution, the pipeline, the drill-down), added data set by data set.
 *
 * An engine streams its leads in chunks, each with all of its leads'
 * events and opportunities; each chunk's view is added here and dropped,
 * so that no lead needs to be kept for these tables. Nothing they hold
 * depends on the order in which leads or chunks come (counts, exact sums,
 * lists whose statistics sort them): the tables equal those of one view of
 * every lead, value for value. */
#ifndef MQL_SUMS_H
#define MQL_SUMS_H

#include "breakdown.h"
#include "drilldown.h"
#include "funnel.h"
#include "pipeline.h"
#include "trend.h"

/* The windows of `windows` (1w, 4w, 13w) and then the 13 weeks of
 * `kpi_trend`, oldest first. */
enum { SUMS_WINDOWS = WIN_COUNT + TREND_WEEKS };

typedef struct lead_sums {
	/* the 13 weeks, oldest first; the windows are unions of their last
	 * 1, 4 and 13 (funnel_acc_union), so each MQL's values are held once */
	funnel_acc *weeks;
	trend_acc trend;
	bd_acc *breakdowns;
	pipe_sums *pipeline;
	drill_acc *drill;
} lead_sums;

/* The bounds of the SUMS_WINDOWS windows and their length in weeks. */
void sums_windows(const metrics_params *p, ts_ms start[SUMS_WINDOWS], ts_ms end[SUMS_WINDOWS],
		  int weeks[SUMS_WINDOWS]);

lead_sums *lead_sums_new(const metrics_params *p);
/* Add every lead of v (that exists at as_of), their wins and their
 * opportunities; x names v's syms in the data set the tables will be built
 * from (NULL: v's own); place[i], lead i's place in the export, orders the
 * drill-down's rows of one moment (NULL: i). No data set may be added once
 * the tables are built. */
void lead_sums_add(lead_sums *s, const view *v, const sym_xlat *x, const uint64_t *place);
void lead_sums_free(lead_sums *s); /* NULL is a no-op */

#endif
