/* breakdown.c — the per-channel and per-campaign tables of SPEC §6
 * Breakdowns, for every window: counts and rates by the lead's own channel
 * and campaign, spend by the spend row's, revenue by the touchpoints'. It
 * must not do I/O or format numbers for a renderer: it returns mval trees. */
#include "breakdown.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "funnel.h"
#include "names.h"
#include "tally.h"

/* One row's sums for one window. */
typedef struct brow {
	int64_t leads, mqls, sqls, wins;
	int64_t c_sql, c_won, c_closed; /* over the row's MQL cohort */
	int64_t spend_rows;
	double spend;
	double rev[ATTR_COUNT];
} brow;

/* Rows keyed by a sym, mapped densely on first sight. */
typedef struct btab {
	uint32_t *slot; /* sym → row; UINT32_MAX when unseen */
	sym *key;	/* row → sym */
	brow (*row)[WIN_COUNT];
	size_t len, cap;
	const char *key_name; /* "channel" or "campaign" */
} btab;

static void btab_init(btab *t, size_t nsyms, const char *key_name)
{
	*t = (btab){.key_name = key_name};
	t->slot = xmalloc((nsyms ? nsyms : 1) * sizeof *t->slot);
	memset(t->slot, 0xff, (nsyms ? nsyms : 1) * sizeof *t->slot);
}

static brow *btab_row(btab *t, sym s)
{
	if (t->slot[s] == UINT32_MAX) {
		if (t->len == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 16;
			t->key = xrealloc(t->key, cap * sizeof *t->key);
			t->row = xrealloc(t->row, cap * sizeof *t->row);
			t->cap = cap;
		}
		t->key[t->len] = s;
		memset(t->row[t->len], 0, sizeof t->row[t->len]);
		t->slot[s] = (uint32_t)t->len++;
	}
	return t->row[t->slot[s]];
}

static void btab_free(btab *t)
{
	free(t->slot);
	free(t->key);
	free(t->row);
}

static bool row_exists(const brow *r)
{
	if (r->leads || r->mqls || r->sqls || r->wins || r->spend_rows)
		return true;
	for (int m = 0; m < ATTR_COUNT; m++)
		if (r->rev[m] != 0)
			return true;
	return false;
}

static mval *row_value(const view *v, const btab *t, sym key, const brow *r)
{
	const metrics_params *p = v->p;
	mval *o = mv_obj();
	mv_set(o, t->key_name, mv_str(ds_str(v->ds, key)));
	mv_set(o, "leads", mv_int(r->leads, MF_COUNT));
	mv_set(o, "mqls", mv_int(r->mqls, MF_COUNT));
	mv_set(o, "sqls", mv_int(r->sqls, MF_COUNT));
	mv_set(o, "wins", mv_int(r->wins, MF_COUNT));
	double revenue = funnel_money(r->rev[p->attribution]);
	double spend = funnel_money(r->spend);
	mv_set(o, "revenue", mv_num(revenue, MF_MONEY));
	mv_set(o, "spend", mv_num(spend, MF_MONEY));
	funnel_set_ratio(o, "cost_per_lead", spend, (double)r->leads, MF_MONEY);
	funnel_set_ratio(o, "cost_per_mql", spend, (double)r->mqls, MF_MONEY);
	funnel_set_rate(o, "mql_to_sql_rate", r->c_sql, r->mqls);
	funnel_set_rate(o, "close_rate", r->c_won, r->c_closed);
	/* the closed deals the close rate rests on: fewer than its MQLs */
	mv_set(o, "close_rate_n", mv_int(r->c_closed, MF_COUNT));
	funnel_set_ratio(o, "roi", revenue - spend, spend, MF_RATIO);
	for (int m = 0; m < ATTR_COUNT; m++) {
		char key_buf[48];
		snprintf(key_buf, sizeof key_buf, "revenue_%s", attr_model_name[m]);
		mv_set(o, key_buf, mv_num(funnel_money(r->rev[m]), MF_MONEY));
	}
	mv_set(o, "low_sample", mv_bool(r->mqls < p->low_sample_min));
	return o;
}

static mval *btab_value(const view *v, btab *t)
{
	sym *order = xmalloc((t->len ? t->len : 1) * sizeof *order);
	if (t->len)
		memcpy(order, t->key, t->len * sizeof *order);
	names_sort(v->ds, order, t->len, NULL);
	mval *out = mv_obj();
	for (int w = 0; w < WIN_COUNT; w++) {
		mval *rows = mv_set(out, funnel_window_name[w], mv_arr());
		for (size_t k = 0; k < t->len; k++) {
			const brow *r = &t->row[t->slot[order[k]]][w];
			if (row_exists(r))
				mv_push(rows, row_value(v, t, order[k], r));
		}
	}
	free(order);
	return out;
}

