/* trend.c — the week-by-week tables of SPEC §6 (trend, cohorts), the
 * engagement table per window and `summary`, the report week beside the
 * week before. It must not compute week boundaries or labels: cmd/ passes
 * them in metrics_params. */
#include "trend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"
#include "names.h"

mval *trend_table(const view *v)
{
	const dataset *ds = v->ds;
	const metrics_params *p = v->p;
	int64_t leads[TREND_WEEKS] = {0}, mqls[TREND_WEEKS] = {0};
	int64_t sqls[TREND_WEEKS] = {0}, wins[TREND_WEEKS] = {0};
	double revenue[TREND_WEEKS] = {0}, spend[TREND_WEEKS] = {0};

	for (size_t i = 0; i < ds->nleads; i++) {
		const lead_view *l = &v->lv[i];
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
		const lead_view *l = &v->lv[i];
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

/* Per event type and window: events, unique leads, unique leads with an MQL. */
typedef struct eng_acc {
	int64_t events, leads, mql_leads;
	uint32_t last_lead; /* the last lead counted, to count each once */
} eng_acc;

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The accumulators of every event type seen, indexed through a dense map
 * from type sym to slot (types are few, syms many). */
typedef struct eng_state {
	uint32_t *slot; /* per sym: its slot, or UINT32_MAX */
	sym *types;	/* per slot */
	eng_acc (*acc)[WIN_COUNT];
	size_t ntypes, cap;
} eng_state;

static eng_acc *eng_slot(eng_state *e, sym type)
{
	if (e->slot[type] == UINT32_MAX) {
		if (e->ntypes == e->cap) {
			e->cap = e->cap ? e->cap * 2 : 32;
			e->types = xrealloc(e->types, e->cap * sizeof *e->types);
			e->acc = xrealloc(e->acc, e->cap * sizeof *e->acc);
		}
		e->types[e->ntypes] = type;
		for (int w = 0; w < WIN_COUNT; w++)
			e->acc[e->ntypes][w] = (eng_acc){.last_lead = NO_LEAD};
		e->slot[type] = (uint32_t)e->ntypes++;
	}
	return e->acc[e->slot[type]];
}

/* The names of the types in name order, and the two ways between a slot
 * and its place in that order. */
typedef struct eng_order {
	sym *names;	   /* by place */
	const char **text; /* by place: the name's text */
	uint32_t *byname;  /* place → slot */
	uint32_t *rank;	   /* slot → place */
	uint64_t *keys;	   /* scratch: one sort key per type */
} eng_order;

/* The types in name order (distinct types have distinct names), so that
 * the windows' sorts compare numbers: by name once rather than per window. */
static void eng_rank(const eng_state *e, const dataset *ds, eng_order *o)
{
	if (e->ntypes)
		memcpy(o->names, e->types, e->ntypes * sizeof *o->names);
	names_sort(ds, o->names, e->ntypes, o->text);
	for (size_t r = 0; r < e->ntypes; r++) {
		o->byname[r] = e->slot[o->names[r]];
		o->rank[o->byname[r]] = (uint32_t)r;
	}
}

/* The first of lead i's events at or after t (its events are in time order). */
static uint32_t first_event_from(const dataset *ds, size_t i, ts_ms t)
{
	uint32_t lo = ds->lead_ev[i], hi = ds->lead_ev[i + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ds->events[mid].at < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void eng_count_lead(eng_state *e, const view *v, size_t i, const ts_ms start[WIN_COUNT])
{
	const dataset *ds = v->ds;
	bool mql = lv_set(&v->lv[i], LT_MQL);
	for (uint32_t k = first_event_from(ds, i, start[WIN_13W]); k < ds->lead_ev[i + 1]; k++) {
		const event *ev = &ds->events[k];
		if (ev->at >= v->as_of)
			break;
		eng_acc *a = eng_slot(e, ds_tag(ds, ev)->type);
		for (int w = 0; w < WIN_COUNT; w++) {
			if (ev->at < start[w])
				continue;
			a[w].events++;
			if (a[w].last_lead != (uint32_t)i) {
				a[w].last_lead = (uint32_t)i;
				a[w].leads++;
				a[w].mql_leads += mql;
			}
		}
	}
}

/* One window's rows: types with events, most events first, then by name.
 * A type's sort key is its events (at most the data set's, which fit in 32
 * bits) turned to sort first when most, then its place by name. */
static mval *eng_rows(const eng_state *e, int w, const eng_order *o)
{
	size_t n = 0;
	for (size_t t = 0; t < e->ntypes; t++) {
		int64_t events = e->acc[t][w].events;
		if (events > 0)
			o->keys[n++] = (uint64_t)(UINT32_MAX - (uint32_t)events) << 32 | o->rank[t];
	}
	if (n)
		qsort(o->keys, n, sizeof *o->keys, key_cmp);
	mval *rows = mv_arr();
	for (size_t k = 0; k < n; k++) {
		uint32_t r = (uint32_t)o->keys[k];
		const eng_acc *a = &e->acc[o->byname[r]][w];
		sym type = o->names[r];
		int kind = ev_kind(type);
		mval *row = mv_push(rows, mv_obj());
		mv_set(row, "type", mv_str(o->text[r]));
		mv_set(row, "events", mv_int(a->events, MF_COUNT));
		mv_set(row, "unique_leads", mv_int(a->leads, MF_COUNT));
		if (kind == EV_CONTENT_DOWNLOAD || kind == EV_PREMIUM_CONTENT_DOWNLOAD)
			funnel_set_rate(row, "mql_rate", a->mql_leads, a->leads);
	}
	return rows;
}

mval *engagement_table(const view *v)
{
	const dataset *ds = v->ds;
	size_t nsyms = pool_count(ds->pool);
	ts_ms start[WIN_COUNT];
	for (int w = 0; w < WIN_COUNT; w++)
		start[w] = funnel_window_start(v->p, w);

	eng_state e = {.slot = xmalloc((nsyms ? nsyms : 1) * sizeof *e.slot)};
	memset(e.slot, 0xff, (nsyms ? nsyms : 1) * sizeof *e.slot);
	for (size_t i = 0; i < ds->nleads; i++)
		if (v->lv[i].exists)
			eng_count_lead(&e, v, i, start);

	mval *out = mv_obj();
	size_t m = e.ntypes ? e.ntypes : 1;
	eng_order o = {xmalloc(m * sizeof *o.names), xmalloc(m * sizeof *o.text),
		       xmalloc(m * sizeof *o.byname), xmalloc(m * sizeof *o.rank),
		       xmalloc(m * sizeof *o.keys)};
	eng_rank(&e, ds, &o);
	for (int w = 0; w < WIN_COUNT; w++)
		mv_set(out, funnel_window_name[w], eng_rows(&e, w, &o));
	free(o.names);
	free(o.text);
	free(o.byname);
	free(o.rank);
	free(o.keys);
	free(e.types);
	free(e.acc);
	free(e.slot);
	return out;
}

/* The headline KPIs of the summary, in order. */
static const char *const summary_kpis[] = {
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
};

static mval *copy_number(const mval *x)
{
	mv_fmt f = mv_fmt_of(x);
	if (mv_kind_of(x) == MV_INT)
		return mv_int(mv_int_of(x), f);
	return mv_num(mv_num_of(x), f); /* null stays null */
}

mval *summary_table(const view *v, const mval *this_week)
{
	const metrics_params *p = v->p;
	mval *last =
	    funnel_window(v, p->week_start[TREND_WEEKS - 2], p->week_start[TREND_WEEKS - 1], 1);
	mval *rows = mv_arr();
	for (size_t k = 0; k < sizeof summary_kpis / sizeof summary_kpis[0]; k++) {
		const mval *a = mv_get(this_week, summary_kpis[k]);
		const mval *b = mv_get(last, summary_kpis[k]);
		double x = mv_num_of(a), y = mv_num_of(b);
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "kpi", mv_str(summary_kpis[k]));
		mv_set(o, "this_week", copy_number(a));
		mv_set(o, "last_week", copy_number(b));
		bool ok = !isnan(x) && !isnan(y) && y != 0;
		mv_set(o, "change", mv_num_or_null(ok, ok ? x / y - 1 : 0, MF_CHANGE));
	}
	mv_free(last);
	return rows;
}
