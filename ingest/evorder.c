/* evorder.c — the events' storage and order: the (type, channel, campaign)
 * tags, the events as they arrive, and dataset_index's per-lead order.
 *
 * Hand-written for measured speed and memory (docs/ingest.md, Speed):
 * - an event arrives straight into the bin of its lead's range (4,096
 *   leads a bin; orphans in a bin of their own) as one 8-byte word: its
 *   whole seconds, its tag and its lead's place in the range; an event
 *   that does not fit (milliseconds, a time before 1970 or after 2106, a
 *   rare tag) adds its exact time and tag at the end of the chunk. A bin
 *   is a list of chunks taken from the kernel (mmap), so nothing is copied
 *   when a bin grows, a second reader's bins are linked after the first's,
 *   and a chunk's memory goes back to the system the moment it is consumed;
 * - dataset_index() places one bin at a time: it counts the bin's events
 *   per lead, then writes them to their final slots, which lie in one small
 *   window of the array and stay in cache; each chunk is freed once placed.
 *   Only one copy of the events is alive at any moment, whatever the order
 *   of the file (grouped by lead, in time order or shuffled), and the
 *   placed events are 8 bytes (dataset.h), their lead implicit in their
 *   position, the few that do not fit in dataset.evx;
 * - within a lead, a stable sort by time (most leads are only checked).
 *
 * It must not read files or parse text (the loader fills it), nor compute
 * metrics. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dataset.h"

#define BIN_BITS 12 /* a bin holds the events of 1 << BIN_BITS leads */
#define BIN_MASK ((1u << BIN_BITS) - 1)
/* Instants beyond ±2^51 ms of 1970 (about ±71,000 years) are kept as
 * TS_NONE. */
#define AT_LIM (INT64_C(1) << 51)
/* A bin's chunks grow with it: an eighth of what it holds, so the last,
 * partly filled chunk wastes about 1/16 of the events' bytes. */
#define CHUNK_MIN (16u << 10)
#define CHUNK_MAX (1u << 20)

/* An arrived event, 8 bytes: (seconds since 1970 << 32) | (the tag's low
 * EV_TAG_BITS << BIN_BITS) | the lead's place in its bin. An event whose
 * time is not a whole second in [1970, 2106) or whose tag does not fit
 * (tag_fits) holds EV_IDX_ESC as its tag's index and, in place of the
 * seconds, the index of its exact time and tag among its chunk's
 * exceptions, which fill the chunk from its end. */
typedef uint64_t arec;
#define AR_TAG_SHIFT BIN_BITS
#define AR_SEC_SHIFT 32
_Static_assert(BIN_BITS + EV_TAG_BITS <= AR_SEC_SHIFT, "place and tag below the seconds");

typedef struct evchunk {
	struct evchunk *next;
	uint32_t n, nx; /* records from the start, exceptions from the end */
	size_t bytes;
	arec r[];
} evchunk;

typedef struct bin {
	evchunk *head, *tail;
	arec *wp;     /* the tail's next record: its n is set by bin_sync() */
	ev_exact *xp; /* the tail's last exception: its nx is set by bin_sync() */
	size_t room;  /* bytes free between wp and xp */
	size_t n;     /* events held */
} bin;

struct evbins {
	bin *bin; /* bin i: leads i << BIN_BITS … */
	size_t nbins;
	bin orphans; /* NO_LEAD */
};

#define KIND_MASK ((1u << EV_KIND_BITS) - 1)
#define TAG_MASK  ((1u << EV_TAG_BITS) - 1)

static inline bool tag_fits(uint32_t tag)
{
	return (tag >> EV_KIND_BITS) < EV_IDX_ESC;
}

/* The chunk's exceptions, the first one last in memory. */
static inline ev_exact *chunk_xend(const evchunk *c)
{
	return (ev_exact *)(void *)((char *)c + c->bytes);
}

static evchunk *chunk_new(size_t bytes)
{
	/* not populated: the pages the bin never fills cost nothing */
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort(); /* out of memory, as xmalloc */
	evchunk *c = p;
	c->next = NULL;
	c->n = c->nx = 0;
	c->bytes = bytes;
	return c;
}

static void chunk_free(evchunk *c)
{
	munmap(c, c->bytes);
}

static void bin_free(bin *b)
{
	for (evchunk *c = b->head, *next; c; c = next) {
		next = c->next;
		chunk_free(c);
	}
	*b = (bin){0};
}

/* The tail chunk's counts, from the write positions. */
static void bin_sync(bin *b)
{
	if (b->tail) {
		b->tail->n = (uint32_t)(b->wp - b->tail->r);
		b->tail->nx = (uint32_t)(chunk_xend(b->tail) - b->xp);
	}
}

