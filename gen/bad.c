/* bad.c — the defects of --bad-rows K: K rows of each kind (samples/README.md
 * lists them with what a reader does), at places drawn from streams of their
 * own, after a lead (leads, events, opportunities) or after a day's spend.
 *
 * The bad rows must not disturb the good ones: they draw only from their
 * own streams (a lead's profile is drawn again from a fresh copy of its
 * stream), take lead numbers past every good lead, and are written only when
 * a plan says so. This file must not change a good row. */
#include "gen_run.h"

#include <stdio.h>
#include <stdlib.h>

#include "timeparse.h"

enum bad_kind {
	BAD_LEAD_DATE,	 /* unparseable created_at: rejected */
	BAD_LEAD_FIELDS, /* an unquoted comma in the title: wrong_field_count */
	BAD_LEAD_DUP,	 /* the lead's row again: a duplicate lead_id */
	BAD_LEAD_WARN,	 /* an extra lead with an unparseable optional mql_at */
	BAD_EV_DATE,	 /* unparseable occurred_at */
	BAD_EV_FIELDS,	 /* a field short */
	BAD_EV_TYPE,	 /* an event type SPEC §3 does not know */
	BAD_EV_ORPHAN,	 /* an event of a lead that does not exist */
	BAD_OPP_ORPHAN,	 /* an opportunity of a lead that does not exist */
	BAD_OPP_DATE,	 /* unparseable created_at */
	BAD_OPP_DUP,	 /* an opportunity_id again */
	BAD_SP_NEG,	 /* a negative amount */
	BAD_SP_CUR,	 /* a foreign currency */
	BAD_SP_DATE,	 /* an impossible date */
	BAD_SP_FIELDS,	 /* a field short */
	BAD_KINDS
};

typedef struct bad_slot {
	uint64_t at; /* after lead number `at` (spend: after day row `at`) */
	int kind;
} bad_slot;

/* The slots in order of place, and the next one due. */
struct bad_plan {
	bad_slot *slots;
	size_t n, next;
	int kth[BAD_KINDS]; /* rows of each kind written so far */
};

