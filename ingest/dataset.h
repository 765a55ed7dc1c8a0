/* dataset.h — the canonical data model of SPEC §3, as ingest leaves it.
 *
 * The data set holds the whole history found in the sources, including rows
 * stamped at or after any as_of: the as_of view is the metrics stage's job.
 * Strings are interned once in the data set's pool and referred to by `sym`.
 *
 * Ownership: dataset_new() returns a data set that owns every array, string
 * and count in it; dataset_free() releases all of it (NULL is a no-op). */
#ifndef MQL_DATASET_H
#define MQL_DATASET_H

#include <string.h>

#include "base.h"
#include "money.h"
#include "strpairs.h"

/* An interned string. 0 is the empty string. */
typedef uint32_t sym;

typedef struct strpool strpool;
strpool *pool_new(void);
void pool_free(strpool *p);
/* The id of the string s[0..len), interning a copy when it is new. */
sym pool_intern(strpool *p, const char *s, size_t len);
/* pool_intern() in two steps, for a loop over many new strings: their
 * hashes first, the slot of one a few strings ahead prefetched while one
 * is interned (a million new ids each probe a random slot). */
uint32_t pool_hash(const char *s, size_t len);
void pool_prefetch(const strpool *p, uint32_t h);
sym pool_intern_hashed(strpool *p, const char *s, size_t len, uint32_t h);
/* The id of s[0..len) when interned, else 0. */
sym pool_find(const strpool *p, const char *s, size_t len);
/* The text of an id; "" for 0. Valid as long as the pool lives. */
const char *pool_str(const strpool *p, sym id);
size_t pool_count(const strpool *p); /* ids in use, 0 included */
/* Room for `more` strings beyond those interned, made at once: the table
 * they would grow it to, without the tables between (each a rehash and
 * fresh memory). */
void pool_reserve(strpool *p, size_t more);
/* Give back what growth left unused once the pool is mostly complete
 * (the arrays to their size, the hash table to 3/4 full at most); later
 * interning grows them again. */
void pool_trim(strpool *p);

/* Event types of SPEC §3. The data set's pool interns their names first, in
 * this order, so the sym of a known type's name equals its kind. */
enum ev_kind {
	EV_UNKNOWN = 0,
	EV_CONTENT_DOWNLOAD,
	EV_PREMIUM_CONTENT_DOWNLOAD,
	EV_WEBINAR_REGISTERED,
	EV_WEBINAR_ATTENDED,
	EV_EVENT_ATTENDED,
	EV_DEMO_REQUEST,
	EV_PRICING_PAGE_VISIT,
	EV_SALES_CONTENT_VIEW,
	EV_PAGE_VISIT,
	EV_BLOG_CLICK,
	EV_EMAIL_OPEN,
	EV_EMAIL_CLICK,
	EV_NEWSLETTER_SIGNUP,
	EV_EMAIL_UNSUBSCRIBE,
	EV_EMAIL_BOUNCE,
	EV_SOCIAL_LIKE,
	EV_SOCIAL_SHARE,
	EV_SOCIAL_COMMENT,
	EV_PAGE_FOLLOW,
	EV_POLL_RESPONSE,
	EV_AD_CLICK,
	EV_PRODUCT_SIGNUP,
	EV_TRIAL_ACTIVITY,
	EV_SALES_TOUCH,
	EV_COUNT
};
extern const char *const ev_kind_name[EV_COUNT]; /* [EV_UNKNOWN] = "unknown" */
static inline int ev_kind(sym type)
{
	return type < EV_COUNT ? (int)type : EV_UNKNOWN;
}

/* Timestamp fields of a lead, in SPEC §3's order. */
enum lead_time {
	LT_CREATED,
	LT_MQL,
	LT_ACCEPTED,
	LT_REJECTED,
	LT_SQL,
	LT_FIRST_CONTACT,
	LT_OPPORTUNITY,
	LT_WON,
	LT_LOST,
	LT_COUNT
};
extern const char *const lead_time_column[LT_COUNT]; /* "created_at", "mql_at", … */

/* A lead's time as its word holds it (read through lead_t(), set through
 * lead_set_t()): whole seconds since 1970 below LT_W_ESC (to the year
 * 2072), LT_W_NONE for TS_NONE, else LT_W_ESC + the index of its exact
 * value in dataset.ltx (milliseconds, before 1970, after 2072). */
