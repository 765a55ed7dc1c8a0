/* leadix.c — the hash index from lead_id text to lead index that event
 * rows probe. Hand-written rather than a GHashTable for speed on that
 * per-row path (docs/ingest.md, Speed): when events come in time order,
 * consecutive rows belong to unrelated leads and every probe misses the
 * cache, so a probe must touch one cache line, and the smaller the table
 * the more of it the cache holds. Three layouts, the smallest the ids
 * allow:
 * - digit slots (8 bytes, eight to a line): every id is the prefix all of
 *   them share and then a number, as numeric (HubSpot) and prefixed
 *   (L0000042) ids are; the slot holds the number less the smallest, and
 *   the slots are in the numbers' order (num_home) unless the numbers
 *   bunch so that they crowd each other, when they are hashed;
 * - short slots (16 bytes, four to a line): every id has at most 12 bytes
 *   after that prefix, as one org's Salesforce ids do; the slot holds them;
 * - long slots (32 bytes, aligned): the id itself when it has up to 24
 *   bytes, else its first 16 and where the rest is.
 * With hashed digit slots and short slots a probe starts at a line's
 * first slot, and a probe compares its home line's slots at once. The
 * table has about 1.5 slots per lead (2 with short slots), reached by a
 * multiply rather than a mask. It must not intern or copy keys into the
 * pool, nor change once built: readers on two threads share it without a
 * lock. */
#include "leadix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fasthash.h"
#include "normalize.h"

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

/* Whether the id starts with the prefix every lead id has (short and
 * digit slots); *s and *len are then the rest after it. */
static inline bool strip_prefix(const leadix *x, const char **s, size_t *len)
{
	if (*len < x->plen || !same_bytes(*s, x->pfx, x->plen))
		return false;
	*s += x->plen;
	*len -= x->plen;
	return true;
}

/* Whether one of the n bytes at s (n at most LEADIX_SHORT) is a NUL: two
 * fixed-size loads, the bytes past n set to 1, and the test of a word for
 * a zero byte, rather than a call to memchr() for a dozen bytes. */
static inline bool has_nul_short(const char *s, size_t n)
{
	_Static_assert(LEADIX_SHORT <= 16, "two words hold a short rest");
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t a = n < 8 ? n : 8;
	uint64_t w0 = load_upto8(s, a) | (a < 8 ? ones << (8 * a) : 0);
	uint64_t w1 =
	    n > 8 ? load_upto8(s + 8, n - 8) | (n < 16 ? ones << (8 * (n - 8)) : 0) : ones;
	return (((w0 - ones) & ~w0) | ((w1 - ones) & ~w1)) & highs;
}

/* Whether an id can be a lead's when the slots are short: it starts with
 * the prefix every lead id has, and after it come at most LEADIX_SHORT
 * bytes and no NUL (the zero-padded rest then tells it from every other
 * such id); *s and *len are then that rest. */
static inline bool short_rest(const leadix *x, const char **s, size_t *len)
{
	return strip_prefix(x, s, len) && *len <= LEADIX_SHORT && !has_nul_short(*s, *len);
}

/* Bytes 8 to 11 of the id's words. */
static inline uint32_t k2_of(const uint64_t w[3])
{
	uint32_t v;
	memcpy(&v, (const char *)w + 8, sizeof v);
	return v;
}

/* Whether an id can be a lead's when the slots hold digits: the prefix,
 * then digits of the leads' width (or, with none, of any width up to
 * LEADIX_DIGITS and no leading zero), then nothing, of a value within the
 * leads' range; *key is then its slot's key. */
static inline bool num_key(const leadix *x, const char *s, size_t len, uint32_t *key)
{
	if (!strip_prefix(x, &s, &len))
		return false;
	if (x->width ? len != x->width
		     : len == 0 || len > LEADIX_DIGITS || (len > 1 && s[0] == '0'))
		return false;
	uint64_t v;
	if (!digits_value(s, len, &v) || v < x->vmin || v - x->vmin > x->span)
		return false;
	*key = (uint32_t)(v - x->vmin);
	return true;
}

/* A digit slot's key spread over 64 bits (Fibonacci hashing): home()
 * reads the high bits, which every bit of the key reaches. */
static inline uint64_t num_hash(uint32_t key)
{
	return (key + UINT64_C(1)) * UINT64_C(0x9E3779B97F4A7C15);
}

/* The first slot to probe: with short slots, the first of a line's four;
 * with digit slots, of a line's eight. */
