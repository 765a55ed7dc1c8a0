/* strpairs.h — an ordered list of text pairs: the configuration's
 * `column = header` and alias lists, shared by the column mapping and the
 * loader's configuration.
 *
 * Ownership: the list owns copies of every key and value; strpairs_clear()
 * frees them and leaves an empty list. */
#ifndef MQL_STRPAIRS_H
#define MQL_STRPAIRS_H

#include <stddef.h>

typedef struct strpair {
	char *key, *value;
} strpair;
typedef struct strpairs {
	strpair *items;
	size_t len, cap;
} strpairs;
void strpairs_add(strpairs *p, const char *key, const char *value); /* copies both */
const char *strpairs_get(const strpairs *p, const char *key);	    /* last match, or NULL */
void strpairs_clear(strpairs *p);

#endif
