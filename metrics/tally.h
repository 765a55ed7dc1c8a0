/* tally.h — leads that stand in the report only through their creation,
 * counted instead of kept one by one.
 *
 * A lead that exists at as_of, was created in the 13 weeks and has no MQL,
 * SQL, win or opportunity moment adds one to the leads created in its week
 * (windows, trend, the week-by-week KPIs) and to its channel's and
 * campaign's leads (breakdowns); every other table skips it but the
 * calibration, whose population the caller adds lead by lead
 * (metrics_params.calibration), these leads with the others.
 * A data set may leave such leads out when metrics_params.tally counts
 * them: each table adds the tally where its loop over the leads would have
 * counted them, so the definitions stay the tables' own. */
#ifndef MQL_TALLY_H
#define MQL_TALLY_H

#include <glib.h>

#include "view.h"

typedef struct tally_cell {
	sym channel, campaign;	/* of the data set the tally goes with */
	int64_t n[TREND_WEEKS]; /* by the week of created_at */
} tally_cell;

typedef struct lead_tally {
	int64_t created[TREND_WEEKS];
	tally_cell *cells;
	size_t ncells, cells_cap;
	GHashTable *cell_of; /* channel << 32 | campaign → cell + 1 */
	int64_t counted;     /* the leads counted */
} lead_tally;

void tally_init(lead_tally *t);
void tally_clear(lead_tally *t);

/* Whether lead i of v stands in the report only through its creation. */
bool tally_only_created(const view *v, size_t i);

/* Count lead i of v (tally_only_created) with its channel and campaign as
 * syms of the data set the tally goes with. */
void tally_add(lead_tally *t, const view *v, size_t i, sym channel, sym campaign);

/* The leads counted whose week lies in [start, end) (week boundaries). */
int64_t tally_created_in(const lead_tally *t, const metrics_params *p, ts_ms start, ts_ms end);

#endif
