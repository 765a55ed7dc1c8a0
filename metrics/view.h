/* view.h — the data set as of as_of (SPEC §2, §3, §4).
 *
 * Everything stamped at or after as_of has not happened yet: such a lead
 * does not exist, such a field is empty. The view also applies mql_source
 * (export column or score replay) and, with an opportunities source, the
 * per-lead fields it supplies. Every metric reads leads through this. */
#ifndef MQL_VIEW_H
#define MQL_VIEW_H

#include "metrics.h"

enum opp_state { OPP_NONE, OPP_OPEN, OPP_WON, OPP_LOST }; /* NONE: created at/after as_of */

typedef struct lead_view {
	ts_ms t[LT_COUNT]; /* effective fields: TS_NONE when empty or at/after as_of */
	double amount;	   /* NAN when empty */
	bool exists;	   /* created_at < as_of */
} lead_view;

typedef struct view {
	const dataset *ds;
	const metrics_params *p;
	ts_ms as_of;
	lead_view *lv;		 /* ds->nleads */
	const lead_score *score; /* ds->nleads: the score as of as_of (p->scores when set) */
	lead_score *own_score;	 /* the scores the view replayed itself; NULL: p->scores */
	uint8_t *opp_state;	 /* ds->nopps, enum opp_state */
} view;

/* Build the view. Returns a new view owned by the caller (view_free). */
view *view_new(const dataset *ds, const metrics_params *p);
void view_free(view *v);

static inline bool lv_set(const lead_view *l, int field)
{
	return l->t[field] != TS_NONE;
}

#endif
