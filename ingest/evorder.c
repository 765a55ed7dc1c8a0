/* evorder.c — the events' storage and order: the (type, channel, campaign)
 * tags, the events as they arrive, and dataset_index's per-lead order.
 *
 * Hand-written for measured speed and memory (docs/ingest.md, Speed):
 * - events arrive in chunks of 1 MiB taken from the kernel (mmap), so a
 *   reader never copies what it read when the array grows, the second
 *   reader's events are linked after the first's without a copy, and a
 *   chunk's memory goes back to the system the moment it is consumed;
 * - the order by lead is two counting passes, not a comparison sort: the
 *   events are dealt into about a thousand ranges of leads (sequential
 *   writes into small chunks, each arrival chunk freed once dealt), then
 *   each range is placed into its final slots, which lie in one small
 *   window of the array and stay in cache. Only one copy of the events is
 *   alive at any moment, whatever the order of the file: grouped by lead,
 *   in time order or shuffled;
 * - within a lead, a stable sort by time (most leads are only checked).
 *
 * It must not read files or parse text (the loader fills it), nor compute
 * metrics. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dataset.h"

struct evchunk {
	evchunk *next;
	uint32_t n, cap;
	event e[];
};

#define ARRIVAL_CHUNK (1u << 20) /* bytes */
#define RANGES_MAX    1024
/* A range's chunks: about 8 per range, so the last, partly filled chunk of
 * each range wastes about 1/16 of the events' bytes, and the number of
 * mappings stays near 8 * RANGES_MAX. */
#define RANGE_CHUNK_MIN (16u << 10)
#define RANGE_CHUNK_MAX (1u << 20)

static evchunk *chunk_new(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort(); /* out of memory, as xmalloc */
	evchunk *c = p;
	c->next = NULL;
	c->n = 0;
	c->cap = (uint32_t)((bytes - sizeof *c) / sizeof(event));
	return c;
}

static size_t chunk_bytes(const evchunk *c)
{
	return sizeof *c + (size_t)c->cap * sizeof(event);
}

static void chunk_free(evchunk *c)
{
	munmap(c, chunk_bytes(c));
}

/* ---- tags ---- */

