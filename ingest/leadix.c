/* leadix.c — the hash index from lead_id text to lead index that event
 * rows probe. Hand-written rather than a GHashTable for speed on that
 * per-row path (docs/ingest.md, Speed): a slot holds a fingerprint of the
 * hash and the first bytes of the key, so most probes never leave the
 * table. It must not intern or copy keys, nor change once built: readers
 * on two threads share it without a lock. */
#include "leadix.h"

#include <stdlib.h>
#include <string.h>

#include "fasthash.h"

static inline uint64_t key_head(const char *s, size_t len)
{
	uint64_t h = 0;
	memcpy(&h, s, len < 8 ? len : 8);
	return h;
}

void leadix_build(leadix *x, const dataset *ds)
{
	size_t n = 1024;
	while (n < 2 * ds->nleads)
		n *= 2;
	x->slot = xcalloc(n, sizeof *x->slot);
	x->mask = n - 1;
	x->key = xmalloc((ds->nleads ? ds->nleads : 1) * sizeof *x->key);
	x->klen = xmalloc((ds->nleads ? ds->nleads : 1) * sizeof *x->klen);
	for (size_t i = 0; i < ds->nleads; i++) {
		const char *k = ds_str(ds, ds->leads[i].id);
		size_t len = strlen(k);
		x->key[i] = k;
		x->klen[i] = (uint32_t)len;
		uint64_t h = hash64(k, len);
		size_t j = h & x->mask;
		while (x->slot[j].lead)
			j = (j + 1) & x->mask;
		x->slot[j] = (leadix_slot){
		    .lead = (uint32_t)i + 1, .fp = (uint32_t)(h >> 32), .head = key_head(k, len)};
	}
}

uint32_t leadix_get(const leadix *x, const char *s, size_t len)
{
	uint64_t h = hash64(s, len), head = key_head(s, len);
	uint32_t fp = (uint32_t)(h >> 32);
	for (size_t j = h & x->mask;; j = (j + 1) & x->mask) {
		const leadix_slot *e = &x->slot[j];
		if (!e->lead)
			return NO_LEAD;
		uint32_t i = e->lead - 1;
		if (e->fp == fp && e->head == head && x->klen[i] == len &&
		    (len <= 8 || memcmp(x->key[i], s, len) == 0))
			return i;
	}
}

void leadix_free(leadix *x)
{
	free(x->slot);
	free(x->key);
	free(x->klen);
	*x = (leadix){0};
}
