/* qualify.h — `qualification` (an extension of metrics.json,
 * docs/metrics.md): which way the MQL threshold errs over the last 13
 * weeks, and the threshold sweep's candidate. */
#ifndef MQL_QUALIFY_H
#define MQL_QUALIFY_H

#include "metrics.h"
#include "mval.h"

/* From the finished windows.13w and threshold_sweep of root:
 * {rejected_share (1 − sales_acceptance_rate), sql_without_mql_rate,
 * threshold, sql_rate and sql_capture_rate at it (the sweep's row),
 * lean: "loose" (rejected_share above 25%), "strict" (sql_without_mql_rate
 * above 20%), "mixed" (both), "balanced" (neither), each side judged only
 * on at least low_sample_min cases (reviewed_mqls_13w for the rejected
 * share, sqls_13w for the other; rejected_judged and never_judged say
 * which were), "too_few" (neither side judged), null without either share;
 * candidate_threshold, candidate_sql_rate and
 * candidate_sql_capture_rate: loose, the highest threshold above that
 * keeps the capture within 5 points and raises the SQL rate; strict, the
 * highest below that gains 5 points of capture; else null; mql_source:
 * where the MQL moments came from, "score", "export" (the leads' mql_at)
 * or "status" (the lead status), as a lean says something else of an MQL
 * rule that is the CRM's than of the score's threshold}. leads_have_mql:
 * the data set's (metrics_mql_source_name()). */
mval *qualification_table(const mval *root, const metrics_params *p, bool leads_have_mql);

#endif
