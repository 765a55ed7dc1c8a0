/* Wilson intervals, quantiles, the Kaplan–Meier median and the ROC AUC,
 * against values worked out by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "stats.h"

static void assert_close(double got, double want, const char *what)
{
	if (isnan(want)) {
		if (!isnan(got)) {
			print_error("%s: expected NaN, got %.12g\n", what, got);
			fail();
		}
		return;
	}
	if (!(fabs(got - want) <= 1e-9 * fmax(1, fabs(want)))) {
		print_error("%s: expected %.12g, got %.12g\n", what, want, got);
		fail();
	}
}

/* Wilson: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964.
 * k = 0, n = 5: p = 0; centre = (3.8415/10) / 1.7683 = 0.21724; half the
 * same → low exactly 0, high 2 · 0.21724 = 0.43448.
 * k = n = 5: the mirror image: low 1 - 0.43448 = 0.56552, high exactly 1.
 * k = 1, n = 2: centre 0.5, half 0.40547 → 0.09453 .. 0.90547. */
static void test_wilson(void **state)
{
	(void)state;
	static const struct {
		int64_t k, n;
		double lo, hi;
	} cases[] = {
	    {0, 5, 0.0, 0.43448246478317476},
	    {5, 5, 0.56551753521682524, 1.0},
	    {1, 2, 0.09453120573423074, 0.9054687942657693},
	    {0, 1, 0.0, 0.7934506856227626},
	    {1, 1, 0.20654931437723745, 1.0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double lo, hi;
		assert_true(stats_wilson(cases[i].k, cases[i].n, &lo, &hi));
		assert_close(lo, cases[i].lo, "wilson low");
		assert_close(hi, cases[i].hi, "wilson high");
		if (cases[i].k == 0)
			assert_true(lo == 0.0); /* exactly, not 1e-17 */
		if (cases[i].k == cases[i].n)
			assert_true(hi == 1.0);
	}
	double lo = 0, hi = 0;
	assert_false(stats_wilson(0, 0, &lo, &hi));
	assert_true(isnan(lo) && isnan(hi));
}

/* Linear interpolation: h = (n-1)q, x(⌊h⌋) + frac(h)·(x(⌊h⌋+1) - x(⌊h⌋)). */
static void test_quantile(void **state)
{
	(void)state;
	static const struct {
		double x[6];
		size_t n;
		double q, want;
	} cases[] = {
	    {{75, 1, 5, 3}, 4, 0.5, 4},	 /* sorted 1 3 5 75, h = 1.5: 3 + .5·2 */
	    {{75, 1, 5, 3}, 4, 0.9, 54}, /* h = 2.7: 5 + .7·70 */
	    {{75, 1, 5, 3}, 4, 0.0, 1},
	    {{75, 1, 5, 3}, 4, 1.0, 75},
	    {{7}, 1, 0.5, 7},
	    {{3, 1, 2}, 3, 0.5, 2},	    /* h = 1 */
	    {{3, 1, 2}, 3, 0.9, 2.8},	    /* h = 1.8: 2 + .8·1 */
	    {{2, 9, 2, 2, 2}, 5, 0.5, 2},   /* ties: h = 2 */
	    {{2, 9, 2, 2, 2}, 5, 0.9, 6.2}, /* h = 3.6: 2 + .6·7 */
	    {{0}, 0, 0.5, NAN},		    /* empty: undefined */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double x[6];
		for (size_t j = 0; j < 6; j++)
			x[j] = cases[i].x[j];
		char what[32];
		snprintf(what, sizeof what, "quantile case %zu", i);
		assert_close(stats_quantile(x, cases[i].n, cases[i].q), cases[i].want, what);
	}
	assert_close(stats_mean((const double[]){1, 2, 6}, 3), 3, "mean");
	assert_close(stats_mean(NULL, 0), NAN, "mean of nothing");
}

/* Kaplan–Meier: S(t) = Π (1 - d_i/n_i), n_i = observations with time >= t_i
 * (censored ties at t_i still at risk); the median is the first event time
 * with S <= 0.5 + 1e-9. */
static void test_km_median(void **state)
{
	(void)state;
	static const struct {
		km_obs o[6];
		size_t n;
		double want;
	} cases[] = {
	    /* t=1: 1-1/6 → .8333; t=2: n=5 (2c at risk) → .8333·4/5 = .6667;
	     * t=3: n=3 → .6667·2/3 = .4444 <= .5 → 3 */
	    {{{1, 1}, {2, 0}, {2, 1}, {3, 1}, {4, 0}, {5, 1}}, 6, 3},
	    /* exactly one half: t=1: 3/4; t=2: n=3 → 3/4·2/3 = 1/2 → 2 */
	    {{{4, 1}, {3, 0}, {2, 1}, {1, 1}}, 4, 2},
	    /* six events: 5/6, 4/6, 3/6 = 1/2 at t=3 (rounding may leave
	     * 0.5000000000000001, which the tolerance accepts) → 3 */
	    {{{6, 1}, {5, 1}, {4, 1}, {3, 1}, {2, 1}, {1, 1}}, 6, 3},
	    /* censored ties still at risk: t=1: 4/5 = .8; t=2: n=4 (2e 2c 2c 5e),
	     * d=1 → .8·3/4 = .6; t=5: n=1 → 0 → 5 (dropping the censored ties
	     * first would give .8·1/2 = .4 at t=2) */
	    {{{1, 1}, {2, 1}, {2, 0}, {2, 0}, {5, 1}}, 5, 5},
	    /* tied events: t=2: n=4, d=3 → 1/4 → 2 */
	    {{{2, 1}, {2, 1}, {4, 0}, {2, 1}}, 4, 2},
	    /* never gets to one half: t=1: 3/4, then only censored → undefined */
	    {{{1, 1}, {2, 0}, {3, 0}, {4, 0}}, 4, NAN},
	    /* all censored */
	    {{{1, 0}, {2, 0}}, 2, NAN},
	    {{{0, 0}}, 0, NAN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		km_obs o[6];
		for (size_t j = 0; j < 6; j++)
			o[j] = cases[i].o[j];
		char what[32];
		snprintf(what, sizeof what, "km case %zu", i);
		assert_close(stats_km_median(o, cases[i].n), cases[i].want, what);
	}
}

/* AUC = P(positive outscores negative), ties 1/2. */
static void test_auc(void **state)
{
	(void)state;
	static const struct {
		auc_obs o[5];
		size_t n;
		double want;
	} cases[] = {
	    /* pos {3, 2}, neg {1, 2}: (3>1) (3>2) (2>1) (2=2: ½) → 3.5/4 */
	    {{{3, 1}, {1, 0}, {2, 1}, {2, 0}}, 4, 0.875},
	    /* reversed: pos {1}, neg {2, 3} → 0 */
	    {{{2, 0}, {1, 1}, {3, 0}}, 3, 0},
	    /* all tied → ½ */
	    {{{5, 1}, {5, 0}, {5, 1}}, 3, 0.5},
	    /* perfect: pos {8, 9}, neg {1, 2, 3} → 1 */
	    {{{1, 0}, {9, 1}, {2, 0}, {8, 1}, {3, 0}}, 5, 1},
	    /* one class only → undefined */
	    {{{1, 1}, {2, 1}}, 2, NAN},
	    {{{1, 0}}, 1, NAN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		auc_obs o[5];
		for (size_t j = 0; j < 5; j++)
			o[j] = cases[i].o[j];
		char what[32];
		snprintf(what, sizeof what, "auc case %zu", i);
		assert_close(stats_auc(o, cases[i].n), cases[i].want, what);
	}
}

/* Many observations with runs of ties, in orders that defeat a naive
 * quicksort: the AUC of a pairwise count. */
static void test_auc_many(void **state)
{
	(void)state;
	enum { N = 3000 };
	static auc_obs o[N];
	for (int order = 0; order < 4; order++) {
		for (size_t i = 0; i < N; i++) {
			size_t k = order == 0 ? i : order == 1 ? N - 1 - i : (i * 7919) % N;
			double score = order == 3 ? (double)(k % 2 ? k : N - k) : (double)(k / 7);
			o[i] = (auc_obs){.score = score, .positive = (k * 31 + 7) % 5 < 2};
		}
		double wins = 0, pairs = 0;
		for (size_t i = 0; i < N; i++)
			for (size_t j = 0; j < N; j++)
				if (o[i].positive && !o[j].positive) {
					pairs++;
					wins += o[i].score > o[j].score	   ? 1
						: o[i].score == o[j].score ? 0.5
									   : 0;
				}
		char what[32];
		snprintf(what, sizeof what, "auc order %d", order);
		assert_close(stats_auc(o, N), wins / pairs, what);
		for (size_t i = 1; i < N; i++)
			assert_true(o[i - 1].score <= o[i].score);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wilson),    cmocka_unit_test(test_quantile),
	    cmocka_unit_test(test_km_median), cmocka_unit_test(test_auc),
	    cmocka_unit_test(test_auc_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
