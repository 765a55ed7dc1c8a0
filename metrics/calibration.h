/* calibration.h — over- and under-qualification as numbers (SPEC §6
 * Calibration): score bands, the threshold sweep and the score's AUC. */
#ifndef MQL_CALIBRATION_H
#define MQL_CALIBRATION_H

#include "view.h"

/* Set root's `score_bands`, `threshold_sweep` and `calibration` over the
 * leads created in the 13-week window, scored as of as_of. */
void calibration_tables(const view *v, mval *root);

#endif
