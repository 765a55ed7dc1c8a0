/* lead.c — one lead from start to finish: its creation instant and profile,
 * its time-stamp formats, its engagement, the marketing-automation system's
 * MQL stamp, its sales side; then its lead row, its events (or their week
 * buckets, in time order) and its opportunities.
 *
 * Every lead draws from its own stream (the seed and its number), so a lead
 * does not depend on the leads before it: this file must not draw from
 * another stream nor keep anything of a lead but the last lead row (for
 * bad.c's duplicate). */
#include "gen_run.h"

#include <string.h>

/* Lead `num`'s creation instant, profile and time-stamp formats. */
static void draw_lead(gen *g, rng *r, glead *l, uint64_t num)
{
	glead_init(l, num);
	l->t[LT_CREATED] = gen_arrival_at(g, ((double)(num - 1) + rng_unif(r)) / (double)g->nleads);
	gen_draw_profile(r, l);
	double u = rng_unif(r);
	if (u < 0.03) {
		l->fmt[LT_CREATED] = TF_ZMS;
		l->t[LT_CREATED] += (ts_ms)rng_below(r, 1000);
	} else if (u < 0.10 && l->off_min)
		l->fmt[LT_CREATED] = TF_OFF;
	int field_fmt = rng_chance(r, 0.08) && l->off_min ? TF_OFF : TF_Z;
	for (int f = LT_MQL; f < LT_COUNT; f++)
		l->fmt[f] = (uint8_t)field_fmt;
}

/* The marketing-automation system's MQL stamp: its own score with a
 * threshold near 60, synced a little later. */
static void draw_mql(gen *g, rng *r, glead *l)
{
	double threshold = rng_chance(r, 0.75) ? MQL_THRESHOLD : (double)(56 + rng_below(r, 9));
	ts_ms cross = gen_score_crossing(g, l, threshold);
	bool synced = rng_chance(r, 0.94);
	if (cross != TS_NONE && synced) {
		ts_ms lag = rng_chance(r, 0.8) ? (ts_ms)rng_below(r, 600) * 1000
					       : (ts_ms)(rng_uniform(r, 1, 6) * 3600000.0);
		gen_stamp(g, l, LT_MQL, cross + lag);
	} else if (cross == TS_NONE && rng_chance(r, 0.5)) {
		/* hand-raisers: a demo request fast-tracks the lead */
		ts_ms demo = gen_first_event(g, EV_DEMO_REQUEST, l->t[LT_CREATED]);
		if (demo != TS_NONE)
			gen_stamp(g, l, LT_MQL, demo + (ts_ms)rng_below(r, 300) * 1000);
	}
}

/* Lead l's row (kept for a duplicate), its events and its opportunities. */
static void write_lead_rows(gen *g, const glead *l)
{
	obuf *lb = &g->out[SRC_LEADS];
	if (lb->len + sizeof g->lead_row > OBUF_CAP)
		ob_flush(lb);
	size_t start = lb->len;
	gen_write_lead(lb, l, l->num, NULL, NULL, false);
	g->lead_row_len = lb->len - start <= sizeof g->lead_row ? lb->len - start : 0;
	memcpy(g->lead_row, lb->buf + start, g->lead_row_len);
	obuf *eb = &g->out[SRC_EVENTS];
	for (size_t i = 0; i < g->nev; i++) {
		if (g->time_order)
			gen_bucket_put(g, l->num, &g->ev[i], l->off_min);
		else
			gen_write_event(eb, l->num, &g->ev[i], l->off_min, NULL);
	}
	for (size_t i = 0; i < l->nopps; i++)
		gen_write_opp(g, &l->opp[i], l->num, NULL);
}

void gen_lead(gen *g, uint64_t num)
{
	rng r;
	rng_seed(&r, g->seed, num);
	glead l;
	draw_lead(g, &r, &l, num);

	double engagement = rng_lognorm(&r, 1.0, 0.85) * l.ch->eng * (0.6 + 0.8 * l.fit / 50.0);
	double intent = rng_lognorm(&r, 1.0, 0.7) * (0.5 + l.fit / 50.0);
	g->nev = 0;
	gen_draw_engagement(g, &r, &l, engagement, intent);
	gen_ev_settle(g);

	draw_mql(g, &r, &l);
	size_t nmarketing = g->nev;
	gen_draw_sales(g, &r, &l, intent);
	if (g->nev != nmarketing)
		gen_ev_settle(g);
	write_lead_rows(g, &l);
}