#define LT_W_ESC  UINT32_C(0xC0000000)
#define LT_W_NONE UINT32_MAX

typedef struct lead {
	uint32_t tw[LT_COUNT]; /* the times' words (lead_t()); LT_W_NONE when empty */
	uint32_t line;	       /* line of the winning row in the leads source */
	double amount;	       /* NAN when empty */
	int64_t company_size;  /* employees (a band's lower bound); -1 when empty */
	sym id;		       /* trimmed lead_id */
	sym channel;	       /* normalised; "unknown" when empty */
	sym campaign;	       /* trimmed; "unknown" when empty */
	sym job_title;	       /* as written, trimmed */
	sym industry;	       /* normalised like channel; 0 when empty */
	sym country;	       /* upper-cased; 0 when empty */
	sym converted_opp;     /* a CRM's converted opportunity id; 0 when none */
} lead;
_Static_assert(sizeof(lead) == 88, "a lead is 88 bytes");

#define NO_LEAD UINT32_MAX

/* An event's type, channel and campaign, interned together: an export has
 * few distinct triples, so an event carries one 4-byte tag, not three syms. */
typedef struct ev_tag {
	sym type;     /* normalised type; ev_kind(type) gives the known kind */
	sym channel;  /* normalised; "unknown" when empty */
	sym campaign; /* trimmed; "unknown" when empty */
} ev_tag;

#define EV_KIND_BITS 5 /* the low bits of a tag: the event's known kind */
_Static_assert(EV_COUNT <= (1 << EV_KIND_BITS), "kinds fit in a tag's low bits");

/* An event after dataset_index(): its lead is implicit in its position
 * (lead_ev; ds_event_lead() gives it). 8 bytes, as the events are most of
 * a run's memory: one word holds the instant in ms since 1970 (its upper
 * EV_AT_BITS bits: up to the year 2527) above the tag (the lower
 * EV_TAG_BITS bits: a triple's index below EV_IDX_ESC, then the kind).
 * An event that does not fit that way (an instant before 1970, after 2527
 * or TS_NONE, or a triple's index from EV_IDX_ESC on) holds EV_IDX_ESC as its index,
 * its kind as usual, and in place of the instant the index of its exact
 * time and tag in dataset.evx. Read an event only through ev_at(),
 * ev_tag_of(), ev_kind_of() and ds_tag(). */
typedef struct event {
	uint64_t w;
} event;
_Static_assert(sizeof(event) == 8, "an event is 8 bytes");
#define EV_TAG_BITS 20
#define EV_AT_BITS  (64 - EV_TAG_BITS)
#define EV_IDX_ESC  ((1u << (EV_TAG_BITS - EV_KIND_BITS)) - 1)

/* An event's exact time and tag, for an event its word cannot hold. */
#pragma pack(push, 4)
typedef struct ev_exact {
	ts_ms at;
	uint32_t tag;
} ev_exact;
#pragma pack(pop)

/* Events in arrival order, by range of leads (evorder.c). */
typedef struct evbins evbins;
typedef struct spend_row {
	ts_ms day;     /* local midnight (report timezone) that starts the spend's day */
	double amount; /* in the report currency, >= 0 */
	sym channel;   /* normalised */
	sym campaign;  /* "unknown" when empty */
} spend_row;

typedef struct opportunity {
	ts_ms created, closed; /* closed: TS_NONE when empty */
	double amount;	       /* NAN when empty */
	sym id;
	sym stage;	  /* normalised like channel ("Closed Won" → closed_won); 0 when empty */
	uint32_t lead;	  /* index into dataset.leads; NO_LEAD when orphaned */
	sym lead_ref;	  /* orphaned, with keep_orphan_ids: its lead_id as given; else 0 */
	int8_t is_won;	  /* 1 true, 0 false, -1 empty */
	int8_t is_closed; /* 1 true, 0 false, -1 empty */
} opportunity;

enum source_id { SRC_LEADS, SRC_EVENTS, SRC_SPEND, SRC_OPPORTUNITIES, SRC_COUNT };
extern const char *const source_name[SRC_COUNT]; /* "leads", "events", … */

