/* evplace.c — dataset_index(): the arrived events (evbins.h) in per-lead
 * order, by time within a lead, and what reads or drops that order.
 *
 * Hand-written for measured speed and memory (docs/ingest.md, Speed):
 * - one bin at a time: its events are counted per lead, then written to
 *   their final slots, which lie in one small window of the array, and
 *   each lead's events are sorted by time while that window is in cache;
 *   each chunk, once placed, gives its pages to the slots the next bins
 *   fill (moved with mremap: the kernel zeroes no fresh page for them,
 *   a seventh of the run's page faults). Only one copy of the events is
 *   alive at any moment, whatever the order of the file (grouped by lead,
 *   in time order or shuffled), and the placed events are 8 bytes
 *   (dataset.h), their lead implicit in their position, the few that do
 *   not fit in dataset.evx;
 * - with many events, two threads place the bins: the bins' counts say
 *   where each half's slots begin, so the two write disjoint parts of the
 *   array; the second half's exceptions go after the first's at the end;
 * - within a lead, a stable sort by time: a lead whose events arrived in
 *   order is only checked; a small group is sorted by rank (each event goes
 *   after every event that must precede it), which has no branch that
 *   depends on the data, so a shuffled export costs little more.
 *
 * It must not read files or parse text, nor compute metrics. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dataset.h"
#include "evbins.h"

/* Groups of up to this many events are sorted by rank, larger ones by
 * merging runs of this many. */
#define RANK_MAX 32

/* From this size on, the placed events have a mapping of their own, into
 * which the placed chunks' pages move. */
#define EVENTS_MAP_MIN (1u << 20)
/* The most chunks one thread moves: a move can add up to three mappings
 * (the chunk's own, and a split at each end of where it went), which stay
 * until the events are dropped, and a process has a limited number
 * (vm.max_map_count, 65,530 by default): two threads add at most about
 * 12,000. 1,000,000 leads' events move about 1,500 chunks. */
#define MOVES_MAX 2048

/* The placed events and their exact values (not the arrivals). */
static void drop_placed(dataset *ds)
{
	if (ds->events_map)
		munmap(ds->events, ds->events_map);
	else
		free(ds->events);
	ds->events_map = 0;
	free(ds->evx);
	ds->events = NULL;
	ds->evx = NULL;
	ds->nevx = ds->evx_cap = 0;
}

void dataset_drop_events(dataset *ds)
{
	drop_placed(ds);
	free(ds->lead_ev);
	ds->lead_ev = NULL;
	ds->indexed_leads = 0;
	dataset_drop_arrived(ds);
	ds->nevents = 0;
	free(ds->orphan_ids);
	ds->orphan_ids = NULL;
	ds->orphan_ids_len = ds->orphan_ids_cap = ds->norphan_ids = 0;
}

