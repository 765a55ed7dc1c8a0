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
#include "names.h"
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
	/* views added: the first view's types have distinct names (a sym
	 * each), so slot_of is only built and read from the second on */
	size_t views;
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
	size_t at = c->views > 1 ? GPOINTER_TO_SIZE(g_hash_table_lookup(c->slot_of, name)) : 0;
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
	if (c->views > 1)
		g_hash_table_insert(c->slot_of, c->names[c->ntypes],
				    GSIZE_TO_POINTER(c->ntypes + 1));
	return (uint32_t)c->ntypes++;
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
	bool mql = (lv_get(v, i).t[LT_MQL] != TS_NONE);
	for (uint32_t k = ds_lead_event_from(ds, i, start[WIN_13W]); k < ds->lead_ev[i + 1]; k++) {
		const event *ev = &ds->events[k];
		if (ev_at(ds, ev) >= v->as_of)
			break;
		eng_acc *a = slot_acc(c, slot, ds, ds_tag(ds, ev)->type);
		for (int w = 0; w < WIN_COUNT; w++) {
			if (ev_at(ds, ev) < start[w])
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
	if (++c->views == 2) /* the first view's names, indexed now */
		for (size_t t = 0; t < c->ntypes; t++)
			g_hash_table_insert(c->slot_of, c->names[t], GSIZE_TO_POINTER(t + 1));
	for (size_t t = 0; t < c->ntypes; t++)
		for (int w = 0; w < WIN_COUNT; w++)
			c->acc[t][w].last_lead = NO_LEAD;
	uint32_t *slot = xmalloc((nsyms ? nsyms : 1) * sizeof *slot);
	memset(slot, 0xff, (nsyms ? nsyms : 1) * sizeof *slot);
	for (size_t i = 0; i < ds->nleads; i++)
		if (lv_exists(v, i))
			count_lead(c, slot, v, i, start);
	free(slot);
}

/* A window's row to sort: most events first, then by name, as one number:
 * the events' complement above the type's place by name. Counts past 32
 * bits (only sums of many data sets reach them) sort as the largest, and
 * eng_rows() then sorts by the full count. */
static uint64_t eng_key(int64_t events, uint32_t rank)
{
	uint32_t e = events >= UINT32_MAX ? UINT32_MAX : (uint32_t)events;
	return (uint64_t)(UINT32_MAX - e) << 32 | rank;
}

static int u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

typedef struct big_ctx {
	const eng_counts *c;
	const uint32_t *slot_of_rank;
	int w;
} big_ctx;

/* For the rare keys that saturated: the full counts, then the name. */
static int big_cmp(const void *pa, const void *pb, void *ctx)
{
	const big_ctx *b = ctx;
	uint32_t ra = (uint32_t) * (const uint64_t *)pa, rb = (uint32_t) * (const uint64_t *)pb;
	int64_t ea = b->c->acc[b->slot_of_rank[ra]][b->w].events;
	int64_t eb = b->c->acc[b->slot_of_rank[rb]][b->w].events;
	if (ea != eb)
		return ea > eb ? -1 : 1;
	return ra < rb ? -1 : ra > rb;
}

/* Each type's place by name (rank: slot → place), and the way back (order:
 * place → slot), so that the windows' sorts compare numbers. */
static void eng_rank(const eng_counts *c, uint32_t *rank, uint32_t *order)
{
	names_order((const char *const *)c->names, c->ntypes, order);
	for (size_t k = 0; k < c->ntypes; k++)
		rank[order[k]] = (uint32_t)k;
}

/* One window's rows: types with events, most events first. `keys` is
 * scratch of ntypes elements. */
static mval *eng_rows(const eng_counts *c, int w, const uint32_t *rank, const uint32_t *order,
		      uint64_t *keys)
{
	size_t n = 0, big = 0;
	for (size_t t = 0; t < c->ntypes; t++) {
		int64_t events = c->acc[t][w].events;
		if (events > 0)
			keys[n++] = eng_key(events, rank[t]);
		big += events >= UINT32_MAX;
	}
	if (n)
		qsort(keys, n, sizeof *keys, u64_cmp);
	if (big) /* the saturated keys sort first, among themselves by count */
		qsort_r(keys, big, sizeof *keys, big_cmp, &(big_ctx){c, order, w});
	mval *rows = mv_arr();
	for (size_t k = 0; k < n; k++) {
		uint32_t t = order[(uint32_t)keys[k]];
		const eng_acc *a = &c->acc[t][w];
		int kind = c->kinds[t];
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "type", mv_str(c->names[t]));
		mv_set(o, "events", mv_int(a->events, MF_COUNT));
		mv_set(o, "unique_leads", mv_int(a->leads, MF_COUNT));
		if (kind == EV_CONTENT_DOWNLOAD || kind == EV_PREMIUM_CONTENT_DOWNLOAD)
			funnel_set_rate(o, "mql_rate", a->mql_leads, a->leads);
	}
	return rows;
}

/* One window's rows, built on a thread of its own. */
typedef struct eng_job {
	const eng_counts *c;
	int w;
	const uint32_t *rank, *order;
	uint64_t *keys; /* its own scratch */
	mval *rows;
} eng_job;

static gpointer eng_job_run(gpointer data)
{
	eng_job *j = data;
	j->rows = eng_rows(j->c, j->w, j->rank, j->order, j->keys);
	return NULL;
}

/* From this many types on, the longest window's rows are built on a
 * second thread while this one builds the others'. */
#define ENG_THREAD_MIN 10000

mval *eng_counts_table(const eng_counts *c)
{
	size_t n = c->ntypes ? c->ntypes : 1;
	uint64_t *keys = xmalloc(2 * n * sizeof *keys);
	uint32_t *rank = xmalloc(n * sizeof *rank), *order = xmalloc(n * sizeof *order);
	eng_rank(c, rank, order);
	eng_job last = {c, WIN_COUNT - 1, rank, order, keys + n, NULL};
	GThread *t = c->ntypes >= ENG_THREAD_MIN && g_get_num_processors() > 1
			 ? g_thread_try_new("mql-engagement", eng_job_run, &last, NULL)
			 : NULL;
	mval *rows[WIN_COUNT];
	for (int w = 0; w < WIN_COUNT - 1; w++)
		rows[w] = eng_rows(c, w, rank, order, keys);
	if (t)
		g_thread_join(t);
	else
		eng_job_run(&last);
	rows[WIN_COUNT - 1] = last.rows;
	mval *out = mv_obj();
	for (int w = 0; w < WIN_COUNT; w++)
		mv_set(out, funnel_window_name[w], rows[w]);
	free(rank);
	free(order);
	free(keys);
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
