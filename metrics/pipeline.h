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

#endif
