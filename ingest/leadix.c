/* leadix.c — the hash index from lead_id text to lead index that event
 * rows probe. Hand-written rather than a GHashTable for speed on that
 * per-row path (docs/ingest.md, Speed): when events come in time order,
 * consecutive rows belong to unrelated leads and every probe misses the
 * cache, so a probe must touch one cache line. A slot (32 bytes, aligned)
 * holds the id itself when it has up to 24 bytes — prefixed (L0000042),
 * numeric (HubSpot) and Salesforce ids all do — and the table is sized at
 * about 1.5 slots per lead, reached by a multiply rather than a mask. It
 * must not intern or copy keys into the pool, nor change once built:
 * readers on two threads share it without a lock. */
#include "leadix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fasthash.h"

/* The id as the slot holds it. */
static inline void key_words(const char *s, size_t len, uint64_t w[3])
{
	w[0] = w[1] = w[2] = 0;
	if (len <= LEADIX_INLINE) {
		memcpy(w, s, len);
	} else {
		memcpy(w, s, 16);
		w[2] = (uint64_t)(uintptr_t)s;
	}
}

static inline size_t home(const leadix *x, uint64_t h)
{
	return (size_t)(((__uint128_t)h * x->nslots) >> 64);
}

void leadix_build(leadix *x, const dataset *ds)
{
	x->nslots = ds->nleads + ds->nleads / 2 + 64;
	/* huge pages where the kernel has them: a probe at random then misses
	 * the cache, not also the TLB (measured: 17 ns against 29 a probe) */
	size_t huge = 2u << 20;
	x->bytes = (x->nslots * sizeof *x->slot + huge - 1) & ~(huge - 1);
	x->map =
	    mmap(NULL, x->bytes + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->map == MAP_FAILED)
		abort(); /* out of memory, as xmalloc */
	x->slot = (leadix_slot *)(((uintptr_t)x->map + huge - 1) & ~(uintptr_t)(huge - 1));
	madvise(x->slot, x->bytes, MADV_HUGEPAGE);
	for (size_t i = 0; i < ds->nleads; i++) {
		const char *k = ds_str(ds, ds->leads[i].id);
		size_t len = strlen(k);
		size_t j = home(x, hash64(k, len));
		while (x->slot[j].lead)
			j = j + 1 == x->nslots ? 0 : j + 1;
		leadix_slot *e = &x->slot[j];
		e->lead = (uint32_t)i + 1;
		e->len = (uint32_t)len;
		key_words(k, len, e->w);
	}
}

/* The lead of the id whose hash is h, slot words w and length len; s is
 * the id itself, read only for ids longer than LEADIX_INLINE. */
static uint32_t lookup(const leadix *x, uint64_t h, const uint64_t w[3], size_t len, const char *s)
{
	size_t j = home(x, h);
	for (;; j = j + 1 == x->nslots ? 0 : j + 1) {
		const leadix_slot *e = &x->slot[j];
		if (!e->lead)
			return NO_LEAD;
		if (e->len != len || e->w[0] != w[0] || e->w[1] != w[1])
			continue;
		if (len <= LEADIX_INLINE ? e->w[2] == w[2]
					 : memcmp((const char *)(uintptr_t)e->w[2], s, len) == 0)
			return e->lead - 1;
	}
}

uint32_t leadix_get(const leadix *x, const char *s, size_t len)
{
	uint64_t w[3];
	key_words(s, len, w);
	return lookup(x, hash64(s, len), w, len, s);
}

static void evq_pop(evq *q, const leadix *x, dataset *out)
{
	const evq_item *it = &q->it[q->head];
	dataset_add_event(out, it->at, lookup(x, it->h, it->w, it->len, (const char *)it->w),
			  it->tag);
	q->head = (q->head + 1) % EVQ_LEN;
	q->n--;
}

void evq_push(evq *q, const leadix *x, dataset *out, const char *s, size_t len, ts_ms at,
	      uint32_t tag)
{
	if (len > LEADIX_INLINE) {
		/* the text does not outlive the row: looked up now, in order */
		evq_flush(q, x, out);
		dataset_add_event(out, at, leadix_get(x, s, len), tag);
		return;
	}
	if (q->n == EVQ_LEN)
		evq_pop(q, x, out);
	evq_item *it = &q->it[(q->head + q->n) % EVQ_LEN];
	it->h = hash64(s, len);
	key_words(s, len, it->w);
	it->len = (uint32_t)len;
	it->tag = tag;
	it->at = at;
	/* the home slot's line and the next: a probe goes on past the home
	 * slot about half the time at 1.5 slots a lead */
	const leadix_slot *s0 = &x->slot[home(x, it->h)];
	__builtin_prefetch(s0);
	__builtin_prefetch(s0 + 2);
	q->n++;
}

void evq_flush(evq *q, const leadix *x, dataset *out)
{
	while (q->n)
		evq_pop(q, x, out);
}

void leadix_free(leadix *x)
{
	if (x->map)
		munmap(x->map, x->bytes + (2u << 20));
	*x = (leadix){0};
}