uint32_t ds_event_lead(const dataset *ds, size_t k)
{
	size_t n = ds->indexed_leads;
	if (!ds->lead_ev || k >= ds->lead_ev[n])
		return NO_LEAD;
	size_t lo = 0, hi = n; /* the last lead whose first event is at or before k */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ds->lead_ev[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

/* ---- exceptions ---- */

/* Exact times and tags of the placed events whose word cannot hold them. */
typedef struct exacts {
	ev_exact *v;
	size_t n, cap;
} exacts;

/* The placed form of an event: its word, or an exception in x. */
static event ev_make(exacts *x, ts_ms at, uint32_t tag)
{
	if (at >= 0 && at < (INT64_C(1) << EV_AT_BITS) && tag_fits(tag))
		return (event){.w = (uint64_t)at << EV_TAG_BITS | tag};
	VEC_RESERVE(x->v, x->cap, x->n + 1);
	x->v[x->n] = (ev_exact){.at = at, .tag = tag};
	uint32_t esc = EV_IDX_ESC << EV_KIND_BITS | (tag & KIND_MASK);
	return (event){.w = (uint64_t)x->n++ << EV_TAG_BITS | esc};
}

/* The placed form of record r of chunk c. */
static inline event ev_placed(exacts *x, const evchunk *c, arec r)
{
	uint32_t tag = (uint32_t)(r >> AR_TAG_SHIFT) & TAG_MASK;
	if (tag_fits(tag))
		return (event){.w = (r >> AR_SEC_SHIFT) * 1000 << EV_TAG_BITS | tag};
	const ev_exact *e = chunk_xend(c) - 1 - (r >> AR_SEC_SHIFT);
	return ev_make(x, e->at, e->tag);
}

/* ---- the sort within a lead ---- */

/* A stable sort of m <= RANK_MAX events by time: each event's place is the
 * number of events earlier than it, or as early and before it. The time
 * and the event's index make one key (TS_NONE, the earliest, as 0), so
 * keys differ and a place is one count over all of them, with no branch. */
_Static_assert(RANK_MAX <= 32, "the index takes the key's low five bits");
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__GLIBC__)
/* the count compares four keys at once where the CPU has AVX2 */
__attribute__((target_clones("avx2", "default")))
#endif
static void
rank_sort(const ev_exact *x, event *e, size_t m)
{
	uint64_t key[RANK_MAX];
	event in[RANK_MAX];
	for (size_t i = 0; i < m; i++) {
		in[i] = e[i];
		ts_ms t = ev_at_in(x, &e[i]);
		uint64_t k = t == TS_NONE ? 0 : (uint64_t)(t + AT_LIM) + 1; /* |t| < AT_LIM */
		key[i] = k << 5 | i;
	}
	for (size_t i = 0; i < m; i++) {
		size_t r = 0;
		for (size_t j = 0; j < m; j++)
			r += key[j] < key[i];
		e[r] = in[i];
	}
}

static void merge_runs(const ev_exact *x, const event *src, event *dst, size_t lo, size_t mid,
		       size_t hi)
{
	size_t a = lo, b = mid, k = lo;
	while (a < mid && b < hi)
		dst[k++] = ev_at_in(x, &src[b]) < ev_at_in(x, &src[a]) ? src[b++] : src[a++];
	while (a < mid)
		dst[k++] = src[a++];
	while (b < hi)
		dst[k++] = src[b++];
}

static void merge_sort(const ev_exact *x, event *e, event *tmp, size_t m)
{
	for (size_t i = 0; i < m; i += RANK_MAX)
		rank_sort(x, e + i, m - i < RANK_MAX ? m - i : RANK_MAX);
	event *src = e, *dst = tmp;
	for (size_t width = RANK_MAX; width < m; width *= 2) {
		for (size_t lo = 0; lo < m; lo += 2 * width) {
			size_t mid = lo + width < m ? lo + width : m;
			size_t hi = lo + 2 * width < m ? lo + 2 * width : m;
			merge_runs(x, src, dst, lo, mid, hi);
		}
		event *t = src;
		src = dst;
		dst = t;
	}
	if (src != e)
		memcpy(e, src, m * sizeof *e);
}

/* ---- placing the bins ---- */

/* Events of leads at or after nleads (not NO_LEAD): orphans, after the
 * leads' events. */
typedef struct strays {
	event *e;
	size_t n, cap;
} strays;

/* The bins one thread places: [b0, b1), their events from slot pos on. */
typedef struct share {
	dataset *ds;
	size_t b0, b1;
	uint32_t pos;
	strays st;
	exacts x;
	event *scratch; /* for merging a large group */
	size_t scratch_cap;
	/* With the events' own mapping: a placed chunk's pages move to the
	 * slots after the bin's, from `give` on, below `limit` (the end of
	 * this thread's slots), where the next bins write; the kernel then
	 * zeroes no fresh page for them. limit 0: chunks are unmapped. */
	uintptr_t give, limit;
	unsigned moves;
} share;

/* a rounded up, or down, to a multiple of the page size */
static uintptr_t page_up(uintptr_t a)
{
	uintptr_t m = (uintptr_t)sysconf(_SC_PAGESIZE) - 1;
	return (a + m) & ~m;
}

static uintptr_t page_down(uintptr_t a)
{
	return a & ~((uintptr_t)sysconf(_SC_PAGESIZE) - 1);
}

/* Done with chunk c, while the bin's slots end at s->pos: its pages move
 * to slots no one has written yet, or go back to the system. Moved pages
 * keep their bytes, which the next bins overwrite, every slot once. */
static void chunk_done(share *s, evchunk *c)
{
	uintptr_t at = page_up((uintptr_t)(s->ds->events + s->pos));
	if (s->give > at)
		at = s->give;
	size_t bytes = c->bytes;
	if (!s->limit || s->moves >= MOVES_MAX || at + bytes > s->limit) {
		chunk_free(c);
		return;
	}
	if (mremap(c, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)at) != MAP_FAILED) {
		s->give = at + bytes;
		s->moves++;
		return;
	}
	/* the kernel may have unmapped the slots before it failed: fresh
	 * pages there, and no more moves */
	if (mmap((void *)at, bytes, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0) == MAP_FAILED)
		abort(); /* out of memory, as xmalloc */
	s->limit = 0;
	chunk_free(c);
}

