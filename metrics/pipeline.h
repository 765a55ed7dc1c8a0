/* pipeline.h — the pipeline created in the report week (an extension of
 * metrics.json, docs/metrics.md), from the opportunities source. */
#ifndef MQL_PIPELINE_H
#define MQL_PIPELINE_H

#include "view.h"

/* `pipeline` (only with an opportunities source; NULL otherwise): the
 * opportunities created in the report week, of leads that exist:
 * {opportunities_created, opportunities_value, open_opportunities,
 * open_value, won_opportunities, won_value, lost_opportunities, by_channel:
 * rows of the same per lead channel, most open value first}. A value sums
 * the amounts that are given. */
mval *pipeline_table(const view *v);

/* The same added data set by data set (the whole data set, or an engine's
 * chunks of leads with their opportunities), in any order of them. */
typedef struct pipe_sums pipe_sums;
pipe_sums *pipe_sums_new(void);
/* Add v's opportunities; x names v's syms in the data set the table is
 * built from (NULL: v's own). */
void pipe_sums_add(pipe_sums *s, const view *v, const sym_xlat *x);
/* The table (NULL without an opportunities source in v's data set, whose
 * pool names the rows); s is not added to afterwards. */
mval *pipe_sums_table(pipe_sums *s, const view *v);
void pipe_sums_free(pipe_sums *s); /* NULL is a no-op */

#endif
