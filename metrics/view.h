/* view.h — the data set as of as_of (SPEC §2, §3, §4).
 *
 * Everything stamped at or after as_of has not happened yet: such a lead
 * does not exist, such a field is empty. The view also applies mql_source
 * (export column or score replay) and, with an opportunities source, the
 * per-lead fields it supplies. Every metric reads leads through this.
 *
 * A lead's effective fields are not stored: lv_get() derives them from the
 * lead, its score and, with opportunities, one small record per lead that
 * has any, so the view costs no per-lead copy of the leads' times. */
#ifndef MQL_VIEW_H
#define MQL_VIEW_H

#include <math.h>

#include "metrics.h"

enum opp_state { OPP_NONE, OPP_OPEN, OPP_WON, OPP_LOST }; /* NONE: created at/after as_of */

typedef struct lead_view {
	ts_ms t[LT_COUNT]; /* effective fields: TS_NONE when empty or at/after as_of */
	double amount;	   /* NAN when empty */
	bool exists;	   /* created_at < as_of */
} lead_view;

/* What a lead's opportunities say (SPEC §3), for a lead that has any. */
typedef struct view_opp {
	ts_ms opportunity, won, lost;
	double amount; /* NAN when no won opportunity has one */
} view_opp;

typedef struct view {
	const dataset *ds;
	const metrics_params *p;
	ts_ms as_of;
	bool mql_from_score;	 /* LT_MQL is the score's mql_at */
	const lead_score *score; /* ds->nleads: the score as of as_of (p->scores when set) */
	lead_score *own_score;	 /* the scores the view replayed itself; NULL: p->scores */
	score_cats *cats;	 /* ds->nleads when p->score_cats and replayed here; else NULL */
	uint8_t *opp_state;	 /* ds->nopps, enum opp_state */
	/* With an opportunities source: opp_of[i] is 1 + lead i's place in
	 * opps, 0 when it has none that counts; NULL without the source. */
	uint32_t *opp_of;
	view_opp *opps;
} view;

/* Build the view. Returns a new view owned by the caller (view_free). */
view *view_new(const dataset *ds, const metrics_params *p);
void view_free(view *v);

static inline ts_ms lv_before(ts_ms t, ts_ms as_of)
{
	return t != TS_NONE && t < as_of ? t : TS_NONE;
}

/* True when lead i exists at as_of (created before it). */
static inline bool lv_exists(const view *v, size_t i)
{
	return lv_before(lead_t(v->ds, &v->ds->leads[i], LT_CREATED), v->as_of) != TS_NONE;
}

/* Lead i as of as_of: its effective fields. */
static inline lead_view lv_get(const view *v, size_t i)
{
	const lead *src = &v->ds->leads[i];
	lead_view l;
	l.exists = lv_exists(v, i);
	if (!l.exists) {
		for (int f = 0; f < LT_COUNT; f++)
			l.t[f] = TS_NONE;
		l.amount = NAN;
		return l;
	}
	for (int f = 0; f < LT_COUNT; f++)
		l.t[f] = lv_before(lead_t(v->ds, src, f), v->as_of);
	l.amount = src->amount;
	if (v->mql_from_score)
		l.t[LT_MQL] = lv_before(v->score[i].mql_at, v->as_of);
	if (v->opp_of) {
		uint32_t k = v->opp_of[i];
		const view_opp *o = k ? &v->opps[k - 1] : NULL;
		l.t[LT_OPPORTUNITY] = o ? o->opportunity : TS_NONE;
		l.t[LT_WON] = o ? o->won : TS_NONE;
		l.t[LT_LOST] = o ? o->lost : TS_NONE;
		l.amount = o ? o->amount : NAN;
	}
	return l;
}

static inline bool lv_set(const lead_view *l, int field)
{
	return l->t[field] != TS_NONE;
}

#endif
