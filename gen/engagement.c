/* engagement.c — a lead's marketing engagement: anonymous visits before the
 * form fill, the converting event, the engagement of the following weeks,
 * trials, unsubscribes and bounces, each through the channel and campaign it
 * would come through; the ordering of a lead's events; and the moment SPEC
 * §5's default score first reaches a threshold.
 *
 * The per-lead sort is hand-written for speed (insertion sort for the usual
 * few events, a merge sort with a reused scratch array for the rest), and
 * it is stable. This file must not reorder its draws and must not write
 * output: the events wait in g->ev for lead.c. */
#include "gen_run.h"

#include <math.h>
#include <string.h>

#include "gen_csvout.h"

gev *gen_ev_add(gen *g, ts_ms at, int type, const char *channel, const char *campaign)
{
	VEC_RESERVE(g->ev, g->ev_cap, g->nev + 1);
	gev *e = &g->ev[g->nev];
	*e = (gev){.at = at / 1000 * 1000,
		   .seq = (uint32_t)g->nev,
		   .type = (uint8_t)type,
		   .fmt = TF_Z,
		   .channel = channel,
		   .campaign = campaign};
	g->nev++;
	return e;
}

/* The channel and campaign an engagement of `type` comes through. */
static void touch_source(rng *r, const glead *l, int type, const char **ch, const char **camp)
{
	const gchannel *c = l->ch;
	double u = rng_unif(r);
	switch (type) {
	case EV_EMAIL_OPEN:
	case EV_EMAIL_CLICK:
	case EV_NEWSLETTER_SIGNUP:
	case EV_EMAIL_UNSUBSCRIBE:
	case EV_EMAIL_BOUNCE:
		c = gen_channel("email");
		break;
	case EV_WEBINAR_REGISTERED:
	case EV_WEBINAR_ATTENDED:
		c = gen_channel("webinar");
		break;
	case EV_EVENT_ATTENDED:
		c = gen_channel("events");
		break;
	case EV_SOCIAL_LIKE:
	case EV_SOCIAL_SHARE:
	case EV_SOCIAL_COMMENT:
	case EV_PAGE_FOLLOW:
	case EV_POLL_RESPONSE:
		c = gen_channel(u < 0.4 ? "paid_social" : "linkedin");
		break;
	case EV_AD_CLICK:
		if (c != gen_channel("paid_search") && c != gen_channel("paid_social") &&
		    c != gen_channel("linkedin"))
			c = gen_channel(u < 0.4	   ? "paid_search"
					: u < 0.75 ? "paid_social"
						   : "linkedin");
		break;
	case EV_CONTENT_DOWNLOAD:
	case EV_PREMIUM_CONTENT_DOWNLOAD:
		if (u < 0.3)
			c = gen_channel("content_syndication");
		else if (u < 0.6)
			c = gen_channel("organic_search");
		break;
	case EV_PRODUCT_SIGNUP:
	case EV_TRIAL_ACTIVITY:
		c = gen_channel("direct");
		break;
	default: /* web visits and intent signals */
		if (u < 0.4)
			c = gen_channel("organic_search");
		else if (u < 0.7)
			c = gen_channel("direct");
		break;
	}
	*ch = c->name;
	*camp = c == l->ch ? l->campaign : gen_any_campaign(r, c);
}

static void add_touch(gen *g, rng *r, const glead *l, ts_ms at, int type)
{
	const char *ch, *camp;
	touch_source(r, l, type, &ch, &camp);
	gev *e = gen_ev_add(g, at, type, ch, camp);
	double u = rng_unif(r);
	if (u < 0.04) {
		e->fmt = TF_ZMS;
		e->at += (ts_ms)rng_below(r, 1000);
	} else if (u < 0.10 && l->off_min != 0) {
		e->fmt = TF_OFF;
	}
}

/* The event a lead converts on when it is created. */
static int conversion_type(rng *r, const gchannel *c)
{
	const char *n = c->name;
	if (!strcmp(n, "content_syndication"))
		return rng_chance(r, 0.25) ? EV_PREMIUM_CONTENT_DOWNLOAD : EV_CONTENT_DOWNLOAD;
	if (!strcmp(n, "webinar"))
		return EV_WEBINAR_REGISTERED;
	if (!strcmp(n, "events"))
		return EV_EVENT_ATTENDED;
	if (!strcmp(n, "email"))
		return EV_NEWSLETTER_SIGNUP;
	if (!strcmp(n, "organic_search"))
		return rng_chance(r, 0.5) ? EV_CONTENT_DOWNLOAD : EV_PAGE_VISIT;
	if (!strcmp(n, "referral") || !strcmp(n, "direct"))
		return rng_chance(r, 0.3) ? EV_DEMO_REQUEST : EV_PAGE_VISIT;
	if (!strcmp(n, "linkedin"))
		return rng_chance(r, 0.5) ? EV_CONTENT_DOWNLOAD : EV_AD_CLICK;
	return EV_AD_CLICK;
}

