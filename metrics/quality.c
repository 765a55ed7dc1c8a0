/* quality.c — `data_quality` (SPEC §6/§8): what ingest counted per source
 * combined with what depends on as_of (timestamps at or after it, the
 * newest, staleness, orphans, unknown event types, negative durations).
 * It must not re-read or recount the sources: ingest's counts are used as
 * they are. */
#include "quality.h"

#include <stdlib.h>
#include <string.h>

#include "names.h"

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

/* What one pass over the rows finds. */
typedef struct quality_scan {
	src_time st[SRC_COUNT];
	int64_t neg_created_mql, neg_mql_sql, neg_mql_won;
	int64_t orphaned_events, orphaned_opps, unknown;
	int64_t *unknown_by; /* per type sym, only when some type is unknown */
	sym *unknown_order;  /* the unknown types in first-seen order */
	size_t nunknown, unknown_cap;
} quality_scan;

static void scan_leads(quality_scan *q, const view *v)
{
	const dataset *ds = v->ds;
	for (size_t i = 0; i < ds->nleads; i++) {
		for (int f = 0; f < LT_COUNT; f++)
			see(&q->st[SRC_LEADS], lead_t(ds, &ds->leads[i], f), v->as_of);
		lead_view l_at = lv_get(v, i);
		const lead_view *l = &l_at;
		if (!l->exists || !lv_set(l, LT_MQL))
			continue;
		ts_ms mql = l->t[LT_MQL];
		q->neg_created_mql += mql < l->t[LT_CREATED];
		q->neg_mql_sql += lv_set(l, LT_SQL) && l->t[LT_SQL] < mql;
		q->neg_mql_won += lv_set(l, LT_WON) && l->t[LT_WON] < mql;
	}
}

static void count_unknown(quality_scan *q, const dataset *ds, sym type)
{
	q->unknown++;
	if (!q->unknown_by) {
		size_t nsyms = pool_count(ds->pool);
		q->unknown_by = xcalloc(nsyms ? nsyms : 1, sizeof *q->unknown_by);
	}
	if (q->unknown_by[type]++ == 0) {
		VEC_RESERVE(q->unknown_order, q->unknown_cap, q->nunknown + 1);
		q->unknown_order[q->nunknown++] = type;
	}
}

/* The events lead by lead (lead_ev), then the orphans after the last
 * lead's: whether an event's lead exists is asked once per lead. A lead's
 * events are in time order (those without a time first), so its events
 * from as_of on, its newest before, and its count before are found by a
 * search; its events are read one by one only while some tag of the data
 * set is of an unknown type. */
static void scan_events(quality_scan *q, const view *v)
{
	const dataset *ds = v->ds;
	src_time *st = &q->st[SRC_EVENTS];
	if (!ds->nevents) /* none (the engine patches its own counts in): no lead_ev either */
		return;
	bool unknown = false;
	for (size_t t = 0; t < ds->ntags && !unknown; t++)
		unknown = ev_kind(ds->tags[t].type) == EV_UNKNOWN;
	for (size_t l = 0; l < ds->nleads; l++) {
		uint32_t from = ds->lead_ev[l], end = ds->lead_ev[l + 1];
		if (from == end)
			continue;
		uint32_t to = ds_lead_event_from(ds, l, v->as_of);
		st->after_as_of += end - to;
		if (to > from)
			see(st, ev_at(ds, &ds->events[to - 1]), v->as_of); /* TS_NONE: none */
		if (!lv_exists(v, l)) {
			q->orphaned_events += to - from;
			continue;
		}
		for (uint32_t k = from; unknown && k < to; k++)
			if (ev_kind_of(&ds->events[k]) == EV_UNKNOWN)
				count_unknown(q, ds, ds_tag(ds, &ds->events[k])->type);
	}
	for (size_t k = ds->lead_ev[ds->nleads]; k < ds->nevents; k++) {
		ts_ms at = ev_at(ds, &ds->events[k]);
		see(st, at, v->as_of);
		q->orphaned_events += at < v->as_of;
	}
}