static uint64_t tag_hash(sym t, sym ch, sym ca)
{
	uint64_t h = ((uint64_t)t << 40) ^ ((uint64_t)ch << 20) ^ ca;
	h = (h ^ (h >> 31)) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

static void tags_rehash(dataset *ds, size_t nslots)
{
	free(ds->tag_slots);
	ds->tag_slots = xcalloc(nslots, sizeof *ds->tag_slots);
	ds->tag_nslots = nslots;
	for (size_t k = 0; k < ds->ntags; k++) {
		const ev_tag *g = &ds->tags[k];
		size_t i = tag_hash(g->type, g->channel, g->campaign) & (nslots - 1);
		while (ds->tag_slots[i])
			i = (i + 1) & (nslots - 1);
		ds->tag_slots[i] = (uint32_t)k + 1;
	}
}

uint32_t dataset_tag(dataset *ds, sym type, sym channel, sym campaign)
{
	if (!ds->tag_slots)
		tags_rehash(ds, 256);
	size_t i = tag_hash(type, channel, campaign) & (ds->tag_nslots - 1);
	for (;; i = (i + 1) & (ds->tag_nslots - 1)) {
		uint32_t k = ds->tag_slots[i];
		if (!k)
			break;
		const ev_tag *g = &ds->tags[k - 1];
		if (g->type == type && g->channel == channel && g->campaign == campaign)
			return (k - 1) << EV_KIND_BITS | (uint32_t)ev_kind(type);
	}
	if (ds->ntags >= (UINT32_MAX >> EV_KIND_BITS) - 1)
		abort(); /* 2^27 distinct triples: more than any export holds */
	VEC_RESERVE(ds->tags, ds->tags_cap, ds->ntags + 1);
	ds->tags[ds->ntags] = (ev_tag){.type = type, .channel = channel, .campaign = campaign};
	uint32_t k = (uint32_t)ds->ntags++;
	ds->tag_slots[i] = k + 1;
	if (ds->ntags * 2 > ds->tag_nslots)
		tags_rehash(ds, ds->tag_nslots * 2);
	return k << EV_KIND_BITS | (uint32_t)ev_kind(type);
}

/* ---- arrival ---- */

void dataset_add_event(dataset *ds, ts_ms at, uint32_t lead, uint32_t tag)
{
	evchunk *c = ds->arrived_tail;
	if (!c || c->n == c->cap) {
		evchunk *d = chunk_new(ARRIVAL_CHUNK);
		if (c)
			c->next = d;
		else
			ds->arrived = d;
		ds->arrived_tail = c = d;
	}
	c->e[c->n++] = (event){.at = at, .lead = lead, .tag = tag};
	ds->nevents++;
}

void dataset_take_events(dataset *ds, dataset *from)
{
	if (!from->arrived)
		return;
	if (ds->arrived_tail)
		ds->arrived_tail->next = from->arrived;
	else
		ds->arrived = from->arrived;
	ds->arrived_tail = from->arrived_tail;
	ds->nevents += from->nevents;
	from->arrived = from->arrived_tail = NULL;
	from->nevents = 0;
}

void dataset_drop_arrived(dataset *ds)
{
	for (evchunk *c = ds->arrived, *next; c; c = next) {
		next = c->next;
		chunk_free(c);
	}
	ds->arrived = ds->arrived_tail = NULL;
}

/* ---- the per-lead order ---- */

/* Stable sorts of one lead's events by time. */
static void insertion_sort(event *e, size_t m)
{
	for (size_t i = 1; i < m; i++) {
		event x = e[i];
		size_t j = i;
		while (j > 0 && e[j - 1].at > x.at) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = x;
	}
}

static void merge_sort(event *e, event *tmp, size_t m)
{
	for (size_t i = 0; i < m; i += 16)
		insertion_sort(e + i, m - i < 16 ? m - i : 16);
	event *src = e, *dst = tmp;
	for (size_t width = 16; width < m; width *= 2) {
		for (size_t lo = 0; lo < m; lo += 2 * width) {
			size_t mid = lo + width < m ? lo + width : m;
			size_t hi = lo + 2 * width < m ? lo + 2 * width : m;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi)
				dst[k++] = src[b].at < src[a].at ? src[b++] : src[a++];
			while (a < mid)
				dst[k++] = src[a++];
			while (b < hi)
				dst[k++] = src[b++];
		}
		event *t = src;
		src = dst;
		dst = t;
	}
	if (src != e)
		memcpy(e, src, m * sizeof *e);
}

/* Within each lead, a stable sort by time: exports are mostly in time
 * order already, so most groups are only checked. */
static void sort_each_lead(dataset *ds)
{
	event *scratch = NULL;
	size_t scratch_cap = 0;
	for (size_t l = 0; l < ds->nleads; l++) {
		event *e = ds->events + ds->lead_ev[l];
		size_t m = ds->lead_ev[l + 1] - ds->lead_ev[l];
		size_t i = 1;
		while (i < m && e[i].at >= e[i - 1].at)
			i++;
		if (i >= m)
			continue;
		if (m <= 32) {
			insertion_sort(e, m);
		} else {
			VEC_RESERVE(scratch, scratch_cap, m);
			merge_sort(e, scratch, m);
		}
	}
	free(scratch);
}

/* A range of leads' events, dealt in arrival order. */
typedef struct range {
	evchunk *head, *tail;
} range;

static void range_push(range *r, const event *e, size_t bytes)
{
	evchunk *c = r->tail;
	if (!c || c->n == c->cap) {
		evchunk *d = chunk_new(bytes);
		if (c)
			c->next = d;
		else
			r->head = d;
		r->tail = c = d;
	}
	c->e[c->n++] = *e;
}

