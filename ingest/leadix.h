/* leadix.h — lead_id text → lead index, for the events' lookups.
 *
 * Built once the leads are read; read-only afterwards, so readers on
 * several threads share it. Keys point into the data set's pool, whose
 * blocks never move: the index must not outlive the data set.
 * leadix_free() frees the index only. */
#ifndef MQL_LEADIX_H
#define MQL_LEADIX_H

#include "dataset.h"

typedef struct leadix_slot {
	uint32_t lead; /* lead index + 1; 0 free */
	uint32_t fp;   /* high bits of the hash */
	uint64_t head; /* the key's first 8 bytes, zero-padded */
} leadix_slot;

typedef struct leadix {
	leadix_slot *slot;
	size_t mask;
	const char **key;
	uint32_t *klen;
} leadix;

void leadix_build(leadix *x, const dataset *ds);
/* The lead whose id is s[0..len), or NO_LEAD. */
uint32_t leadix_get(const leadix *x, const char *s, size_t len);
void leadix_free(leadix *x);

#endif
