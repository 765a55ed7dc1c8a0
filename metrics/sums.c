/* sums.c — the per-lead tables added data set by data set (sums.h). It
 * must not build a table itself: metrics_compute() asks each table's own
 * module for it, from what is added here. */
#include "sums.h"

#include <stdlib.h>

void sums_windows(const metrics_params *p, ts_ms start[SUMS_WINDOWS], ts_ms end[SUMS_WINDOWS],
		  int weeks[SUMS_WINDOWS])
{
	for (int w = 0; w < WIN_COUNT; w++) {
		start[w] = funnel_window_start(p, w);
		end[w] = p->as_of;
		weeks[w] = funnel_window_weeks[w];
	}
	for (int k = 0; k < TREND_WEEKS; k++) {
		start[WIN_COUNT + k] = p->week_start[k];
		end[WIN_COUNT + k] = p->week_start[k + 1];
		weeks[WIN_COUNT + k] = 1;
	}
}

lead_sums *lead_sums_new(const metrics_params *p)
{
	ts_ms start[SUMS_WINDOWS], end[SUMS_WINDOWS];
	int weeks[SUMS_WINDOWS];
	sums_windows(p, start, end, weeks);
	lead_sums *s = xcalloc(1, sizeof *s);
	s->weeks = funnel_acc_new(TREND_WEEKS, start + WIN_COUNT, end + WIN_COUNT);
	s->breakdowns = bd_acc_new();
	s->pipeline = pipe_sums_new();
	s->drill = drill_acc_new(p);
	return s;
}

void lead_sums_add(lead_sums *s, const view *v, const sym_xlat *x, const uint64_t *place)
{
	funnel_acc_add(s->weeks, v);
	funnel_acc_spill(s->weeks); /* the lists grow with the MQLs: on disk, not in memory */
	trend_acc_add(&s->trend, v);
	bd_acc_add(s->breakdowns, v, x);
	pipe_sums_add(s->pipeline, v, x);
	drill_acc_add(s->drill, v, place);
}

void lead_sums_free(lead_sums *s)
{
	if (!s)
		return;
	funnel_acc_free(s->weeks);
	trend_acc_free(&s->trend);
	bd_acc_free(s->breakdowns);
	pipe_sums_free(s->pipeline);
	drill_acc_free(s->drill);
	free(s);
}