/* Lead lo + l's events, slots lead_ev[lo + l] … end[l], by time. */
static void sort_bin(share *s, size_t lo, size_t m, const uint32_t *end)
{
	for (size_t l = 0; l < m; l++) {
		event *e = s->ds->events + s->ds->lead_ev[lo + l];
		size_t k = end[l] - s->ds->lead_ev[lo + l], i = 1;
		while (i < k && ev_at_in(s->x.v, &e[i]) >= ev_at_in(s->x.v, &e[i - 1]))
			i++;
		if (i >= k)
			continue;
		if (k <= RANK_MAX) {
			rank_sort(s->x.v, e, k);
		} else {
			VEC_RESERVE(s->scratch, s->scratch_cap, k);
			merge_sort(s->x.v, e, s->scratch, k);
		}
	}
}

/* Place bin b's events (leads lo … lo + m - 1) from slot s->pos on,
 * filling their lead_ev, sort each lead's, and free the chunks. */
static void place_bin(share *s, bin *b, size_t lo, size_t m)
{
	static _Thread_local uint32_t cur[1u << BIN_BITS];
	dataset *ds = s->ds;
	memset(cur, 0, m * sizeof *cur);
	bin_sync(b);
	for (const evchunk *c = b->head; c; c = c->next)
		for (uint32_t k = 0; k < c->n; k++) {
			uint32_t p = (uint32_t)c->r[k] & BIN_MASK;
			if (p < m)
				cur[p]++;
		}
	size_t first = s->pos;
	for (size_t l = 0; l < m; l++) {
		uint32_t k = cur[l];
		ds->lead_ev[lo + l] = cur[l] = s->pos;
		s->pos += k;
	}
	/* the bin's slots in memory at once: pages moved in without bytes
	 * (from where a chunk had no events) and fresh ones */
	if (ds->events_map)
		mem_prefault(ds->events + first, (s->pos - first) * sizeof *ds->events);
	for (evchunk *c = b->head, *next; c; c = next) {
		next = c->next;
		for (uint32_t k = 0; k < c->n; k++) {
			event e = ev_placed(&s->x, c, c->r[k]);
			uint32_t p = (uint32_t)c->r[k] & BIN_MASK;
			if (p < m) {
				ds->events[cur[p]++] = e;
			} else {
				VEC_RESERVE(s->st.e, s->st.cap, s->st.n + 1);
				s->st.e[s->st.n++] = e;
			}
		}
		chunk_done(s, c);
	}
	*b = (bin){0};
	sort_bin(s, lo, m, cur);
}

static gpointer share_run(gpointer arg)
{
	share *s = arg;
	dataset *ds = s->ds;
	evbins *b = ds->arrived;
	size_t n = ds->nleads, nb = b ? b->nbins : 0;
	for (size_t i = s->b0; i < s->b1; i++) {
		size_t lo = i << BIN_BITS;
		size_t m = lo < n ? (n - lo < (1u << BIN_BITS) ? n - lo : (1u << BIN_BITS)) : 0;
		bin none = {0};
		place_bin(s, i < nb ? &b->bin[i] : &none, lo, m);
	}
	return NULL;
}

/* Where the second thread starts: a bin boundary near half the leads'
 * events, among the full bins (so the first half has no strays); 0 when
 * one thread does it all. */
static size_t pair_cut(const dataset *ds)
{
	const evbins *b = ds->arrived;
	size_t full = ds->nleads >> BIN_BITS;
	if (!b || ds->nevents < PLACE_PAIR_MIN || full < 2)
		return 0;
	if (full > b->nbins)
		full = b->nbins;
	size_t half = 0, acc = 0, cut;
	for (size_t i = 0; i < full; i++)
		half += b->bin[i].n;
	half /= 2;
	for (cut = 0; cut < full && acc < half; cut++)
		acc += b->bin[cut].n;
	return cut > 0 && cut < full ? cut : 0;
}

/* The second half's exceptions after the first's: its escaped events (and
 * strays) point past the first half's. */
static void join_exacts(share *a, share *b, uint32_t from, uint32_t to)
{
	if (!b->x.n)
		return;
	uint64_t shift = (uint64_t)a->x.n << EV_TAG_BITS;
	for (uint32_t k = from; k < to; k++)
		if (ev_escaped(&a->ds->events[k]))
			a->ds->events[k].w += shift;
	for (size_t k = 0; k < b->st.n; k++)
		if (ev_escaped(&b->st.e[k]))
			b->st.e[k].w += shift;
	VEC_RESERVE(a->x.v, a->x.cap, a->x.n + b->x.n);
	memcpy(a->x.v + a->x.n, b->x.v, b->x.n * sizeof *b->x.v);
	a->x.n += b->x.n;
	free(b->x.v);
	b->x = (exacts){0};
}

