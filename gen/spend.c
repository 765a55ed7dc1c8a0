/* spend.c — spend.csv: a row per day and paid campaign, the day's expected
 * leads times the channel's cost per lead with day-to-day noise, a few in a
 * vendor's spelling or currency case, and a monthly agency retainer on paid
 * search without a campaign; the spend's bad rows follow their day.
 *
 * Spend draws from stream 0 of the seed, which no lead uses: this file must
 * not draw from a lead's stream, and must not depend on the leads that were
 * simulated (it runs before them). */
#include "gen_run.h"

#include <math.h>

#include "timeparse.h"

/* One day's rows of every paid channel and campaign. */
static void spend_day(gen *g, rng *r, ts_ms day, double share)
{
	obuf *b = &g->out[SRC_SPEND];
	for (size_t ci = 0; ci < NCHANNELS; ci++) {
		const gchannel *c = &gen_channels[ci];
		if (c->cpl <= 0)
			continue;
		size_t nc = gen_ncampaigns(c);
		for (size_t k = 0; k < nc; k++) {
			double leads = (double)g->nleads * share * c->share / (double)nc;
			double amount = leads * c->cpl * rng_lognorm(r, 1.0, c->spend_sigma);
			int64_t cents = llround(amount * 100);
			double u = rng_unif(r);
			if (cents <= 0)
				continue;
			ob_ts(b, day, TF_DATE, 0);
			ob_putc(b, ',');
			ob_field(b, rng_chance(r, 0.03) ? c->display : c->name);
			ob_putc(b, ',');
			ob_field(b, c->campaigns[k]);
			ob_putc(b, ',');
			ob_money(b, cents, u < 0.05);
			ob_puts(b, u < 0.95 ? ",USD" : u < 0.98 ? "," : ",usd");
			ob_endrow(b);
		}
	}
}

void gen_spend(gen *g, bad_plan *bad)
{
	rng r;
	rng_seed(&r, g->seed, 0);
	obuf *b = &g->out[SRC_SPEND];
	size_t ndays = g->nhours / 24;
	const gchannel *search = gen_channel("paid_search");
	for (size_t d = 0; d < ndays; d++) {
		ts_ms day = g->start + (ts_ms)d * MS_PER_DAY;
		int64_t y;
		int m, dom;
		ts_civil_from_days(day / MS_PER_DAY, &y, &m, &dom);
		spend_day(g, &r, day, gen_day_share(g, d));
		if (dom == 1) {
			double retainer = 0.05 * (double)g->nleads * search->share * search->cpl *
					  30.0 / (double)ndays;
			ob_ts(b, day, TF_DATE, 0);
			ob_puts(b, ",paid_search,,");
			ob_money(b, llround(retainer * 100), false);
			ob_puts(b, ",USD");
			ob_endrow(b);
		}
		gen_bad_after_day(g, bad, d, day);
	}
}
