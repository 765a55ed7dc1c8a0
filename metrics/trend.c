/* trend.c — the week-by-week tables of SPEC §6 (trend, cohorts) and
 * `summary`, the report week beside the week before (the engagement table
 * is engagement.c's). It must not compute week boundaries or labels: cmd/
 * passes them in metrics_params. */
#include "trend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"
#include "tally.h"
#include "weekly.h"

mval *trend_table(const view *v)
{
	const dataset *ds = v->ds;
	const metrics_params *p = v->p;
	int64_t leads[TREND_WEEKS] = {0}, mqls[TREND_WEEKS] = {0};
	int64_t sqls[TREND_WEEKS] = {0}, wins[TREND_WEEKS] = {0};
	double revenue[TREND_WEEKS] = {0}, spend[TREND_WEEKS] = {0};

	for (size_t i = 0; i < ds->nleads; i++) {
		lead_view l_at = lv_get(v, i);
		const lead_view *l = &l_at;
		if (!l->exists)
			continue;
		int w;
		if ((w = funnel_week_of(p, l->t[LT_CREATED])) >= 0)
			leads[w]++;
		if ((w = funnel_week_of(p, l->t[LT_MQL])) >= 0)
			mqls[w]++;
		if ((w = funnel_week_of(p, l->t[LT_SQL])) >= 0)
			sqls[w]++;
		if ((w = funnel_week_of(p, l->t[LT_WON])) >= 0)
			wins[w]++;
	}
	for (int w = 0; p->tally && w < TREND_WEEKS; w++)
		leads[w] += p->tally->created[w];
	win_list wl = {0};
	funnel_wins(v, p->week_start[0], v->as_of, &wl);
	for (size_t k = 0; k < wl.len; k++) {
		int w = funnel_week_of(p, wl.items[k].won);
		if (w >= 0 && !isnan(wl.items[k].amount))
			revenue[w] += wl.items[k].amount;
	}
	free(wl.items);
	for (size_t k = 0; k < ds->nspend; k++) {
		int w = funnel_week_of(p, ds->spend[k].day);
		if (w >= 0 && ds->spend[k].day < v->as_of)
			spend[w] += ds->spend[k].amount;
	}

	mval *rows = mv_arr();
	for (int w = 0; w < TREND_WEEKS; w++) {
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "week", mv_str(p->week_label[w]));
		mv_set(o, "leads", mv_int(leads[w], MF_COUNT));
		mv_set(o, "mqls", mv_int(mqls[w], MF_COUNT));
		mv_set(o, "sqls", mv_int(sqls[w], MF_COUNT));
		mv_set(o, "wins", mv_int(wins[w], MF_COUNT));
		double wspend = funnel_money(spend[w]);
		mv_set(o, "revenue", mv_num(funnel_money(revenue[w]), MF_MONEY));
		mv_set(o, "spend", mv_num(wspend, MF_MONEY));
		funnel_set_ratio(o, "cost_per_mql", wspend, (double)mqls[w], MF_MONEY);
	}
	return rows;
}

static const int cohort_horizon[] = {1, 2, 4, 8};
#define NHORIZON (sizeof cohort_horizon / sizeof cohort_horizon[0])

mval *cohorts_table(const view *v)
{
	const dataset *ds = v->ds;
	const metrics_params *p = v->p;
	int64_t n[TREND_WEEKS] = {0}, k[TREND_WEEKS][NHORIZON] = {{0}};

	for (size_t i = 0; i < ds->nleads; i++) {
		lead_view l_at = lv_get(v, i);
		const lead_view *l = &l_at;
		int w = l->exists ? funnel_week_of(p, l->t[LT_MQL]) : -1;
		if (w < 0)
			continue;
		n[w]++;
		if (!lv_set(l, LT_SQL))
			continue;
		ts_ms d = l->t[LT_SQL] - l->t[LT_MQL];
		for (size_t h = 0; h < NHORIZON; h++)
			k[w][h] += d <= cohort_horizon[h] * MS_PER_WEEK;
	}

	mval *rows = mv_arr();
	for (int w = 0; w < TREND_WEEKS; w++) {
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "week", mv_str(p->week_label[w]));
		mv_set(o, "mqls", mv_int(n[w], MF_COUNT));
		/* its rates rest on fewer MQLs than the low-sample minimum */
		mv_set(o, "low_sample", mv_bool(n[w] > 0 && n[w] < p->low_sample_min));
		for (size_t h = 0; h < NHORIZON; h++) {
			char key[32];
			snprintf(key, sizeof key, "sql_rate_%dw", cohort_horizon[h]);
			/* the cohort week ends at week_start[w + 1]; N calendar weeks later
			 * is week_start[w + 1 + N], known only while it is <= as_of */
			bool mature = w + 1 + cohort_horizon[h] <= TREND_WEEKS;
			funnel_set_rate(o, key, k[w][h], mature ? n[w] : 0);
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
		mv_set(o, "last_week", copy_number(b));
		weekly_set_change(o, summary_kpis[k], a, b);
		weekly_set_sample(o, summary_kpis[k], this_week, p);
	}
	return rows;
}
