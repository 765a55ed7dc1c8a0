/* pipeline.c — opportunities created in the report week: how many, how
 * much, how much is still open, per channel (pipeline.h).
 *
 * Reads the view's opportunity states; no I/O, no presentation. */
#include "pipeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "esum.h"
#include "funnel.h"

typedef struct pipe_acc {
	sym channel;
	int64_t created, open, won, lost;
	esum value, open_value, won_value; /* in any order of the opportunities */
} pipe_acc;

struct pipe_sums {
	pipe_acc total, *by;
	size_t n, cap;
};

static void acc_add(pipe_acc *a, int state, double amount)
{
	double x = isnan(amount) ? 0 : amount;
	a->created++;
	esum_add(&a->value, x);
	if (state == OPP_OPEN) {
		a->open++;
		esum_add(&a->open_value, x);
	} else if (state == OPP_WON) {
		a->won++;
		esum_add(&a->won_value, x);
	} else if (state == OPP_LOST) {
		a->lost++;
	}
}

static void acc_free(pipe_acc *a)
{
	esum_free(&a->value);
	esum_free(&a->open_value);
	esum_free(&a->won_value);
}

static void acc_set(mval *o, const pipe_acc *a)
{
	mv_set(o, "opportunities_created", mv_int(a->created, MF_COUNT));
	mv_set(o, "opportunities_value", mv_num(funnel_money(esum_value(&a->value)), MF_MONEY));
	mv_set(o, "open_opportunities", mv_int(a->open, MF_COUNT));
	mv_set(o, "open_value", mv_num(funnel_money(esum_value(&a->open_value)), MF_MONEY));
	mv_set(o, "won_opportunities", mv_int(a->won, MF_COUNT));
	mv_set(o, "won_value", mv_num(funnel_money(esum_value(&a->won_value)), MF_MONEY));
	mv_set(o, "lost_opportunities", mv_int(a->lost, MF_COUNT));
}

static int acc_cmp(const void *a, const void *b, void *ctx)
{
	const pipe_acc *x = a, *y = b;
	double vx = esum_value(&x->open_value), vy = esum_value(&y->open_value);
	if (vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(ds_str(ctx, x->channel), ds_str(ctx, y->channel));
}

/* The accumulator of channel c in a (small) list, added when new. */
static pipe_acc *channel_acc(pipe_sums *s, sym c)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->by[i].channel == c)
			return &s->by[i];
	VEC_RESERVE(s->by, s->cap, s->n + 1);
	s->by[s->n] = (pipe_acc){.channel = c};
	return &s->by[s->n++];
}

pipe_sums *pipe_sums_new(void)
{
	return xcalloc(1, sizeof(pipe_sums));
}

void pipe_sums_free(pipe_sums *s)
{
	if (!s)
		return;
	acc_free(&s->total);
	for (size_t i = 0; i < s->n; i++)
		acc_free(&s->by[i]);
	free(s->by);
	free(s);
}

void pipe_sums_add(pipe_sums *s, const view *v, const sym_xlat *x)
{
	const dataset *ds = v->ds;
	ts_ms start = funnel_window_start(v->p, WIN_1W);
	for (size_t k = 0; k < ds->nopps; k++) {
		const opportunity *op = &ds->opps[k];
		int st = v->opp_state[k];
		if (st == OPP_NONE || op->lead == NO_LEAD || !lv_exists(v, op->lead) ||
		    op->created < start || op->created >= v->as_of)
			continue;
		acc_add(&s->total, st, op->amount);
		acc_add(channel_acc(s, sym_xlat_of(x, ds->leads[op->lead].channel)), st,
			op->amount);
	}
}

mval *pipe_sums_table(pipe_sums *s, const view *v)
{
	const dataset *ds = v->ds;
	if (!ds->has_opportunities)
		return NULL;
	if (s->n)
		qsort_r(s->by, s->n, sizeof *s->by, acc_cmp, (void *)ds);
	mval *o = mv_obj();
	acc_set(o, &s->total);
	mval *rows = mv_set(o, "by_channel", mv_arr());
	for (size_t i = 0; i < s->n; i++) {
		mval *r = mv_push(rows, mv_obj());
		mv_set(r, "channel", mv_str(ds_str(ds, s->by[i].channel)));
		acc_set(r, &s->by[i]);
	}
	return o;
}

mval *pipeline_table(const view *v)
{
	if (!v->ds->has_opportunities)
		return NULL;
	pipe_sums *s = pipe_sums_new();
	pipe_sums_add(s, v, NULL);
	mval *o = pipe_sums_table(s, v);
	pipe_sums_free(s);
	return o;
}
