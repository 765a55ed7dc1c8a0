/* mvslab.c — the report tree's small pieces, cut from per-thread slabs
 * (see mvslab.h). Hand-written where malloc exists because measured speed
 * asked for it: a tree of millions of rows was built and freed a piece at a
 * time, and freeing it took as long as computing it. It must not know what
 * the pieces hold, nor keep a piece alive past its release but by keeping
 * its slab. Under AddressSanitizer every piece is malloc'd, so that the
 * sanitizer sees each one. */
#include "mvslab.h"

#include <glib.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "base.h"

#if defined(__SANITIZE_ADDRESS__)
#define MVSLAB_PLAIN true
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MVSLAB_PLAIN true
#endif
#endif
#ifndef MVSLAB_PLAIN
#define MVSLAB_PLAIN false
#endif

#define SLAB_SIZE ((size_t)1 << 16)
/* While a thread cuts pieces from a slab its count holds this much more
 * than the pieces still out, so that releases never bring it to zero early. */
#define SLAB_OWNED (SIZE_MAX / 2)

typedef struct slab {
	atomic_size_t live; /* pieces not yet released (+ SLAB_OWNED - cut while owned) */
	size_t used;	    /* bytes cut so far, this header included (owner only) */
	size_t cut;	    /* pieces cut (owner only) */
} slab;

#define SLAB_HEAD ((sizeof(slab) + 15) & ~(size_t)15)

/* The slab this thread cuts from, also kept where GLib gives it back at
 * the thread's end. */
static _Thread_local slab *current;

/* The owning thread is done with s: only its pieces keep it. */
static void slab_retire(gpointer p)
{
	slab *s = p;
	size_t owned = SLAB_OWNED - s->cut;
	if (atomic_fetch_sub_explicit(&s->live, owned, memory_order_acq_rel) == owned)
		free(s);
}

static GPrivate owned_slab = G_PRIVATE_INIT(slab_retire);

static slab *slab_new(void)
{
	slab *s = aligned_alloc(SLAB_SIZE, SLAB_SIZE);
	if (!s) {
		free(xmalloc(SLAB_SIZE)); /* says "out of memory" and aborts */
		abort();
	}
	atomic_init(&s->live, SLAB_OWNED);
	s->used = SLAB_HEAD;
	s->cut = 0;
	slab *old = current;
	current = s;
	g_private_set(&owned_slab, s);
	if (old)
		slab_retire(old);
	return s;
}

static size_t rounded(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

void *mvslab_alloc(size_t n)
{
	n = rounded(n);
	if (MVSLAB_PLAIN || n > MVSLAB_SMALL)
		return xmalloc(n);
	slab *s = current;
	if (!s || s->used + n > SLAB_SIZE)
		s = slab_new();
	void *p = (char *)s + s->used;
	s->used += n;
	s->cut++;
	return p;
}

void mvslab_free(void *p, size_t n)
{
	if (!p)
		return;
	if (MVSLAB_PLAIN || rounded(n) > MVSLAB_SMALL) {
		free(p);
		return;
	}
	slab *s = (slab *)((uintptr_t)p & ~(uintptr_t)(SLAB_SIZE - 1));
	if (atomic_fetch_sub_explicit(&s->live, 1, memory_order_acq_rel) == 1)
		free(s);
}
