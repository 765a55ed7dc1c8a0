/* view.c — the data set as of as_of (SPEC §2, §3, §4): what has happened
 * by then, mql_source applied, the opportunities' fields per lead. It must
 * not change the data set: the view derives its effective fields (view.h). */
#include "view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* True when a closed opportunity counts as won (SPEC §3): its is_won, or,
 * where is_won is empty, its normalised stage. */
static bool opp_is_won(const dataset *ds, const opportunity *o)
{
	if (o->is_won >= 0)
		return o->is_won == 1;
	const char *stage = ds_str(ds, o->stage);
	return strcmp(stage, "won") == 0 || strcmp(stage, "closed_won") == 0;
}

static enum opp_state opp_state_of(const dataset *ds, const opportunity *o, ts_ms as_of)
{
	if (o->created == TS_NONE || o->created >= as_of)
		return OPP_NONE;
	bool closed = o->closed != TS_NONE && o->closed < as_of && o->is_closed != 0;
	if (!closed)
		return OPP_OPEN;
	return opp_is_won(ds, o) ? OPP_WON : OPP_LOST;
}

/* Each existing lead's opportunity_at, won_at, lost_at and amount as its
 * opportunities say (SPEC §3), one record per lead that has any that
 * counts. A lead's amount is the sum of its won opportunities' amounts
 * (NAN when none has one); lost_at only when no opportunity is won. */
static void apply_opportunities(view *v)
{
	const dataset *ds = v->ds;
	v->opp_of = xcalloc(ds->nleads ? ds->nleads : 1, sizeof *v->opp_of);
	v->opps = xmalloc((ds->nopps ? ds->nopps : 1) * sizeof *v->opps);
	size_t n = 0;
	for (size_t k = 0; k < ds->nopps; k++) {
		const opportunity *o = &ds->opps[k];
		enum opp_state st = v->opp_state[k];
		if (st == OPP_NONE || o->lead == NO_LEAD || !lv_exists(v, o->lead))
			continue;
		if (!v->opp_of[o->lead]) {
			v->opps[n] = (view_opp){TS_NONE, TS_NONE, TS_NONE, NAN};
			v->opp_of[o->lead] = (uint32_t)++n;
		}
		view_opp *l = &v->opps[v->opp_of[o->lead] - 1];
		if (l->opportunity == TS_NONE || o->created < l->opportunity)
			l->opportunity = o->created;
		if (st == OPP_WON) {
			if (l->won == TS_NONE || o->closed < l->won)
				l->won = o->closed;
			if (!isnan(o->amount))
				l->amount = isnan(l->amount) ? o->amount : l->amount + o->amount;
		} else if (st == OPP_LOST) {
			if (l->lost == TS_NONE || o->closed > l->lost)
				l->lost = o->closed;
		}
	}
	for (size_t k = 0; k < n; k++)
		if (v->opps[k].won != TS_NONE)
			v->opps[k].lost = TS_NONE;
}

view *view_new(const dataset *ds, const metrics_params *p)
{
	view *v = xcalloc(1, sizeof *v);
	v->ds = ds;
	v->p = p;
	v->as_of = p->as_of;
	v->opp_state = xcalloc(ds->nopps ? ds->nopps : 1, sizeof *v->opp_state);

	if (!p->scores) {
		size_t n = ds->nleads ? ds->nleads : 1;
		v->own_score = xcalloc(n, sizeof *v->own_score);
		if (p->score_cats)
			v->cats = xcalloc(n, sizeof *v->cats);
		if (p->model)
			score_replay(p->model, ds, v->as_of, v->own_score, v->cats);
		else
			for (size_t i = 0; i < ds->nleads; i++)
				v->own_score[i].mql_at = TS_NONE;
	}
	v->score = p->scores ? p->scores : v->own_score;
	v->mql_from_score = metrics_mql_from_score(p->mql_source, ds->leads_have_mql);

	for (size_t k = 0; k < ds->nopps; k++)
		v->opp_state[k] = (uint8_t)opp_state_of(ds, &ds->opps[k], v->as_of);
	if (ds->has_opportunities)
		apply_opportunities(v);
	return v;
}

void view_free(view *v)
{
	if (!v)
		return;
	free(v->own_score);
	free(v->cats);
	free(v->opp_of);
	free(v->opps);
	free(v->opp_state);
	free(v);
}