static void scan_spend_and_opps(quality_scan *q, const view *v)
{
	const dataset *ds = v->ds;
	for (size_t k = 0; k < ds->nspend; k++)
		see(&q->st[SRC_SPEND], ds->spend[k].day, v->as_of);
	for (size_t k = 0; k < ds->nopps; k++) {
		const opportunity *o = &ds->opps[k];
		see(&q->st[SRC_OPPORTUNITIES], o->created, v->as_of);
		see(&q->st[SRC_OPPORTUNITIES], o->closed, v->as_of);
		if (o->created != TS_NONE && o->created < v->as_of &&
		    (o->lead == NO_LEAD || !lv_exists(v, o->lead)))
			q->orphaned_opps++;
	}
}

/* Spend rows that repeat an earlier one exactly (day, channel, campaign,
 * amount): SPEC sums every accepted row, so an export appended twice
 * counts twice; the health check spend_repeated says so. The rows' keys
 * are copied and sorted, so that equal rows lie side by side. */
typedef struct spend_key {
	ts_ms day;
	double amount;
	sym channel, campaign;
} spend_key;

static int spend_key_cmp(const void *a, const void *b)
{
	const spend_key *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->channel != y->channel)
		return x->channel < y->channel ? -1 : 1;
	if (x->campaign != y->campaign)
		return x->campaign < y->campaign ? -1 : 1;
	return (x->amount > y->amount) - (x->amount < y->amount);
}

static int64_t repeated_spend(const dataset *ds)
{
	if (ds->nspend < 2)
		return 0;
	spend_key *k = xmalloc(ds->nspend * sizeof *k);
	for (size_t i = 0; i < ds->nspend; i++) {
		const spend_row *r = &ds->spend[i];
		k[i] = (spend_key){r->day, r->amount, r->channel, r->campaign};
	}
	qsort(k, ds->nspend, sizeof *k, spend_key_cmp);
	int64_t n = 0;
	for (size_t i = 1; i < ds->nspend; i++)
		n += spend_key_cmp(&k[i - 1], &k[i]) == 0;
	free(k);
	return n;
}

/* The per-source rows of dq; returns the list of stale sources. */
static mval *sources_rows(mval *dq, const quality_scan *q, const view *v)
{
	const dataset *ds = v->ds;
	mval *sources = mv_set(dq, "sources", mv_arr());
	mval *stale_list = mv_arr();
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *ss = &ds->src[s];
		if (s == SRC_OPPORTUNITIES && !ss->present && !ds->has_opportunities)
			continue; /* the optional source was not configured */
		const src_time *st = &q->st[s];
		bool stale = st->newest == TS_NONE || st->newest < v->as_of - QUALITY_STALE_MS;
		mval *o = mv_push(sources, mv_obj());
		mv_set(o, "source", mv_str(source_name[s]));
		mv_set(o, "rows_read", mv_int(ss->rows_read, MF_COUNT));
		mv_set(o, "rows_accepted", mv_int(ss->rows_accepted, MF_COUNT));
		mv_set(o, "rows_rejected", mv_int(ss->rows_rejected, MF_COUNT));
		mv_set(o, "rejected_by_reason", counts_obj(&ss->rejected_by_reason));
		mv_set(o, "warnings_by_field", counts_obj(&ss->warnings_by_field));
		mv_set(o, "timestamps_after_as_of", mv_int(st->after_as_of, MF_COUNT));
		mv_set(o, "newest_timestamp", mv_time(st->newest));
		mv_set(o, "stale", mv_bool(stale));
		/* extensions: a report's lines before and after the data, shown when
		 * there were any */
		if (ss->preamble_lines)
			mv_set(o, "preamble_lines", mv_int(ss->preamble_lines, MF_COUNT));
		if (ss->footer_lines)
			mv_set(o, "footer_lines", mv_int(ss->footer_lines, MF_COUNT));
		/* of a source summed from several files, each file whose rows were
		 * all rejected: its share of the source's rows may be small, and
		 * its whole spend is then missing */
		for (size_t f = 0; ss->nfiles > 1 && f < ss->nfiles; f++) {
			const source_file *sf = &ss->files[f];
			if (sf->rows_read == 0 || sf->rows_accepted > 0)
				continue;
			mval *none = mv_get(o, "files_none_accepted");
			if (!none)
				none = mv_set(o, "files_none_accepted", mv_arr());
			mval *fo = mv_push(none, mv_obj());
			mv_set(fo, "file", mv_str(sf->name));
			mv_set(fo, "location", mv_str(sf->location ? sf->location : ""));
			mv_set(fo, "rows_read", mv_int(sf->rows_read, MF_COUNT));
			mv_set(fo, "rejected_by_reason", counts_obj(&sf->rejected_by_reason));
		}
		/* and the line of a row a file ends inside, cut off */
		if (ss->cut_row)
			mv_set(o, "truncated_at_line", mv_int(ss->cut_row, MF_COUNT));
		/* amounts read as written that may not be what their writer
		 * meant: another currency's sign, or thousands as thousandths */
		if (ss->sign_other)
			mv_set(o, "amounts_other_sign", mv_int(ss->sign_other, MF_COUNT));
		if (ss->thousandths)
			mv_set(o, "amounts_as_thousandths", mv_int(ss->thousandths, MF_COUNT));
		if (stale)
			mv_push(stale_list, mv_str(source_name[s]));
	}
	return stale_list;
}