/* Link b's chunks after a's. */
static void bin_append(bin *a, bin *b)
{
	if (!b->head)
		return;
	bin_sync(a);
	bin_sync(b);
	if (a->tail)
		a->tail->next = b->head;
	else
		a->head = b->head;
	a->tail = b->tail;
	a->wp = b->wp;
	a->xp = b->xp;
	a->room = b->room;
	a->n += b->n;
	*b = (bin){0};
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

/* A new tail chunk for b: an eighth of what b holds, within the bounds. */
static void bin_grow(bin *b)
{
	size_t bytes = CHUNK_MIN;
	while (bytes < CHUNK_MAX && bytes * 8 <= b->n * sizeof(arec))
		bytes *= 2;
	evchunk *d = chunk_new(bytes);
	if (b->tail) {
		bin_sync(b);
		b->tail->next = d;
	} else {
		b->head = d;
	}
	b->tail = d;
	b->wp = d->r;
	b->xp = chunk_xend(d);
	b->room = bytes - sizeof *d;
}

/* Append an event; the bin's own fields only, not the chunk's header. */
static inline void bin_push(bin *b, ts_ms at, uint32_t place, uint32_t tag)
{
	if (at >= 0 && at % 1000 == 0 && at / 1000 <= UINT32_MAX && tag_fits(tag)) {
		if (b->room < sizeof(arec))
			bin_grow(b);
		b->room -= sizeof(arec);
		*b->wp++ =
		    (uint64_t)(at / 1000) << AR_SEC_SHIFT | (uint64_t)tag << AR_TAG_SHIFT | place;
	} else {
		if (b->room < sizeof(arec) + sizeof(ev_exact))
			bin_grow(b);
		b->room -= sizeof(arec) + sizeof(ev_exact);
		*--b->xp = (ev_exact){.at = at, .tag = tag};
		uint64_t x = (uint64_t)(chunk_xend(b->tail) - b->xp - 1);
		uint32_t esc = EV_IDX_ESC << EV_KIND_BITS | (tag & KIND_MASK);
		*b->wp++ = x << AR_SEC_SHIFT | (uint64_t)esc << AR_TAG_SHIFT | place;
	}
	b->n++;
}

/* The bins of ds, covering bin i. */
static evbins *bins_for(dataset *ds, size_t i)
{
	evbins *b = ds->arrived;
	if (!b)
		b = ds->arrived = xcalloc(1, sizeof *b);
	if (i >= b->nbins) {
		size_t n = b->nbins ? b->nbins : 64;
		while (n <= i)
			n *= 2;
		b->bin = xrealloc(b->bin, n * sizeof *b->bin);
		memset(b->bin + b->nbins, 0, (n - b->nbins) * sizeof *b->bin);
		b->nbins = n;
	}
	return b;
}

void dataset_add_event(dataset *ds, ts_ms at, uint32_t lead, uint32_t tag)
{
	if (at <= -AT_LIM || at >= AT_LIM)
		at = TS_NONE;
	if (lead == NO_LEAD) {
		bin_push(&bins_for(ds, 0)->orphans, at, 0, tag);
	} else {
		size_t i = lead >> BIN_BITS;
		bin_push(&bins_for(ds, i)->bin[i], at, lead & BIN_MASK, tag);
	}
	ds->nevents++;
}

void dataset_take_events(dataset *ds, dataset *from)
{
	evbins *f = from->arrived;
	if (!f)
		return;
	evbins *b = bins_for(ds, f->nbins ? f->nbins - 1 : 0);
	for (size_t i = 0; i < f->nbins; i++)
		bin_append(&b->bin[i], &f->bin[i]);
	bin_append(&b->orphans, &f->orphans);
	ds->nevents += from->nevents;
	from->nevents = 0;
	dataset_drop_arrived(from);
}

void dataset_drop_arrived(dataset *ds)
{
	evbins *b = ds->arrived;
	if (!b)
		return;
	for (size_t i = 0; i < b->nbins; i++)
		bin_free(&b->bin[i]);
	bin_free(&b->orphans);
	free(b->bin);
	free(b);
	ds->arrived = NULL;
}

/* The placed events and their exact values (not the arrivals). */
static void drop_placed(dataset *ds)
{
	free(ds->events);
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

/* ---- the per-lead order ---- */

/* The placed form of an event: its word, or an exception in ds->evx. */
static event ev_make(dataset *ds, ts_ms at, uint32_t tag)
{
	if (at >= 0 && at < (INT64_C(1) << EV_AT_BITS) && tag_fits(tag))
		return (event){.w = (uint64_t)at << EV_TAG_BITS | tag};
	VEC_RESERVE(ds->evx, ds->evx_cap, ds->nevx + 1);
	ds->evx[ds->nevx] = (ev_exact){.at = at, .tag = tag};
	uint32_t esc = EV_IDX_ESC << EV_KIND_BITS | (tag & KIND_MASK);
	return (event){.w = (uint64_t)ds->nevx++ << EV_TAG_BITS | esc};
}

/* The placed form of record r of chunk c. */
static inline event ev_placed(dataset *ds, const evchunk *c, arec r)
{
	uint32_t tag = (uint32_t)(r >> AR_TAG_SHIFT) & TAG_MASK;
	if (tag_fits(tag))
		return (event){.w = (r >> AR_SEC_SHIFT) * 1000 << EV_TAG_BITS | tag};
	const ev_exact *x = chunk_xend(c) - 1 - (r >> AR_SEC_SHIFT);
	return ev_make(ds, x->at, x->tag);
}

/* Stable sorts of one lead's events by time. */
static void insertion_sort(const dataset *ds, event *e, size_t m)
{
	for (size_t i = 1; i < m; i++) {
		event x = e[i];
		ts_ms t = ev_at(ds, &x);
		size_t j = i;
		while (j > 0 && ev_at(ds, &e[j - 1]) > t) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = x;
	}
}

static void merge_runs(const dataset *ds, const event *src, event *dst, size_t lo, size_t mid,
		       size_t hi)
{
	size_t a = lo, b = mid, k = lo;
	while (a < mid && b < hi)
		dst[k++] = ev_at(ds, &src[b]) < ev_at(ds, &src[a]) ? src[b++] : src[a++];
	while (a < mid)
		dst[k++] = src[a++];
	while (b < hi)
		dst[k++] = src[b++];
}

static void merge_sort(const dataset *ds, event *e, event *tmp, size_t m)
{
	for (size_t i = 0; i < m; i += 16)
		insertion_sort(ds, e + i, m - i < 16 ? m - i : 16);
	event *src = e, *dst = tmp;
	for (size_t width = 16; width < m; width *= 2) {
		for (size_t lo = 0; lo < m; lo += 2 * width) {
			size_t mid = lo + width < m ? lo + width : m;
			size_t hi = lo + 2 * width < m ? lo + 2 * width : m;
			merge_runs(ds, src, dst, lo, mid, hi);
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
		while (i < m && ev_at(ds, &e[i]) >= ev_at(ds, &e[i - 1]))
			i++;
		if (i >= m)
			continue;
		if (m <= 32) {
			insertion_sort(ds, e, m);
		} else {
			VEC_RESERVE(scratch, scratch_cap, m);
			merge_sort(ds, e, scratch, m);
		}
	}
	free(scratch);
}

/* Events of leads at or after nleads (not NO_LEAD): orphans, after the
 * leads' events. */
typedef struct strays {
	event *e;
	size_t n, cap;
} strays;

/* Place bin i's events (leads lo … lo + m - 1) from slot *pos on, filling
 * their lead_ev, and free its chunks. */
static void place_bin(dataset *ds, bin *b, size_t lo, size_t m, uint32_t *pos, strays *st)
{
	static _Thread_local uint32_t cur[1u << BIN_BITS];
	memset(cur, 0, m * sizeof *cur);
	bin_sync(b);
	for (const evchunk *c = b->head; c; c = c->next)
		for (uint32_t k = 0; k < c->n; k++) {
			uint32_t p = (uint32_t)c->r[k] & BIN_MASK;
			if (p < m)
				cur[p]++;
		}
	for (size_t l = 0; l < m; l++) {
		uint32_t k = cur[l];
		ds->lead_ev[lo + l] = cur[l] = *pos;
		*pos += k;
	}
	for (evchunk *c = b->head, *next; c; c = next) {
		next = c->next;
		for (uint32_t k = 0; k < c->n; k++) {
			event e = ev_placed(ds, c, c->r[k]);
			uint32_t p = (uint32_t)c->r[k] & BIN_MASK;
			if (p < m) {
				ds->events[cur[p]++] = e;
			} else {
				VEC_RESERVE(st->e, st->cap, st->n + 1);
				st->e[st->n++] = e;
			}
		}
		chunk_free(c);
	}
	*b = (bin){0};
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
static void place_orphans(dataset *ds, bin *o, size_t pos)
{
	bin_sync(o);
	for (evchunk *c = o->head, *next; c; c = next) {
		next = c->next;
		for (uint32_t k = 0; k < c->n; k++)
			ds->events[pos++] = ev_placed(ds, c, c->r[k]);
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
	ds->events = xmalloc((ds->nevents ? ds->nevents : 1) * sizeof *ds->events);
	evbins *b = ds->arrived;
	size_t nb = b ? b->nbins : 0;
	uint32_t pos = 0;
	strays st = {0};
	for (size_t i = 0; i << BIN_BITS < n || i < nb; i++) {
		size_t lo = i << BIN_BITS;
		size_t m = lo < n ? (n - lo < (1u << BIN_BITS) ? n - lo : (1u << BIN_BITS)) : 0;
		bin none = {0};
		place_bin(ds, i < nb ? &b->bin[i] : &none, lo, m, &pos, &st);
	}
	ds->lead_ev[n] = pos;
	if (st.n)
		memcpy(ds->events + pos, st.e, st.n * sizeof *st.e);
	pos += (uint32_t)st.n;
	free(st.e);
	if (b)
		place_orphans(ds, &b->orphans, pos);
	dataset_drop_arrived(ds);
	ds->indexed_leads = n;
	sort_each_lead(ds);
}
