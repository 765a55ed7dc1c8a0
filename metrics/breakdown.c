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
#include "esum.h"
#include "funnel.h"
#include "names.h"

/* One row's counts for one window. */
typedef struct brow {
	int64_t leads, mqls, sqls, wins;
	int64_t c_sql, c_won, c_closed; /* over the row's MQL cohort */
	int64_t spend_rows;
	double spend;
} brow;

/* Rows keyed by a sym of the data set that names them, mapped densely on
 * first sight. */
typedef struct btab {
	uint32_t *slot; /* sym → row; UINT32_MAX when unseen */
	size_t nslot;
	sym *key; /* row → sym */
	brow (*row)[WIN_COUNT];
	/* per row, the revenue credited to it per model by the wins of each
	 * band ([b * ATTR_COUNT + m]; band b: the wins of window b that no
	 * narrower window holds), NULL until a touchpoint of a win has it */
	esum **rev;
	size_t len, cap;
	const char *key_name; /* "channel" or "campaign" */
} btab;

struct bd_acc {
	btab ch, ca;
};

/* The row of s, added when new. */
static size_t btab_at(btab *t, sym s)
{
	if (s >= t->nslot) {
		size_t had = t->nslot;
		VEC_RESERVE(t->slot, t->nslot, (size_t)s + 1);
		memset(t->slot + had, 0xff, (t->nslot - had) * sizeof *t->slot);
	}
	if (t->slot[s] == UINT32_MAX) {
		if (t->len == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 16;
			t->key = xrealloc(t->key, cap * sizeof *t->key);
			t->row = xrealloc(t->row, cap * sizeof *t->row);
			t->rev = xrealloc(t->rev, cap * sizeof *t->rev);
			t->cap = cap;
		}
		t->key[t->len] = s;
		memset(t->row[t->len], 0, sizeof t->row[t->len]);
		t->rev[t->len] = NULL;
		t->slot[s] = (uint32_t)t->len++;
	}
	return t->slot[s];
}

static brow *btab_row(btab *t, sym s)
{
	size_t k = btab_at(t, s); /* first: it may move the rows */
	return t->row[k];
}

static esum *btab_rev(btab *t, sym s)
{
	size_t k = btab_at(t, s);
	if (!t->rev[k])
		t->rev[k] = xcalloc(WIN_COUNT * ATTR_COUNT, sizeof *t->rev[k]);
	return t->rev[k];
}

static void btab_free(btab *t)
{
	for (size_t k = 0; k < t->len; k++) {
		for (int j = 0; t->rev[k] && j < WIN_COUNT * ATTR_COUNT; j++)
			esum_free(&t->rev[k][j]);
		free(t->rev[k]);
	}
	free(t->slot);
	free(t->key);
	free(t->row);
	free(t->rev);
}

/* The revenue of window w's row under each model (0 when none): the
 * bands of w and of the narrower windows, added exactly. */
static void row_revenue(const esum *rev, int w, double out[ATTR_COUNT])
{
	_Static_assert(WIN_1W == 0 && WIN_4W == 1 && WIN_13W == 2, "windows from the narrowest");
	for (int m = 0; m < ATTR_COUNT; m++) {
		esum s = {0};
		for (int b = 0; rev && b <= w; b++)
			esum_add_sum(&s, &rev[b * ATTR_COUNT + m]);
		out[m] = esum_value(&s);
		esum_free(&s);
	}
}

static bool row_exists(const brow *r, const double rev[ATTR_COUNT])
{
	if (r->leads || r->mqls || r->sqls || r->wins || r->spend_rows)
		return true;
	for (int m = 0; m < ATTR_COUNT; m++)
		if (rev[m] != 0)
			return true;
	return false;
}

static mval *row_value(const view *v, const btab *t, sym key, const brow *r,
		       const double rev[ATTR_COUNT])
{
	const metrics_params *p = v->p;
	mval *o = mv_obj();
	mv_set(o, t->key_name, mv_str(ds_str(v->ds, key)));
	mv_set(o, "leads", mv_int(r->leads, MF_COUNT));
	mv_set(o, "mqls", mv_int(r->mqls, MF_COUNT));
	mv_set(o, "sqls", mv_int(r->sqls, MF_COUNT));
	mv_set(o, "wins", mv_int(r->wins, MF_COUNT));
	double revenue = funnel_money(rev[p->attribution]);
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
		mv_set(o, key_buf, mv_num(funnel_money(rev[m]), MF_MONEY));
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
			uint32_t at = t->slot[order[k]];
			const brow *r = &t->row[at][w];
			double rev[ATTR_COUNT];
			row_revenue(t->rev[at], w, rev);
			if (row_exists(r, rev))
				mv_push(rows, row_value(v, t, order[k], r, rev));
		}
	}
	free(order);
	return out;
}

