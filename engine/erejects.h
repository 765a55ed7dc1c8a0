/* erejects.h — the rejected rows of each load in ClickHouse (table
 * `rejects` of config/clickhouse/schema.sql): written by `load` under the
 * load's attempt, read back by `run --engine clickhouse` for rejects.csv. */
#ifndef MQL_EREJECTS_H
#define MQL_EREJECTS_H

#include "dataset.h"
#include "engine.h"
#include "eread.h"

/* Insert the rejects of source s among ds->rejects[from .. to) (one file's
 * of the source) under attempt, in batches of c->batch_rows, each with its
 * place among them (seq). Sends every batch once (no retry: a failed batch
 * fails the attempt). Returns 0, or -1 with err. */
int erejects_insert(const engine_cfg *c, const dataset *ds, int s, size_t from, size_t to,
		    const char *attempt, mq_err *err);

/* Append to ds->rejects the rejects of the attempts r read, in the order
 * an embedded run rejects them: by source (leads, events, spend,
 * opportunities), then by load (oldest first), then as ingest met them.
 * Streams the answer; each field's bytes (NULs included) as loaded.
 * Returns 0, or -1 with err. */
int erejects_read(const engine_cfg *c, const eread_result *r, dataset *ds, mq_err *err);

#endif
