/* notes.h — what the loader found worth a warning, said on stderr after
 * the sources are read. */
#ifndef MQL_NOTES_H
#define MQL_NOTES_H

#include "config.h"
#include "dataset.h"
#include "eread.h"
#include "mval.h"

/* Warn (stderr) about a source read month first only by its preset's US
 * dates while another is set day first, each source read as windows-1252
 * under encoding auto, rows kept despite text that is not UTF-8 in unused
 * columns, and industry and country values that no scoring rule and no
 * alias knows. */
void ingest_notes(const dataset *ds, const run_config *c);

/* Warn (stderr) of the event types of dq (the report's data_quality) that
 * no scoring rule knows, the most frequent first, with what to do: a
 * misspelt [aliases.type] or a vendor's own names would otherwise leave
 * them at 0 points with a count alone. Types mapped to unknown are not
 * named. */
void notes_unknown_types(const mval *dq);

/* Warn (stderr) of what the reading of each load an engine run reads found,
 * as `mqlreport load` warned of it then: optional values left empty as
 * unreadable, amounts with another currency's sign, amounts that may be
 * thousands read as thousandths (counts without lines: a load keeps no
 * lines); and of every lead read (ds, from the engine): MQLs from the
 * score for want of an mql_at column, industries and countries that no
 * scoring rule knows. */
void notes_engine_loads(const eread_result *r, const dataset *ds, const run_config *c);

/* A source's header columns of one kind (unknown_columns' 1: no mapping
 * reads it; 2: a second column of a name read), quoted, the first 20 and
 * " and N more": "\"Note\", \"Owner\""; NULL when none. Caller g_free()s. */
char *notes_columns(const kvcounts *u, int64_t kind);

#endif
