/* evbins.h — the events as they arrive, before dataset_index() orders them
 * (private to ingest/: evorder.c fills the bins and evplace.c empties them
 * into the per-lead order; a unit test reads its constants).
 *
 * An event arrives into the bin of its lead's range, as one 8-byte record
 * in a list of chunks mapped from the kernel; evorder.c explains why. */
#ifndef MQL_EVBINS_H
#define MQL_EVBINS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "dataset.h"

#define BIN_BITS 12 /* a bin holds the events of 1 << BIN_BITS leads */
#define BIN_MASK ((1u << BIN_BITS) - 1)
/* Instants beyond ±2^51 ms of 1970 (about ±71,000 years) are kept as
 * TS_NONE. */
#define AT_LIM (INT64_C(1) << 51)
/* From this many events on, two threads place the bins (evplace.c). */
#define PLACE_PAIR_MIN (1u << 20)

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

/* The records start on a cache line of their own, so that a line's worth
 * of them fills a line whole (BIN_WC). */
typedef struct evchunk {
	struct evchunk *next;
	uint32_t n, nx; /* records from the start, exceptions from the end */
	size_t bytes;
	_Alignas(64) arec r[];
} evchunk;

/* A bin's records wait in a line's worth of room of the bin's own until
 * they fill it, and then go to the tail chunk together: events that come
 * in time order or shuffled go to many bins in turn, and each then writes
 * its chunk once a line, not once an event (fewer lines and pages for the
 * core to keep at hand). A line filled whole is written past the cache
 * (evorder.c, bin_flush). */
#define BIN_WC 8
_Static_assert(BIN_WC * sizeof(arec) == 64, "a line's worth of records");

typedef struct bin {
	arec wc[BIN_WC]; /* records not yet in the tail chunk (nwc of them) */
	evchunk *head, *tail;
	arec *wp;     /* the tail's next record: its n is set by bin_sync() */
	ev_exact *xp; /* the tail's last exception: its nx is set by bin_sync() */
	size_t room;  /* bytes free between wp and xp */
	size_t n;     /* events held, those waiting in wc too */
	/* the tail's pages in memory: from its start up to rec_ready, and from
	 * exc_ready to its end (evorder.c, READY_STEP) */
	char *rec_ready, *exc_ready;
	uint32_t nwc;
	/* the records after which the waiting ones end the tail's line (and
	 * are written): BIN_WC when the next record starts one; 0 until the
	 * bin has a chunk */
	uint32_t wc_lim;
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

/* Anonymous memory of `bytes` (a multiple of the page size) from the
 * kernel, on small pages: a bin's chunk, or the placed events' slots,
 * into which chunks move (a huge page there would be split by a move).
 * Not populated: pages never written cost nothing. */
static inline void *evmap(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort(); /* out of memory, as xmalloc */
	madvise(p, bytes, MADV_NOHUGEPAGE);
	return p;
}

static inline void chunk_free(evchunk *c)
{
	munmap(c, c->bytes);
}

/* The tail chunk's counts, from the write positions. */
static inline void bin_counts(bin *b)
{
	if (b->tail) {
		b->tail->n = (uint32_t)(b->wp - b->tail->r);
		b->tail->nx = (uint32_t)(chunk_xend(b->tail) - b->xp);
	}
}

/* The waiting records to the chunks (evorder.c). */
void bin_flush(bin *b);

/* Every record of b in its chunks, and the tail chunk's counts set: call
 * before reading the chunks. */
static inline void bin_sync(bin *b)
{
	bin_flush(b);
	bin_counts(b);
}

#endif
