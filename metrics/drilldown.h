/* drilldown.h — the leads behind the report week's counts (an extension of metrics.json,
 * docs/metrics.md). */
#ifndef MQL_DRILLDOWN_H
#define MQL_DRILLDOWN_H

#include "view.h"

/* `drilldown`: {mqls, sqls, wins}, each rows of the leads that windows.1w
 * counts (mql_at, sql_at, won_at in the report week), ordered by that
 * moment then the lead's place in the export: {lead_id, created_at, channel, campaign, job_title,
 * company_size, industry, country, score, fit, engagement, mql_at, sql_at,
 * won_at, won_amount}. score = fit + engagement as of as_of; won_amount = the
 * lead's wins booked in the week (revenue's basis), null when none.
 *
 * Each table is an MV_ROWS (mval.h): its rows grow with the week's leads,
 * so they are kept in a temporary file (spill.h) as they are made and each
 * is made again when read, by mv_next(). */
mval *drilldown_table(const view *v);

/* The same table added up data set by data set, as the engine's chunks
 * come: each row is made from its own data set when it is added. */
typedef struct drill_acc drill_acc;
drill_acc *drill_acc_new(const metrics_params *p);
/* Add the rows of v's leads; place[i]: lead i's place in the export, the
 * rows' order among those of one moment (NULL: i itself). */
void drill_acc_add(drill_acc *d, const view *v, const uint64_t *place);
/* The {mqls, sqls, wins} object of every row added; may be asked again, and
 * stays valid after drill_acc_free(). */
mval *drill_acc_table(drill_acc *d);
void drill_acc_free(drill_acc *d); /* NULL is a no-op */

#endif
