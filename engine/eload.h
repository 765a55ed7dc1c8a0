/* eload.h — `mqlreport load`'s work: a data set read by ingest, exactly as
 * a run reads it, written into the ClickHouse tables of
 * config/clickhouse/schema.sql, one load per source file (each file of a
 * spend read from several its own). */
#ifndef MQL_ELOAD_H
#define MQL_ELOAD_H

#include "dataset.h"
#include "eattempt.h"
#include "engine.h"

/* One file to load: a source, or one file of a source read from several,
 * and what ingest counted of it. Points into the data set it came from. */
typedef struct eload_file {
	int source; /* enum source_id */
	const char *location, *preset;
	const char *sha256;   /* the load's id */
	const char *settings; /* how it was read: ingest_settings_digest() */
	int64_t bytes, rows_read, rows_accepted, rows_rejected;
	int64_t footer_lines, preamble_lines;
	int64_t sign_other, thousandths; /* its amounts with another currency's sign, and
					    file_thousandths() of it in the report's */
	const char *amount_unread;	 /* its first amount left empty as unreadable, as
					    written; "" or NULL: none */
	const kvcounts *rejected_by_reason, *warnings_by_field;
	size_t row0, nrows;	    /* its rows: the source's row0 .. row0 + nrows */
	size_t reject0, reject_end; /* its rejects lie in ds->rejects[reject0 ..
				       reject_end), among other sources' */
} eload_file;

/* What happened to one file. */
typedef struct eload_result {
	eload_file file;
	bool skipped;	      /* this file (same SHA-256, same settings) was already loaded */
	bool by_another;      /* ... by another load while this one wrote it */
	bool recorded;	      /* in `loads` (now or before): what failed after it was the sweep */
	long long rows;	      /* rows inserted */
	int attempts;	      /* attempts it took (1 when the first one went through) */
	char attempt[33];     /* the attempt whose rows count */
	eattempt_swept swept; /* unfinished attempts of the file removed */
} eload_result;

/* Load every file of every present source of ds (read by ingest_load), in
 * the order a run reads them. A file already recorded in `loads` (the same
 * SHA-256 for the same source, read with the same settings) is skipped; one
 * whose bytes were recorded with other settings is refused, unless those
 * are another file's of ds, read from another place (a spend file of the
 * same bytes with its own fixed channel: loaded under its own record);
 * otherwise a new attempt id is named in `attempts`, the file's rows, then
 * its rejected rows (erejects.h), are inserted in batches under it and,
 * only when all are in (and no other load recorded the file meanwhile),
 * the attempt is recorded in `loads` with what ingest counted of the file:
 * a load cut short leaves rows that no run reads. A failed batch starts a
 * new attempt (up to c->retries more). Then, loaded or skipped, the
 * partitions of every attempt of that file that `loads` does not name are
 * dropped (eattempt_sweep), so that a load killed half-way and run again
 * leaves the same tables as one that was not. *out receives one result per
 * file (*nout), also on failure (those handled so far); the caller frees
 * it. Returns 0, or -1 with err. */
int eload_run(const engine_cfg *c, const dataset *ds, eload_result **out, size_t *nout,
	      mq_err *err);

#endif
