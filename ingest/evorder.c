/* evorder.c — the events' tags and their arrival: the (type, channel,
 * campaign) tags, and the events as they arrive, before evplace.c puts
 * them in per-lead order.
 *
 * Hand-written for measured speed and memory (docs/ingest.md, Speed): an
 * event arrives in the bin of its lead's range (4,096 leads a bin; orphans
 * in a bin of their own), where it waits with up to seven others for the
 * bin's chunk (BIN_WC), as one 8-byte word: its whole
 * seconds, its tag and its lead's place in the range; an event that does
 * not fit (milliseconds, a time before 1970 or after 2106, a rare tag) adds
 * its exact time and tag at the end of the chunk. A bin is a list of chunks
 * taken from the kernel (mmap), so nothing is copied when a bin grows, a
 * second reader's bins are linked after the first's, and a chunk's memory
 * is given up the moment it is consumed (to the placed events' slots, or
 * to the system: evplace.c).
 *
 * It must not read files or parse text (the loader fills it), nor compute
 * metrics. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dataset.h"
#include "evbins.h"
#include "normalize.h"

/* A bin's chunks grow with it: each about as large as what the bin holds
 * already, so that a bin is a few chunks (each one mmap and one munmap,
 * and the munmap, while two threads place the bins, an interruption of the
 * other core). The last chunk's pages that no event reaches are never
 * touched (but for a step brought in ahead: READY_STEP) and so take no
 * memory. */
#define CHUNK_MIN (64u << 10)
#define CHUNK_MAX (4u << 20)

/* A chunk's pages are brought into memory a step ahead of the records
 * written from its start, and of the exceptions written from its end: one
 * call for several pages (mem_prefault) rather than a fault for each,
 * which on a virtual machine costs more than the page. A bin holds at
 * most a step at each end that no event has reached yet; exceptions are
 * few (a time with milliseconds, a rare tag), so their step is smaller. */
#define READY_STEP     (32u << 10)
#define EXC_READY_STEP (8u << 10)

static evchunk *chunk_new(size_t bytes)
{
	/* the pages the bin never fills cost nothing; small pages only (a
	 * huge page would commit 2 MiB at the first event, or at the first
	 * exception, which goes to the chunk's end) */
	evchunk *c = evmap(bytes);
	/* the header's page and the first records' */
	mem_prefault(c, READY_STEP < bytes ? READY_STEP : bytes);
	c->next = NULL;
	c->n = c->nx = 0;
	c->bytes = bytes;
	return c;
}

static void bin_free(bin *b)
{
	for (evchunk *c = b->head, *next; c; c = next) {
		next = c->next;
		chunk_free(c);
	}
	*b = (bin){0};
}

