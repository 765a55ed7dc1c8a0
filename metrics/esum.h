/* esum.h — sums of doubles that do not depend on the order of the terms:
 * the exact sum kept as a list of non-overlapping parts, rounded once when
 * read. A table fed lead by lead in any order (a data set's order, or an
 * engine's chunks) then gives the same bits — as long as no partial sum
 * passes the largest double (about 1.8e308), which scores and amounts never
 * come near: one that does makes the sum an infinity or NaN, depending on
 * the order.
 *
 * The parts live inline while they are few (the common case: terms of a
 * similar size); a sum that needs more takes them to the heap, so esum_free
 * must be called once the sum is read for the last time. A zeroed esum is
 * an empty sum, and one may be moved (an array of them may grow). */
#ifndef MQL_ESUM_H
#define MQL_ESUM_H

#include <stddef.h>

#define ESUM_INLINE 6

typedef struct esum {
	/* the parts, ascending in magnitude, no two overlapping: heap[0..n)
	 * when heap is set (cap of them), inl[0..n) otherwise */
	double *heap;
	size_t n, cap;
	double special; /* the sum of the non-finite terms (and of any overflow) */
	double inl[ESUM_INLINE];
} esum;

/* Add x exactly. */
void esum_add(esum *s, double x);
/* Add the sum t exactly (its parts, and its non-finite terms). */
void esum_add_sum(esum *s, const esum *t);
/* The exact sum rounded to the nearest double (ties to even); NaN or an
 * infinity when a term was one, or a partial sum overflowed. */
double esum_value(const esum *s);
void esum_free(esum *s);

#endif