/* The marketing engagement of lead l: events before, at and after creation. */
void gen_draw_engagement(gen *g, rng *r, glead *l, double engagement, double intent)
{
	ts_ms c = l->t[LT_CREATED];
	/* anonymous visits tied back to the lead when it fills a form */
	if (rng_chance(r, 0.45)) {
		unsigned n = 1 + (unsigned)rng_below(r, 4);
		for (unsigned i = 0; i < n; i++) {
			double days = fmin(rng_expo(r, 4), 30);
			static const int pre[] = {EV_PAGE_VISIT, EV_PAGE_VISIT, EV_BLOG_CLICK,
						  EV_AD_CLICK};
			add_touch(g, r, l, c - (ts_ms)(days * MS_PER_DAY) - 1000,
				  pre[rng_below(r, 4)]);
		}
	}
	/* conversion type, then instant: the order the samples were made with (it was
	 * left to the compiler as two arguments of one call) */
	int conv_type = conversion_type(r, l->ch);
	ts_ms conv_at = c + (ts_ms)rng_below(r, 120) * 1000;
	gev *conv = gen_ev_add(g, conv_at, conv_type, l->ch->name, l->campaign);
	if (conv->type == EV_WEBINAR_REGISTERED && rng_chance(r, 0.45))
		gen_ev_add(g, c + (ts_ms)(rng_uniform(r, 1, 14) * MS_PER_DAY), EV_WEBINAR_ATTENDED,
			   l->ch->name, l->campaign);

	double w[EV_COUNT];
	for (int t = 0; t < EV_COUNT; t++)
		w[t] = gen_types[t].weight * (gen_types[t].intent ? intent : 1.0);
	unsigned n = rng_poisson(r, ENGAGEMENT_BASE * engagement);
	for (unsigned i = 0; i < n; i++) {
		double days = rng_chance(r, 0.35) ? rng_uniform(r, 0, 3) : rng_expo(r, 30);
		ts_ms at = c + (ts_ms)(days * MS_PER_DAY);
		int type = (int)rng_pick(r, w, EV_COUNT);
		add_touch(g, r, l, at, type);
		if (type == EV_WEBINAR_REGISTERED && rng_chance(r, 0.45))
			add_touch(g, r, l, at + (ts_ms)(rng_uniform(r, 1, 14) * MS_PER_DAY),
				  EV_WEBINAR_ATTENDED);
	}
	/* product-qualified leads: a trial and its usage */
	if (rng_chance(r, 0.03 * engagement)) {
		ts_ms s = c + (ts_ms)(rng_expo(r, 10) * MS_PER_DAY);
		add_touch(g, r, l, s, EV_PRODUCT_SIGNUP);
		unsigned k = 2 + rng_poisson(r, 6);
		for (unsigned i = 0; i < k; i++)
			add_touch(g, r, l, s + (ts_ms)(rng_uniform(r, 0.01, 14) * MS_PER_DAY),
				  EV_TRIAL_ACTIVITY);
	}
	if (rng_chance(r, 0.025))
		add_touch(g, r, l, c + (ts_ms)(rng_expo(r, 40) * MS_PER_DAY), EV_EMAIL_UNSUBSCRIBE);
	if (rng_chance(r, 0.012))
		add_touch(g, r, l, c + (ts_ms)(rng_expo(r, 20) * MS_PER_DAY), EV_EMAIL_BOUNCE);
}

static int ev_cmp(const void *a, const void *b)
{
	const gev *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort a lead's events by time (creation order on ties), drop those at or
 * after the export's end. Insertion sort for the usual few, a merge sort
 * through a scratch array kept across leads for the rest. */
void gen_ev_settle(gen *g)
{
	size_t n = g->nev;
	if (n < 32) {
		for (size_t i = 1; i < n; i++) {
			gev e = g->ev[i];
			size_t j = i;
			while (j > 0 && ev_cmp(&g->ev[j - 1], &e) > 0) {
				g->ev[j] = g->ev[j - 1];
				j--;
			}
			g->ev[j] = e;
		}
	} else {
		VEC_RESERVE(g->scratch, g->scratch_cap, n);
		gev *src = g->ev, *dst = g->scratch;
		for (size_t w = 1; w < n; w *= 2) {
			for (size_t lo = 0; lo < n; lo += 2 * w) {
				size_t mid = lo + w < n ? lo + w : n,
				       hi = lo + 2 * w < n ? lo + 2 * w : n;
				size_t a = lo, b = mid, k = lo;
				while (a < mid && b < hi)
					dst[k++] =
					    ev_cmp(&src[b], &src[a]) < 0 ? src[b++] : src[a++];
				while (a < mid)
					dst[k++] = src[a++];
				while (b < hi)
					dst[k++] = src[b++];
			}
			gev *t = src;
			src = dst;
			dst = t;
		}
		if (src != g->ev)
			memcpy(g->ev, src, n * sizeof *g->ev);
	}
	while (g->nev && g->ev[g->nev - 1].at >= g->end)
		g->nev--;
}

/* The first moment the lead's score (SPEC §5 defaults, no decay, checkpoints
 * of SPEC §4) reaches `threshold`; TS_NONE if never before the end. */
ts_ms gen_score_crossing(const gen *g, const glead *l, double threshold)
{
	double sum[NCAT] = {0};
	ts_ms created = l->t[LT_CREATED];
	size_t i = 0;
	ts_ms at = created;
	for (;;) {
		while (i < g->nev && g->ev[i].at <= at) {
			const gtype *t = &gen_types[g->ev[i].type];
			if (t->cat != CAT_NONE)
				sum[t->cat] += t->points;
			i++;
		}
		double s = l->fit;
		for (int c = 0; c < NCAT; c++)
			s += gen_cat_cap[c] >= 0 && sum[c] > gen_cat_cap[c] ? gen_cat_cap[c]
									    : sum[c];
		if (s >= threshold)
			return at;
		if (i >= g->nev)
			return TS_NONE;
		at = g->ev[i].at;
	}
}

ts_ms gen_first_event(const gen *g, int type, ts_ms after)
{
	for (size_t i = 0; i < g->nev; i++)
		if (g->ev[i].type == type && g->ev[i].at >= after)
			return g->ev[i].at;
	return TS_NONE;
}
