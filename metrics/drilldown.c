/* drilldown.c — one row per lead behind this week's MQL, SQL and win
 * counts (drilldown.h).
 *
 * Selects with exactly the rules of funnel.c's counts so that the rows and
 * the counts agree; no presentation. The rows go to a temporary file as
 * they are made (spill.h), with only their order kept in memory: a key of
 * 24 bytes per row, where a row in the tree took about 0.76 KB. */
#include "drilldown.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"
#include "spill.h"

/* A row: when and where its lead comes, and where its bytes lie. */
typedef struct drill_key {
	ts_ms at;
	uint64_t place;
	uint64_t off; /* in the spill; the length is the next row's off minus this */
} drill_key;

enum { DRILL_KINDS = 3 };
static const char *const drill_name[DRILL_KINDS] = {"mqls", "sqls", "wins"};
static const int drill_field[DRILL_KINDS] = {LT_MQL, LT_SQL, LT_WON};

typedef struct drill_list {
	spill *rows;
	drill_key *keys;
	size_t n, cap;
} drill_list;

struct drill_acc {
	ts_ms start, as_of;
	drill_list list[DRILL_KINDS];
	char *buf; /* a row's bytes while it is encoded */
	size_t cap;
};

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
	mv_set(o, "won_at", mv_time(lv->t[LT_WON]));
	mv_set(o, "won_amount", mv_num(won_amount, MF_MONEY)); /* NaN: null */
	return o;
}

drill_acc *drill_acc_new(const metrics_params *p)
{
	drill_acc *d = xcalloc(1, sizeof *d);
	d->start = funnel_window_start(p, WIN_1W);
	d->as_of = p->as_of;
	for (int k = 0; k < DRILL_KINDS; k++)
		d->list[k].rows = spill_new();
	return d;
}

/* Per lead of v: its wins booked in [start, as_of), summed and rounded as
 * revenue is; NaN for a lead without one. */
static double *won_in_week(const view *v, ts_ms start)
{
	const dataset *ds = v->ds;
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
	return won;
}

void drill_acc_add(drill_acc *d, const view *v, const uint64_t *place)
{
	const dataset *ds = v->ds;
	double *won = NULL;
	for (size_t i = 0; i < ds->nleads; i++) {
		if (!lv_exists(v, i))
			continue;
		lead_view lv = lv_get(v, i);
		for (int k = 0; k < DRILL_KINDS; k++) {
			ts_ms t = lv.t[drill_field[k]];
			if (t == TS_NONE || t < d->start || t >= d->as_of)
				continue;
			if (!won)
				won = won_in_week(v, d->start);
			mval *row = lead_row(v, (uint32_t)i, won[i]);
			size_t len = 0;
			mv_encode(row, &d->buf, &len, &d->cap);
			mv_free(row);
			drill_list *l = &d->list[k];
			VEC_RESERVE(l->keys, l->cap, l->n + 1);
			l->keys[l->n++] = (drill_key){.at = t,
						      .place = place ? place[i] : i,
						      .off = spill_put(l->rows, d->buf, len)};
		}
	}
	free(won);
}

/* By the moment, then by the lead's place in the export: never by the
 * spelling of its id, so that the rows do not depend on the CRM's id style. */
static int key_cmp(const void *a, const void *b)
{
	const drill_key *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->place > y->place) - (x->place < y->place);
}

/* An MV_ROWS's source: the rows in order, each the bytes between its off and
 * the next row's in the file's order (end: the file's end). */
typedef struct drill_rows {
	spill *rows;
	size_t n;
	uint64_t *off; /* in the table's order */
	uint32_t *len;
} drill_rows;

static mval *drill_row(void *ctx, size_t i)
{
	const drill_rows *r = ctx;
	char stack[1024];
	char *buf = r->len[i] <= sizeof stack ? stack : xmalloc(r->len[i]);
	spill_get(r->rows, r->off[i], buf, r->len[i]);
	mval *row = mv_decode(buf, r->len[i]);
	if (buf != stack)
		free(buf);
	if (!row) { /* lost, or changed under us: the run is stopped before publishing */
		spill_corrupt("a temporary file holds other bytes than were written");
		row = mv_obj();
	}
	return row;
}

static void drill_rows_drop(void *ctx)
{
	drill_rows *r = ctx;
	spill_unref(r->rows);
	free(r->off);
	free(r->len);
	free(r);
}

static mval *list_table(drill_list *l)
{
	spill_seal(l->rows);
	drill_rows *r = xcalloc(1, sizeof *r);
	r->rows = spill_ref(l->rows);
	r->n = l->n;
	r->off = xmalloc((l->n ? l->n : 1) * sizeof *r->off);
	r->len = xmalloc((l->n ? l->n : 1) * sizeof *r->len);
	/* rows were written in the order they were added: a row's length is
	 * the distance to the next one's start */
	for (size_t j = 0; j < l->n; j++) {
		uint64_t end = j + 1 < l->n ? l->keys[j + 1].off : spill_size(l->rows);
		r->len[j] = (uint32_t)(end - l->keys[j].off);
	}
	drill_key *sorted = xmalloc((l->n ? l->n : 1) * sizeof *sorted);
	uint32_t *len_sorted = xmalloc((l->n ? l->n : 1) * sizeof *len_sorted);
	/* the keys sorted carry their row's index in place of its offset */
	for (size_t j = 0; j < l->n; j++)
		sorted[j] = (drill_key){.at = l->keys[j].at, .place = l->keys[j].place, .off = j};
	if (l->n)
		qsort(sorted, l->n, sizeof *sorted, key_cmp);
	for (size_t j = 0; j < l->n; j++) {
		size_t was = (size_t)sorted[j].off;
		r->off[j] = l->keys[was].off;
		len_sorted[j] = r->len[was];
	}
	free(r->len);
	r->len = len_sorted;
	free(sorted);
	return mv_rows(l->n, drill_row, drill_rows_drop, r);
}

mval *drill_acc_table(drill_acc *d)
{
	mval *o = mv_obj();
	for (int k = 0; k < DRILL_KINDS; k++)
		mv_set(o, drill_name[k], list_table(&d->list[k]));
	return o;
}

void drill_acc_free(drill_acc *d)
{
	if (!d)
		return;
	for (int k = 0; k < DRILL_KINDS; k++) {
		spill_unref(d->list[k].rows);
		free(d->list[k].keys);
	}
	free(d->buf);
	free(d);
}

mval *drilldown_table(const view *v)
{
	drill_acc *d = drill_acc_new(v->p);
	drill_acc_add(d, v, NULL);
	mval *o = drill_acc_table(d);
	drill_acc_free(d);
	return o;
}
