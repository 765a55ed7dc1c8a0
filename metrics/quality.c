/* quality.c — `data_quality` (SPEC §6/§8): what ingest counted per source
 * combined with what depends on as_of (timestamps at or after it, the
 * newest, staleness, orphans, unknown event types, negative durations).
 * It must not re-read or recount the sources: ingest's counts are used as
 * they are. */
#include "quality.h"

#include <stdlib.h>
#include <string.h>

/* The as_of-dependent part of one source. */
typedef struct src_time {
	int64_t after_as_of; /* timestamp fields at or after as_of */
	ts_ms newest;	     /* the newest one before as_of; TS_NONE when none */
} src_time;

static void see(src_time *s, ts_ms t, ts_ms as_of)
{
	if (t == TS_NONE)
		return;
	if (t >= as_of)
		s->after_as_of++;
	else if (s->newest == TS_NONE || t > s->newest)
		s->newest = t;
}

static mval *counts_obj(const kvcounts *c)
{
	mval *o = mv_obj();
	for (size_t i = 0; i < c->len; i++)
		mv_set(o, c->items[i].key, mv_int(c->items[i].n, MF_COUNT));
	return o;
}

static int name_cmp(const void *a, const void *b, void *pool)
{
	return strcmp(pool_str(pool, *(const sym *)a), pool_str(pool, *(const sym *)b));
}

mval *quality_table(const view *v)
{
	const dataset *ds = v->ds;
	ts_ms as_of = v->as_of;
	src_time st[SRC_COUNT];
	for (int s = 0; s < SRC_COUNT; s++)
		st[s] = (src_time){0, TS_NONE};

	int64_t neg_created_mql = 0, neg_mql_sql = 0, neg_mql_won = 0;
	for (size_t i = 0; i < ds->nleads; i++) {
		for (int f = 0; f < LT_COUNT; f++)
			see(&st[SRC_LEADS], ds->leads[i].t[f], as_of);
		const lead_view *l = &v->lv[i];
		if (!l->exists || !lv_set(l, LT_MQL))
			continue;
		ts_ms mql = l->t[LT_MQL];
		neg_created_mql += mql < l->t[LT_CREATED];
		neg_mql_sql += lv_set(l, LT_SQL) && l->t[LT_SQL] < mql;
		neg_mql_won += lv_set(l, LT_WON) && l->t[LT_WON] < mql;
	}

	int64_t orphaned_events = 0, unknown = 0;
	size_t nsyms = pool_count(ds->pool);
	int64_t *unknown_by = NULL; /* per type sym, only when some type is unknown */
	sym *unknown_order = NULL;
	size_t nunknown = 0, unknown_cap = 0;
	for (size_t k = 0; k < ds->nevents; k++) {
		const event *ev = &ds->events[k];
		see(&st[SRC_EVENTS], ev->at, as_of);
		if (ev->at >= as_of)
			continue;
		if (ev->lead == NO_LEAD || !v->lv[ev->lead].exists) {
			orphaned_events++;
			continue;
		}
		if (ev_kind(ev->type) != EV_UNKNOWN)
			continue;
		unknown++;
		if (!unknown_by)
			unknown_by = xcalloc(nsyms ? nsyms : 1, sizeof *unknown_by);
		if (unknown_by[ev->type]++ == 0) {
			VEC_RESERVE(unknown_order, unknown_cap, nunknown + 1);
			unknown_order[nunknown++] = ev->type;
		}
	}

	for (size_t k = 0; k < ds->nspend; k++)
		see(&st[SRC_SPEND], ds->spend[k].day, as_of);

	int64_t orphaned_opps = 0;
	for (size_t k = 0; k < ds->nopps; k++) {
		const opportunity *o = &ds->opps[k];
		see(&st[SRC_OPPORTUNITIES], o->created, as_of);
		see(&st[SRC_OPPORTUNITIES], o->closed, as_of);
		if (o->created != TS_NONE && o->created < as_of &&
		    (o->lead == NO_LEAD || !v->lv[o->lead].exists))
			orphaned_opps++;
	}

	mval *dq = mv_obj();
	mval *sources = mv_set(dq, "sources", mv_arr());
	mval *stale_list = mv_arr();
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *ss = &ds->src[s];
		if (s == SRC_OPPORTUNITIES && !ss->present && !ds->has_opportunities)
			continue; /* the optional source was not configured */
		bool stale = st[s].newest == TS_NONE || st[s].newest < as_of - QUALITY_STALE_MS;
		mval *o = mv_push(sources, mv_obj());
		mv_set(o, "source", mv_str(source_name[s]));
		mv_set(o, "rows_read", mv_int(ss->rows_read, MF_COUNT));
		mv_set(o, "rows_accepted", mv_int(ss->rows_accepted, MF_COUNT));
		mv_set(o, "rows_rejected", mv_int(ss->rows_rejected, MF_COUNT));
		mv_set(o, "rejected_by_reason", counts_obj(&ss->rejected_by_reason));
		mv_set(o, "warnings_by_field", counts_obj(&ss->warnings_by_field));
		mv_set(o, "timestamps_after_as_of", mv_int(st[s].after_as_of, MF_COUNT));
		mv_set(o, "newest_timestamp", mv_time(st[s].newest));
		mv_set(o, "stale", mv_bool(stale));
		if (stale)
			mv_push(stale_list, mv_str(source_name[s]));
	}

	mval *dup = mv_set(dq, "duplicates", mv_obj());
	mv_set(dup, "leads", mv_int(ds->duplicate_leads, MF_COUNT));
	mv_set(dup, "opportunities", mv_int(ds->duplicate_opps, MF_COUNT));
	mv_set(dq, "orphaned_events", mv_int(orphaned_events, MF_COUNT));
	mv_set(dq, "orphaned_opportunities", mv_int(orphaned_opps, MF_COUNT));
	mv_set(dq, "unknown_event_types", mv_int(unknown, MF_COUNT));
	mval *by_type = mv_set(dq, "unknown_event_types_by_type", mv_obj());
	if (nunknown)
		qsort_r(unknown_order, nunknown, sizeof *unknown_order, name_cmp, ds->pool);
	for (size_t k = 0; k < nunknown; k++)
		mv_set(by_type, ds_str(ds, unknown_order[k]),
		       mv_int(unknown_by[unknown_order[k]], MF_COUNT));
	mv_set(dq, "negative_durations",
	       mv_int(neg_created_mql + neg_mql_sql + neg_mql_won, MF_COUNT));
	mval *neg = mv_set(dq, "negative_durations_by_kind", mv_obj());
	mv_set(neg, "created_to_mql", mv_int(neg_created_mql, MF_COUNT));
	mv_set(neg, "mql_to_sql", mv_int(neg_mql_sql, MF_COUNT));
	mv_set(neg, "mql_to_won", mv_int(neg_mql_won, MF_COUNT));
	mv_set(dq, "stale_sources", stale_list);

	free(unknown_by);
	free(unknown_order);
	return dq;
}
