/* drilldown.h — the leads behind the report week's counts (an extension of metrics.json,
 * docs/metrics.md). */
#ifndef MQL_DRILLDOWN_H
#define MQL_DRILLDOWN_H

#include "view.h"

/* `drilldown`: {mqls, sqls, wins}, each rows of the leads that windows.1w
 * counts (mql_at, sql_at, won_at in the report week), ordered by that
 * moment then the lead's place in the export: {lead_id, created_at, channel, campaign, job_title,
 * company_size, industry, country, score, fit, engagement, mql_at, sql_at,
 * won_amount}. score = fit + engagement as of as_of; won_amount = the
 * lead's wins booked in the week (revenue's basis), null when none. */
mval *drilldown_table(const view *v);

#endif
