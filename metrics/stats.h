/* stats.h — the small statistics SPEC §6 relies on: Wilson intervals,
 * quantiles interpolated like numpy's default (Excel's PERCENTILE.INC), the
 * Kaplan–Meier median of a censored sample and the ROC AUC of a score.
 *
 * Pure functions over caller-owned arrays; nothing is allocated that the
 * caller has to free. */
#ifndef MQL_STATS_H
#define MQL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* z for a two-sided 95% interval. */
#define STATS_Z95 1.959963984540054

/* The 95% Wilson score interval of k successes in n trials. Returns false
 * (and sets both bounds to NaN) when n is 0; otherwise 0 <= lo <= k/n <= hi <= 1,
 * with lo == 0 exactly when k == 0 and hi == 1 exactly when k == n. */
bool stats_wilson(int64_t k, int64_t n, double *lo, double *hi);

/* The q-quantile (0 <= q <= 1) of x[0..n) by linear interpolation between
 * order statistics: h = (n-1)q, x(floor h) + (h - floor h)(x(floor h + 1) - x(floor h)).
 * Reorders x in place (a selection, not a full sort). NaN when n is 0. */
double stats_quantile(double *x, size_t n, double q);

/* The arithmetic mean of x[0..n), its sum exact (esum.h), so that it does
 * not depend on the order of x; NaN when n is 0. */
double stats_mean(const double *x, size_t n);

/* One observation of a time-to-event sample. */
typedef struct km_obs {
	double t;   /* time to the event, or to the censoring moment */
	bool event; /* true: the event happened at t; false: censored at t */
} km_obs;

/* The Kaplan–Meier median: the first event time at which the survival
 * estimate S(t) = prod (1 - d_i / n_i) is <= 0.5 + 1e-9, where n_i counts
 * every observation with time >= t_i (so censored ties are still at risk).
 * Sorts o in place. NaN when S never gets there (or n is 0). */
double stats_km_median(km_obs *o, size_t n);

/* One scored observation for the ROC AUC. */
typedef struct auc_obs {
	double score;
	bool positive;
} auc_obs;

/* The area under the ROC curve of `score` as a predictor of `positive`:
 * the probability that a random positive outscores a random negative, ties
 * counting one half. Sorts o in place. NaN without both classes. */
double stats_auc(auc_obs *o, size_t n);

/* The observations of one distinct score: how many, how many positive. */
typedef struct auc_count {
	double score;
	uint32_t n, positive;
} auc_count;

/* qsort's order of auc_obs or auc_count records (score, their first
 * member) by ascending score. */
int stats_score_cmp(const void *a, const void *b);

/* c[0..n) in ascending order of score, as qsort with stats_score_cmp puts
 * them (ties in any order; -0 just before +0): a radix sort of the
 * scores' bits, the records moved eight bits of the key at a time, which
 * for the hundreds of thousands of scores of a calibration costs a
 * fraction of the comparisons' calls. Scores are not NaN. */
void stats_sort_counts(auc_count *c, size_t n);

/* The same AUC from counts per distinct score, c[0..n) in ascending
 * order of score, no score twice: as many bytes as distinct scores, not
 * as observations, and the same number stats_auc gives for them. */
double stats_auc_counts(const auc_count *c, size_t n);

#endif
