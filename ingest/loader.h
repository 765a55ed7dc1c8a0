/* loader.h — the state of one source's load, shared by the loader's files
 * (internal to ingest; the stage's interface is load.h):
 *
 *   load.c       the driver: configuration, each source in turn, indexing
 *   load_read.c  one file: open, decode, chunks, progress, digest
 *   load_part.c  the second part of a large file, read on another thread
 *   load_rows.c  the header binding and each source's rows
 *
 * A loader borrows the data set, the configuration and the error; it owns
 * its reader, zones, maps, memos and buffers. */
#ifndef MQL_LOADER_H
#define MQL_LOADER_H

#include <glib.h>
#include <sys/types.h>

#include "colmap.h"
#include "csvr.h"
#include "leadix.h"
#include "load.h"
#include "memo.h"

#define READ_CHUNK (4u << 20)

typedef struct loader {
	dataset *ds;  /* the string pool and, for leads and opportunities, the rows */
	dataset *out; /* where rows, rejects and counts go: ds, or a worker's own */
	const ingest_cfg *cfg;
	mq_err *err;
	int src;
	const char *name; /* the location, for messages */
	csvr *r;
	GTimeZone *tz;	/* the source's */
	GTimeZone *rtz; /* the report's */
	bool us_dates, null_literal;
	bool have_header;
	colmap m;
	symmap *lead_of;	   /* lead_id sym → lead index */
	symmap opp_of;		   /* opportunity_id sym → opportunity index */
	symmap conv_of;		   /* converted opportunity id sym → lead index */
	symmap ch_alias, ty_alias; /* normalised value sym → canonical sym */
	sym unknown;		   /* "unknown" */
	interner in;		   /* the pool; its lock while readers run in parallel */
	int64_t warn[CC_COUNT];
	const char **rf; /* a rejected row's fields */
	size_t *rl;
	size_t rcap;
	int64_t next_progress;
	memo m_type, m_chan, m_camp, m_title, m_ind, m_country;
	tagmemo m_tag;	     /* events: (type, channel, campaign) → tag of ds */
	struct idstore *ids; /* a parallel reader of leads: ids kept as text */
	const leadix *lx;    /* events: lead_id → lead */
	evq q;		     /* events waiting for their lead (evq_flush before merging) */
	const gint *stop;    /* set: a parallel reader is no longer wanted */
} loader;

/* ---- load_rows.c ---- */

/* csvr's record callback: the header binds the columns, every later
 * record becomes a row or a reject. ctx is the loader. */
int loader_on_record(void *ctx, const csvr_field *f, size_t n, uint32_t line);
/* Append a lead, or replace the one with the same id (the later row wins). */
void loader_add_lead(dataset *ds, symmap *lead_of, const lead *l);
/* Hand every event still waiting for its lead to L->out. */
void loader_rows_flush(loader *L);
/* Free what the row handlers grew: memos, scratch, the reject buffers. */
void loader_rows_free(loader *L);

/* ---- load_read.c ---- */

/* Read the file at path (encoding enc) through L's reader. Returns 0, or
 * -1 with L->err set. */
int loader_read_path(loader *L, const char *path, int enc);
/* Feed one chunk of raw bytes through the decoder into L's reader; conv
 * holds 3 * n for windows-1252. Returns csvr_feed()'s result. */
int loader_feed(loader *L, int enc, const unsigned char *b, size_t n, unsigned char *conv);
/* pread() all of [off, off + n) into b; returns bytes read or -1. */
ssize_t loader_pread(int fd, void *b, size_t n, int64_t off);

/* ---- load_part.c ---- */

/* Lead ids read by a parallel reader, interned when its rows are merged. */
typedef struct idstore {
	char *buf;
	size_t len, cap;
	struct idref {
		size_t off, len;
	} * ref;
	size_t n, rcap;
} idstore;
/* Keep a lead id; returns its index in the store. */
uint32_t idstore_add(idstore *x, const char *s, size_t len);

/* A reader of the file's second part, on its own thread, into its own
 * rows; merged only when the cut proves to be a record boundary. */
typedef struct part {
	loader L;
	dataset out;
	int fd, enc;
	int64_t from, to;
	int rc;
	gint stop;
	GThread *th;
} part;

/* A line start near `guess`, or 0 when none is found nearby. */
int64_t part_find_split(int fd, int64_t guess, int64_t total);
/* Start reading [from, to) of fd on a new thread with a copy of L's
 * binding; both loaders intern under lock from now on. */
void part_start(part *w, loader *L, int fd, int enc, int64_t from, int64_t to, GMutex *lock);
/* Append the worker's rows after the first part's; its lines are relative
 * to the cut, which was line `line` of the file. */
void part_merge(part *w, loader *L, uint32_t line);
/* Free the worker's state (after g_thread_join). */
void part_free(part *w);

#endif
