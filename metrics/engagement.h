/* engagement.h — the counts behind the `engagement` table (trend.h), kept
 * apart from the view they came from, so that the table can be built from
 * several views of disjoint leads (the engine's chunks) with the same
 * definition as from one. */
#ifndef MQL_ENGAGEMENT_H
#define MQL_ENGAGEMENT_H

#include "view.h"

/* Per event type (by name) and window: events, unique leads, unique leads
 * with an MQL. */
typedef struct eng_counts eng_counts;

eng_counts *eng_counts_new(void);
void eng_counts_free(eng_counts *c); /* NULL is a no-op */

/* Add the events of the 13 weeks of every existing lead of v (before
 * as_of). The leads of separate calls must be distinct leads: a lead is
 * counted once per type and window within one call. */
void eng_counts_add(eng_counts *c, const view *v);

/* The `engagement` table of the counts (trend.h says its shape). */
mval *eng_counts_table(const eng_counts *c);

#endif
