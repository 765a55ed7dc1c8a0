/* engagement.c — SPEC §6 Engagement: per window, the events of each type,
 * the unique leads with one, and for content downloads the share of those
 * leads that are MQLs. The counts are gathered per view and keyed by the
 * type's name, so the engine's chunks (each its own data set) add up to
 * what one view of every lead gives.
 *
 * It must not do I/O nor read a lead except through the view. */
#include "engagement.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"
#include "trend.h"

typedef struct eng_acc {
	int64_t events, leads, mql_leads;
	uint32_t last_lead; /* the last lead counted in this view, to count each once */
} eng_acc;

struct eng_counts {
	GHashTable *slot_of; /* type name → slot + 1 */
	char **names;	     /* per slot, owned */
	int *kinds;	     /* per slot: enum ev_kind */
	eng_acc (*acc)[WIN_COUNT];
	size_t ntypes, cap;
};

eng_counts *eng_counts_new(void)
{
	eng_counts *c = xcalloc(1, sizeof *c);
	c->slot_of = g_hash_table_new(g_str_hash, g_str_equal);
	return c;
}

void eng_counts_free(eng_counts *c)
{
	if (!c)
		return;
	g_hash_table_destroy(c->slot_of);
	for (size_t t = 0; t < c->ntypes; t++)
		free(c->names[t]);
	free(c->names);
	free(c->kinds);
	free(c->acc);
	free(c);
}

/* The slot of a type's name, added when new. */
static uint32_t slot_of_name(eng_counts *c, const char *name, int kind)
{
	size_t at = GPOINTER_TO_SIZE(g_hash_table_lookup(c->slot_of, name));
	if (at)
		return (uint32_t)(at - 1);
	if (c->ntypes == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->names = xrealloc(c->names, c->cap * sizeof *c->names);
		c->kinds = xrealloc(c->kinds, c->cap * sizeof *c->kinds);
		c->acc = xrealloc(c->acc, c->cap * sizeof *c->acc);
	}
	c->names[c->ntypes] = xstrdup(name);
	c->kinds[c->ntypes] = kind;
	for (int w = 0; w < WIN_COUNT; w++)
		c->acc[c->ntypes][w] = (eng_acc){.last_lead = NO_LEAD};
	g_hash_table_insert(c->slot_of, c->names[c->ntypes], GSIZE_TO_POINTER(c->ntypes + 1));
	return (uint32_t)c->ntypes++;
}

