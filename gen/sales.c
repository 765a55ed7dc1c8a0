/* sales.c — the sales side of a lead: review (accepted or rejected), first
 * contact and sales touches, the SQL, opportunities with their close, and
 * upsells; and gen_stamp(), which sets a lead's time stamp only before the
 * export's end.
 *
 * It draws from the lead's own stream in a fixed order: this file must not
 * reorder, add or drop a draw and must not write output (lead.c does). */
#include "gen_run.h"

#include <math.h>

#include "gen_csvout.h"

/* Set lead field f to t when t is before the export's end; true if set. */
bool gen_stamp(const gen *g, glead *l, int f, ts_ms t)
{
	if (t == TS_NONE || t >= g->end)
		return false;
	l->t[f] = t / 1000 * 1000;
	return true;
}

/* One opportunity created at `created`; the close is simulated and either
 * happened before the end or is an open deal's expected date. */
static gopp *add_opp(gen *g, rng *r, glead *l, ts_ms created, double days_to_close, double p_win,
		     int64_t cents)
{
	gopp *o = &l->opp[l->nopps++];
	*o = (gopp){.id = ++g->next_opp,
		    .created = created / 1000 * 1000,
		    .cents = cents,
		    .fmt_created = TF_Z,
		    .won_style = (uint8_t)(rng_chance(r, 0.06) ? 3 : rng_below(r, 3))};
	ts_ms close = o->created + (ts_ms)(rng_lognorm(r, days_to_close, 0.5) * MS_PER_DAY);
	bool date_only = rng_chance(r, 0.7);
	if (date_only)
		close = day_floor(close);
	if (close < g->end && close > o->created) {
		o->is_closed = true;
		o->closed = close;
		o->won = rng_chance(r, p_win);
		o->stage = o->won ? "Closed Won" : "Closed Lost";
	} else {
		o->is_closed = false;
		/* most expected dates lie ahead; a few open deals are past due */
		o->closed = rng_chance(r, 0.1)
				? day_floor(g->end - (ts_ms)(rng_uniform(r, 1, 10) * MS_PER_DAY))
				: day_floor(close > g->end ? close : g->end + 7 * MS_PER_DAY);
		date_only = true;
		static const char *const open_stages[] = {"Qualification", "Proposal",
							  "Negotiation"};
		o->stage = open_stages[rng_below(r, 3)];
		if (o->won_style == 3)
			o->won_style = 0; /* an open deal always says it is not won */
	}
	o->fmt_closed = date_only ? TF_DATE : TF_Z;
	return o;
}

/* After the MQL: the review, the first contact and the sales touches that
 * follow it, and now and then an outbound touch before it. Returns the
 * first contact's instant, or TS_NONE. */
static ts_ms draw_follow_up(gen *g, rng *r, glead *l, bool will_sql)
{
	ts_ms mql = l->t[LT_MQL], contact = TS_NONE;
	if (rng_chance(r, 0.85)) {
		ts_ms rev = mql + (ts_ms)(rng_lognorm(r, 20, 1.0) * 3600000.0);
		bool accept = will_sql || rng_chance(r, 0.35);
		if (gen_stamp(g, l, accept ? LT_ACCEPTED : LT_REJECTED, rev) && rng_chance(r, 0.01))
			gen_stamp(g, l, accept ? LT_REJECTED : LT_ACCEPTED, rev + 3600000);
	}
	if (rng_chance(r, 0.9)) {
		double minutes =
		    rng_chance(r, 0.15) ? rng_uniform(r, 0.5, 5) : rng_lognorm(r, 240, 1.5);
		contact = mql + (ts_ms)(minutes * 60000.0);
		if (contact < g->end) {
			if (rng_chance(r, 0.92))
				gen_stamp(g, l, LT_FIRST_CONTACT, contact);
			if (rng_chance(r, 0.85))
				gen_ev_add(g, contact, EV_SALES_TOUCH, "", "");
			double u = rng_unif(r);
			unsigned more = u < 0.45   ? 4 + (unsigned)rng_below(r, 3)
					: u < 0.80 ? 1 + (unsigned)rng_below(r, 3)
						   : 0;
			double span = more >= 4 ? 13.5 : 10;
			for (unsigned i = 0; i < more; i++)
				gen_ev_add(
				    g, contact + (ts_ms)(rng_uniform(r, 0.05, span) * MS_PER_DAY),
				    EV_SALES_TOUCH, "", "");
		}
	}
	/* outbound before the MQL: ignored by speed-to-lead */
	if (rng_chance(r, 0.03))
		gen_ev_add(g, mql - (ts_ms)(rng_uniform(r, 1, 10) * MS_PER_DAY), EV_SALES_TOUCH, "",
			   "");
	return contact;
}