/* Add lead i's counts to its row, for every window holding each moment. */
static void add_lead(const lead_view *l, const ts_ms start[WIN_COUNT], brow *r)
{
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

static void window_starts(const metrics_params *p, ts_ms start[WIN_COUNT])
{
	for (int w = 0; w < WIN_COUNT; w++)
		start[w] = funnel_window_start(p, w);
}

bd_acc *bd_acc_new(void)
{
	bd_acc *b = xcalloc(1, sizeof *b);
	b->ch.key_name = "channel";
	b->ca.key_name = "campaign";
	return b;
}

void bd_acc_free(bd_acc *b)
{
	if (!b)
		return;
	btab_free(&b->ch);
	btab_free(&b->ca);
	free(b);
}

/* One win's credit to one row: its touchpoints' shares added in their
 * order (the lead's, the same whichever data set holds it). */
typedef struct credit {
	sym key;
	double share[ATTR_COUNT];
} credit;

/* A touchpoint by its row's key, then by its place among the win's. */
typedef struct keyed {
	sym key;
	uint32_t at;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

/* Sum the shares of the touchpoints of buf by their channel (campaign
 * false) or campaign into c, each row's in the touchpoints' order: sorted
 * by key, not searched, so that a win of many touchpoints costs n log n;
 * order is scratch for buf->len of them. Returns how many rows they
 * credit. */
static size_t credits_of(const attr_buf *buf, bool campaign, keyed *order, credit *c)
{
	for (size_t j = 0; j < buf->len; j++)
		order[j] = (keyed){campaign ? buf->t[j].campaign : buf->t[j].channel, (uint32_t)j};
	qsort(order, buf->len, sizeof *order, keyed_cmp);
	size_t n = 0;
	for (size_t j = 0; j < buf->len; j++) {
		if (j == 0 || order[j].key != order[j - 1].key)
			c[n++] = (credit){.key = order[j].key};
		const attr_touch *t = &buf->t[order[j].at];
		for (int m = 0; m < ATTR_COUNT; m++)
			c[n - 1].share[m] += t->share[m];
	}
	return n;
}

/* The revenue of the wins of v in the 13 weeks, shared among their
 * touchpoints' rows by each model: one exact addition per row a win
 * credits, in the band of its moment. */
static void add_revenue(bd_acc *b, const view *v, const sym_xlat *x, const ts_ms start[WIN_COUNT])
{
	win_list wins = {0};
	funnel_wins(v, start[WIN_13W], v->as_of, &wins);
	attr_buf buf = {0};
	credit *c = NULL;
	keyed *order = NULL;
	size_t c_cap = 0, order_cap = 0;
	for (size_t k = 0; k < wins.len; k++) {
		const win *wn = &wins.items[k];
		double amount = isnan(wn->amount) ? 0 : wn->amount;
		int band = WIN_1W;
		while (band < WIN_13W && wn->won < start[band])
			band++;
		attr_credit(v, wn, &buf);
		VEC_RESERVE(c, c_cap, buf.len);
		VEC_RESERVE(order, order_cap, buf.len);
		for (int by = 0; by < 2; by++) {
			btab *t = by ? &b->ca : &b->ch;
			size_t n = credits_of(&buf, by, order, c);
			for (size_t j = 0; j < n; j++) {
				esum *rev =
				    btab_rev(t, sym_xlat_of(x, c[j].key)) + band * ATTR_COUNT;
				for (int m = 0; m < ATTR_COUNT; m++)
					esum_add(&rev[m], amount * c[j].share[m]);
			}
		}
	}
	free(c);
	free(order);
	attr_buf_free(&buf);
	free(wins.items);
}

void bd_acc_add(bd_acc *b, const view *v, const sym_xlat *x)
{
	const dataset *ds = v->ds;
	ts_ms start[WIN_COUNT];
	window_starts(v->p, start);
	ts_ms widest = start[WIN_13W];

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
		add_lead(l, start, btab_row(&b->ch, sym_xlat_of(x, ds->leads[i].channel)));
		add_lead(l, start, btab_row(&b->ca, sym_xlat_of(x, ds->leads[i].campaign)));
	}
	add_revenue(b, v, x, start);
}

void bd_acc_tables(bd_acc *b, const view *v, mval **by_channel, mval **by_campaign)
{
	const dataset *ds = v->ds;
	ts_ms start[WIN_COUNT];
	window_starts(v->p, start);
	/* the spend is v's, set afresh: tables built twice from b agree */
	for (int by = 0; by < 2; by++) {
		btab *t = by ? &b->ca : &b->ch;
		for (size_t k = 0; k < t->len; k++)
			for (int w = 0; w < WIN_COUNT; w++) {
				t->row[k][w].spend = 0;
				t->row[k][w].spend_rows = 0;
			}
	}
	for (size_t k = 0; k < ds->nspend; k++) {
		const spend_row *s = &ds->spend[k];
		if (s->day < start[WIN_13W] || s->day >= v->as_of)
			continue;
		brow *rc = btab_row(&b->ch, s->channel), *rk = btab_row(&b->ca, s->campaign);
		for (int w = 0; w < WIN_COUNT; w++) {
			if (s->day < start[w])
				continue;
			rc[w].spend += s->amount;
			rc[w].spend_rows++;
			rk[w].spend += s->amount;
			rk[w].spend_rows++;
		}
	}
	*by_channel = btab_value(v, &b->ch);
	*by_campaign = btab_value(v, &b->ca);
}

void breakdown_tables(const view *v, mval **by_channel, mval **by_campaign)
{
	bd_acc *b = bd_acc_new();
	bd_acc_add(b, v, NULL);
	bd_acc_tables(b, v, by_channel, by_campaign);
	bd_acc_free(b);
}
