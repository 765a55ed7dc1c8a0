/* names.h — interned strings put in name order, for the tables whose rows
 * are sorted by a type, channel or campaign name.
 *
 * A hostile export can hold hundreds of thousands of names; a sort that
 * compares names through the pool misses the cache on every comparison.
 * names_sort() compares the first eight bytes of each name as one number
 * and reads the rest only when those are equal. */
#ifndef MQL_NAMES_H
#define MQL_NAMES_H

#include "dataset.h"

/* Sort ids[0..n) in place by their text in ds's pool, in strcmp's order
 * (bytes as unsigned). The ids must be distinct. When text is not NULL,
 * text[i] is set to the text of the i-th id after the sort (the pool's,
 * borrowed), which saves a caller the pool's lookups in name order. */
void names_sort(const dataset *ds, sym *ids, size_t n, const char **text);

/* The same order for texts not in a pool: order[k] is set to the index
 * of the k-th of text[0..n) by name. The texts must be distinct. */
void names_order(const char *const *text, size_t n, uint32_t *order);

#endif