/* Encoding auto, of one file: its rows that are not UTF-8, each read as
 * windows-1252 (the decision is per row), and its rows of valid UTF-8
 * beyond ASCII ("Café"), which a file in windows-1252 has none of.
 * Encoding windows-1252: whether the file's bytes are UTF-8 all the same. */
#define CP_LINES_KEPT 4
typedef struct enc_rows {
	uint32_t cp_line[CP_LINES_KEPT]; /* the first lines read as windows-1252, in
					    order; 0 past the last */
	int64_t cp_rows;		 /* how many rows (a header too) were */
	int64_t utf8_rows;		 /* rows (a header too) of UTF-8 beyond ASCII */
	int64_t forced_utf8;		 /* windows-1252: chunks with UTF-8 beyond ASCII … */
	int64_t forced_other;		 /* … and bytes beyond ASCII that are no UTF-8 */
	char forced_example[48];	 /* the first word of the former, as written */
} enc_rows;

/* Add b's rows to a's, b's lines `offset` lines further on (a later part
 * of a file read in parts: 0 for the same lines). */
static inline void enc_rows_add(enc_rows *a, const enc_rows *b, uint32_t offset)
{
	for (int i = 0; i < CP_LINES_KEPT && b->cp_line[i]; i++) {
		uint32_t line = b->cp_line[i] + offset;
		int k = 0;
		while (k < CP_LINES_KEPT && a->cp_line[k] && a->cp_line[k] < line)
			k++;
		if (k == CP_LINES_KEPT || a->cp_line[k] == line)
			continue;
		memmove(&a->cp_line[k + 1], &a->cp_line[k],
			(CP_LINES_KEPT - 1 - (size_t)k) * sizeof a->cp_line[0]);
		a->cp_line[k] = line;
	}
	a->cp_rows += b->cp_rows;
	a->utf8_rows += b->utf8_rows;
	a->forced_utf8 += b->forced_utf8;
	a->forced_other += b->forced_other;
	if (!a->forced_example[0])
		memcpy(a->forced_example, b->forced_example, sizeof a->forced_example);
}

/* One file of a source read from several files (spend): what it added to
 * the summed source, and where its rows and rejects lie in the data set. */
typedef struct source_file {
	char *name; /* "spend", or NAME of [source.spend.NAME] */
	char *location, *preset;
	int64_t bytes, rows_read, rows_accepted, rows_rejected;
	kvcounts rejected_by_reason, warnings_by_field; /* this file's own */
	int64_t footer_lines, preamble_lines;
	int64_t point3, point_other; /* its amounts with three digits after a decimal point, and
					with another number of them (source_stats) */
	uint32_t point3_line;	     /* the first line of the former */
	int64_t thousandths;	     /* file_thousandths() of them */
	int64_t sign_other;	     /* its amounts with another currency's sign */
	uint32_t sign_line;	     /* the first line of those */
	char amount_unread[32];	     /* its first amount left empty as unreadable */
	enc_rows enc;		     /* its rows read as windows-1252, and of UTF-8 */
	size_t row0, nrows;	     /* its rows: ds->spend[row0 .. row0 + nrows) */
	size_t reject0, nrejects;    /* its rejects: ds->rejects[reject0 .. + nrejects) */
	char sha256[65];
	char settings[17]; /* ingest_settings_digest() of how it was read */
} source_file;

/* An amount column whose header names another currency than the report's
 * ("Amount spent (EUR)" in a USD report): its amounts are read as the
 * report's all the same, so the run warns (cmd/notes.c). One per file. */
typedef struct named_currency {
	char *file;   /* the file, as configured */
	char *group;  /* its configuration group: "spend", "spend.NAME" */
	char *header; /* the amount column's header, trimmed */
	char code[4]; /* the ISO 4217 code the header names */
} named_currency;

/* A column that a preset's name (or the column's own) read from the first
 * of headers that differ only in case, spaces and symbols ("Amount (€)"
 * before "Amount ($)"): which of them holds it is a guess, so the run
 * warns (cmd/notes.c). One per column and file. */
typedef struct alike_header {
	char *file;  /* the file, as configured */
	char *group; /* its configuration group: "leads", "spend.NAME" */
	int col;     /* the canonical column (enum canon_col) */
	char *read;  /* the header read, trimmed */
	char *other; /* the first header like it that is not read */
	int more;    /* how many more such headers */
} alike_header;

