/* load.h — read the configured sources into a data set (SPEC §3).
 *
 * Maps vendor columns onto the canonical model, parses times and money,
 * normalises values, rejects bad rows with a reason (dataset.rejects) and
 * counts everything in dataset.src[]. */
#ifndef MQL_LOAD_H
#define MQL_LOAD_H

#include "dataset.h"
#include "fetch.h"
#include "strpairs.h"

typedef struct source_cfg {
	char *location; /* a path, or an http(s):// URL; NULL: not configured */
	char *preset;	/* "auto" (detect from the header), "canonical", "hubspot", "salesforce",
			   "marketo" */
	char *timezone; /* IANA name; NULL: the report's */
	char *encoding; /* NULL or "auto", "utf-8", "windows-1252" */
	bool us_dates;	/* accept M/D/YYYY */
	bool dmy_dates; /* accept D.M.YYYY and D/M/YYYY (date_format = dmy) */
	bool mdy_dates; /* accept M/D/YYYY with a 24-hour clock (date_format = mdy) */
	bool decimal_comma; /* amounts written 1.234,50 (decimal = comma) */
	int delimiter;	    /* the field separator; 0: detected from the header row */
	strpairs columns;   /* canonical column → vendor header, over the preset */
	fetch_opts fetch;
	char *name;    /* a further spend file: NAME of [source.spend.NAME]; else NULL */
	char *channel; /* spend: every row's channel (a file without one); NULL: the column */
} source_cfg;

typedef struct ingest_cfg {
	source_cfg src[SRC_COUNT];
	source_cfg *spend_more; /* [source.spend.NAME] files, summed with [source.spend]'s */
	size_t nspend_more;
	char *timezone;		   /* report time zone, IANA; "UTC" by default */
	char *currency;		   /* report currency code; "USD" by default */
	strpairs channel_aliases;  /* vendor value → canonical channel */
	strpairs type_aliases;	   /* vendor value → canonical event type */
	strpairs industry_aliases; /* vendor value → scoring rule's industry */
	strpairs country_aliases;  /* vendor value → ISO alpha-2 code */
	strpairs campaign_aliases; /* a campaign's other spelling → its name (trimmed) */
	bool mql_status;	   /* mql_source = status: a lead is an MQL when its status is… */
	char **mql_status_values;  /* …one of these (NULL-ended; compared trimmed, any case) */
	bool mql_status_dated;	   /* at its mql_at column ([mql] date_column); else created_at */
	size_t max_field_bytes;	   /* default 1 MiB */
	char *cache_dir;	   /* where fetched sources are kept */
	bool progress;		   /* progress on stderr */
	/* Keep the lead_id of an event or opportunity that no lead of the
	 * files read has (`mqlreport load`: a later load may bring the lead). */
	bool keep_orphan_ids;
	int threads; /* readers of the events file: 0 as many as useful (2 at most), 1 one */
	/* For tests: a large file's second reader starts only once the first
	 * part is read, so that the first reader always takes over half of the
	 * second part (ingest/load_part.c). */
	bool part_waits;
	/* For tests: read a file in parts from this many bytes on (0: 32 MiB),
	 * and cut a part's end off for the first reader from a quarter of it. */
	int64_t part_min_bytes;
	/* A large file's digest may finish after the reading, on a thread at
	 * the lowest priority, so that it takes no core from the readers: the
	 * caller calls ingest_digests_finish() before it reads a source's
	 * sha256 (`mqlreport run`, which shows them only in metrics.json and
	 * the manifest). */
	bool late_digests;
	/* Asked before each chunk a reader reads (256 KiB), before each source
	 * and before the data set is indexed: a nonzero answer stops the
	 * reading, and ingest_load() returns -1 with err's status that value
	 * (`mqlreport score`: 128 + a stop signal's number). NULL: never. */
	int (*stop)(void);
} ingest_cfg;

/* A digest of every setting that decides which rows of source s's file sc
 * are accepted and what they hold — preset, columns, dialect, encoding,
 * fixed channel, currency, aliases, the MQL status rule — but not its
 * place nor its time zone: 16 hex digits and a NUL. A loaded file keeps
 * it, so that a run with other settings is not answered from rows read
 * the old way. */
void ingest_settings_digest(const ingest_cfg *c, const source_cfg *sc, int s, char out[17]);

/* Free a source's settings (not sc itself) and zero them. */
void source_cfg_clear(source_cfg *sc);
void ingest_cfg_default(ingest_cfg *c);
void ingest_cfg_clear(ingest_cfg *c);
/* A further spend file called name, with the defaults; owned by c. */
source_cfg *ingest_cfg_add_spend(ingest_cfg *c, const char *name);

/* Read every configured source (leads first) into ds and index it.
 * Returns 0, or -1 with err set: MQ_NOINPUT for a missing file, MQ_DATAERR
 * for a file that is not CSV or lacks a required column (the message names
 * file, line and column), MQ_UNAVAILABLE for a failed fetch, cfg->stop's
 * answer when it stopped the reading. Bad rows are not errors: they are
 * rejected into ds. */
int ingest_load(dataset *ds, const ingest_cfg *cfg, mq_err *err);

/* Finish the digests ingest_load() left running (late_digests): each
 * source's sha256 is then set. Returns 0, or -1 with err set as the
 * reading would have: MQ_DATAERR when a file changed before its digest
 * was taken (its sha256 stays ""), MQ_NOINPUT when it could not be read.
 * Idempotent: with nothing left running, returns 0. */
int ingest_digests_finish(dataset *ds, mq_err *err);

#endif
