/* eload.h — `mqlreport load`'s work: a data set read by ingest, exactly as
 * a run reads it, written into the ClickHouse tables of
 * config/clickhouse/schema.sql, one load per source file. */
#ifndef MQL_ELOAD_H
#define MQL_ELOAD_H

#include "dataset.h"
#include "eattempt.h"
#include "engine.h"

/* What happened to one source. */
typedef struct eload_result {
	bool present;	      /* the source was read */
	bool skipped;	      /* this file (same SHA-256) was already loaded */
	bool by_another;      /* ... by another load while this one wrote it */
	long long rows;	      /* rows inserted */
	int attempts;	      /* attempts it took (1 when the first one went through) */
	char attempt[33];     /* the attempt whose rows count */
	eattempt_swept swept; /* unfinished attempts of the file removed */
} eload_result;

/* Load every present source of ds (read by ingest_load). A file already
 * recorded in `loads` is skipped; otherwise a new attempt id is named in
 * `attempts`, the file's rows, then its rejected rows (erejects.h), are
 * inserted in batches under it and, only when all are in (and no other
 * load recorded the file meanwhile), the attempt is recorded in `loads`:
 * a load cut short leaves rows that no run reads. A failed batch starts a
 * new attempt (up to c->retries more). Then, loaded or skipped, the
 * partitions of every attempt of that file that `loads` does not name are
 * dropped (eattempt_sweep), so that a load killed half-way and run again
 * leaves the same tables as one that was not. Returns 0, or -1 with err. */
int eload_run(const engine_cfg *c, const dataset *ds, eload_result out[SRC_COUNT], mq_err *err);

#endif
