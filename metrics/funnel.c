/* funnel.c — the window metrics of SPEC §6 (flow counts, cost,
 * conversion, time, deals, speed to lead) and the helpers every table
 * shares: Wilson-interval rates, ratios that are null on a zero
 * denominator, the list of wins. It must not do I/O nor read a lead except
 * through the view. */
#include "funnel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esum.h"
#include "spill.h"
#include "stats.h"

#define FOLLOW_UP_SPAN (14 * MS_PER_DAY)
#define FOLLOW_UP_MIN  5

const char *const funnel_window_name[WIN_COUNT] = {"1w", "4w", "13w"};
const int funnel_window_weeks[WIN_COUNT] = {1, 4, 13};

ts_ms funnel_window_start(const metrics_params *p, int w)
{
	return p->week_start[TREND_WEEKS - funnel_window_weeks[w]];
}

static inline bool in_window(ts_ms t, ts_ms start, ts_ms end)
{
	return t != TS_NONE && t >= start && t < end;
}

void funnel_set_rate(mval *obj, const char *key, int64_t k, int64_t n)
{
	double lo, hi;
	bool ok = stats_wilson(k, n, &lo, &hi);
	char buf[128];
	mv_set(obj, key, mv_num_or_null(ok, ok ? (double)k / (double)n : 0, MF_RATE));
	snprintf(buf, sizeof buf, "%s_ci_low", key);
	mv_set(obj, buf, mv_num_or_null(ok, lo, MF_RATE));
	snprintf(buf, sizeof buf, "%s_ci_high", key);
	mv_set(obj, buf, mv_num_or_null(ok, hi, MF_RATE));
}

double funnel_money(double x)
{
	if (!isfinite(x) || fabs(x) >= 1e9)
		return x;
	return round(x * 1e6) / 1e6;
}

void funnel_set_ratio(mval *obj, const char *key, double num, double den, mv_fmt f)
{
	bool ok = den != 0 && !isnan(num) && !isnan(den);
	mv_set(obj, key, mv_num_or_null(ok, ok ? num / den : 0, f));
}

