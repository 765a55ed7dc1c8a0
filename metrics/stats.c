/* stats.c — the small statistics SPEC §6 relies on (see stats.h): Wilson
 * intervals, quantiles, the mean, the Kaplan–Meier median, the ROC AUC. It
 * must not know the data model nor keep what it allocates (only the exact
 * sum of a mean may): pure functions over the caller's arrays, which some
 * of them reorder. */
#include "stats.h"

#include <stddef.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "esum.h"

bool stats_wilson(int64_t k, int64_t n, double *lo, double *hi)
{
	if (n <= 0 || k < 0 || k > n) {
		*lo = *hi = NAN;
		return false;
	}
	double z = STATS_Z95, z2 = z * z;
	double nn = (double)n, p = (double)k / nn;
	double denom = 1 + z2 / nn;
	double centre = (p + z2 / (2 * nn)) / denom;
	double half = z / denom * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
	/* At k == 0 and k == n the formula gives the bound exactly in real
	 * arithmetic; pin it so rounding cannot leave 1e-17 or 0.9999999. */
	*lo = k == 0 ? 0.0 : fmax(0.0, centre - half);
	*hi = k == n ? 1.0 : fmin(1.0, centre + half);
	return true;
}

static void swap_d(double *a, double *b)
{
	double t = *a;
	*a = *b;
	*b = t;
}

/* Reorder x so that x[k] is the k-th smallest, smaller ones before it and
 * larger ones after it (selection with a three-way partition, so runs of
 * equal values cost nothing). */
static void select_kth(double *x, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	while (lo < hi) {
		double a = x[lo], b = x[lo + (hi - lo) / 2], c = x[hi];
		double pivot =
		    a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		ptrdiff_t lt = lo, i = lo, gt = hi;
		while (i <= gt) {
			if (x[i] < pivot)
				swap_d(&x[lt++], &x[i++]);
			else if (x[i] > pivot)
				swap_d(&x[i], &x[gt--]);
			else
				i++;
		}
		/* [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot */
		if (kk < lt)
			hi = lt - 1;
		else if (kk > gt)
			lo = gt + 1;
		else
			return;
	}
}

double stats_quantile(double *x, size_t n, double q)
{
	if (n == 0)
		return NAN;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	double h = (double)(n - 1) * q;
	size_t k = (size_t)floor(h);
	double frac = h - (double)k;
	select_kth(x, n, k);
	double a = x[k];
	if (frac == 0 || k + 1 >= n)
		return a;
	/* the (k+1)-th smallest is the least of what lies after x[k] */
	double b = x[k + 1];
	for (size_t i = k + 2; i < n; i++)
		if (x[i] < b)
			b = x[i];
	return a + frac * (b - a);
}

double stats_mean(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	esum s = {0};
	for (size_t i = 0; i < n; i++)
		esum_add(&s, x[i]);
	double mean = esum_value(&s) / (double)n;
	esum_free(&s);
	return mean;
}

static int km_cmp(const void *a, const void *b)
{
	const km_obs *x = a, *y = b;
	return (x->t > y->t) - (x->t < y->t);
}

double stats_km_median(km_obs *o, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(o, n, sizeof *o, km_cmp);
	double s = 1.0;
	size_t i = 0;
	while (i < n) {
		double t = o[i].t;
		size_t at_risk = n - i, d = 0, j = i;
		for (; j < n && o[j].t == t; j++)
			d += o[j].event;
		if (d > 0) {
			s *= 1.0 - (double)d / (double)at_risk;
			if (s <= 0.5 + 1e-9)
				return t;
		}
		i = j;
	}
	return NAN;
}

int stats_score_cmp(const void *a, const void *b)
{
	_Static_assert(offsetof(auc_obs, score) == 0 && offsetof(auc_count, score) == 0,
		       "both records start with their score");
	const double *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

/* The key whose unsigned order is the scores' ascending order: a
 * negative's bits all turned, a positive's sign bit set. */
static inline uint64_t score_key(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u >> 63 ? ~u : u | UINT64_C(1) << 63;
}

void stats_sort_counts(auc_count *c, size_t n)
{
	if (n < 256) {
		qsort(c, n, sizeof *c, stats_score_cmp);
		return;
	}
	size_t(*cnt)[256] = xcalloc(8, sizeof *cnt);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = score_key(c[i].score);
		for (int d = 0; d < 8; d++)
			cnt[d][k >> (8 * d) & 0xFF]++;
	}
	auc_count *tmp = xmalloc(n * sizeof *tmp), *src = c, *dst = tmp;
	for (int d = 0; d < 8; d++) {
		/* a digit every key shares moves nothing */
		if (cnt[d][score_key(src[0].score) >> (8 * d) & 0xFF] == n)
			continue;
		size_t at[256], sum = 0;
		for (int b = 0; b < 256; b++) {
			at[b] = sum;
			sum += cnt[d][b];
		}
		for (size_t i = 0; i < n; i++)
			dst[at[score_key(src[i].score) >> (8 * d) & 0xFF]++] = src[i];
		auc_count *t = src;
		src = dst;
		dst = t;
	}
	if (src != c)
		memcpy(c, src, n * sizeof *c);
	free(tmp);
	free(cnt);
}

/* Mann–Whitney over groups of tied scores met in ascending order: the
 * positives' rank sum, each group's `pos` positives at the group's mean
 * rank (ranks before + 1 .. before + size). */
typedef struct auc_sum {
	double rank_sum;
	uint64_t seen, npos;
} auc_sum;

static void auc_group(auc_sum *a, uint64_t size, uint64_t pos)
{
	double mean_rank = ((double)(a->seen + 1) + (double)(a->seen + size)) / 2.0;
	a->rank_sum += mean_rank * (double)pos;
	a->npos += pos;
	a->seen += size;
}

static double auc_end(const auc_sum *a)
{
	uint64_t nneg = a->seen - a->npos;
	if (a->npos == 0 || nneg == 0)
		return NAN;
	double np = (double)a->npos;
	return (a->rank_sum - np * (np + 1) / 2) / (np * (double)nneg);
}

double stats_auc(auc_obs *o, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(o, n, sizeof *o, stats_score_cmp);
	auc_sum a = {0};
	for (size_t i = 0, j; i < n; i = j) {
		uint64_t pos = 0;
		for (j = i; j < n && o[j].score == o[i].score; j++)
			pos += o[j].positive;
		auc_group(&a, j - i, pos);
	}
	return auc_end(&a);
}

double stats_auc_counts(const auc_count *c, size_t n)
{
	auc_sum a = {0};
	for (size_t k = 0; k < n; k++)
		auc_group(&a, c[k].n, c[k].positive);
	return auc_end(&a);
}