static int slot_cmp(const void *a, const void *b)
{
	const bad_slot *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

static const char *const bad_dates[] = {"2026-02-30T10:00:00Z", "31/02/2026", "not a date",
					"2026-13-01"};

/* Leads that exist only as bad rows get numbers past every good lead;
 * orphans refer to numbers past those. */
static uint64_t bad_lead_num(const gen *g, int k)
{
	return g->nleads + 1 + (uint64_t)k;
}
static uint64_t orphan_num(const gen *g, int k)
{
	return g->nleads + 3 * (uint64_t)g->bad + 1 + (uint64_t)k;
}

/* The seeded places of the bad rows: lead-side kinds after a lead number,
 * spend kinds after a day. */
bad_plan *gen_bad_plan_new(const gen *g, bool spend)
{
	rng r;
	rng_seed(&r, g->seed, UINT64_MAX);
	int lo = spend ? BAD_SP_NEG : BAD_LEAD_DATE, hi = spend ? BAD_KINDS : BAD_SP_NEG;
	size_t ndays = g->nhours / 24;
	bad_plan *p = xcalloc(1, sizeof *p);
	p->slots = xcalloc((size_t)g->bad * (size_t)(hi - lo) + 1, sizeof *p->slots);
	for (int kind = lo; kind < hi; kind++) {
		for (int k = 0; k < g->bad; k++) {
			uint64_t at = spend ? rng_below(&r, ndays) : 1 + rng_below(&r, g->nleads);
			p->slots[p->n++] = (bad_slot){.at = at, .kind = kind};
		}
	}
	qsort(p->slots, p->n, sizeof *p->slots, slot_cmp);
	return p;
}

void gen_bad_plan_free(bad_plan *p)
{
	if (!p)
		return;
	free(p->slots);
	free(p);
}

/* A bad leads.csv row; l is a plausible profile drawn for lead `num`. */
static void bad_lead_row(gen *g, const glead *l, int kind, int k)
{
	obuf *lb = &g->out[SRC_LEADS];
	switch (kind) {
	case BAD_LEAD_DATE:
		gen_write_lead(lb, l, bad_lead_num(g, k), bad_dates[k % 4], NULL, false);
		break;
	case BAD_LEAD_FIELDS:
		gen_write_lead(lb, l, bad_lead_num(g, g->bad + k), NULL, NULL, true);
		break;
	case BAD_LEAD_DUP:
		/* the same lead exported twice */
		if (g->lead_row_len) {
			ob_putn(lb, g->lead_row, g->lead_row_len);
			lb->rows++;
		}
		break;
	default: /* BAD_LEAD_WARN */
		gen_write_lead(lb, l, bad_lead_num(g, 2 * g->bad + k), NULL, "n/a", false);
		break;
	}
}

/* A bad events.csv row near lead `num`: e is a plain page visit an hour
 * after `created`, moved back to `created` when that is past the end. */
static void bad_event_row(gen *g, uint64_t num, gev e, ts_ms created, int kind, int k)
{
	obuf *eb = &g->out[SRC_EVENTS];
	switch (kind) {
	case BAD_EV_DATE:
		ob_lead_id(eb, num);
		ob_putc(eb, ',');
		ob_puts(eb, k % 2 ? "2026-02-29T12:00:00Z" : "yesterday");
		ob_puts(eb, ",page_visit,direct,\n");
		eb->rows++;
		break;
	case BAD_EV_FIELDS:
		ob_lead_id(eb, num);
		ob_putc(eb, ',');
		ob_ts(eb, e.at < g->end ? e.at : created, TF_Z, 0);
		ob_puts(eb, ",page_visit\n");
		eb->rows++;
		break;
	case BAD_EV_TYPE:
		if (e.at >= g->end)
			e.at = created;
		gen_write_event(eb, num, &e, 0, k % 2 ? "Video Watched" : "chat_started");
		break;
	default: /* BAD_EV_ORPHAN */
		if (e.at >= g->end)
			e.at = created;
		gen_write_event(eb, orphan_num(g, k), &e, 0, NULL);
		break;
	}
}

/* A bad opportunities.csv row near lead l. */
static void bad_opp_row(gen *g, const glead *l, int kind, int k)
{
	obuf *ob = &g->out[SRC_OPPORTUNITIES];
	if (kind == BAD_OPP_DUP) {
		/* the last good opportunity again; before the first, right after it */
		if (g->last_opp_row) {
			ob_puts(ob, g->last_opp_row);
			ob->rows++;
		} else {
			g->pending_opp_dups++;
		}
		return;
	}
	gopp o = {.id = ++g->next_bad_opp,
		  .bad = true,
		  .created = l->t[LT_CREATED],
		  .is_closed = false,
		  .closed = day_floor(g->end + 30 * MS_PER_DAY),
		  .fmt_closed = TF_DATE,
		  .stage = "Qualification",
		  .cents = 1500000};
	if (kind == BAD_OPP_ORPHAN)
		gen_write_opp(g, &o, orphan_num(g, k), NULL);
	else
		gen_write_opp(g, &o, l->num, "TBD");
}

/* The k-th bad row of `kind` scheduled after lead `num`. Each uses its own
 * stream. */
static void bad_row_after_lead(gen *g, uint64_t num, int kind, int k)
{
	rng r;
	rng_seed(&r, g->seed, UINT64_MAX - 1 - (uint64_t)kind * 100000 - (uint64_t)k);
	/* a plausible profile for the rows that need one */
	rng lr;
	rng_seed(&lr, g->seed, num);
	glead l;
	glead_init(&l, num);
	ts_ms created = g->start + (ts_ms)(rng_unif(&r) * (double)(g->end - g->start - 3600000));
	l.t[LT_CREATED] = created / 1000 * 1000;
	gen_draw_profile(&lr, &l);
	gev e = {.at = l.t[LT_CREATED] + 3600000,
		 .fmt = TF_Z,
		 .type = EV_PAGE_VISIT,
		 .channel = "organic_search",
		 .campaign = "seo_blog"};
	if (kind < BAD_EV_DATE)
		bad_lead_row(g, &l, kind, k);
	else if (kind < BAD_OPP_ORPHAN)
		bad_event_row(g, num, e, created, kind, k);
	else if (kind < BAD_SP_NEG)
		bad_opp_row(g, &l, kind, k);
}

void gen_bad_after_lead(gen *g, bad_plan *p, uint64_t num)
{
	while (p->next < p->n && p->slots[p->next].at == num) {
		int kind = p->slots[p->next++].kind;
		bad_row_after_lead(g, num, kind, p->kth[kind]++);
	}
}

/* A bad spend.csv row on `day`. */
static void bad_spend_row(gen *g, ts_ms day, int kind)
{
	obuf *b = &g->out[SRC_SPEND];
	int64_t y;
	int m, d;
	ts_civil_from_days(day / MS_PER_DAY, &y, &m, &d);
	switch (kind) {
	case BAD_SP_NEG:
		ob_ts(b, day, TF_DATE, 0);
		ob_puts(b, ",paid_search,gs_brand,-125.00,USD\n");
		break;
	case BAD_SP_CUR:
		ob_ts(b, day, TF_DATE, 0);
		ob_puts(b, ",linkedin,li_abm_enterprise,980.00,EUR\n");
		break;
	case BAD_SP_DATE: {
		char text[24];
		snprintf(text, sizeof text, "%04lld-02-30", (long long)y);
		ob_puts(b, text);
		ob_puts(b, ",paid_social,fb_lookalike_q4,200.00,USD\n");
		break;
	}
	default: /* BAD_SP_FIELDS */
		ob_ts(b, day, TF_DATE, 0);
		ob_puts(b, ",paid_search,310.00\n");
		break;
	}
	b->rows++;
}

void gen_bad_after_day(gen *g, bad_plan *p, size_t d, ts_ms day)
{
	while (p->next < p->n && p->slots[p->next].at == d)
		bad_spend_row(g, day, p->slots[p->next++].kind);
}
