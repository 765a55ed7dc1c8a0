/* lifecycle.c — SPEC §4's lifecycle stages, first match wins. It must not
 * do I/O nor read a lead except through the view. */
#include "lifecycle.h"

const char *const lc_stage_name[LC_COUNT] = {
    "customer", "lost", "sql", "hot", "mql", "pql", "lead",
};

#define HOT_WINDOW_MS (14 * MS_PER_DAY)

int lifecycle_of(const view *v, size_t i)
{
	lead_view l_at = lv_get(v, i);
	const lead_view *l = &l_at;
	if (!l->exists)
		return -1;
	if (lv_set(l, LT_WON))
		return LC_CUSTOMER;
	if (lv_set(l, LT_LOST))
		return LC_LOST;
	if (lv_set(l, LT_SQL))
		return LC_SQL;

	/* The lead's events before as_of decide hot and pql. */
	const dataset *ds = v->ds;
	bool intent_recent = false, product = false;
	if (ds->lead_ev) {
		for (uint32_t k = ds->lead_ev[i]; k < ds->lead_ev[i + 1]; k++) {
			const event *e = &ds->events[k];
			if (ev_at(ds, e) >= v->as_of)
				break; /* sorted by time: the rest has not happened yet */
			int kind = ev_kind_of(e);
			if ((kind == EV_DEMO_REQUEST || kind == EV_PRICING_PAGE_VISIT) &&
			    ev_at(ds, e) >= v->as_of - HOT_WINDOW_MS)
				intent_recent = true;
			if (kind == EV_PRODUCT_SIGNUP || kind == EV_TRIAL_ACTIVITY)
				product = true;
		}
	}
	if (lv_set(l, LT_MQL))
		return intent_recent ? LC_HOT : LC_MQL;
	if (product)
		return LC_PQL;
	return LC_LEAD;
}

mval *lifecycle_table(const view *v)
{
	int64_t n[LC_COUNT] = {0};
	for (size_t i = 0; i < v->ds->nleads; i++) {
		int s = lifecycle_of(v, i);
		if (s >= 0)
			n[s]++;
	}
	mval *o = mv_obj();
	for (int s = 0; s < LC_COUNT; s++)
		mv_set(o, lc_stage_name[s], mv_int(n[s], MF_COUNT));
	return o;
}