/* Add lead i's counts to its row, for every window holding each moment. */
static void add_lead(const view *v, const ts_ms start[WIN_COUNT], size_t i, brow *r)
{
	lead_view l_at = lv_get(v, i);
	const lead_view *l = &l_at;
	for (int w = 0; w < WIN_COUNT; w++) {
		ts_ms s = start[w];
		brow *x = &r[w];
		x->leads += l->t[LT_CREATED] >= s;
		x->sqls += l->t[LT_SQL] != TS_NONE && l->t[LT_SQL] >= s;
		x->wins += l->t[LT_WON] != TS_NONE && l->t[LT_WON] >= s;
		if (l->t[LT_MQL] != TS_NONE && l->t[LT_MQL] >= s) {
			bool won = lv_set(l, LT_WON);
			x->mqls++;
			x->c_sql += lv_set(l, LT_SQL);
			x->c_won += won;
			x->c_closed += won || lv_set(l, LT_LOST);
		}
	}
}

/* The leads counted instead of kept (tally.h): created, nothing else. */
static void add_tally(const view *v, const ts_ms start[WIN_COUNT], btab *ch, btab *ca)
{
	const lead_tally *t = v->p->tally;
	for (size_t k = 0; t && k < t->ncells; k++) {
		const tally_cell *c = &t->cells[k];
		brow *rc = btab_row(ch, c->channel), *rk = btab_row(ca, c->campaign);
		for (int wk = 0; wk < TREND_WEEKS; wk++)
			for (int w = 0; w < WIN_COUNT; w++)
				if (v->p->week_start[wk] >= start[w]) {
					rc[w].leads += c->n[wk];
					rk[w].leads += c->n[wk];
				}
	}
}

void breakdown_tables(const view *v, mval **by_channel, mval **by_campaign)
{
	const dataset *ds = v->ds;
	size_t nsyms = pool_count(ds->pool);
	ts_ms start[WIN_COUNT];
	for (int w = 0; w < WIN_COUNT; w++)
		start[w] = funnel_window_start(v->p, w);
	ts_ms widest = start[WIN_13W];
	btab ch, ca;
	btab_init(&ch, nsyms, "channel");
	btab_init(&ca, nsyms, "campaign");

	/* Every window ends at as_of and the view has dropped what is later,
	 * so a moment is in window w when it is set and >= start[w]. */
	for (size_t i = 0; i < ds->nleads; i++) {
		lead_view l_at = lv_get(v, i);
		const lead_view *l = &l_at;
		if (!l->exists)
			continue;
		bool touches = l->t[LT_CREATED] >= widest ||
			       (l->t[LT_MQL] != TS_NONE && l->t[LT_MQL] >= widest) ||
			       (l->t[LT_SQL] != TS_NONE && l->t[LT_SQL] >= widest) ||
			       (l->t[LT_WON] != TS_NONE && l->t[LT_WON] >= widest);
		if (!touches)
			continue;
		add_lead(v, start, i, btab_row(&ch, ds->leads[i].channel));
		add_lead(v, start, i, btab_row(&ca, ds->leads[i].campaign));
	}
	add_tally(v, start, &ch, &ca);

	for (size_t k = 0; k < ds->nspend; k++) {
		const spend_row *s = &ds->spend[k];
		if (s->day < widest || s->day >= v->as_of)
			continue;
		brow *rc = btab_row(&ch, s->channel), *rk = btab_row(&ca, s->campaign);
		for (int w = 0; w < WIN_COUNT; w++) {
			if (s->day < start[w])
				continue;
			rc[w].spend += s->amount;
			rc[w].spend_rows++;
			rk[w].spend += s->amount;
			rk[w].spend_rows++;
		}
	}

	win_list wins = {0};
	funnel_wins(v, widest, v->as_of, &wins);
	attr_buf buf = {0};
	for (size_t k = 0; k < wins.len; k++) {
		const win *wn = &wins.items[k];
		double amount = isnan(wn->amount) ? 0 : wn->amount;
		attr_credit(v, wn, &buf);
		for (size_t j = 0; j < buf.len; j++) {
			const attr_touch *t = &buf.t[j];
			brow *rc = btab_row(&ch, t->channel), *rk = btab_row(&ca, t->campaign);
			for (int w = 0; w < WIN_COUNT; w++) {
				if (wn->won < start[w])
					continue;
				for (int m = 0; m < ATTR_COUNT; m++) {
					rc[w].rev[m] += amount * t->share[m];
					rk[w].rev[m] += amount * t->share[m];
				}
			}
		}
	}
	attr_buf_free(&buf);
	free(wins.items);

	*by_channel = btab_value(v, &ch);
	*by_campaign = btab_value(v, &ca);
	btab_free(&ch);
	btab_free(&ca);
}