/* What reading one source found (SPEC §6 data quality, the as_of-free part). */
typedef struct source_stats {
	bool present;	/* the source was configured and read */
	char *location; /* path as configured, or URL without user info or query */
	char *preset;	/* the mapping preset used or detected */
	int64_t bytes;
	char sha256[65];   /* hex digest of the bytes read; "" when not read; of
			      several files, digest_of_digests() of theirs */
	char settings[17]; /* ingest_settings_digest() of how it was read (of a
			      source read from several files: the last one's) */
	int64_t rows_read, rows_accepted, rows_rejected;
	kvcounts rejected_by_reason;	      /* "wrong_field_count" → n */
	kvcounts warnings_by_field;	      /* "amount" → n */
	kvcounts warn_line_by_field;	      /* "amount" → the line of its first warning */
	kvcounts unknown_columns;	      /* header → 1, listed once in the log; → 2: a
						 second column of the name of one read */
	strpairs repeated_of;		      /* of those → 2, one written otherwise
						 ("Channel") → the header read ("channel") */
	kvcounts unread_like;		      /* of those, one like a column the file lacks:
						 header → 1 + enum canon_col */
	int64_t footer_lines, preamble_lines; /* a report's lines after / before the data */
	uint32_t cut_row;   /* a file of it ends inside this short row (its line) */
	enc_rows enc;	    /* encoding auto: rows read as windows-1252, and rows
			       of UTF-8 beyond ASCII (of several files: summed,
			       each file's in files[]) */
	int64_t sign_other; /* amounts written with another currency's sign ($ in EUR) … */
	uint32_t sign_line; /* … and the first of their lines */
	named_currency *named_currencies; /* its files' amount headers naming another
					     currency, in the order read */
	size_t nnamed_currencies;
	alike_header *alike; /* columns read from the first of headers alike, in
				the order read */
	size_t nalike;
	/* read with a decimal point: amounts with three digits after it
	 * ("1.500"), amounts with another number of them, and the first line
	 * of the former (every amount "1.500": thousands, said by cmd/notes.c) */
	int64_t point3, point_other;
	uint32_t point3_line;
	/* the first optional amount that could not be read (left empty), as
	 * written, cut to 31 bytes: the hints show it; "" when none */
	char amount_unread[32];
	/* the first company_size that could not be read, likewise: a German
	 * "1.200" without decimal = comma, for which cmd/notes.c names it */
	char size_unread[32];
	/* events, opportunities: the rows whose lead_id names no lead and is
	 * in scientific notation (norm_sci_id(): a spreadsheet lost its
	 * digits), and the first such lead_id as written (norm_example(); ""
	 * when none): cmd/notes.c warns of them */
	int64_t sci_orphans;
	char sci_orphan[32];
	/* the amounts read as written though every amount with a decimal point
	 * in their file has three digits after it, in a currency of two minor
	 * digits or none (file_thousandths() of each file): perhaps thousands
	 * read as thousandths; set once the source is read (or from the
	 * engine's loads), for the data quality and cmd/notes.c */
	int64_t thousandths;
	int parts;	    /* the most parts a file of it was read in on two threads
			       (2, or 3 with the first reader taking the second's end);
			       0 when read by one thread */
	source_file *files; /* a source read from several files: each one; else NULL */
	size_t nfiles;
} source_stats;

/* Of a file whose amounts with a decimal point are point3 with three
 * digits after it and point_other with another number, read for a report
 * in currency `code` (NULL: USD): the amounts that may be thousands read
 * as thousandths ("1.500" read as 1.5), all of the former when none is of
 * the latter, else none; and none in a currency whose minor units are
 * three (money_currency_decimals()), where "1.500" is one and a half as
 * its writer meant (KWD: a dinar and 500 fils). */
static inline int64_t file_thousandths(int64_t point3, int64_t point_other, const char *code)
{
	return point_other || money_currency_decimals(code) == 3 ? 0 : point3;
}

/* A rejected row, as rejects.csv shows it. */
typedef struct reject {
	int source;    /* enum source_id */
	uint32_t line; /* 1-based line where the row starts */
	char *reason;
	char **fields; /* raw fields, owned; each NUL-terminated, but may hold NULs */
	size_t *lens;  /* each field's length in bytes; in the block of fields
			  (freeing fields frees it) */
	size_t nfields;
} reject;

