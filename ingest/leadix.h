/* leadix.h — lead_id text → lead index, for the events' lookups.
 *
 * Built once the leads are read; read-only afterwards, so readers on
 * several threads share it. A digit slot keeps the rest of an id after
 * the prefix every lead id shares as a number; a short slot keeps that
 * rest as bytes; a long slot keeps an id of up to 24 bytes, and a longer
 * one points into the data set's pool, whose blocks never move: the index
 * must not outlive the data set. leadix_free() frees the index only. */
#ifndef MQL_LEADIX_H
#define MQL_LEADIX_H

#include "dataset.h"

#define LEADIX_INLINE 24 /* ids up to this many bytes live in the slot */
#define LEADIX_SHORT  12 /* … or, after the shared prefix, in a short slot */
#define LEADIX_PFX    32 /* the longest common prefix short slots leave out */

typedef struct leadix_slot {
	uint32_t lead; /* lead index + 1; 0 free */
	uint32_t len;  /* the id's length */
	uint64_t w[3]; /* the id, zero-padded; longer ids: its first 16 bytes and
			  a pointer to the whole */
} leadix_slot;

/* When every lead id has at most LEADIX_SHORT bytes after the prefix all
 * of them share, as prefixed (L0000042), numeric (HubSpot) and one org's
 * Salesforce ids (00Q5e000…) do: the rest of the id zero-padded, which its
 * bytes then determine when it has no NUL, in half the room. */
typedef struct leadix_short {
	uint32_t lead; /* lead index + 1; 0 free */
	uint32_t k2;   /* bytes 8 to 11 */
	uint64_t k01;  /* bytes 0 to 7 */
} leadix_short;

/* When every lead id's rest after the shared prefix is a number of 1 to
 * LEADIX_DIGITS decimal digits, all of one width or none with a leading
 * zero (so that its digits and its value determine each other), and the
 * values lie within 2^32 of each other, as numeric (HubSpot) and prefixed
 * (L0000042) ids do: the value less the smallest, in a quarter of a long
 * slot's room. */
#define LEADIX_DIGITS 19
typedef struct leadix_num {
	uint32_t lead; /* lead index + 1; 0 free */
	uint32_t key;  /* the rest's value less vmin */
} leadix_num;

typedef struct leadix {
	leadix_slot *slot;   /* the table (map); NULL with short or digit slots */
	leadix_short *small; /* the short slots, or NULL */
	leadix_num *num;     /* the digit slots, or NULL */
	size_t nslots;
	void *map; /* the table, bytes long (xhuge_calloc) */
	size_t bytes;
	size_t plen;	      /* with short or digit slots: the prefix every id has … */
	char pfx[LEADIX_PFX]; /* … and which the slots leave out */
	uint64_t vmin;	      /* with digit slots: the smallest rest's value, … */
	uint64_t span;	      /* … the largest less the smallest, … */
	size_t width;	      /* … every rest's width, or 0: no leading zeros, … */
	uint64_t scale;	      /* … and, in key order, slots per key (32.32), or 0 */
} leadix;

void leadix_build(leadix *x, const dataset *ds);
/* The lead whose id is s[0..len), or NO_LEAD. */
uint32_t leadix_get(const leadix *x, const char *s, size_t len);
void leadix_free(leadix *x);

/* Events waiting for their lead: each row's slot is prefetched when the
 * row arrives and probed EVQ_LEN rows later, when it is in cache, so the
 * memory latency of many lookups overlaps. Events leave in arrival order. */
#define EVQ_LEN 16
typedef struct evq_item {
	uint64_t h;
	uint64_t w[3];
	uint32_t len, tag;
	ts_ms at;
} evq_item;
typedef struct evq {
	evq_item it[EVQ_LEN];
	unsigned head, n;
} evq;

/* Queue the event of lead id s[0..len) for `out`; the oldest waiting one
 * goes to dataset_add_event(out, …) when the queue is full. */
void evq_push(evq *q, const leadix *x, dataset *out, const char *s, size_t len, ts_ms at,
	      uint32_t tag);
/* Every waiting event to `out`, in order. */
void evq_flush(evq *q, const leadix *x, dataset *out);

#endif
