/* countries.h — country names and ISO 3166-1 alpha-3 codes onto alpha-2,
 * from Debian's iso-codes data (its JSON, read with json-glib). */
#ifndef MQL_COUNTRIES_H
#define MQL_COUNTRIES_H

#include <stddef.h>

/* Call fn(ctx, from, alpha2) for every name (name, official and common
 * name) and alpha-3 code of the iso-codes table at `path` (NULL: the
 * system's). Returns the number of countries, or -1 when the file cannot
 * be read (then no call is made). */
int countries_each(const char *path, void (*fn)(void *ctx, const char *from, const char *alpha2),
		   void *ctx);

#endif
