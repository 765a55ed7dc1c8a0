/* breakdown.h — the per-channel and per-campaign tables of SPEC §6
 * Breakdowns, for every window. */
#ifndef MQL_BREAKDOWN_H
#define MQL_BREAKDOWN_H

#include "view.h"

/* Build `by_channel` and `by_campaign`: objects {1w, 4w, 13w}, each an array
 * of rows ordered by key (byte order). Counts and rates follow the lead's own
 * channel and campaign, spend the spend row's, the six revenue_<model>
 * columns the touchpoints' (attribution.h); `revenue` and `roi` follow the
 * model p->attribution. New trees owned by the caller. */
void breakdown_tables(const view *v, mval **by_channel, mval **by_campaign);

#endif
