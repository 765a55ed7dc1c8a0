/* profile.c — a lead's demographic profile: its channel and campaign, job
 * title, company size, industry and country (each sometimes in a vendor's
 * spelling), its local UTC offset and its demographic points.
 *
 * It draws from the lead's own stream in a fixed order: this file must not
 * reorder, add or drop a draw (every later draw of the lead, and so the
 * sample files, would change) and must not write output. */
#include "gen_run.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>

#include "timeparse.h"

/* The title of a lead whose channel has fit q; returns its tier. */
static const gtier *draw_title(rng *r, glead *l, double q)
{
	double w[NTIERS];
	for (size_t i = 0; i < NTIERS; i++)
		w[i] = gen_title_tiers[i].weight *
		       fmax(0.1, 1.0 + q * (gen_title_tiers[i].points - 8) / 14.0);
	const gtier *tier = &gen_title_tiers[rng_pick(r, w, NTIERS)];
	size_t nt = 0;
	while (tier->titles[nt])
		nt++;
	l->title = tier->titles[rng_below(r, nt)];
	return tier;
}

/* The company size of a lead whose channel has fit q: a head count or a
 * band, sometimes empty. Returns its points (0 when empty). */
static int draw_size(rng *r, glead *l, double q)
{
	double w[NSIZES];
	for (size_t i = 0; i < NSIZES; i++)
		w[i] = gen_sizes[i].weight * fmax(0.1, 1.0 + q * ((double)i - 2.5) / 4.0);
	l->size_cat = rng_pick(r, w, NSIZES);
	const sizecat *sz = &gen_sizes[l->size_cat];
	int64_t emp = (int64_t)exp(rng_uniform(r, log((double)sz->lo), log((double)sz->hi + 1)));
	if (emp < sz->lo)
		emp = sz->lo;
	if (emp > sz->hi)
		emp = sz->hi;
	double u = rng_unif(r);
	if (u < 0.05) {
		l->size_text[0] = '\0';
	} else if (u < 0.62) {
		snprintf(l->size_text, sizeof l->size_text, "%lld", (long long)emp);
	} else {
		static const char *const bands[] = {"1-10",	    "11-50",	 "51-200",
						    "201-500",	    "501-1,000", "1,001-5,000",
						    "5,001-10,000", "10000+"};
		size_t band = l->size_cat <= 2	 ? l->size_cat
			      : l->size_cat == 3 ? (emp <= 500 ? 3 : 4)
			      : l->size_cat == 4 ? 5
						 : (emp < 10000 ? 6 : 7);
		snprintf(l->size_text, sizeof l->size_text, "%s", bands[band]);
	}
	return l->size_text[0] ? sz->points : 0;
}

static const gvalue *draw_industry(rng *r, glead *l)
{
	double w[NINDUSTRIES];
	for (size_t i = 0; i < NINDUSTRIES; i++)
		w[i] = gen_industries[i].weight;
	const gvalue *ind = &gen_industries[rng_pick(r, w, NINDUSTRIES)];
	l->industry_text = rng_chance(r, 0.2) ? ind->display : ind->canonical;
	return ind;
}

/* The country, a few in lower case, and the lead's offset at creation. */
static const gcountry *draw_country(rng *r, glead *l)
{
	double w[NCOUNTRIES];
	for (size_t i = 0; i < NCOUNTRIES; i++)
		w[i] = gen_countries[i].weight;
	const gcountry *cty = &gen_countries[rng_pick(r, w, NCOUNTRIES)];
	l->country_text = cty->code;
	if (cty->code[0] && rng_chance(r, 0.05)) {
		l->country_lower[0] = g_ascii_tolower(cty->code[0]);
		l->country_lower[1] = g_ascii_tolower(cty->code[1]);
		l->country_lower[2] = '\0';
		l->country_text = l->country_lower;
	}
	/* summer time roughly from April to October */
	int64_t y;
	int m, d;
	ts_civil_from_days(l->t[LT_CREATED] / MS_PER_DAY, &y, &m, &d);
	l->off_min = m >= 4 && m <= 10 ? cty->off_summer : cty->off_winter;
	return cty;
}

void gen_draw_profile(rng *r, glead *l)
{
	double w[NCHANNELS];
	for (size_t i = 0; i < NCHANNELS; i++)
		w[i] = gen_channels[i].share;
	l->ch = &gen_channels[rng_pick(r, w, NCHANNELS)];
	l->channel_text = rng_chance(r, 0.04) ? l->ch->display : l->ch->name;
	l->campaign = gen_any_campaign(r, l->ch);
	double q = l->ch->fit;

	const gtier *tier = draw_title(r, l, q);
	int size_pts = draw_size(r, l, q);
	const gvalue *ind = draw_industry(r, l);
	const gcountry *cty = draw_country(r, l);
	l->fit = tier->points + size_pts + ind->points + cty->points;
}