/* Link b's chunks after a's. */
static void bin_append(bin *a, bin *b)
{
	bin_sync(b);
	if (!b->head)
		return;
	bin_sync(a);
	if (a->tail)
		a->tail->next = b->head;
	else
		a->head = b->head;
	a->tail = b->tail;
	a->wp = b->wp;
	a->xp = b->xp;
	a->room = b->room;
	a->rec_ready = b->rec_ready;
	a->exc_ready = b->exc_ready;
	a->wc_lim = b->wc_lim;
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

/* The tail's pages ready for records up to `to`. */
static inline void ready_records(bin *b, const void *to)
{
	if ((const char *)to <= b->rec_ready)
		return;
	size_t n = (size_t)((const char *)to - b->rec_ready);
	if (n < READY_STEP)
		n = READY_STEP;
	if (n > (size_t)(b->exc_ready - b->rec_ready))
		n = (size_t)(b->exc_ready - b->rec_ready);
	mem_prefault(b->rec_ready, n);
	b->rec_ready += n;
}

/* The tail's pages ready for exceptions down to `to`. */
static inline void ready_exceptions(bin *b, const void *to)
{
	if ((const char *)to >= b->exc_ready)
		return;
	size_t n = (size_t)(b->exc_ready - (const char *)to);
	if (n < EXC_READY_STEP)
		n = EXC_READY_STEP;
	if (n > (size_t)(b->exc_ready - b->rec_ready))
		n = (size_t)(b->exc_ready - b->rec_ready);
	b->exc_ready -= n;
	mem_prefault(b->exc_ready, n);
}

/* A new tail chunk for b: about as large as what b holds, within the
 * bounds. */
static void bin_grow(bin *b)
{
	size_t bytes = CHUNK_MIN;
	while (bytes < CHUNK_MAX && bytes <= b->n * sizeof(arec))
		bytes *= 2;
	evchunk *d = chunk_new(bytes);
	if (b->tail) {
		bin_counts(b);
		b->tail->next = d;
	} else {
		b->head = d;
	}
	b->tail = d;
	b->wp = d->r;
	b->xp = chunk_xend(d);
	b->room = bytes - sizeof *d;
	b->rec_ready = (char *)d + (READY_STEP < bytes ? READY_STEP : bytes);
	b->exc_ready = (char *)d + bytes;
}

/* How many waiting records end the tail's current line: BIN_WC when the
 * next record starts one. */
static inline void line_limit(bin *b)
{
	unsigned off = (unsigned)((uintptr_t)b->wp & 63);
	b->wc_lim = !b->wp ? 0 : off ? (64 - off) / sizeof(arec) : BIN_WC;
}

/* A line's worth of records to the line at `to` (64-byte aligned), which
 * they fill whole, by streaming stores: the core neither reads the line
 * first nor keeps it in its cache. When events come shuffled or in time
 * order the bins take turns, so a bin's line is seldom still in the cache
 * when its next records come; the read before the write, and the line
 * pushed out later, competed with the lead lookups for the core's
 * outstanding misses (docs/ingest.md, Speed). The records are read again
 * only when the bins are placed, after the reading. */
static inline void line_stream(arec *to, const arec *from)
{
#ifdef __SSE2__
	__m128i *d = (__m128i *)(void *)to;
	const __m128i *s = (const __m128i *)(const void *)from;
	for (int k = 0; k < 4; k++)
		_mm_stream_si128(d + k, _mm_loadu_si128(s + k));
#else
	memcpy(to, from, BIN_WC * sizeof *to);
#endif
}

void dataset_events_fence(void)
{
#ifdef __SSE2__
	_mm_sfence();
#endif
}

void bin_flush(bin *b)
{
	if (b->nwc == BIN_WC && b->wc_lim == BIN_WC && b->room >= sizeof b->wc) {
		ready_records(b, b->wp + BIN_WC);
		line_stream(b->wp, b->wc);
		b->wp += BIN_WC;
		b->room -= sizeof b->wc;
		b->nwc = 0;
		return;
	}
	for (uint32_t k = 0; k < b->nwc;) {
		if (b->room < sizeof(arec))
			bin_grow(b);
		size_t m = b->nwc - k, fit = b->room / sizeof(arec);
		if (m > fit)
			m = fit;
		ready_records(b, b->wp + m);
		memcpy(b->wp, b->wc + k, m * sizeof(arec));
		b->wp += m;
		b->room -= m * sizeof(arec);
		k += (uint32_t)m;
	}
	b->nwc = 0;
	line_limit(b);
}

/* Append an event; the bin's own fields only, not the chunk's header. An
 * event with an exception goes straight to the chunk, after those
 * waiting, since its record names the tail chunk's exception. */
static inline void bin_push(bin *b, ts_ms at, uint32_t place, uint32_t tag)
{
	if (at >= 0 && at % 1000 == 0 && at / 1000 <= UINT32_MAX && tag_fits(tag)) {
		b->wc[b->nwc++] =
		    (uint64_t)(at / 1000) << AR_SEC_SHIFT | (uint64_t)tag << AR_TAG_SHIFT | place;
		if (b->nwc == BIN_WC || b->nwc == b->wc_lim)
			bin_flush(b);
	} else {
		bin_flush(b);
		if (b->room < sizeof(arec) + sizeof(ev_exact))
			bin_grow(b);
		b->room -= sizeof(arec) + sizeof(ev_exact);
		ready_exceptions(b, b->xp - 1);
		ready_records(b, b->wp + 1);
		*--b->xp = (ev_exact){.at = at, .tag = tag};
		uint64_t x = (uint64_t)(chunk_xend(b->tail) - b->xp - 1);
		uint32_t esc = EV_IDX_ESC << EV_KIND_BITS | (tag & KIND_MASK);
		*b->wp++ = x << AR_SEC_SHIFT | (uint64_t)esc << AR_TAG_SHIFT | place;
		line_limit(b);
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

void dataset_orphan_id(dataset *ds, const char *pfx, size_t plen, const char *s, size_t len)
{
	uint32_t n = (uint32_t)(plen + len);
	VEC_RESERVE(ds->orphan_ids, ds->orphan_ids_cap, ds->orphan_ids_len + sizeof n + n + 1);
	char *d = ds->orphan_ids + ds->orphan_ids_len;
	memcpy(d, &n, sizeof n);
	if (plen)
		memcpy(d + sizeof n, pfx, plen);
	memcpy(d + sizeof n + plen, s, len);
	d[sizeof n + n] = '\0';
	ds->orphan_ids_len += sizeof n + n + 1;
	ds->norphan_ids++;
}

/* The first one's text is kept. */
void dataset_sci_orphan(dataset *ds, int src, const char *s, size_t len)
{
	source_stats *st = &ds->src[src];
	if (!st->sci_orphans++)
		norm_example(st->sci_orphan, sizeof st->sci_orphan, s, len);
}

const char *ds_next_orphan_id(const dataset *ds, size_t *pos)
{
	if (*pos >= ds->orphan_ids_len)
		return NULL;
	uint32_t n;
	memcpy(&n, ds->orphan_ids + *pos, sizeof n);
	const char *id = ds->orphan_ids + *pos + sizeof n;
	*pos += sizeof n + n + 1;
	return id;
}

/* from's kept lead_ids after ds's. */
static void take_orphan_ids(dataset *ds, dataset *from)
{
	if (!from->orphan_ids_len)
		return;
	VEC_RESERVE(ds->orphan_ids, ds->orphan_ids_cap, ds->orphan_ids_len + from->orphan_ids_len);
	memcpy(ds->orphan_ids + ds->orphan_ids_len, from->orphan_ids, from->orphan_ids_len);
	ds->orphan_ids_len += from->orphan_ids_len;
	ds->norphan_ids += from->norphan_ids;
	free(from->orphan_ids);
	from->orphan_ids = NULL;
	from->orphan_ids_len = from->orphan_ids_cap = from->norphan_ids = 0;
}

void dataset_take_events(dataset *ds, dataset *from)
{
	take_orphan_ids(ds, from);
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
