/* attribution.h — the six attribution models of SPEC §6: how one win's
 * revenue is shared among the lead's touchpoints. */
#ifndef MQL_ATTRIBUTION_H
#define MQL_ATTRIBUTION_H

#include "funnel.h"

/* One touchpoint of a win and the share of the win each model gives it. */
typedef struct attr_touch {
	sym channel, campaign;
	ts_ms at;
	double share[ATTR_COUNT]; /* per enum attr_model; each model's shares sum to 1 */
} attr_touch;

/* A reusable scratch list of touchpoints (grown, never shrunk). */
typedef struct attr_buf {
	attr_touch *t;
	size_t len, cap;
} attr_buf;

/* Fill buf with the touchpoints of win w (its origin first, then the lead's
 * events other than sales_touch at or before the win, in time order) and the
 * share each model gives each one. buf is overwritten; it keeps its array
 * between calls so that no win allocates. */
void attr_credit(const view *v, const win *w, attr_buf *buf);
void attr_buf_free(attr_buf *buf);

#endif
