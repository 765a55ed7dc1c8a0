/* arrivals.c — when leads arrive: an hourly intensity over the generated
 * weeks (business hours in the Americas and Europe, quiet weekends, about
 * 1% growth a week), its quantiles (a lead's creation instant) and each
 * day's share (the spend).
 *
 * Deterministic arithmetic on the run's period only: this file must not draw
 * from a PRNG (callers pass the quantile) and must not write output. */
#include "gen_run.h"

#include "timeparse.h"

/* Relative intensity of new leads in an hour: business hours in the
 * Americas and Europe, quiet weekends, slow growth over the period. */
static double hour_weight(const gen *g, size_t h)
{
	int64_t day = (g->start / MS_PER_DAY) + (int64_t)(h / 24);
	int hour = (int)(h % 24);
	double w = hour >= 13 && hour < 20 ? 1.5 : hour >= 7 && hour < 23 ? 1.0 : 0.25;
	if (ts_iso_weekday(day) >= 5)
		w *= 0.3;
	return w * (1.0 + 0.012 * (double)(h / 168));
}

void gen_arrivals_init(gen *g)
{
	g->nhours = (size_t)((g->end - g->start) / 3600000);
	g->hour_cum = xmalloc(g->nhours * sizeof *g->hour_cum);
	double acc = 0;
	for (size_t h = 0; h < g->nhours; h++) {
		acc += hour_weight(g, h);
		g->hour_cum[h] = acc;
	}
}

/* The instant of quantile q in [0, 1) of the lead intensity; q must not
 * decrease between calls. */
ts_ms gen_arrival_at(gen *g, double q)
{
	double total = g->hour_cum[g->nhours - 1], x = q * total;
	while (g->hour_pos + 1 < g->nhours && g->hour_cum[g->hour_pos] <= x)
		g->hour_pos++;
	double lo = g->hour_pos ? g->hour_cum[g->hour_pos - 1] : 0;
	double hi = g->hour_cum[g->hour_pos];
	double frac = hi > lo ? (x - lo) / (hi - lo) : 0;
	if (frac >= 1)
		frac = 0.999999;
	ts_ms t = g->start + (ts_ms)g->hour_pos * 3600000 + (ts_ms)(frac * 3600000.0);
	return t / 1000 * 1000;
}

/* Share of the leads created on day d (days since the period's start). */
double gen_day_share(const gen *g, size_t d)
{
	double lo = d ? g->hour_cum[d * 24 - 1] : 0;
	return (g->hour_cum[d * 24 + 23] - lo) / g->hour_cum[g->nhours - 1];
}
