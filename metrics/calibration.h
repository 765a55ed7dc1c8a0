/* calibration.h — over- and under-qualification as numbers (SPEC §6
 * Calibration): score bands, the threshold sweep and the score's AUC. */
#ifndef MQL_CALIBRATION_H
#define MQL_CALIBRATION_H

#include "view.h"

/* What the tables are added up from: the population, lead by lead. */
typedef struct cal_acc cal_acc;

cal_acc *cal_new(void);
void cal_free(cal_acc *a);

/* Lead i of v into a when it is in the population (it exists at as_of and
 * was created in the 13-week window), with its score as of as_of. The
 * leads may come in any order, from any number of views: the tables come
 * out the same. */
void cal_add_lead(cal_acc *a, const view *v, size_t i);

/* Set root's `score_bands`, `threshold_sweep` and `calibration` over the
 * population: v->p->calibration when the caller added it (and then none of
 * v's leads), else every lead of v. */
void calibration_tables(const view *v, mval *root);

#endif