/* Deal the arrived events into ranges of leads (lead >> shift; orphans
 * count as lead nleads), freeing each arrival chunk once dealt. */
static void deal(dataset *ds, range *ranges, size_t nranges, unsigned shift)
{
	uint32_t n = (uint32_t)ds->nleads;
	size_t bytes = RANGE_CHUNK_MIN;
	while (bytes < RANGE_CHUNK_MAX && bytes * nranges * 8 < ds->nevents * sizeof(event))
		bytes *= 2;
	for (evchunk *c = ds->arrived, *next; c; c = next) {
		next = c->next;
		for (uint32_t i = 0; i < c->n; i++) {
			uint32_t l = c->e[i].lead < n ? c->e[i].lead : n;
			range_push(&ranges[l >> shift], &c->e[i], bytes);
		}
		chunk_free(c);
	}
	ds->arrived = ds->arrived_tail = NULL;
}

/* Place each range's events at their final slots; pos[l] is the next slot
 * of lead l (orphans: pos[nleads]). */
static void place(dataset *ds, range *ranges, size_t nranges, uint32_t *pos)
{
	uint32_t n = (uint32_t)ds->nleads;
	for (size_t r = 0; r < nranges; r++) {
		for (evchunk *c = ranges[r].head, *next; c; c = next) {
			next = c->next;
			for (uint32_t i = 0; i < c->n; i++) {
				uint32_t l = c->e[i].lead < n ? c->e[i].lead : n;
				ds->events[pos[l]++] = c->e[i];
			}
			chunk_free(c);
		}
	}
}

/* Events indexed before (dataset_index() called again after more
 * arrived) go back in front of the arrivals. */
static void unindex(dataset *ds)
{
	size_t arrived = 0;
	for (const evchunk *c = ds->arrived; c; c = c->next)
		arrived += c->n;
	size_t old = ds->nevents - arrived;
	evchunk *head = ds->arrived, *tail = ds->arrived_tail;
	ds->arrived = ds->arrived_tail = NULL;
	ds->nevents = 0;
	for (size_t i = 0; i < old; i++)
		dataset_add_event(ds, ds->events[i].at, ds->events[i].lead, ds->events[i].tag);
	free(ds->events);
	ds->events = NULL;
	if (head) {
		if (ds->arrived_tail)
			ds->arrived_tail->next = head;
		else
			ds->arrived = head;
		ds->arrived_tail = tail;
	}
	ds->nevents = old + arrived;
}

void dataset_index(dataset *ds)
{
	size_t n = ds->nleads;
	if (ds->events)
		unindex(ds);
	free(ds->lead_ev);
	ds->lead_ev = xcalloc(n + 1, sizeof *ds->lead_ev);

	/* counts per lead, orphans as lead n, then each lead's first slot */
	uint32_t *pos = xcalloc(n + 1, sizeof *pos);
	for (const evchunk *c = ds->arrived; c; c = c->next)
		for (uint32_t i = 0; i < c->n; i++)
			pos[c->e[i].lead < n ? c->e[i].lead : n]++;
	uint32_t sum = 0;
	for (size_t l = 0; l <= n; l++) {
		uint32_t k = pos[l];
		pos[l] = sum;
		ds->lead_ev[l] = sum;
		sum += k;
	}

	unsigned shift = 0;
	while ((n >> shift) >= RANGES_MAX)
		shift++;
	size_t nranges = (n >> shift) + 1;
	range *ranges = xcalloc(nranges, sizeof *ranges);
	deal(ds, ranges, nranges, shift);
	ds->events = xmalloc((ds->nevents ? ds->nevents : 1) * sizeof *ds->events);
	place(ds, ranges, nranges, pos);
	free(ranges);
	free(pos);
	sort_each_lead(ds);
}
