/* pipeline.c — opportunities created in the report week: how many, how
 * much, how much is still open, per channel (pipeline.h).
 *
 * Reads the view's opportunity states; no I/O, no presentation. */
#include "pipeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"

typedef struct pipe_acc {
	sym channel;
	int64_t created, open, won, lost;
	double value, open_value, won_value;
} pipe_acc;

static void acc_add(pipe_acc *a, int state, double amount)
{
	double x = isnan(amount) ? 0 : amount;
	a->created++;
	a->value += x;
	if (state == OPP_OPEN) {
		a->open++;
		a->open_value += x;
	} else if (state == OPP_WON) {
		a->won++;
		a->won_value += x;
	} else if (state == OPP_LOST) {
		a->lost++;
	}
}

static void acc_set(mval *o, const pipe_acc *a)
{
	mv_set(o, "opportunities_created", mv_int(a->created, MF_COUNT));
	mv_set(o, "opportunities_value", mv_num(funnel_money(a->value), MF_MONEY));
	mv_set(o, "open_opportunities", mv_int(a->open, MF_COUNT));
	mv_set(o, "open_value", mv_num(funnel_money(a->open_value), MF_MONEY));
	mv_set(o, "won_opportunities", mv_int(a->won, MF_COUNT));
	mv_set(o, "won_value", mv_num(funnel_money(a->won_value), MF_MONEY));
	mv_set(o, "lost_opportunities", mv_int(a->lost, MF_COUNT));
}

static int acc_cmp(const void *a, const void *b, void *ctx)
{
	const pipe_acc *x = a, *y = b;
	if (x->open_value != y->open_value)
		return x->open_value > y->open_value ? -1 : 1;
	return strcmp(ds_str(ctx, x->channel), ds_str(ctx, y->channel));
}

/* The accumulator of channel c in a (small) list, added when new. */
static pipe_acc *channel_acc(pipe_acc **list, size_t *n, size_t *cap, sym c)
{
	for (size_t i = 0; i < *n; i++)
		if ((*list)[i].channel == c)
			return &(*list)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*list = xrealloc(*list, *cap * sizeof **list);
	}
	(*list)[*n] = (pipe_acc){.channel = c};
	return &(*list)[(*n)++];
}

mval *pipeline_table(const view *v)
{
	const dataset *ds = v->ds;
	if (!ds->has_opportunities)
		return NULL;
	ts_ms start = funnel_window_start(v->p, WIN_1W);
	pipe_acc total = {0}, *by = NULL;
	size_t n = 0, cap = 0;
	for (size_t k = 0; k < ds->nopps; k++) {
		const opportunity *op = &ds->opps[k];
		int st = v->opp_state[k];
		if (st == OPP_NONE || op->lead == NO_LEAD || !lv_exists(v, op->lead) ||
		    op->created < start || op->created >= v->as_of)
			continue;
		acc_add(&total, st, op->amount);
		acc_add(channel_acc(&by, &n, &cap, ds->leads[op->lead].channel), st, op->amount);
	}
	if (n)
		qsort_r(by, n, sizeof *by, acc_cmp, (void *)ds);
	mval *o = mv_obj();
	acc_set(o, &total);
	mval *rows = mv_set(o, "by_channel", mv_arr());
	for (size_t i = 0; i < n; i++) {
		mval *r = mv_push(rows, mv_obj());
		mv_set(r, "channel", mv_str(ds_str(ds, by[i].channel)));
		acc_set(r, &by[i]);
	}
	free(by);
	return o;
}
