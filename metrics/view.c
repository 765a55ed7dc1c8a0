/* view.c — the data set as of as_of (SPEC §2, §3, §4): what has happened
 * by then, mql_source applied, the opportunities' fields per lead. It must
 * not change the data set: the view holds its own effective fields. */
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

/* Replace each existing lead's opportunity_at, won_at, lost_at and amount
 * with what its opportunities say (SPEC §3). A lead's amount becomes the sum
 * of its won opportunities' amounts (NAN when none has one). */
static void apply_opportunities(view *v)
{
	const dataset *ds = v->ds;
	for (size_t i = 0; i < ds->nleads; i++) {
		lead_view *l = &v->lv[i];
		l->t[LT_OPPORTUNITY] = l->t[LT_WON] = l->t[LT_LOST] = TS_NONE;
		l->amount = NAN;
	}
	for (size_t k = 0; k < ds->nopps; k++) {
		const opportunity *o = &ds->opps[k];
		enum opp_state st = v->opp_state[k];
		if (st == OPP_NONE || o->lead == NO_LEAD || !v->lv[o->lead].exists)
			continue;
		lead_view *l = &v->lv[o->lead];
		if (l->t[LT_OPPORTUNITY] == TS_NONE || o->created < l->t[LT_OPPORTUNITY])
			l->t[LT_OPPORTUNITY] = o->created;
		if (st == OPP_WON) {
			if (l->t[LT_WON] == TS_NONE || o->closed < l->t[LT_WON])
				l->t[LT_WON] = o->closed;
			if (!isnan(o->amount))
				l->amount = isnan(l->amount) ? o->amount : l->amount + o->amount;
		} else if (st == OPP_LOST) {
			if (l->t[LT_LOST] == TS_NONE || o->closed > l->t[LT_LOST])
				l->t[LT_LOST] = o->closed;
		}
	}
	/* lost_at only when every closed opportunity is lost */
	for (size_t i = 0; i < ds->nleads; i++) {
		lead_view *l = &v->lv[i];
		if (l->t[LT_WON] != TS_NONE)
			l->t[LT_LOST] = TS_NONE;
	}
}

view *view_new(const dataset *ds, const metrics_params *p)
{
	view *v = xcalloc(1, sizeof *v);
	v->ds = ds;
	v->p = p;
	v->as_of = p->as_of;
	v->lv = xmalloc((ds->nleads ? ds->nleads : 1) * sizeof *v->lv);
	v->opp_state = xcalloc(ds->nopps ? ds->nopps : 1, sizeof *v->opp_state);

	for (size_t i = 0; i < ds->nleads; i++) {
		const lead *src = &ds->leads[i];
		lead_view *l = &v->lv[i];
		l->exists = src->t[LT_CREATED] != TS_NONE && src->t[LT_CREATED] < v->as_of;
		for (int f = 0; f < LT_COUNT; f++) {
			ts_ms t = src->t[f];
			l->t[f] = (l->exists && t != TS_NONE && t < v->as_of) ? t : TS_NONE;
		}
		l->amount = l->exists ? src->amount : NAN;
	}

	if (!p->scores) {
		v->own_score = xcalloc(ds->nleads ? ds->nleads : 1, sizeof *v->own_score);
		if (p->model)
			score_replay(p->model, ds, v->as_of, v->own_score);
		else
			for (size_t i = 0; i < ds->nleads; i++)
				v->own_score[i].mql_at = TS_NONE;
	}
	v->score = p->scores ? p->scores : v->own_score;

	bool from_score =
	    p->mql_source == MQL_SCORE || (p->mql_source == MQL_AUTO && !ds->leads_have_mql);
	if (from_score) {
		for (size_t i = 0; i < ds->nleads; i++) {
			ts_ms m = v->score[i].mql_at;
			v->lv[i].t[LT_MQL] =
			    (v->lv[i].exists && m != TS_NONE && m < v->as_of) ? m : TS_NONE;
		}
	}

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
	free(v->lv);
	free(v->own_score);
	free(v->opp_state);
	free(v);
}
