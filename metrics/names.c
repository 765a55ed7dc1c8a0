/* names.c — interned strings in name order (see names.h). It must not
 * change the order strcmp gives: only how often the names are read. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

typedef struct named {
	uint64_t head; /* the first eight bytes, big-endian; zeros past the end */
	const char *s;
	uint32_t at; /* its place in the caller's array */
} named;

static uint64_t head_of(const char *s)
{
	uint64_t h = 0;
	int i = 0;
	for (; i < 8 && s[i]; i++)
		h = h << 8 | (unsigned char)s[i];
	return i == 0 ? 0 : h << (8 * (8 - i));
}

static int named_cmp(const void *pa, const void *pb)
{
	const named *a = pa, *b = pb;
	if (a->head != b->head)
		return a->head < b->head ? -1 : 1;
	if ((a->head & 0xff) == 0)
		return 0; /* both end within the eight bytes: the same text */
	return strcmp(a->s + 8, b->s + 8);
}

/* text[0..n) in name order, as named records (caller frees). */
static named *named_sorted(const char *(*text_of)(const void *, size_t), const void *src, size_t n)
{
	named *x = xmalloc(n * sizeof *x);
	for (size_t i = 0; i < n; i++) {
		const char *s = text_of(src, i);
		x[i] = (named){head_of(s), s, (uint32_t)i};
	}
	qsort(x, n, sizeof *x, named_cmp);
	return x;
}

typedef struct pool_ids {
	const dataset *ds;
	const sym *ids;
} pool_ids;

static const char *pool_text(const void *src, size_t i)
{
	const pool_ids *p = src;
	return ds_str(p->ds, p->ids[i]);
}

static const char *array_text(const void *src, size_t i)
{
	return ((const char *const *)src)[i];
}

void names_sort(const dataset *ds, sym *ids, size_t n, const char **text)
{
	if (n == 0)
		return;
	named *x = named_sorted(pool_text, &(pool_ids){ds, ids}, n);
	sym *was = xmalloc(n * sizeof *was);
	memcpy(was, ids, n * sizeof *was);
	for (size_t i = 0; i < n; i++) {
		ids[i] = was[x[i].at];
		if (text)
			text[i] = x[i].s;
	}
	free(was);
	free(x);
}

void names_order(const char *const *text, size_t n, uint32_t *order)
{
	if (n == 0)
		return;
	named *x = named_sorted(array_text, text, n);
	for (size_t i = 0; i < n; i++)
		order[i] = x[i].at;
	free(x);
}