static inline size_t home(const leadix *x, uint64_t h)
{
	if (x->num)
		return (size_t)(((__uint128_t)h * (x->nslots / 8)) >> 64) * 8;
	if (x->small)
		return (size_t)(((__uint128_t)h * (x->nslots / 4)) >> 64) * 4;
	return (size_t)(((__uint128_t)h * x->nslots) >> 64);
}

/* A digit slot's home. In key order (x->scale), a key's slot is where its
 * value falls in the range of them all: ids that are near in value are
 * near in the table. A CRM numbers its records as it creates them, and the
 * events of a week belong mostly to the leads of a few weeks, so in a time
 * ordered export the probes stay within a part of the table that the cache
 * holds, where hashed slots would scatter them over all of it. */
static inline size_t num_home(const leadix *x, uint32_t key)
{
	if (x->scale)
		return (size_t)(key * x->scale >> 32);
	return home(x, num_hash(key));
}

/* A table of `bytes`, on huge pages where the kernel has them: a probe at
 * random then misses the cache, not also the TLB (measured: 17 ns against
 * 29 a probe). */
static void *map_table(leadix *x, size_t bytes)
{
	x->map = xhuge_calloc(bytes, &x->bytes);
	return x->map;
}

/* Put lead's id k[0..len) in its slot; returns how many taken slots the
 * probe passed. */
static size_t put(leadix *x, const char *k, size_t len, uint32_t lead)
{
	size_t passed = 0;
	if (x->num) {
		uint32_t key;
		if (!num_key(x, k, len, &key))
			abort(); /* every lead id passed digits_fit() */
		size_t j = num_home(x, key);
		for (; x->num[j].lead; passed++)
			j = j + 1 == x->nslots ? 0 : j + 1;
		x->num[j] = (leadix_num){.lead = lead + 1, .key = key};
		return passed;
	}
	if (x->small && !short_rest(x, &k, &len))
		abort(); /* every lead id has the prefix and a short rest */
	uint64_t w[3];
	key_words(k, len, w);
	size_t j = home(x, hash64(k, len));
	if (x->small) {
		for (; x->small[j].lead; passed++)
			j = j + 1 == x->nslots ? 0 : j + 1;
		x->small[j] = (leadix_short){.lead = lead + 1, .k2 = k2_of(w), .k01 = w[0]};
		return passed;
	}
	for (; x->slot[j].lead; passed++)
		j = j + 1 == x->nslots ? 0 : j + 1;
	leadix_slot *e = &x->slot[j];
	e->lead = lead + 1;
	e->len = (uint32_t)len;
	memcpy(e->w, w, sizeof w);
	return passed;
}

/* Where the probe for lead id k[0..len) starts (a slot of the table). */
static const void *home_slot(const leadix *x, const char *k, size_t len)
{
	if (x->num) {
		uint32_t key;
		return num_key(x, k, len, &key) ? (const void *)&x->num[num_home(x, key)]
						: (const void *)x->num;
	}
	if (x->small)
		return short_rest(x, &k, &len) ? (const void *)&x->small[home(x, hash64(k, len))]
					       : (const void *)x->small;
	return &x->slot[home(x, hash64(k, len))];
}

