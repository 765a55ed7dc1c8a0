/* memo.h — interning from a reader: sym → index maps, and per-reader memos
 * of raw field text → sym, so that a categorical value is normalised,
 * aliased and interned once rather than once per row.
 *
 * An interner is one reader's way into the data set's pool: while two
 * readers run it carries the pool's lock, otherwise none. The memo and
 * symmap functions own what they allocate; memo_free() and free(map.v)
 * release it. */
#ifndef MQL_MEMO_H
#define MQL_MEMO_H

#include <glib.h>

#include "dataset.h"

/* sym → index maps, grown with the pool; NO_LEAD marks "none". */
typedef struct symmap {
	uint32_t *v;
	size_t len;
} symmap;

void symmap_set(symmap *m, sym k, uint32_t v);

static inline uint32_t symmap_get(const symmap *m, sym k)
{
	return k < m->len ? m->v[k] : NO_LEAD;
}

/* One reader's access to the pool. */
typedef struct interner {
	strpool *pool;
	GMutex *lock;  /* held around interning while readers run in parallel; NULL alone */
	char *scratch; /* the normalised value being built */
	size_t scratch_cap;
} interner;

/* Intern s[0..len) as it is, under the lock. */
sym intern_locked(interner *in, const char *s, size_t len);
/* The normalised, aliased sym of a categorical value; 0 when empty. Takes
 * no lock: for a single reader, or under the lock. */
sym intern_norm(interner *in, const char *s, size_t len, const symmap *alias);
/* Free the interner's scratch (not the pool, not the lock). */
void intern_clear(interner *in);

/* A per-reader cache of raw field text → sym. */
typedef struct memo_slot {
	uint64_t h;
	char *key; /* owned; NULL: free slot */
	uint32_t len;
	sym v;
} memo_slot;
typedef struct memo {
	memo_slot *slot;
	size_t n;
	size_t nslots; /* a power of two, doubled at half load: small tables stay in cache */
	const memo_slot *last; /* the previous row's value: exports repeat it often */
} memo;

enum memo_kind { MK_TRIM, MK_NORM, MK_UPPER };

/* A value through the reader's memo: as it is (MK_TRIM), normalised and
 * aliased (MK_NORM) or upper-cased (MK_UPPER); 0 when empty. A value not
 * yet memoised is interned under the interner's lock. */
sym memo_val(interner *in, memo *m, const char *s, size_t len, int kind, const symmap *alias);
/* MK_NORM through alias, or MK_TRIM when alias is NULL. */
sym memo_sym(interner *in, memo *m, const char *s, size_t len, const symmap *alias);
void memo_free(memo *m);
/* A memo used as a plain cache of raw text → value: *v when s[0..len) is
 * cached; memo_put() caches it (while there is room). */
bool memo_get(memo *m, const char *s, size_t len, uint32_t *v);
void memo_put(memo *m, const char *s, size_t len, uint32_t v);

/* A cache in front of a memo used as a plain cache (memo_get()): one
 * 64-byte line an entry, the text inside it, its place a cheap function of
 * the text's length and three of its words, so that a hit costs one line
 * and no hash of the whole text. Text over LINEMEMO_KEY bytes is not held;
 * two texts of one place take it in turn. */
#define LINEMEMO_KEY   56
#define LINEMEMO_LINES 512u
typedef struct linememo_line {
	uint32_t len; /* 0: free */
	uint32_t v;
	char key[LINEMEMO_KEY];
} linememo_line;
_Static_assert(sizeof(linememo_line) == 64, "an entry is one cache line");
typedef struct linememo {
	linememo_line *line; /* LINEMEMO_LINES of them, or NULL before the first put */
} linememo;

/* *v when s[0..len) is held. */
bool linememo_get(const linememo *m, const char *s, size_t len, uint32_t *v);
/* Hold s[0..len) → v in its line, in place of what was there. */
void linememo_put(linememo *m, const char *s, size_t len, uint32_t v);
void linememo_free(linememo *m);

/* A per-reader cache of (type, channel, campaign) → the data set's tag. */
typedef struct tagmemo_slot {
	sym type, channel, campaign;
	uint32_t tag1; /* tag + 1; 0: free */
} tagmemo_slot;
typedef struct tagmemo {
	tagmemo_slot *slot;
	tagmemo_slot last;
} tagmemo;

/* The tag of the triple in ds, through the reader's cache; a triple not
 * yet cached is interned under the interner's lock. */
uint32_t memo_tag(interner *in, tagmemo *m, dataset *ds, sym type, sym channel, sym campaign);
void tagmemo_free(tagmemo *m);

#endif
