/* quality.h — `data_quality` of SPEC §6/§8: what ingest counted per source
 * (rows read, accepted, rejected by reason, warnings by field) combined with
 * what depends on as_of (timestamps at or after it, the newest timestamp,
 * staleness, orphans, unknown event types, negative durations). */
#ifndef MQL_QUALITY_H
#define MQL_QUALITY_H

#include "view.h"

/* A source is stale when its newest timestamp before as_of is older than
 * this before as_of, or it has none. */
#define QUALITY_STALE_MS (7 * MS_PER_DAY)

/* The `data_quality` object. New tree owned by the caller. */
mval *quality_table(const view *v);

#endif
