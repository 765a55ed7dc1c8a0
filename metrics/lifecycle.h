/* lifecycle.h — the lifecycle stage of every lead that exists at as_of (SPEC §4). */
#ifndef MQL_LIFECYCLE_H
#define MQL_LIFECYCLE_H

#include "view.h"

enum lc_stage { LC_CUSTOMER, LC_LOST, LC_SQL, LC_HOT, LC_MQL, LC_PQL, LC_LEAD, LC_COUNT };
extern const char *const lc_stage_name[LC_COUNT]; /* "customer", … */

/* The stage of lead i, first match wins; -1 when the lead does not exist. */
int lifecycle_of(const view *v, size_t i);
/* `lifecycle` of SPEC §8: {customer, lost, sql, hot, mql, pql, lead}. New tree. */
mval *lifecycle_table(const view *v);

#endif