/* Events indexed before (dataset_index() called again after more
 * arrived) go back in front of the arrivals, with the leads they had. */
static void unindex(dataset *ds)
{
	evbins *later = ds->arrived;
	size_t nlater = 0;
	if (later) {
		for (size_t i = 0; i < later->nbins; i++)
			nlater += later->bin[i].n;
		nlater += later->orphans.n;
	}
	size_t old = ds->nevents - nlater, n = ds->indexed_leads;
	ds->arrived = NULL;
	ds->nevents = 0;
	for (size_t l = 0; l < n; l++)
		for (uint32_t k = ds->lead_ev[l]; k < ds->lead_ev[l + 1]; k++)
			dataset_add_event(ds, ev_at(ds, &ds->events[k]), (uint32_t)l,
					  ev_tag_of(ds, &ds->events[k]));
	for (size_t k = ds->lead_ev[n]; k < old; k++)
		dataset_add_event(ds, ev_at(ds, &ds->events[k]), NO_LEAD,
				  ev_tag_of(ds, &ds->events[k]));
	drop_placed(ds);
	dataset dl = {.arrived = later, .nevents = nlater};
	dataset_take_events(ds, &dl);
}

/* The orphans' events, after the strays, from slot pos on. */
static void place_orphans(dataset *ds, exacts *x, bin *o, size_t pos)
{
	bin_sync(o);
	for (evchunk *c = o->head, *next; c; c = next) {
		next = c->next;
		for (uint32_t k = 0; k < c->n; k++)
			ds->events[pos++] = ev_placed(x, c, c->r[k]);
		chunk_free(c);
	}
	*o = (bin){0};
}

void dataset_index(dataset *ds)
{
	size_t n = ds->nleads;
	if (ds->events)
		unindex(ds);
	free(ds->lead_ev);
	ds->lead_ev = xmalloc((n + 1) * sizeof *ds->lead_ev);
	size_t bytes = (ds->nevents ? ds->nevents : 1) * sizeof *ds->events;
	if (bytes >= EVENTS_MAP_MIN) {
		ds->events_map = page_up(bytes);
		ds->events = evmap(ds->events_map);
	} else {
		ds->events = xmalloc(bytes);
	}
	evbins *b = ds->arrived;
	size_t nb = b ? b->nbins : 0, nwalk = (n + BIN_MASK) >> BIN_BITS;
	for (size_t i = 0; i < nb; i++) /* the records still waiting, here, on one thread */
		bin_sync(&b->bin[i]);
	dataset_events_fence(); /* this thread's, before the placing threads read them */
	if (nb > nwalk)
		nwalk = nb;
	size_t cut = pair_cut(ds);
	share s[2] = {{.ds = ds, .b0 = 0, .b1 = cut ? cut : nwalk},
		      {.ds = ds, .b0 = cut, .b1 = nwalk}};
	s[0].x = (exacts){.v = ds->evx, .n = ds->nevx, .cap = ds->evx_cap};
	GThread *th = NULL;
	if (cut)
		for (size_t i = 0; i < cut; i++)
			s[1].pos += (uint32_t)b->bin[i].n;
	if (ds->events_map) { /* the slots each thread writes, whole pages */
		s[0].limit = page_down((uintptr_t)(ds->events + (cut ? s[1].pos : ds->nevents)));
		s[1].limit = page_down((uintptr_t)(ds->events + ds->nevents));
	}
	if (cut)
		th = g_thread_try_new("mql-place", share_run, &s[1], NULL);
	share_run(&s[0]);
	share *last = &s[0];
	if (cut) {
		if (th)
			g_thread_join(th);
		else
			share_run(&s[1]);
		join_exacts(&s[0], &s[1], s[0].pos, s[1].pos);
		last = &s[1];
	}
	uint32_t pos = last->pos;
	ds->lead_ev[n] = pos;
	strays *st = &last->st;
	if (st->n)
		memcpy(ds->events + pos, st->e, st->n * sizeof *st->e);
	pos += (uint32_t)st->n;
	free(s[0].st.e);
	free(s[1].st.e);
	free(s[0].scratch);
	free(s[1].scratch);
	if (b)
		place_orphans(ds, &s[0].x, &b->orphans, pos);
	ds->evx = s[0].x.v;
	ds->nevx = s[0].x.n;
	ds->evx_cap = s[0].x.cap;
	dataset_drop_arrived(ds);
	ds->indexed_leads = n;
}
