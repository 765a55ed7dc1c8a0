/* mvslab.h — where the report tree's small pieces live (used by mval.c only).
 *
 * A tree of millions of rows is millions of nodes, keys and member arrays of
 * a few dozen bytes; one malloc and one free each cost more than building the
 * rows. Pieces of at most MVSLAB_SMALL bytes are cut from 64 KiB slabs, one
 * slab at a time per thread, and a slab goes back to malloc when every piece
 * cut from it is released (from any thread). Larger pieces are malloc'd.
 *
 * Ownership: mvslab_alloc() returns n bytes (8-aligned) owned by the caller;
 * mvslab_free() releases them and must be given the same n (NULL is a
 * no-op). Out of memory aborts, as xmalloc does. */
#ifndef MQL_MVSLAB_H
#define MQL_MVSLAB_H

#include <stddef.h>

#define MVSLAB_SMALL 1024

void *mvslab_alloc(size_t n);
void mvslab_free(void *p, size_t n);

#endif
