/* strpairs.c — the configuration's lists of text pairs (see strpairs.h).
 * It must not interpret the pairs: the column mapping and the loader do. */
#include "strpairs.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"

void strpairs_add(strpairs *p, const char *key, const char *value)
{
	VEC_RESERVE(p->items, p->cap, p->len + 1);
	p->items[p->len++] = (strpair){.key = xstrdup(key), .value = xstrdup(value)};
}

const char *strpairs_get(const strpairs *p, const char *key)
{
	for (size_t i = p->len; i-- > 0;)
		if (strcmp(p->items[i].key, key) == 0)
			return p->items[i].value;
	return NULL;
}

void strpairs_clear(strpairs *p)
{
	for (size_t i = 0; i < p->len; i++) {
		free(p->items[i].key);
		free(p->items[i].value);
	}
	free(p->items);
	*p = (strpairs){0};
}
