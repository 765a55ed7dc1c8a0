/* leadix.c — the hash index from lead_id text to lead index that event
 * rows probe. Hand-written rather than a GHashTable for speed on that
 * per-row path (docs/ingest.md, Speed): when events come in time order,
 * consecutive rows belong to unrelated leads and every probe misses the
 * cache, so a probe must touch one cache line, and the smaller the table
 * the more of it the cache holds. A slot (32 bytes, aligned) holds the id
 * itself when it has up to 24 bytes — prefixed (L0000042), numeric
 * (HubSpot) and Salesforce ids all do; when every id has at most 12 bytes
 * after the prefix all of them share, as prefixed, numeric and one org's
 * Salesforce ids do, a slot is 16 bytes holding the rest, four to a line,
 * and a probe starts at a line's first. The table has about 1.5 slots per
 * lead, reached by a multiply rather than a mask. It must not intern or
 * copy keys into the pool, nor change once built: readers on two threads
 * share it without a lock. */
#include "leadix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fasthash.h"

/* The id as the slot holds it. */
static inline void key_words(const char *s, size_t len, uint64_t w[3])
{
	if (len <= LEADIX_INLINE) {
		w[0] = load_upto8(s, len < 8 ? len : 8);
		w[1] = len > 8 ? load_upto8(s + 8, len < 16 ? len - 8 : 8) : 0;
		w[2] = len > 16 ? load_upto8(s + 16, len - 16) : 0;
	} else {
		memcpy(w, s, 16);
		w[2] = (uint64_t)(uintptr_t)s;
	}
}

/* Whether an id can be a lead's when the slots are short: it starts with
 * the prefix every lead id has, and after it come at most LEADIX_SHORT
 * bytes and no NUL (the zero-padded rest then tells it from every other
 * such id); *s and *len are then that rest. */
static inline bool short_rest(const leadix *x, const char **s, size_t *len)
{
	if (*len < x->plen || *len - x->plen > LEADIX_SHORT || !same_bytes(*s, x->pfx, x->plen))
		return false;
	*s += x->plen;
	*len -= x->plen;
	return !memchr(*s, 0, *len);
}

/* Bytes 8 to 11 of the id's words. */
static inline uint32_t k2_of(const uint64_t w[3])
{
	uint32_t v;
	memcpy(&v, (const char *)w + 8, sizeof v);
	return v;
}

/* The first slot to probe: with short slots, the first of a line's four. */
static inline size_t home(const leadix *x, uint64_t h)
{
	if (x->small)
		return (size_t)(((__uint128_t)h * (x->nslots / 4)) >> 64) * 4;
	return (size_t)(((__uint128_t)h * x->nslots) >> 64);
}

/* A table of `bytes`, on huge pages where the kernel has them: a probe at
 * random then misses the cache, not also the TLB (measured: 17 ns against
 * 29 a probe). */
static void *map_table(leadix *x, size_t bytes)
{
	x->map = xhuge_calloc(bytes, &x->bytes);
	return x->map;
}

static void put(leadix *x, const char *k, size_t len, uint32_t lead)
{
	if (x->small && !short_rest(x, &k, &len))
		abort(); /* every lead id has the prefix and a short rest */
	uint64_t w[3];
	key_words(k, len, w);
	size_t j = home(x, hash64(k, len));
	if (x->small) {
		while (x->small[j].lead)
			j = j + 1 == x->nslots ? 0 : j + 1;
		x->small[j] = (leadix_short){.lead = lead + 1, .k2 = k2_of(w), .k01 = w[0]};
		return;
	}
	while (x->slot[j].lead)
		j = j + 1 == x->nslots ? 0 : j + 1;
	leadix_slot *e = &x->slot[j];
	e->lead = lead + 1;
	e->len = (uint32_t)len;
	memcpy(e->w, w, sizeof w);
}