int funnel_week_of(const metrics_params *p, ts_ms t)
{
	if (t == TS_NONE || t < p->week_start[0] || t >= p->week_start[TREND_WEEKS])
		return -1;
	int lo = 0, hi = TREND_WEEKS - 1; /* the last start <= t */
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (p->week_start[mid] <= t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void funnel_wins(const view *v, ts_ms start, ts_ms end, win_list *out)
{
	const dataset *ds = v->ds;
	if (ds->has_opportunities) {
		for (size_t k = 0; k < ds->nopps; k++) {
			const opportunity *o = &ds->opps[k];
			/* the window first: its lead is looked up (a cache miss in
			 * a large data set) only for the deals closed in it */
			if (v->opp_state[k] != OPP_WON || o->lead == NO_LEAD ||
			    !in_window(o->closed, start, end) || !lv_exists(v, o->lead))
				continue;
			VEC_RESERVE(out->items, out->cap, out->len + 1);
			out->items[out->len++] = (win){.lead = o->lead,
						       .won = o->closed,
						       .opp_at = o->created,
						       .amount = o->amount};
		}
		return;
	}
	for (size_t i = 0; i < ds->nleads; i++) {
		lead_view l_at = lv_get(v, i);
		const lead_view *l = &l_at;
		if (!l->exists || !in_window(l->t[LT_WON], start, end))
			continue;
		VEC_RESERVE(out->items, out->cap, out->len + 1);
		out->items[out->len++] = (win){.lead = (uint32_t)i,
					       .won = l->t[LT_WON],
					       .opp_at = l->t[LT_OPPORTUNITY],
					       .amount = l->amount};
	}
}

double funnel_spend(const view *v, ts_ms start, ts_ms end)
{
	double s = 0;
	for (size_t k = 0; k < v->ds->nspend; k++) {
		const spend_row *r = &v->ds->spend[k];
		if (in_window(r->day, start, end) && r->day < v->as_of)
			s += r->amount;
	}
	return s;
}

/* A growable array of doubles (one per window, not per lead). */
typedef struct dvec {
	double *x;
	size_t len, cap;
} dvec;

static void dpush(dvec *d, double x)
{
	VEC_RESERVE(d->x, d->cap, d->len + 1);
	d->x[d->len++] = x;
}

static void dappend(dvec *d, const dvec *from)
{
	if (!from->len)
		return;
	VEC_RESERVE(d->x, d->cap, d->len + from->len);
	memcpy(d->x + d->len, from->x, from->len * sizeof *d->x);
	d->len += from->len;
}

/* What one pass over the MQL cohort C(W) gathers. */
typedef struct cohort_acc {
	int64_t n, sql, accepted, reviewed, won, closed;
	int64_t contacted, within_5m, within_24h, fu_eligible, fu_5plus;
	dvec to_mql, to_sql, to_win, speed; /* days, days, days, minutes */
	km_obs *km;
	size_t km_len, km_cap;
} cohort_acc;

/* Speed to lead and follow-up of one MQL (SPEC §6 Speed to lead). */
static void speed_to_lead(const view *v, size_t i, const lead_view *l, cohort_acc *c)
{
	const dataset *ds = v->ds;
	ts_ms mql = l->t[LT_MQL];
	ts_ms first = TS_NONE;
	if (l->t[LT_FIRST_CONTACT] != TS_NONE && l->t[LT_FIRST_CONTACT] >= mql)
		first = l->t[LT_FIRST_CONTACT];
	bool fu_eligible = mql + FOLLOW_UP_SPAN <= v->as_of;
	int64_t touches = 0;
	for (uint32_t e = ds->lead_ev[i]; e < ds->lead_ev[i + 1]; e++) {
		const event *ev = &ds->events[e];
		ts_ms at = ev_at(ds, ev);
		if (at >= v->as_of)
			break; /* time order: nothing later has happened */
		if (ev_kind_of(ev) != EV_SALES_TOUCH || at < mql)
			continue;
		if (first == TS_NONE || at < first)
			first = at;
		if (at <= mql + FOLLOW_UP_SPAN)
			touches++;
	}
	if (first != TS_NONE) {
		ts_ms d = first - mql;
		c->contacted++;
		c->within_5m += d <= 300 * 1000LL;
		c->within_24h += d <= MS_PER_DAY;
		dpush(&c->speed, (double)d / 60000.0);
	}
	if (fu_eligible) {
		c->fu_eligible++;
		c->fu_5plus += touches >= FOLLOW_UP_MIN;
	}
}

static void cohort_add(const view *v, size_t i, const lead_view *l, cohort_acc *c)
{
	ts_ms mql = l->t[LT_MQL];
	c->n++;
	bool sql = lv_set(l, LT_SQL), acc = lv_set(l, LT_ACCEPTED), rej = lv_set(l, LT_REJECTED);
	bool won = lv_set(l, LT_WON), lost = lv_set(l, LT_LOST);
	c->sql += sql;
	c->accepted += acc;
	c->reviewed += acc || rej;
	c->won += won;
	c->closed += won || lost;

	ts_ms d = mql - l->t[LT_CREATED];
	if (d >= 0)
		dpush(&c->to_mql, (double)d / MS_PER_DAY);
	if (sql) {
		d = l->t[LT_SQL] - mql;
		if (d >= 0) {
			dpush(&c->to_sql, (double)d / MS_PER_DAY);
			VEC_RESERVE(c->km, c->km_cap, c->km_len + 1);
			c->km[c->km_len++] = (km_obs){(double)d / MS_PER_DAY, true};
		}
	} else {
		VEC_RESERVE(c->km, c->km_cap, c->km_len + 1);
		c->km[c->km_len++] = (km_obs){(double)(v->as_of - mql) / MS_PER_DAY, false};
	}
	if (won) {
		d = l->t[LT_WON] - mql;
		if (d >= 0)
			dpush(&c->to_win, (double)d / MS_PER_DAY);
	}
	speed_to_lead(v, i, l, c);
}

/* Everything one window's row is made of. */
typedef struct window_acc {
	int64_t leads, lead_mql, sqls, wins;
	int64_t won_deals;   /* the window's won deals, with an amount or without */
	int64_t sqls_no_mql; /* the window's SQLs whose lead has no mql_at */
	cohort_acc c;	     /* the MQL cohort C(W) */
	esum revenue;	     /* of the window's wins, in any order */
	double spend;
	dvec deals; /* the amounts of the window's wins */
} window_acc;

/* The lists of a window, by their place in window_list(). */
enum { FL_TO_MQL, FL_TO_SQL, FL_TO_WIN, FL_SPEED, FL_KM, FL_DEALS, FL_COUNT };

/* A list's values in a spill: runs of them, in the order they were added. */
typedef struct spilled_run {
	uint64_t off;
	size_t n;
} spilled_run;
typedef struct spilled_list {
	spilled_run *runs;
	size_t n, cap;
} spilled_list;

struct funnel_acc {
	size_t n;
	ts_ms *start, *end;
	window_acc *a;
	spill *lists;			/* funnel_acc_spill()'s; NULL: every list in memory */
	spilled_list (*kept)[FL_COUNT]; /* per window, its lists' runs in `lists` */
};

/* Where list k of a lives: its array, length and capacity, and the size of a value. */
typedef struct list_at {
	void **x;
	size_t *len, *cap;
	size_t size;
} list_at;

/* A list of doubles, as list_at names it. */
static list_at dvec_at(dvec *v)
{
	return (list_at){(void **)&v->x, &v->len, &v->cap, sizeof(double)};
}

static list_at window_list(window_acc *a, int k)
{
	cohort_acc *c = &a->c;
	switch (k) {
	case FL_TO_MQL:
		return dvec_at(&c->to_mql);
	case FL_TO_SQL:
		return dvec_at(&c->to_sql);
	case FL_TO_WIN:
		return dvec_at(&c->to_win);
	case FL_SPEED:
		return dvec_at(&c->speed);
	case FL_KM:
		return (list_at){(void **)&c->km, &c->km_len, &c->km_cap, sizeof(km_obs)};
	default:
		return dvec_at(&a->deals);
	}
}

/* Lead i (l, which exists) in the window [start, end). */
static void window_add(const view *v, size_t i, const lead_view *l, ts_ms start, ts_ms end,
		       window_acc *a)
{
	if (in_window(l->t[LT_CREATED], start, end)) {
		a->leads++;
		a->lead_mql += lv_set(l, LT_MQL);
	}
	bool sql = in_window(l->t[LT_SQL], start, end);
	a->sqls += sql;
	a->sqls_no_mql += sql && !lv_set(l, LT_MQL);
	a->wins += in_window(l->t[LT_WON], start, end);
	if (in_window(l->t[LT_MQL], start, end))
		cohort_add(v, i, l, &a->c);
}

/* The wins of v in the window: how many deals, their revenue and deal sizes. */
static void window_add_wins(const view *v, ts_ms start, ts_ms end, window_acc *a)
{
	win_list wl = {0};
	funnel_wins(v, start, end, &wl);
	a->won_deals += (int64_t)wl.len;
	for (size_t k = 0; k < wl.len; k++) {
		if (isnan(wl.items[k].amount))
			continue;
		esum_add(&a->revenue, wl.items[k].amount);
		dpush(&a->deals, wl.items[k].amount);
	}
	free(wl.items);
}

funnel_acc *funnel_acc_new(size_t n, const ts_ms *start, const ts_ms *end)
{
	funnel_acc *f = xcalloc(1, sizeof *f);
	f->n = n;
	f->start = xmalloc((n ? n : 1) * sizeof *f->start);
	f->end = xmalloc((n ? n : 1) * sizeof *f->end);
	if (n) {
		memcpy(f->start, start, n * sizeof *start);
		memcpy(f->end, end, n * sizeof *end);
	}
	f->a = xcalloc(n ? n : 1, sizeof *f->a);
	return f;
}

/* Every window's sums and lists take the leads of v in one pass; none
 * depends on the order in which leads, or data sets, come. */
void funnel_acc_add(funnel_acc *f, const view *v)
{
	const dataset *ds = v->ds;
	/* the span of every window: a lead with none of the moments a window
	 * counts inside it adds to none (most leads, with 13 weeks of years) */
	ts_ms lo = f->n ? f->start[0] : 0, hi = f->n ? f->end[0] : 0;
	for (size_t w = 1; w < f->n; w++) {
		lo = f->start[w] < lo ? f->start[w] : lo;
		hi = f->end[w] > hi ? f->end[w] : hi;
	}
	for (size_t i = 0; i < ds->nleads; i++) {
		lead_view l = lv_get(v, i);
		if (!l.exists ||
		    !(in_window(l.t[LT_CREATED], lo, hi) || in_window(l.t[LT_MQL], lo, hi) ||
		      in_window(l.t[LT_SQL], lo, hi) || in_window(l.t[LT_WON], lo, hi)))
			continue;
		for (size_t w = 0; w < f->n; w++)
			window_add(v, i, &l, f->start[w], f->end[w], &f->a[w]);
	}
	for (size_t w = 0; w < f->n; w++)
		window_add_wins(v, f->start[w], f->end[w], &f->a[w]);
}

static void window_acc_clear(window_acc *a)
{
	free(a->c.to_mql.x);
	free(a->c.to_sql.x);
	free(a->c.to_win.x);
	free(a->c.speed.x);
	free(a->c.km);
	free(a->deals.x);
	esum_free(&a->revenue);
}

/* Add the window `in` to `out`, a window of which it is a part that no
 * other part added overlaps: counts add, lists join, sums add exactly. */
static void window_merge(window_acc *out, const window_acc *in)
{
	out->leads += in->leads;
	out->lead_mql += in->lead_mql;
	out->sqls += in->sqls;
	out->wins += in->wins;
	out->won_deals += in->won_deals;
	out->sqls_no_mql += in->sqls_no_mql;
	cohort_acc *c = &out->c;
	const cohort_acc *d = &in->c;
	c->n += d->n;
	c->sql += d->sql;
	c->accepted += d->accepted;
	c->reviewed += d->reviewed;
	c->won += d->won;
	c->closed += d->closed;
	c->contacted += d->contacted;
	c->within_5m += d->within_5m;
	c->within_24h += d->within_24h;
	c->fu_eligible += d->fu_eligible;
	c->fu_5plus += d->fu_5plus;
	dappend(&c->to_mql, &d->to_mql);
	dappend(&c->to_sql, &d->to_sql);
	dappend(&c->to_win, &d->to_win);
	dappend(&c->speed, &d->speed);
	if (d->km_len) {
		VEC_RESERVE(c->km, c->km_cap, c->km_len + d->km_len);
		memcpy(c->km + c->km_len, d->km, d->km_len * sizeof *c->km);
		c->km_len += d->km_len;
	}
	esum_add_sum(&out->revenue, &in->revenue);
	dappend(&out->deals, &in->deals);
}

void funnel_acc_spill(funnel_acc *f)
{
	if (!f->lists) {
		f->lists = spill_new();
		f->kept = xcalloc(f->n ? f->n : 1, sizeof *f->kept);
	}
	for (size_t w = 0; w < f->n; w++)
		for (int k = 0; k < FL_COUNT; k++) {
			list_at l = window_list(&f->a[w], k);
			if (*l.len) {
				spilled_list *s = &f->kept[w][k];
				VEC_RESERVE(s->runs, s->cap, s->n + 1);
				s->runs[s->n++] = (spilled_run){
				    .off = spill_put(f->lists, *l.x, *l.len * l.size), .n = *l.len};
			}
			free(*l.x);
			*l.x = NULL;
			*l.len = *l.cap = 0;
		}
	spill_flush(f->lists);
}

/* Window w's spilled lists appended to into's. */
static void lists_load(const funnel_acc *f, size_t w, window_acc *into)
{
	if (!f->lists)
		return;
	for (int k = 0; k < FL_COUNT; k++) {
		list_at l = window_list(into, k);
		const spilled_list *s = &f->kept[w][k];
		for (size_t r = 0; r < s->n; r++) {
			size_t n = s->runs[r].n;
			grow_array(l.x, l.cap, *l.len + n, l.size);
			spill_get(f->lists, s->runs[r].off, (char *)*l.x + *l.len * l.size,
				  n * l.size);
			*l.len += n;
		}
	}
}

void funnel_acc_free(funnel_acc *f)
{
	if (!f)
		return;
	if (f->kept) {
		for (size_t w = 0; w < f->n; w++)
			for (int k = 0; k < FL_COUNT; k++)
				free(f->kept[w][k].runs);
		free(f->kept);
	}
	spill_unref(f->lists);
	for (size_t w = 0; w < f->n; w++)
		window_acc_clear(&f->a[w]);
	free(f->a);
	free(f->start);
	free(f->end);
	free(f);
}

/* How many cases the statistic `key` is computed from (its rate's
 * denominator, or the values behind its median or mean): `<key>_n`, so
 * that the outputs can flag a figure that rests on few of them. */
static void set_n(mval *o, const char *key, int64_t n)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s_n", key);
	mv_set(o, buf, mv_int(n, MF_COUNT));
}

static void set_flow_and_cost(mval *o, const window_acc *a, int weeks)
{
	int64_t mqls = a->c.n;
	mv_set(o, "leads", mv_int(a->leads, MF_COUNT));
	mv_set(o, "mqls", mv_int(mqls, MF_COUNT));
	mv_set(o, "sqls", mv_int(a->sqls, MF_COUNT));
	mv_set(o, "wins", mv_int(a->wins, MF_COUNT));
	/* every deal revenue books, an upsell and a deal without an amount too */
	mv_set(o, "won_deals", mv_int(a->won_deals, MF_COUNT));
	double revenue = funnel_money(esum_value(&a->revenue));
	mv_set(o, "revenue", mv_num(revenue, MF_MONEY));
	mv_set(o, "spend", mv_num(a->spend, MF_MONEY));
	funnel_set_ratio(o, "mqls_per_week", (double)mqls, weeks, MF_COUNT);
	funnel_set_ratio(o, "cost_per_lead", a->spend, (double)a->leads, MF_MONEY);
	funnel_set_ratio(o, "cost_per_mql", a->spend, (double)mqls, MF_MONEY);
	funnel_set_ratio(o, "cac", a->spend, (double)a->wins, MF_MONEY);
	funnel_set_ratio(o, "roi", revenue - a->spend, a->spend, MF_RATIO);
	/* both move by whole deals: a win more or less is a third of three;
	 * revenue, and so ROI, by each won deal, a customer's further ones too */
	set_n(o, "cac", a->wins);
	set_n(o, "roi", a->won_deals);
}

static void set_conversion_and_time(mval *o, const window_acc *a)
{
	const cohort_acc *c = &a->c;
	funnel_set_rate(o, "lead_to_mql_rate", a->lead_mql, a->leads);
	set_n(o, "lead_to_mql_rate", a->leads);
	funnel_set_rate(o, "mql_to_sql_rate", c->sql, c->n);
	set_n(o, "mql_to_sql_rate", c->n);
	funnel_set_rate(o, "sales_acceptance_rate", c->accepted, c->reviewed);
	set_n(o, "sales_acceptance_rate", c->reviewed);
	funnel_set_rate(o, "sql_without_mql_rate", a->sqls_no_mql, a->sqls);
	set_n(o, "sql_without_mql_rate", a->sqls);
	mv_set(o, "sales_pending", mv_int(c->n - c->reviewed, MF_COUNT));
	funnel_set_rate(o, "close_rate", c->won, c->closed);
	set_n(o, "close_rate", c->closed);
	funnel_set_rate(o, "mql_to_win_rate", c->won, c->n);
	set_n(o, "mql_to_win_rate", c->n);
	mv_set(o, "time_to_mql_days_median",
	       mv_num(stats_quantile(c->to_mql.x, c->to_mql.len, 0.5), MF_DAYS));
	set_n(o, "time_to_mql_days_median", (int64_t)c->to_mql.len);
	mv_set(o, "time_to_sql_days_median",
	       mv_num(stats_quantile(c->to_sql.x, c->to_sql.len, 0.5), MF_DAYS));
	set_n(o, "time_to_sql_days_median", (int64_t)c->to_sql.len);
	mv_set(o, "time_to_sql_days_p90",
	       mv_num(stats_quantile(c->to_sql.x, c->to_sql.len, 0.9), MF_DAYS));
	set_n(o, "time_to_sql_days_p90", (int64_t)c->to_sql.len);
	mv_set(o, "time_to_sql_days_km_median", mv_num(stats_km_median(c->km, c->km_len), MF_DAYS));
	set_n(o, "time_to_sql_days_km_median", (int64_t)c->km_len);
	mv_set(o, "time_to_win_days_median",
	       mv_num(stats_quantile(c->to_win.x, c->to_win.len, 0.5), MF_DAYS));
	set_n(o, "time_to_win_days_median", (int64_t)c->to_win.len);
}

static void set_deals_and_speed(mval *o, const window_acc *a, const metrics_params *p)
{
	const cohort_acc *c = &a->c;
	double mean = stats_mean(a->deals.x, a->deals.len);
	mv_set(o, "deal_size_mean", mv_num(mean, MF_MONEY));
	set_n(o, "deal_size_mean", (int64_t)a->deals.len);
	mv_set(o, "deal_size_median",
	       mv_num(stats_quantile(a->deals.x, a->deals.len, 0.5), MF_MONEY));
	set_n(o, "deal_size_median", (int64_t)a->deals.len);
	double clv = mean * p->gross_margin * p->expected_lifetime_years;
	mv_set(o, "clv", mv_num(clv, MF_MONEY));
	double cac = a->wins ? a->spend / (double)a->wins : NAN;
	funnel_set_ratio(o, "clv_to_cac", clv, cac, MF_RATIO);
	mv_set(o, "speed_to_lead_minutes_median",
	       mv_num(stats_quantile(c->speed.x, c->speed.len, 0.5), MF_MINUTES));
	set_n(o, "speed_to_lead_minutes_median", (int64_t)c->speed.len);
	funnel_set_rate(o, "contacted_within_5m_rate", c->within_5m, c->n);
	set_n(o, "contacted_within_5m_rate", c->n);
	funnel_set_rate(o, "contacted_within_24h_rate", c->within_24h, c->n);
	set_n(o, "contacted_within_24h_rate", c->n);
	mv_set(o, "uncontacted", mv_int(c->n - c->contacted, MF_COUNT));
	funnel_set_rate(o, "follow_up_5plus_rate", c->fu_5plus, c->fu_eligible);
	set_n(o, "follow_up_5plus_rate", c->fu_eligible);
}

/* Window a's object, [start, end) and `weeks` long, with the spend. */
static mval *window_value(window_acc *a, const view *v, ts_ms start, ts_ms end, int weeks)
{
	/* the spend, beside the leads */
	a->spend = funnel_money(funnel_spend(v, start, end));
	mval *o = mv_obj();
	set_flow_and_cost(o, a, weeks);
	set_conversion_and_time(o, a);
	set_deals_and_speed(o, a, v->p);
	return o;
}

void funnel_acc_tables(funnel_acc *f, const view *v, const int *weeks, mval **out)
{
	for (size_t w = 0; w < f->n; w++) {
		if (!f->lists) {
			out[w] = window_value(&f->a[w], v, f->start[w], f->end[w], weeks[w]);
			continue;
		}
		/* its lists back from the spill for the time of its table */
		window_acc one = {0};
		window_merge(&one, &f->a[w]);
		lists_load(f, w, &one);
		out[w] = window_value(&one, v, f->start[w], f->end[w], weeks[w]);
		window_acc_clear(&one);
	}
}

mval *funnel_acc_union(const funnel_acc *f, size_t from, size_t to, const view *v, int weeks)
{
	window_acc u = {0};
	for (size_t w = from; w < to; w++) {
		window_merge(&u, &f->a[w]);
		lists_load(f, w, &u);
	}
	mval *o = window_value(&u, v, f->start[from], f->end[to - 1], weeks);
	window_acc_clear(&u);
	return o;
}

void funnel_windows(const view *v, size_t n, const ts_ms *start, const ts_ms *end, const int *weeks,
		    mval **out)
{
	funnel_acc *f = funnel_acc_new(n, start, end);
	funnel_acc_add(f, v);
	funnel_acc_tables(f, v, weeks, out);
	funnel_acc_free(f);
}

mval *funnel_window(const view *v, ts_ms start, ts_ms end, int weeks)
{
	mval *o;
	funnel_windows(v, 1, &start, &end, &weeks, &o);
	return o;
}
