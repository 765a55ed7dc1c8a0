/* esum.c — exact, order-independent sums of doubles (esum.h).
 *
 * Each part is a double; together they hold the exact sum. Adding x walks
 * the parts from the smallest, splitting each pairwise sum into its rounded
 * value and the (exactly representable) rounding error: the errors that
 * are not zero stay as parts, the rounded value moves on. Reading the sum
 * adds the parts from the largest down, correcting the one case where two
 * roundings would not give the nearest double (an exact half-way point).
 * It must not allocate unless a sum needs more parts than it holds inline. */
#include "esum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

static double *parts(esum *s)
{
	return s->heap ? s->heap : s->inl;
}

/* x as part `at`, the parts taken to the heap when they do not fit. */
static void keep(esum *s, size_t at, double x)
{
	size_t cap = s->heap ? s->cap : ESUM_INLINE;
	if (at == cap) {
		double *p = xmalloc(2 * cap * sizeof *p);
		memcpy(p, parts(s), at * sizeof *p);
		free(s->heap);
		s->heap = p;
		s->cap = 2 * cap;
	}
	parts(s)[at] = x;
}

void esum_add(esum *s, double x)
{
	if (!isfinite(x)) {
		s->special += x;
		return;
	}
	double *part = parts(s);
	size_t kept = 0;
	for (size_t j = 0; j < s->n; j++) {
		double y = part[j];
		if (fabs(x) < fabs(y)) {
			double t = x;
			x = y;
			y = t;
		}
		double hi = x + y;
		if (!isfinite(hi)) { /* beyond the doubles: no exact sum to keep */
			s->special += hi;
			s->n = 0;
			return;
		}
		double lo = y - (hi - x);
		if (lo != 0)
			part[kept++] = lo; /* kept <= j: never past what is read */
		x = hi;
	}
	keep(s, kept, x);
	s->n = kept + 1;
}

void esum_add_sum(esum *s, const esum *t)
{
	const double *part = t->heap ? t->heap : t->inl;
	for (size_t i = 0; i < t->n; i++)
		esum_add(s, part[i]);
	if (t->special != 0 || isnan(t->special))
		s->special += t->special;
}

double esum_value(const esum *s)
{
	if (s->special != 0 || isnan(s->special))
		return s->special;
	if (s->n == 0)
		return 0;
	const double *part = s->heap ? s->heap : s->inl;
	size_t i = s->n - 1;
	double hi = part[i], lo = 0;
	while (i > 0) {
		double x = hi, y = part[--i];
		hi = x + y;
		lo = y - (hi - x);
		if (lo != 0)
			break;
	}
	/* hi + lo is the sum of the parts from i on, and lo was rounded away:
	 * when lo is exactly half an ulp and the parts below push the same
	 * way, the sum lies past the half-way point, so hi moves by one ulp */
	if (i > 0 && ((lo < 0 && part[i - 1] < 0) || (lo > 0 && part[i - 1] > 0))) {
		double y = lo * 2, x = hi + y;
		if (y == x - hi)
			hi = x;
	}
	return hi;
}

void esum_free(esum *s)
{
	free(s->heap);
	*s = (esum){0};
}