/* How many of the first n bytes of a and b are equal. */
static size_t common_len(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

void leadix_build(leadix *x, const dataset *ds)
{
	*x = (leadix){.nslots = (ds->nleads + ds->nleads / 2 + 64) & ~(size_t)3};
	size_t longest = 0;
	for (size_t i = 0; i < ds->nleads; i++) {
		const char *k = ds_str(ds, ds->leads[i].id);
		size_t len = strlen(k);
		if (i == 0) {
			x->plen = len < LEADIX_PFX ? len : LEADIX_PFX;
			memcpy(x->pfx, k, x->plen);
		} else {
			x->plen = common_len(x->pfx, k, len < x->plen ? len : x->plen);
		}
		longest = len > longest ? len : longest;
	}
	/* a lead id has no NUL: the pool's strings end at their first */
	if (longest - x->plen <= LEADIX_SHORT) {
		x->small = map_table(x, x->nslots * sizeof *x->small);
	} else {
		x->plen = 0;
		x->slot = map_table(x, x->nslots * sizeof *x->slot);
	}
	for (size_t i = 0; i < ds->nleads; i++) {
		const char *k = ds_str(ds, ds->leads[i].id);
		put(x, k, strlen(k), (uint32_t)i);
	}
}

/* The lead of the id whose hash is h, slot words w and length len; s is
 * the id itself, read only for ids longer than LEADIX_INLINE. */
static uint32_t lookup(const leadix *x, uint64_t h, const uint64_t w[3], size_t len, const char *s)
{
	size_t j = home(x, h);
	if (x->small) {
		uint32_t k2 = k2_of(w);
		for (;; j = j + 1 == x->nslots ? 0 : j + 1) {
			const leadix_short *e = &x->small[j];
			if (!e->lead)
				return NO_LEAD;
			if (e->k01 == w[0] && e->k2 == k2)
				return e->lead - 1;
		}
	}
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
	if (x->small && !short_rest(x, &s, &len))
		return NO_LEAD; /* no lead has such an id */
	uint64_t w[3];
	key_words(s, len, w);
	return lookup(x, hash64(s, len), w, len, s);
}

static void evq_pop(evq *q, const leadix *x, dataset *out)
{
	const evq_item *it = &q->it[q->head];
	uint32_t lead = lookup(x, it->h, it->w, it->len, (const char *)it->w);
	if (lead == NO_LEAD && out->keep_orphan_ids)
		dataset_orphan_id(out, x->pfx, x->small ? x->plen : 0, (const char *)it->w,
				  it->len);
	dataset_add_event(out, it->at, lead, it->tag);
	q->head = (q->head + 1) % EVQ_LEN;
	q->n--;
}

void evq_push(evq *q, const leadix *x, dataset *out, const char *s, size_t len, ts_ms at,
	      uint32_t tag)
{
	const char *s0 = s;
	size_t len0 = len;
	if (x->small ? !short_rest(x, &s, &len) : len > LEADIX_INLINE) {
		/* with short slots no lead has it: NO_LEAD, now; else its
		 * text does not outlive the row: looked up now; in order */
		evq_flush(q, x, out);
		uint32_t lead = x->small ? NO_LEAD : leadix_get(x, s0, len0);
		if (lead == NO_LEAD && out->keep_orphan_ids)
			dataset_orphan_id(out, NULL, 0, s0, len0);
		dataset_add_event(out, at, lead, tag);
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
	if (x->small) {
		/* the home line: its four slots hold most probes */
		__builtin_prefetch(&x->small[home(x, it->h)]);
	} else {
		/* the home slot's line and the next: a probe goes on past the
		 * home slot about half the time at 1.5 slots a lead */
		const leadix_slot *s0 = &x->slot[home(x, it->h)];
		__builtin_prefetch(s0);
		__builtin_prefetch(s0 + 2);
	}
	q->n++;
}

void evq_flush(evq *q, const leadix *x, dataset *out)
{
	while (q->n)
		evq_pop(q, x, out);
}

void leadix_free(leadix *x)
{
	xhuge_free(x->map, x->bytes);
	*x = (leadix){0};
}