typedef struct dataset {
	strpool *pool;
	lead *leads;
	size_t nleads, leads_cap;
	event *events;	   /* after dataset_index(); before it, in `arrived` */
	size_t events_map; /* bytes of events' own mapping; 0: malloc'd */
	ev_exact *evx;	   /* the events whose word cannot hold time and tag */
	size_t nevx, evx_cap;
	ts_ms *ltx; /* the leads' times their words cannot hold */
	size_t nltx, ltx_cap;
	size_t nevents;	 /* events held, before and after dataset_index() */
	evbins *arrived; /* events in arrival (file) order, not yet indexed */
	ev_tag *tags;	 /* tag index → triple */
	size_t ntags, tags_cap;
	uint32_t *tag_slots; /* hash slot → tag index + 1 */
	size_t tag_nslots;
	spend_row *spend;
	size_t nspend, spend_cap;
	opportunity *opps;
	size_t nopps, opps_cap;

	bool has_opportunities;	   /* an opportunities source was read */
	bool leads_have_mql;	   /* the leads mapping provides an mql_at column */
	bool leads_have_converted; /* … and a converted opportunity id column */
	bool opps_by_converted;	   /* the opportunities have no lead_id column: each is
				      joined through the leads' converted opportunity id */

	/* After dataset_index(): events ordered by (lead, at, file order), orphans
	 * last; lead_ev[i]..lead_ev[i+1] are lead i's events, lead_ev[nleads]..
	 * nevents the orphans (no lead has their id). */
	uint32_t *lead_ev;    /* nleads + 1 offsets */
	size_t indexed_leads; /* nleads when dataset_index() last ran */

	source_stats src[SRC_COUNT];
	int64_t duplicate_leads; /* extra rows for an already seen lead_id */
	int64_t duplicate_opps;

	reject *rejects;
	size_t nrejects, rejects_cap;

	/* With keep_orphan_ids (`mqlreport load`, which stores each event and
	 * opportunity under its lead's id, for a later load may bring the
	 * lead): the lead_id of every event no lead has, in the orphans'
	 * order, each as its 4-byte length, its bytes and a NUL. */
	bool keep_orphan_ids;
	char *orphan_ids;
	size_t orphan_ids_len, orphan_ids_cap, norphan_ids;

	/* Digests still being taken after the reading (ingest_cfg's
	 * late_digests): a source's sha256 is "" until ingest_digests_finish(). */
	struct late_digest *late;
} dataset;

dataset *dataset_new(void);
void dataset_free(dataset *ds);
/* Stop and drop ds's late digests, their sha256 left "" (load_hash.c;
 * dataset_free() calls it). */
void late_digests_drop(dataset *ds);

/* The tag of the triple (type, channel, campaign), interning it when new.
 * Not thread-safe: one writer at a time (the loader holds the pool's lock). */
uint32_t dataset_tag(dataset *ds, sym type, sym channel, sym campaign);

/* Append an event (tag from dataset_tag() of the data set whose tags the
 * events will use) in arrival order. lead: an index into leads, or NO_LEAD.
 * An instant beyond ±70,000 years of 1970 is kept as TS_NONE. */
void dataset_add_event(dataset *ds, ts_ms at, uint32_t lead, uint32_t tag);
/* Make the events this thread added visible to other threads: call before
 * another thread reads or indexes them. Part of their records are written
 * with streaming stores, which only a fence orders before the thread's
 * later writes (a thread's exit and join order them in practice). */
void dataset_events_fence(void);
/* With ds->keep_orphan_ids: the lead_id of the event of no lead just
 * added, as pfx[0..plen) and s[0..len) one after the other. */
void dataset_orphan_id(dataset *ds, const char *pfx, size_t plen, const char *s, size_t len);
/* Count a row of source src whose lead_id, s[0..len), names no lead and
 * is in scientific notation, keeping the first such as sci_orphan. */
void dataset_sci_orphan(dataset *ds, int src, const char *s, size_t len);
/* After dataset_index(), the kept lead_id of the orphan that follows the
 * one at *pos (0 for the first), moving *pos on: a NUL-terminated string,
 * or NULL past the last or when no ids were kept. The orphans are the last
 * norphan_ids events. */
const char *ds_next_orphan_id(const dataset *ds, size_t *pos);
/* Move every arrived event of `from` after those of `ds` (no copy), and
 * their kept lead_ids. */