/* The deals of an SQL: most open an opportunity, a quarter of the wins get
 * an upsell. The lead's opportunity columns follow the first deal. */
static void draw_deals(gen *g, rng *r, glead *l)
{
	if (!rng_chance(r, 0.6))
		return;
	ts_ms opp_at = l->t[LT_SQL] + (ts_ms)(rng_lognorm(r, 3, 0.8) * MS_PER_DAY);
	if (opp_at >= g->end)
		return;
	const sizecat *sz = &gen_sizes[l->size_cat];
	double p_win = fmin(0.9, 0.33 * l->ch->win * (sz->points >= 10 ? 1.1 : 0.9));
	int64_t cents = (int64_t)(rng_lognorm(r, gen_size_deal[l->size_cat], 0.5) / 100.0) * 10000;
	gopp *o = add_opp(g, r, l, opp_at, 38, p_win, cents);
	l->t[LT_OPPORTUNITY] = o->created;
	l->cents = cents;
	l->fancy_amount = rng_chance(r, 0.05);
	if (o->is_closed) {
		int f = o->won ? LT_WON : LT_LOST;
		l->t[f] = o->closed;
		l->fmt[f] = o->fmt_closed;
	}
	/* an upsell: a second deal of a customer */
	if (o->is_closed && o->won && rng_chance(r, 0.25)) {
		ts_ms up = o->closed + (ts_ms)(rng_lognorm(r, 30, 0.4) * MS_PER_DAY);
		if (up < g->end) {
			int64_t up_cents =
			    (int64_t)((double)cents * rng_uniform(r, 0.2, 0.5) / 100.0) * 100;
			add_opp(g, r, l, up, 20, 0.75, up_cents);
		}
	}
}

/* The sales side: review, contact, touches, SQL, opportunities. */
void gen_draw_sales(gen *g, rng *r, glead *l, double intent)
{
	ts_ms mql = l->t[LT_MQL];
	bool sales_sourced = mql == TS_NONE;
	double fitf = l->fit / 30.0;
	double p_sql = sales_sourced
			   ? 0.006 * fitf
			   : fmin(0.85, 0.30 * l->ch->sql * fitf * (0.7 + 0.3 * fmin(intent, 2.5)));
	bool will_sql = rng_chance(r, p_sql);
	ts_ms base =
	    sales_sourced ? l->t[LT_CREATED] + (ts_ms)(rng_lognorm(r, 6, 0.8) * MS_PER_DAY) : mql;

	ts_ms contact = sales_sourced ? TS_NONE : draw_follow_up(g, r, l, will_sql);
	if (!will_sql)
		return;
	ts_ms sql;
	if (!sales_sourced && rng_chance(r, 0.015)) {
		/* converted by sales before marketing's MQL stamp */
		sql = mql - (ts_ms)(rng_uniform(r, 0.05, 3) * MS_PER_DAY);
	} else {
		sql = base + (ts_ms)(rng_lognorm(r, 5, 0.9) * MS_PER_DAY);
		if (contact != TS_NONE && sql < contact + 3600000)
			sql = contact + 3600000;
	}
	if (!gen_stamp(g, l, LT_SQL, sql))
		return;
	draw_deals(g, r, l);
}
