/* trend.c — the week-by-week tables of SPEC §6 (trend, cohorts) and
 * `summary`, the report week beside the week before (the engagement table
 * is engagement.c's). It must not compute week boundaries or labels: cmd/
 * passes them in metrics_params. */
#include "trend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esum.h"
#include "funnel.h"
#include "weekly.h"

static const int cohort_horizon[COHORT_HORIZONS] = {1, 2, 4, 8};

void trend_acc_add(trend_acc *t, const view *v)
{
	const dataset *ds = v->ds;
	const metrics_params *p = v->p;
	for (size_t i = 0; i < ds->nleads; i++) {
		lead_view l_at = lv_get(v, i);
		const lead_view *l = &l_at;
		if (!l->exists)
			continue;
		int w;
		if ((w = funnel_week_of(p, l->t[LT_CREATED])) >= 0)
			t->leads[w]++;
		if ((w = funnel_week_of(p, l->t[LT_SQL])) >= 0)
			t->sqls[w]++;
		if ((w = funnel_week_of(p, l->t[LT_WON])) >= 0)
			t->wins[w]++;
		if ((w = funnel_week_of(p, l->t[LT_MQL])) < 0)
			continue;
		t->mqls[w]++;
		if (!lv_set(l, LT_SQL))
			continue;
		ts_ms d = l->t[LT_SQL] - l->t[LT_MQL];
		for (int h = 0; h < COHORT_HORIZONS; h++)
			t->cohort_sql[w][h] += d <= cohort_horizon[h] * MS_PER_WEEK;
	}
	win_list wl = {0};
	funnel_wins(v, p->week_start[0], v->as_of, &wl);
	for (size_t k = 0; k < wl.len; k++) {
		int w = funnel_week_of(p, wl.items[k].won);
		if (w >= 0 && !isnan(wl.items[k].amount))
			esum_add(&t->revenue[w], wl.items[k].amount);
	}
	free(wl.items);
}

void trend_acc_free(trend_acc *t)
{
	for (int w = 0; w < TREND_WEEKS; w++)
		esum_free(&t->revenue[w]);
}

mval *trend_acc_trend(const trend_acc *t, const view *v)
{
	const dataset *ds = v->ds;
	const metrics_params *p = v->p;
	double spend[TREND_WEEKS] = {0};
	for (size_t k = 0; k < ds->nspend; k++) {
		int w = funnel_week_of(p, ds->spend[k].day);
		if (w >= 0 && ds->spend[k].day < v->as_of)
			spend[w] += ds->spend[k].amount;
	}

	mval *rows = mv_arr();
	for (int w = 0; w < TREND_WEEKS; w++) {
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "week", mv_str(p->week_label[w]));
		mv_set(o, "leads", mv_int(t->leads[w], MF_COUNT));
		mv_set(o, "mqls", mv_int(t->mqls[w], MF_COUNT));
		mv_set(o, "sqls", mv_int(t->sqls[w], MF_COUNT));
		mv_set(o, "wins", mv_int(t->wins[w], MF_COUNT));
		double wspend = funnel_money(spend[w]);
		mv_set(o, "revenue", mv_num(funnel_money(esum_value(&t->revenue[w])), MF_MONEY));
		mv_set(o, "spend", mv_num(wspend, MF_MONEY));
		funnel_set_ratio(o, "cost_per_mql", wspend, (double)t->mqls[w], MF_MONEY);
	}
	return rows;
}

mval *trend_acc_cohorts(const trend_acc *t, const metrics_params *p)
{
	mval *rows = mv_arr();
	for (int w = 0; w < TREND_WEEKS; w++) {
		int64_t n = t->mqls[w];
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "week", mv_str(p->week_label[w]));
		mv_set(o, "mqls", mv_int(n, MF_COUNT));
		/* its rates rest on fewer MQLs than the low-sample minimum */
		mv_set(o, "low_sample", mv_bool(n > 0 && n < p->low_sample_min));
		for (int h = 0; h < COHORT_HORIZONS; h++) {
			char key[32];
			snprintf(key, sizeof key, "sql_rate_%dw", cohort_horizon[h]);
			/* the cohort week ends at week_start[w + 1]; N calendar weeks later
			 * is week_start[w + 1 + N], known only while it is <= as_of */
			bool mature = w + 1 + cohort_horizon[h] <= TREND_WEEKS;
			funnel_set_rate(o, key, t->cohort_sql[w][h], mature ? n : 0);
		}
	}
	return rows;
}

const char *const summary_kpis[] = {
    "leads",
    "mqls",
    "sqls",
    "wins",
    "revenue",
    "spend",
    "cost_per_lead",
    "cost_per_mql",
    "cac",
    "roi",
    "lead_to_mql_rate",
    "mql_to_sql_rate",
    "sales_acceptance_rate",
    "close_rate",
    "time_to_sql_days_median",
    "deal_size_mean",
    "speed_to_lead_minutes_median",
    "contacted_within_24h_rate",
    NULL,
};

static mval *copy_number(const mval *x)
{
	mv_fmt f = mv_fmt_of(x);
	if (mv_kind_of(x) == MV_INT)
		return mv_int(mv_int_of(x), f);
	return mv_num(mv_num_of(x), f); /* null stays null */
}

mval *summary_table(const mval *this_week, const mval *last, const metrics_params *p)
{
	mval *rows = mv_arr();
	for (size_t k = 0; summary_kpis[k]; k++) {
		const mval *a = mv_get(this_week, summary_kpis[k]);
		const mval *b = mv_get(last, summary_kpis[k]);
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "kpi", mv_str(summary_kpis[k]));
		mv_set(o, "this_week", copy_number(a));
		/* no week before the data: null, the metric's format kept */
		mv_set(o, "last_week",
		       last ? copy_number(b) : mv_num_or_null(false, 0, mv_fmt_of(a)));
		weekly_set_change(o, summary_kpis[k], a, b);
		weekly_set_sample(o, summary_kpis[k], this_week, p);
	}
	return rows;
}