void dataset_take_events(dataset *ds, dataset *from);
/* Free the events that arrived and were not indexed. */
void dataset_drop_arrived(dataset *ds);

/* Put the arrived events in order (lead, at, file order), orphans last,
 * into ds->events and fill lead_ev. Call once after loading, before any
 * metric. */
void dataset_index(dataset *ds);

/* Add to into each value of the leads' industry (or, with country, their
 * country) and its number of leads; empty values are not counted. The
 * leads are counted by interned value, and each value is added once: a
 * lookup per lead cost 0.2 s of a 2,000,000-lead run. */
void ds_lead_values(const dataset *ds, bool country, kvcounts *into);

/* Free every event (placed or arrived) and the index, once no metric will
 * read them again (the outputs render the metrics, not the events): the
 * data set is left with no events. */
void dataset_drop_events(dataset *ds);

/* The lead of events[k] after dataset_index(); NO_LEAD for an orphan.
 * A binary search: loops over every event walk lead_ev instead. */
uint32_t ds_event_lead(const dataset *ds, size_t k);

/* Whether e's time and tag are in ds->evx. */
static inline bool ev_escaped(const event *e)
{
	return ((e->w >> EV_KIND_BITS) & EV_IDX_ESC) == EV_IDX_ESC;
}
/* An event's instant, its exceptions in evx (ds->evx once indexed). */
static inline ts_ms ev_at_in(const ev_exact *evx, const event *e)
{
	return ev_escaped(e) ? evx[e->w >> EV_TAG_BITS].at : (ts_ms)(e->w >> EV_TAG_BITS);
}
/* An event's instant (TS_NONE when it had none). */
static inline ts_ms ev_at(const dataset *ds, const event *e)
{
	return ev_at_in(ds->evx, e);
}
/* An event's tag, as dataset_tag() gave it. */
static inline uint32_t ev_tag_of(const dataset *ds, const event *e)
{
	return ev_escaped(e) ? ds->evx[e->w >> EV_TAG_BITS].tag
			     : (uint32_t)(e->w & ((UINT64_C(1) << EV_TAG_BITS) - 1));
}
/* The first of lead i's events at or after t, after dataset_index(): a
 * lead's events are in time order, those without a time (TS_NONE) first,
 * so its events before t with a time are [ds_lead_event_from(ds, i,
 * TS_NONE + 1), ds_lead_event_from(ds, i, t)). */
static inline uint32_t ds_lead_event_from(const dataset *ds, size_t i, ts_ms t)
{
	uint32_t lo = ds->lead_ev[i], hi = ds->lead_ev[i + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ev_at(ds, &ds->events[mid]) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
/* An event's kind, type, channel and campaign. */
static inline int ev_kind_of(const event *e)
{
	return (int)(e->w & ((1u << EV_KIND_BITS) - 1));
}
static inline const ev_tag *ds_tag(const dataset *ds, const event *e)
{
	return &ds->tags[ev_tag_of(ds, e) >> EV_KIND_BITS];
}

/* Lead l's time f (enum lead_time); l belongs to ds (or is being built
 * for it). */
static inline ts_ms lead_t(const dataset *ds, const lead *l, int f)
{
	uint32_t w = l->tw[f];
	if (w < LT_W_ESC)
		return (ts_ms)w * 1000;
	return w == LT_W_NONE ? TS_NONE : ds->ltx[w - LT_W_ESC];
}
/* Set lead l's time f, for a lead of ds. */
void lead_set_t(dataset *ds, lead *l, int f, ts_ms t);
/* A lead of `from` copied into `to`: its times' exact values put in to's
 * table (a no-op when to is from). */
void lead_rehome(dataset *to, lead *l, const dataset *from);

/* Append a rejected row; copies the fields. */
void dataset_reject(dataset *ds, int source, uint32_t line, const char *reason,
		    const char *const *fields, const size_t *lens, size_t nfields);

static inline const char *ds_str(const dataset *ds, sym id)
{
	return pool_str(ds->pool, id);
}

/* The file reject k (of ds->rejects) was read from: of a source summed
 * from several files (spend), the one that holds it, else the source's
 * location; NULL when none is known. */
const char *ds_reject_location(const dataset *ds, size_t k);

#endif