/* How many of the first n bytes of a and b are equal. */
static size_t common_len(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* Whether every lead id is the first plen bytes of x->pfx and then a
 * number that digit slots can hold; if so, x's plen, vmin and width are
 * set for them. */
static bool digits_fit(leadix *x, const dataset *ds, size_t plen)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t width = SIZE_MAX;
	bool zeros = false; /* a rest of two digits or more begins with 0 */
	for (size_t i = 0; i < ds->nleads; i++) {
		const char *k = ds_str(ds, ds->leads[i].id) + plen;
		size_t len = strlen(k);
		uint64_t v;
		if (len == 0 || len > LEADIX_DIGITS || !digits_value(k, len, &v))
			return false;
		zeros |= len > 1 && k[0] == '0';
		width = i == 0 || width == len ? len : 0;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	if (ds->nleads == 0 || (zeros && !width) || hi - lo > UINT32_MAX)
		return false;
	x->plen = plen;
	x->vmin = lo;
	x->span = hi - lo;
	x->width = width;
	x->scale = ((uint64_t)(x->nslots - 8) << 32) / (hi - lo + 1);
	return true;
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
	/* the shared prefix less the digits that end it: numbers of several
	 * widths (L7, L51, L101) share their first digits only by chance */
	size_t bare = x->plen;
	while (bare > 0 && (unsigned char)x->pfx[bare - 1] - (unsigned)'0' <= 9)
		bare--;
	/* a lead id has no NUL: the pool's strings end at their first */
	if (digits_fit(x, ds, x->plen) || (bare < x->plen && digits_fit(x, ds, bare))) {
		x->nslots = (x->nslots + 7) & ~(size_t)7;
		x->num = map_table(x, x->nslots * sizeof *x->num);
	} else if (longest - x->plen <= LEADIX_SHORT) {
		/* 2 slots a lead: a home line holds four, and at 1.5 a probe
		 * went past it for about one id in ten, a second miss */
		x->nslots = (2 * ds->nleads + 64) & ~(size_t)3;
		x->small = map_table(x, x->nslots * sizeof *x->small);
	} else {
		x->plen = 0;
		x->slot = map_table(x, x->nslots * sizeof *x->slot);
	}
	/* the leads come in file order and their slots at random: the slot of
	 * the lead PUT_AHEAD places on is fetched while this one is put, so
	 * that the misses overlap (the table is larger than the cache) */
	enum { PUT_AHEAD = 16 };
	size_t passed = 0, budget = 2 * ds->nleads + 64;
	for (size_t i = 0; i < ds->nleads; i++) {
		if (i + PUT_AHEAD < ds->nleads) {
			const char *a = ds_str(ds, ds->leads[i + PUT_AHEAD].id);
			__builtin_prefetch(home_slot(x, a, strlen(a)), 1);
		}
		const char *k = ds_str(ds, ds->leads[i].id);
		passed += put(x, k, strlen(k), (uint32_t)i);
		if (x->scale && passed > budget) {
			/* values bunched in part of their range crowd a part of
			 * the table: hashed slots instead, from the start */
			x->scale = 0;
			memset(x->num, 0, x->nslots * sizeof *x->num);
			passed = 0;
			i = (size_t)-1;
		}
	}
}

/* The lead whose digit slot holds key, or NO_LEAD. The slots from the
 * home to the end of its line (the one the push prefetched) are compared
 * at once, as short_line() does; a probe goes on slot by slot only past a
 * full line. */
static uint32_t num_lookup(const leadix *x, uint32_t key)
{
	size_t j = num_home(x, key), base = j & ~(size_t)7; /* the table is line-aligned */
	const leadix_num *e = &x->num[base];
	unsigned hit = 0, free_ = 0;
	for (unsigned i = 0; i < 8; i++) {
		hit |= (unsigned)(e[i].key == key) << i;
		free_ |= (unsigned)(e[i].lead == 0) << i;
	}
	hit >>= j - base;
	free_ >>= j - base;
	if (hit)
		return e[j - base + (size_t)__builtin_ctz(hit)].lead - 1;
	if (free_)
		return NO_LEAD;
	for (j = base + 8 == x->nslots ? 0 : base + 8;; j = j + 1 == x->nslots ? 0 : j + 1) {
		const leadix_num *f = &x->num[j];
		if (!f->lead)
			return NO_LEAD;
		if (f->key == key)
			return f->lead - 1;
	}
}

_Static_assert(NO_LEAD == (uint32_t)0 - 1, "a free slot's lead less one is NO_LEAD");

/* A short slot's key in the home line starting at e: true with *lead set
 * (NO_LEAD when the line has a free slot and no such key), false when the
 * line is full without it and the probe goes on. The four slots are
 * compared at once, without a branch on each: a key sits anywhere in its
 * line, and a probe slot by slot mispredicted where it ended. A free slot
 * holds zeros, as a key of zeros does, but a key's own slot comes before
 * any free one in its probe, and a free slot's lead less one is NO_LEAD. */
static inline bool short_line(const leadix_short *e, uint64_t k01, uint32_t k2, uint32_t *lead)
{
	unsigned hit = 0, free_ = 0;
	for (unsigned i = 0; i < 4; i++) {
		hit |= (unsigned)((e[i].k01 == k01) & (e[i].k2 == k2)) << i;
		free_ |= (unsigned)(e[i].lead == 0) << i;
	}
	*lead = hit ? e[__builtin_ctz(hit)].lead - 1 : NO_LEAD;
	return hit || free_;
}

/* The lead of the id whose hash is h, slot words w and length len, in
 * short or long slots; s is the id itself, read only for ids longer than
 * LEADIX_INLINE. */
static uint32_t lookup(const leadix *x, uint64_t h, const uint64_t w[3], size_t len, const char *s)
{
	size_t j = home(x, h);
	if (x->small) {
		uint32_t k2 = k2_of(w);
		uint32_t lead;
		if (short_line(&x->small[j], w[0], k2, &lead))
			return lead;
		/* the home line is full: on from the next, slot by slot */
		for (j = j + 4 == x->nslots ? 0 : j + 4;; j = j + 1 == x->nslots ? 0 : j + 1) {
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
	if (x->num) {
		uint32_t key;
		return num_key(x, s, len, &key) ? num_lookup(x, key) : NO_LEAD;
	}
	if (x->small && !short_rest(x, &s, &len))
		return NO_LEAD; /* no lead has such an id */
	uint64_t w[3];
	key_words(s, len, w);
	return lookup(x, hash64(s, len), w, len, s);
}

/* An id of no lead, pfx[0..plen) and s[0..len), counted by
 * dataset_sci_orphan() when in scientific notation. Orphans only: no other
 * event pays for this. */
static void sci_orphan(dataset *out, const char *pfx, size_t plen, const char *s, size_t len)
{
	char id[LEADIX_PFX + 3 * sizeof(uint64_t)];
	if (plen + len > sizeof id)
		return; /* longer than any number so written */
	if (plen)
		memcpy(id, pfx, plen);
	memcpy(id + plen, s, len);
	if (memchr(id, '+', plen + len) && norm_sci_id(id, plen + len))
		dataset_sci_orphan(out, SRC_EVENTS, id, plen + len);
}

/* An item of no lead: its id kept (keep_orphan_ids), and counted when in
 * scientific notation. Its words hold the id, after the prefix with short
 * or digit slots; with digit slots it was a number. */
static void evq_orphan(const leadix *x, dataset *out, const evq_item *it)
{
	size_t plen = x->small || x->num ? x->plen : 0;
	if (out->keep_orphan_ids)
		dataset_orphan_id(out, x->pfx, plen, (const char *)it->w, it->len);
	if (!x->num)
		sci_orphan(out, x->pfx, plen, (const char *)it->w, it->len);
}

/* With digit slots an item's h is its key, and its words hold the id's
 * rest only for an orphan's id (keep_orphan_ids). */
static void evq_pop(evq *q, const leadix *x, dataset *out)
{
	const evq_item *it = &q->it[q->head];
	uint32_t lead = x->num ? num_lookup(x, (uint32_t)it->h)
			       : lookup(x, it->h, it->w, it->len, (const char *)it->w);
	if (lead == NO_LEAD)
		evq_orphan(x, out, it);
	dataset_add_event(out, it->at, lead, it->tag);
	q->head = (q->head + 1) % EVQ_LEN;
	q->n--;
}

void evq_push(evq *q, const leadix *x, dataset *out, const char *s, size_t len, ts_ms at,
	      uint32_t tag)
{
	const char *s0 = s;
	size_t len0 = len;
	uint32_t key = 0;
	if (x->num     ? !num_key(x, s, len, &key)
	    : x->small ? !short_rest(x, &s, &len)
		       : len > LEADIX_INLINE) {
		/* with digit or short slots no lead has it: NO_LEAD, now;
		 * else its text does not outlive the row: looked up now; in
		 * order */
		evq_flush(q, x, out);
		uint32_t lead = x->num || x->small ? NO_LEAD : leadix_get(x, s0, len0);
		if (lead == NO_LEAD) {
			if (out->keep_orphan_ids)
				dataset_orphan_id(out, NULL, 0, s0, len0);
			sci_orphan(out, NULL, 0, s0, len0);
		}
		dataset_add_event(out, at, lead, tag);
		return;
	}
	if (q->n == EVQ_LEN)
		evq_pop(q, x, out);
	evq_item *it = &q->it[(q->head + q->n) % EVQ_LEN];
	it->tag = tag;
	it->at = at;
	if (x->num) {
		it->h = key;
		if (out->keep_orphan_ids) {
			it->len = (uint32_t)(len - x->plen);
			key_words(s + x->plen, it->len, it->w);
		}
		/* the home slot's line, which holds most probes */
		__builtin_prefetch(&x->num[num_home(x, key)]);
		q->n++;
		return;
	}
	it->h = hash64(s, len);
	key_words(s, len, it->w);
	it->len = (uint32_t)len;
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
