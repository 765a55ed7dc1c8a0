/* drilldown.c — one row per lead behind this week's MQL, SQL and win
 * counts (drilldown.h).
 *
 * Selects with exactly the rules of funnel.c's counts so that the rows and
 * the counts agree; no I/O, no presentation. */
#include "drilldown.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"

typedef struct pick {
	uint32_t lead;
	ts_ms at;
} pick;

/* By the moment, then by the lead's place in the export: never by the
 * spelling of its id, so that the rows do not depend on the CRM's id style. */
static int pick_cmp(const void *a, const void *b)
{
	const pick *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->lead > y->lead) - (x->lead < y->lead);
}

static mval *str_or_null(const dataset *ds, sym s)
{
	return s ? mv_str(ds_str(ds, s)) : mv_null();
}

static mval *lead_row(const view *v, uint32_t i, double won_amount)
{
	const dataset *ds = v->ds;
	const lead *l = &ds->leads[i];
	lead_view lv_at = lv_get(v, i);
	const lead_view *lv = &lv_at;
	const lead_score *s = &v->score[i];
	bool scored = v->p->model != NULL;
	mval *o = mv_obj();
	mv_set(o, "lead_id", mv_str(ds_str(ds, l->id)));
	mv_set(o, "created_at", mv_time(lv->t[LT_CREATED]));
	mv_set(o, "channel", mv_str(ds_str(ds, l->channel)));
	mv_set(o, "campaign", mv_str(ds_str(ds, l->campaign)));
	mv_set(o, "job_title", str_or_null(ds, l->job_title));
	mv_set(o, "company_size",
	       l->company_size >= 0 ? mv_int(l->company_size, MF_COUNT) : mv_null());
	mv_set(o, "industry", str_or_null(ds, l->industry));
	mv_set(o, "country", str_or_null(ds, l->country));
	mv_set(o, "score", mv_num_or_null(scored, s->fit + s->engagement, MF_SCORE));
	mv_set(o, "fit", mv_num_or_null(scored, s->fit, MF_SCORE));
	mv_set(o, "engagement", mv_num_or_null(scored, s->engagement, MF_SCORE));
	mv_set(o, "mql_at", mv_time(lv->t[LT_MQL]));
	mv_set(o, "sql_at", mv_time(lv->t[LT_SQL]));
	mv_set(o, "won_amount", mv_num(won_amount, MF_MONEY)); /* NaN: null */
	return o;
}

/* Rows of the leads whose field lies in [start, as_of). */
static mval *rows_of(const view *v, int field, ts_ms start, const double *won)
{
	const dataset *ds = v->ds;
	pick *picks = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < ds->nleads; i++) {
		ts_ms t = lv_get(v, i).t[field];
		if (!lv_exists(v, i) || t == TS_NONE || t < start || t >= v->as_of)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			picks = xrealloc(picks, cap * sizeof *picks);
		}
		picks[n++] = (pick){(uint32_t)i, t};
	}

	if (n)
		qsort(picks, n, sizeof *picks, pick_cmp);
	mval *rows = mv_arr();
	for (size_t k = 0; k < n; k++)
		mv_push(rows, lead_row(v, picks[k].lead, won[picks[k].lead]));
	free(picks);
	return rows;
}

mval *drilldown_table(const view *v)
{
	const dataset *ds = v->ds;
	ts_ms start = funnel_window_start(v->p, WIN_1W);
	double *won = xmalloc((ds->nleads ? ds->nleads : 1) * sizeof *won);
	for (size_t i = 0; i < ds->nleads; i++)
		won[i] = NAN;
	win_list wl = {0};
	funnel_wins(v, start, v->as_of, &wl);
	for (size_t k = 0; k < wl.len; k++) {
		double a = wl.items[k].amount;
		if (isnan(a))
			continue;
		double *w = &won[wl.items[k].lead];
		*w = isnan(*w) ? a : *w + a;
	}
	free(wl.items);
	for (size_t i = 0; i < ds->nleads; i++)
		if (!isnan(won[i]))
			won[i] = funnel_money(won[i]);
	mval *o = mv_obj();
	mv_set(o, "mqls", rows_of(v, LT_MQL, start, won));
	mv_set(o, "sqls", rows_of(v, LT_SQL, start, won));
	mv_set(o, "wins", rows_of(v, LT_WON, start, won));
	free(won);
	return o;
}
