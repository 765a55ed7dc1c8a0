/* Wilson intervals, quantiles, the Kaplan–Meier median, the ROC AUC and
 * exact sums, against values worked out by hand. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esum.h"
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
/* The radix sort of counts puts them in qsort's order of scores, every
 * record kept: negatives, both zeros, ties, tiny and huge magnitudes,
 * scores that share their high bytes (a pass skipped) and fewer records
 * than the radix sort takes (qsort's own). */
static void test_sort_counts(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 255, 256, 5000};
	unsigned seed = 7;
	for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
		for (int kind = 0; kind < 3; kind++) {
			size_t n = sizes[z];
			auc_count *a = malloc((n ? n : 1) * sizeof *a),
				  *b = malloc((n ? n : 1) * sizeof *b);
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				double x = (double)(seed >> 8) / 65536.0 - 64.0;
				if (kind == 1) { /* few distinct scores, both zeros among them */
					x = (double)((seed >> 16) % 7) - 3.0;
					x = x == 0 && i % 2 ? -0.0 : x;
				}
				if (kind == 2) /* one high part: the top passes move nothing */
					x = 1000.0 + (double)(seed >> 20) / 4096.0;
				if (i % 97 == 0)
					x = i % 2 ? 1e300 : -1e-300;
				a[i] = (auc_count){
				    .score = x, .n = (uint32_t)i + 1, .positive = i % 3 == 0};
			}
			memcpy(b, a, n * sizeof *a);
			stats_sort_counts(a, n);
			qsort(b, n, sizeof *b, stats_score_cmp);
			uint64_t na = 0, nb = 0, pa = 0, pb = 0; /* every record kept */
			for (size_t i = 0; i < n; i++) {
				assert_true(a[i].score == b[i].score);
				if (i)
					assert_true(a[i - 1].score <= a[i].score);
				na += a[i].n;
				nb += b[i].n;
				pa += a[i].positive;
				pb += b[i].positive;
			}
			assert_true(na == nb && pa == pb && na == (uint64_t)n * (n + 1) / 2);
			free(a);
			free(b);
		}
	}
}

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

/* obs[0..n) as counts per distinct score, ascending; returns how many. */
static size_t counts_of(const auc_obs *obs, size_t n, auc_count *c)
{
	size_t m = 0;
	for (;;) {
		const auc_obs *next = NULL; /* the lowest score above c[m - 1] */
		for (size_t i = 0; i < n; i++)
			if ((!m || obs[i].score > c[m - 1].score) &&
			    (!next || obs[i].score < next->score))
				next = &obs[i];
		if (!next)
			return m;
		c[m] = (auc_count){.score = next->score};
		for (size_t i = 0; i < n; i++)
			if (obs[i].score == next->score) {
				c[m].n++;
				c[m].positive += obs[i].positive;
			}
		m++;
	}
}

/* Counts per distinct score give the very number the observations give:
 * the cases above, then pseudo-random sets with many ties and with none. */
static void test_auc_counts(void **state)
{
	(void)state;
	enum { N = 400 };
	static auc_obs o[N], copy[N];
	static auc_count c[N];
	uint32_t seed = 12345;
	for (int round = 0; round < 6; round++) {
		size_t n = round < 3 ? N : 7 + (size_t)round;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			double x =
			    round % 2 ? (double)(seed >> 8) / 1024.0 : (double)((seed >> 16) % 23);
			o[i] = (auc_obs){.score = x, .positive = (seed >> 4) % 3 == 0};
		}
		size_t m = counts_of(o, n, c);
		memcpy(copy, o, n * sizeof *o);
		double a = stats_auc(copy, n), b = stats_auc_counts(c, m);
		if (round == 0 && m >= n)
			fail_msg("round 0 should have tied scores");
		if (memcmp(&a, &b, sizeof a) != 0)
			fail_msg("auc from counts, round %d (%zu observations, %zu scores): %.17g "
				 "!= %.17g",
				 round, n, m, b, a);
	}
	assert_true(isnan(stats_auc_counts(c, 0)));
}

static double esum_of(const double *x, size_t n)
{
	esum s = {0};
	for (size_t i = 0; i < n; i++)
		esum_add(&s, x[i]);
	double v = esum_value(&s);
	esum_free(&s);
	return v;
}

/* Exact sums: the nearest double to the true sum, whatever the order. */
static void test_esum(void **state)
{
	(void)state;
	/* 1e16 + 1 rounds the 1 away: left to right gives 0, the exact sum 1 */
	const double cancel[6][3] = {{1e16, 1, -1e16}, {1e16, -1e16, 1}, {1, 1e16, -1e16},
				     {1, -1e16, 1e16}, {-1e16, 1e16, 1}, {-1e16, 1, 1e16}};
	for (int k = 0; k < 6; k++)
		assert_true(esum_of(cancel[k], 3) == 1.0);
	/* ten times the double 0.1 is 1 + 5.6e-17: nearest 1.0 (left to right
	 * gives 0.9999999999999999) */
	double tenth[10];
	for (int k = 0; k < 10; k++)
		tenth[k] = 0.1;
	assert_true(esum_of(tenth, 10) == 1.0);
	/* 1 + 2^-53 is half-way between 1 and the next double, rounded to 1
	 * (even); 2^-106 more is past half-way, so the next double */
	const double halfway[3] = {1.0, ldexp(1, -53), ldexp(1, -106)};
	assert_true(esum_of(halfway, 3) == nextafter(1.0, 2.0));
	assert_true(esum_of(halfway, 2) == 1.0);
	/* 31 parts that cannot overlap (2^-900 … 2^900, 60 bits apart): more
	 * than are held inline, so on the heap; the nearest double is 2^900 */
	double wide[31];
	for (int k = 0; k < 31; k++)
		wide[k] = ldexp(1, 60 * (k - 15));
	assert_true(esum_of(wide, 31) == ldexp(1, 900));
	double back[31];
	for (int k = 0; k < 31; k++)
		back[k] = wide[30 - k];
	assert_true(esum_of(back, 31) == ldexp(1, 900));
	/* every order of mixed magnitudes gives the same bits */
	double x[200];
	unsigned r = 12345;
	for (int k = 0; k < 200; k++) {
		r = r * 1103515245u + 12345u;
		x[k] = ldexp((double)(r >> 8) / 16777216.0 - 0.5, (int)(r % 40) - 20);
	}
	double want = esum_of(x, 200);
	for (int round = 0; round < 5; round++) {
		for (int k = 199; k > 0; k--) {
			r = r * 1103515245u + 12345u;
			int j = (int)(r % (unsigned)(k + 1));
			double t = x[k];
			x[k] = x[j];
			x[j] = t;
		}
		assert_true(esum_of(x, 200) == want);
	}
	/* nothing is 0; a non-finite term is the sum */
	assert_true(esum_of(x, 0) == 0.0);
	const double inf[2] = {INFINITY, 1};
	assert_true(isinf(esum_of(inf, 2)));
	const double nan[2] = {1, NAN};
	assert_true(isnan(esum_of(nan, 2)));
	const double huge[2] = {DBL_MAX, DBL_MAX};
	assert_true(isinf(esum_of(huge, 2)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wilson),    cmocka_unit_test(test_quantile),
	    cmocka_unit_test(test_km_median), cmocka_unit_test(test_auc_counts),
	    cmocka_unit_test(test_auc),	      cmocka_unit_test(test_sort_counts),
	    cmocka_unit_test(test_esum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
