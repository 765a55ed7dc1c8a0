/* attribution.c — the six attribution models of SPEC §6: the touchpoints
 * of one win and the share of its revenue each model gives each of them.
 * It must not sum revenue into tables (breakdown.c does) nor do I/O. */
#include "attribution.h"

#include <math.h>
#include <stdlib.h>

#define DECAY_HALF_LIFE_MS (7 * MS_PER_DAY)

static void touch_push(attr_buf *b, sym channel, sym campaign, ts_ms at)
{
	VEC_RESERVE(b->t, b->cap, b->len + 1);
	b->t[b->len++] = (attr_touch){.channel = channel, .campaign = campaign, .at = at};
}

/* The last touchpoint in list order at or before `moment`; the origin (0)
 * when the moment is missing or precedes every touchpoint. */
static size_t last_at_or_before(const attr_buf *b, ts_ms moment)
{
	if (moment == TS_NONE)
		return 0;
	size_t found = 0;
	for (size_t i = 0; i < b->len; i++)
		if (b->t[i].at <= moment)
			found = i;
	return found;
}

void attr_credit(const view *v, const win *w, attr_buf *b)
{
	const dataset *ds = v->ds;
	const lead *ld = &ds->leads[w->lead];
	b->len = 0;
	touch_push(b, ld->channel, ld->campaign, lv_get(v, w->lead).t[LT_CREATED]);
	for (uint32_t e = ds->lead_ev[w->lead]; e < ds->lead_ev[w->lead + 1]; e++) {
		const event *ev = &ds->events[e];
		if (ev_at(ds, ev) > w->won)
			break; /* time order */
		if (ev_kind_of(ev) == EV_SALES_TOUCH)
			continue;
		touch_push(b, ds_tag(ds, ev)->channel, ds_tag(ds, ev)->campaign, ev_at(ds, ev));
	}
	size_t n = b->len;
	attr_touch *t = b->t;
	for (size_t i = 0; i < n; i++)
		for (int m = 0; m < ATTR_COUNT; m++)
			t[i].share[m] = 0;

	t[0].share[ATTR_FIRST_TOUCH] = 1;
	t[n - 1].share[ATTR_LAST_TOUCH] = 1;
	for (size_t i = 0; i < n; i++)
		t[i].share[ATTR_LINEAR] = 1.0 / (double)n;

	if (n == 1) {
		t[0].share[ATTR_U_SHAPED] = 1;
	} else if (n == 2) {
		t[0].share[ATTR_U_SHAPED] = t[1].share[ATTR_U_SHAPED] = 0.5;
	} else {
		t[0].share[ATTR_U_SHAPED] = 0.4;
		t[n - 1].share[ATTR_U_SHAPED] = 0.4;
		for (size_t i = 1; i + 1 < n; i++)
			t[i].share[ATTR_U_SHAPED] = 0.2 / (double)(n - 2);
	}

	/* w_shaped: 30% first, 30% the last at or before mql_at, 30% the last at
	 * or before the opportunity moment (shares on one touchpoint add up),
	 * 10% among the others, or among the credited ones when there are none. */
	size_t key[3] = {0, last_at_or_before(b, lv_get(v, w->lead).t[LT_MQL]),
			 last_at_or_before(b, w->opp_at)};
	for (int k = 0; k < 3; k++)
		t[key[k]].share[ATTR_W_SHAPED] += 0.3;
	size_t credited = 1 + (key[1] != key[0]) + (key[2] != key[0] && key[2] != key[1]);
	size_t others = n - credited;
	for (size_t i = 0; i < n; i++) {
		bool is_key = i == key[0] || i == key[1] || i == key[2];
		if (others > 0 && !is_key)
			t[i].share[ATTR_W_SHAPED] = 0.1 / (double)others;
		else if (others == 0)
			t[i].share[ATTR_W_SHAPED] += 0.1 / (double)credited;
	}

	/* time_decay: 2^(-(won - t) / 7 days), taken relative to the newest
	 * touchpoint so that old ones cannot underflow every weight to 0. */
	ts_ms newest = t[0].at;
	for (size_t i = 1; i < n; i++)
		if (t[i].at > newest)
			newest = t[i].at;
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		double wgt = exp2(-(double)(newest - t[i].at) / (double)DECAY_HALF_LIFE_MS);
		t[i].share[ATTR_TIME_DECAY] = wgt;
		sum += wgt;
	}
	for (size_t i = 0; i < n; i++)
		t[i].share[ATTR_TIME_DECAY] /= sum;
}

void attr_buf_free(attr_buf *b)
{
	free(b->t);
	*b = (attr_buf){0};
}
