/* names.c — interned strings in name order (see names.h). It must not
 * change the order strcmp gives: only how often the names are read. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

typedef struct named {
	uint64_t head; /* the first eight bytes, big-endian; zeros past the end */
	const char *s;
	sym id;
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

void names_sort(const dataset *ds, sym *ids, size_t n, const char **text)
{
	if (n == 0)
		return;
	named *x = xmalloc(n * sizeof *x);
	for (size_t i = 0; i < n; i++) {
		const char *s = ds_str(ds, ids[i]);
		x[i] = (named){head_of(s), s, ids[i]};
	}
	qsort(x, n, sizeof *x, named_cmp);
	for (size_t i = 0; i < n; i++) {
		ids[i] = x[i].id;
		if (text)
			text[i] = x[i].s;
	}
	free(x);
}