mval *quality_table(const view *v)
{
	const dataset *ds = v->ds;
	quality_scan q = {0};
	for (int s = 0; s < SRC_COUNT; s++)
		q.st[s] = (src_time){0, TS_NONE};
	scan_leads(&q, v);
	scan_events(&q, v);
	scan_spend_and_opps(&q, v);

	mval *dq = mv_obj();
	mval *stale_list = sources_rows(dq, &q, v);
	mval *dup = mv_set(dq, "duplicates", mv_obj());
	mv_set(dup, "leads", mv_int(ds->duplicate_leads, MF_COUNT));
	mv_set(dup, "opportunities", mv_int(ds->duplicate_opps, MF_COUNT));
	mv_set(dq, "orphaned_events", mv_int(q.orphaned_events, MF_COUNT));
	mv_set(dq, "orphaned_opportunities", mv_int(q.orphaned_opps, MF_COUNT));
	mv_set(dq, "unknown_event_types", mv_int(q.unknown, MF_COUNT));
	mval *by_type = mv_set(dq, "unknown_event_types_by_type", mv_obj());
	names_sort(ds, q.unknown_order, q.nunknown, NULL);
	for (size_t k = 0; k < q.nunknown; k++)
		mv_set(by_type, ds_str(ds, q.unknown_order[k]),
		       mv_int(q.unknown_by[q.unknown_order[k]], MF_COUNT));
	mv_set(dq, "negative_durations",
	       mv_int(q.neg_created_mql + q.neg_mql_sql + q.neg_mql_won, MF_COUNT));
	mval *neg = mv_set(dq, "negative_durations_by_kind", mv_obj());
	mv_set(neg, "created_to_mql", mv_int(q.neg_created_mql, MF_COUNT));
	mv_set(neg, "mql_to_sql", mv_int(q.neg_mql_sql, MF_COUNT));
	mv_set(neg, "mql_to_won", mv_int(q.neg_mql_won, MF_COUNT));
	mv_set(dq, "stale_sources", stale_list);
	/* an extension of SPEC §8 (docs/metrics.md) */
	mv_set(dq, "repeated_spend_rows", mv_int(repeated_spend(ds), MF_COUNT));

	free(q.unknown_by);
	free(q.unknown_order);
	return dq;
}
