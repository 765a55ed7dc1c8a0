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

/* The same added data set by data set (the whole data set, or an engine's
 * chunks of leads with all their events and opportunities): no sum depends
 * on the order of the leads. */
typedef struct bd_acc bd_acc;
bd_acc *bd_acc_new(void);
/* Add the leads of v and their wins' revenue; x names v's syms in the data
 * set the tables are built from (NULL: v's own). */
void bd_acc_add(bd_acc *b, const view *v, const sym_xlat *x);
/* The tables, with the spend of v's data set, whose pool names the rows;
 * built again from b, they are the same. */
void bd_acc_tables(bd_acc *b, const view *v, mval **by_channel, mval **by_campaign);
void bd_acc_free(bd_acc *b); /* NULL is a no-op */

#endif