/* The first of lead i's events at or after t (its events are in time order). */
static uint32_t first_event_from(const dataset *ds, size_t i, ts_ms t)
{
	uint32_t lo = ds->lead_ev[i], hi = ds->lead_ev[i + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ds->events[mid].at < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The slot of an event's type through the view's dense map (types are few,
 * syms many). */
static eng_acc *slot_acc(eng_counts *c, uint32_t *slot, const dataset *ds, sym type)
{
	if (slot[type] == UINT32_MAX)
		slot[type] = slot_of_name(c, ds_str(ds, type), ev_kind(type));
	return c->acc[slot[type]];
}

static void count_lead(eng_counts *c, uint32_t *slot, const view *v, size_t i,
		       const ts_ms start[WIN_COUNT])
{
	const dataset *ds = v->ds;
	bool mql = lv_set(&v->lv[i], LT_MQL);
	for (uint32_t k = first_event_from(ds, i, start[WIN_13W]); k < ds->lead_ev[i + 1]; k++) {
		const event *ev = &ds->events[k];
		if (ev->at >= v->as_of)
			break;
		eng_acc *a = slot_acc(c, slot, ds, ds_tag(ds, ev)->type);
		for (int w = 0; w < WIN_COUNT; w++) {
			if (ev->at < start[w])
				continue;
			a[w].events++;
			if (a[w].last_lead != (uint32_t)i) {
				a[w].last_lead = (uint32_t)i;
				a[w].leads++;
				a[w].mql_leads += mql;
			}
		}
	}
}

void eng_counts_add(eng_counts *c, const view *v)
{
	const dataset *ds = v->ds;
	size_t nsyms = pool_count(ds->pool);
	ts_ms start[WIN_COUNT];
	for (int w = 0; w < WIN_COUNT; w++)
		start[w] = funnel_window_start(v->p, w);
	for (size_t t = 0; t < c->ntypes; t++)
		for (int w = 0; w < WIN_COUNT; w++)
			c->acc[t][w].last_lead = NO_LEAD;
	uint32_t *slot = xmalloc((nsyms ? nsyms : 1) * sizeof *slot);
	memset(slot, 0xff, (nsyms ? nsyms : 1) * sizeof *slot);
	for (size_t i = 0; i < ds->nleads; i++)
		if (v->lv[i].exists)
			count_lead(c, slot, v, i, start);
	free(slot);
}

typedef struct eng_sort {
	const uint32_t *rank; /* per slot: its place by name */
	const eng_acc *acc;   /* per slot, the window being sorted */
} eng_sort;

static int eng_cmp(const void *a, const void *b, void *ctx)
{
	const eng_sort *s = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (s->acc[x].events != s->acc[y].events)
		return s->acc[x].events > s->acc[y].events ? -1 : 1;
	return s->rank[x] < s->rank[y] ? -1 : s->rank[x] > s->rank[y];
}

static int eng_name_cmp(const void *a, const void *b, void *names)
{
	char *const *n = names;
	return strcmp(n[*(const uint32_t *)a], n[*(const uint32_t *)b]);
}

/* Each type's place by name, so that the windows' sorts compare numbers.
 * `order` is scratch of ntypes elements. Caller frees. */
static uint32_t *eng_rank(const eng_counts *c, uint32_t *order)
{
	uint32_t *rank = xmalloc((c->ntypes ? c->ntypes : 1) * sizeof *rank);
	for (size_t t = 0; t < c->ntypes; t++)
		order[t] = (uint32_t)t;
	if (c->ntypes)
		qsort_r(order, c->ntypes, sizeof *order, eng_name_cmp, c->names);
	for (size_t k = 0; k < c->ntypes; k++)
		rank[order[k]] = (uint32_t)k;
	return rank;
}

/* One window's rows: types with events, most events first. `one` and
 * `order` are scratch arrays of ntypes elements. */
static mval *eng_rows(const eng_counts *c, int w, const uint32_t *rank, eng_acc *one,
		      uint32_t *order)
{
	size_t n = 0;
	for (size_t t = 0; t < c->ntypes; t++) {
		one[t] = c->acc[t][w];
		if (one[t].events > 0)
			order[n++] = (uint32_t)t;
	}
	eng_sort ctx = {rank, one};
	if (n)
		qsort_r(order, n, sizeof *order, eng_cmp, &ctx);
	mval *rows = mv_arr();
	for (size_t k = 0; k < n; k++) {
		const eng_acc *a = &one[order[k]];
		int kind = c->kinds[order[k]];
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "type", mv_str(c->names[order[k]]));
		mv_set(o, "events", mv_int(a->events, MF_COUNT));
		mv_set(o, "unique_leads", mv_int(a->leads, MF_COUNT));
		if (kind == EV_CONTENT_DOWNLOAD || kind == EV_PREMIUM_CONTENT_DOWNLOAD)
			funnel_set_rate(o, "mql_rate", a->mql_leads, a->leads);
	}
	return rows;
}

mval *eng_counts_table(const eng_counts *c)
{
	mval *out = mv_obj();
	eng_acc *one = xmalloc((c->ntypes ? c->ntypes : 1) * sizeof *one);
	uint32_t *order = xmalloc((c->ntypes ? c->ntypes : 1) * sizeof *order);
	uint32_t *rank = eng_rank(c, order);
	for (int w = 0; w < WIN_COUNT; w++)
		mv_set(out, funnel_window_name[w], eng_rows(c, w, rank, one, order));
	free(rank);
	free(order);
	free(one);
	return out;
}

mval *engagement_table(const view *v)
{
	eng_counts *c = eng_counts_new();
	eng_counts_add(c, v);
	mval *t = eng_counts_table(c);
	eng_counts_free(c);
	return t;
}
