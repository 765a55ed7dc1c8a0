/* memo.c — the readers' symbol maps, memos and interning (see memo.h).
 * The memo's open-addressing table is hand-written for speed: it is probed
 * for several fields of every row. It must not decide what a value means
 * (normalize.c does) nor hold the pool's lock longer than one interning. */
#include "memo.h"

#include <stdlib.h>
#include <string.h>

#include "fasthash.h"
#include "normalize.h"
#include "tsan.h"

#define MEMO_SLOTS (1u << 16) /* the most slots */
#define MEMO_MAX   (MEMO_SLOTS / 2)
#define MEMO_FIRST 256u /* the first table: 6 KiB */

void symmap_set(symmap *m, sym k, uint32_t v)
{
	if (k >= m->len) {
		size_t n = m->len ? m->len : 1024;
		while (n <= k)
			n *= 2;
		m->v = xrealloc(m->v, n * sizeof *m->v);
		for (size_t i = m->len; i < n; i++)
			m->v[i] = NO_LEAD;
		m->len = n;
	}
	m->v[k] = v;
}

/* The pool's lock is announced to ThreadSanitizer (tsan.h), so the pool's
 * accesses from both readers stay checked. */
static void pool_lock(interner *in)
{
	if (!in->lock)
		return;
	g_mutex_lock(in->lock);
	TSAN_ACQUIRE(in->lock);
}

static void pool_unlock(interner *in)
{
	if (!in->lock)
		return;
	TSAN_RELEASE(in->lock);
	g_mutex_unlock(in->lock);
}

static void scratch_reserve(interner *in, size_t n)
{
	if (n + 8 > in->scratch_cap) {
		in->scratch_cap = n + 64;
		in->scratch = xrealloc(in->scratch, in->scratch_cap);
	}
}

void intern_clear(interner *in)
{
	free(in->scratch);
	in->scratch = NULL;
	in->scratch_cap = 0;
}

sym intern_norm(interner *in, const char *s, size_t len, const symmap *alias)
{
	scratch_reserve(in, NORM_ROOM(len));
	size_t n = norm_value(s, len, in->scratch);
	if (n == 0)
		return 0;
	sym v = pool_intern(in->pool, in->scratch, n);
	uint32_t a = symmap_get(alias, v);
	return a != NO_LEAD ? a : v;
}

sym intern_locked(interner *in, const char *s, size_t len)
{
	pool_lock(in);
	sym v = pool_intern(in->pool, s, len);
	pool_unlock(in);
	return v;
}

/* Twice the slots, every key moved to its new place. */
static void memo_grow(memo *m)
{
	size_t n = m->nslots * 2;
	memo_slot *t = xcalloc(n, sizeof *t);
	for (size_t i = 0; i < m->nslots; i++) {
		if (!m->slot[i].key)
			continue;
		size_t j = m->slot[i].h & (n - 1);
		while (t[j].key)
			j = (j + 1) & (n - 1);
		t[j] = m->slot[i];
	}
	free(m->slot);
	m->slot = t;
	m->nslots = n;
	m->last = NULL;
}

/* The slot of s[0..len), or the free slot where it would go; the table
 * has room for one more key when `adding`. */
static memo_slot *memo_find(memo *m, uint64_t h, const char *s, size_t len, bool adding)
{
	if (!m->slot) {
		m->nslots = MEMO_FIRST;
		m->slot = xcalloc(m->nslots, sizeof *m->slot);
	}
	if (adding && m->n + 1 > m->nslots / 2 && m->nslots < MEMO_SLOTS)
		memo_grow(m);
	size_t mask = m->nslots - 1, i = h & mask;
	for (;;) {
		memo_slot *e = &m->slot[i];
		if (!e->key || (e->h == h && e->len == len && same_bytes(e->key, s, len)))
			return e;
		i = (i + 1) & mask;
	}
}

void memo_free(memo *m)
{
	for (size_t i = 0; m->slot && i < m->nslots; i++)
		free(m->slot[i].key);
	free(m->slot);
	*m = (memo){0};
}

sym memo_val(interner *in, memo *m, const char *s, size_t len, int kind, const symmap *alias)
{
	if (m->last && m->last->len == len && same_bytes(m->last->key, s, len))
		return m->last->v;
	uint64_t h = hash64(s, len);
	memo_slot *e = memo_find(m, h, s, len, false);
	if (e->key) {
		m->last = e;
		return e->v;
	}
	pool_lock(in);
	sym v;
	if (kind == MK_NORM) {
		v = intern_norm(in, s, len, alias);
	} else if (kind == MK_UPPER) {
		scratch_reserve(in, NORM_ROOM(len));
		v = pool_intern(in->pool, in->scratch, norm_upper(s, len, in->scratch));
		if (alias && symmap_get(alias, v) != NO_LEAD)
			v = symmap_get(alias, v);
	} else {
		v = pool_intern(in->pool, s, len);
		if (alias && symmap_get(alias, v) != NO_LEAD)
			v = symmap_get(alias, v);
	}
	pool_unlock(in);
	if (m->n < MEMO_MAX) {
		e = memo_find(m, h, s, len, true); /* the table may grow first */
		e->h = h;
		e->key = xstrndup(s, len);
		e->len = (uint32_t)len;
		e->v = v;
		m->n++;
		m->last = e;
	}
	return v;
}

bool memo_get(memo *m, const char *s, size_t len, uint32_t *v)
{
	if (m->last && m->last->len == len && same_bytes(m->last->key, s, len)) {
		*v = m->last->v;
		return true;
	}
	memo_slot *e = memo_find(m, hash64(s, len), s, len, false);
	if (!e->key)
		return false;
	m->last = e;
	*v = e->v;
	return true;
}

void memo_put(memo *m, const char *s, size_t len, uint32_t v)
{
	uint64_t h = hash64(s, len);
	if (m->n >= MEMO_MAX)
		return;
	memo_slot *e = memo_find(m, h, s, len, true);
	if (e->key)
		return;
	*e = (memo_slot){.h = h, .key = xstrndup(s, len), .len = (uint32_t)len, .v = v};
	m->n++;
	m->last = e;
}

/* The line of s[0..len), 0 < len <= LINEMEMO_KEY: its length and its
 * first, middle and last eight bytes (overlapping when it is short),
 * mixed by one multiply. */
static inline size_t line_of(const char *s, size_t len)
{
	uint64_t a, b, c;
	if (len >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + len / 2 - 4, 8);
		memcpy(&c, s + len - 8, 8);
	} else {
		a = load_upto8(s, len);
		b = c = 0;
	}
	uint64_t h = (a ^ (b << 21 | b >> 43) ^ (c << 42 | c >> 22) ^ len) * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 55) & (LINEMEMO_LINES - 1);
}

bool linememo_get(const linememo *m, const char *s, size_t len, uint32_t *v)
{
	if (!m->line || len == 0 || len > LINEMEMO_KEY)
		return false;
	const linememo_line *l = &m->line[line_of(s, len)];
	if (l->len != len || !same_bytes(l->key, s, len))
		return false;
	*v = l->v;
	return true;
}

void linememo_put(linememo *m, const char *s, size_t len, uint32_t v)
{
	if (len == 0 || len > LINEMEMO_KEY)
		return;
	if (!m->line) { /* each entry on a line of its own */
		m->line = aligned_alloc(64, LINEMEMO_LINES * sizeof *m->line);
		if (!m->line)
			abort(); /* out of memory, as xmalloc */
		memset(m->line, 0, LINEMEMO_LINES * sizeof *m->line);
	}
	linememo_line *l = &m->line[line_of(s, len)];
	l->len = (uint32_t)len;
	l->v = v;
	memcpy(l->key, s, len);
}

void linememo_free(linememo *m)
{
	free(m->line);
	*m = (linememo){0};
}

sym memo_sym(interner *in, memo *m, const char *s, size_t len, const symmap *alias)
{
	return memo_val(in, m, s, len, alias ? MK_NORM : MK_TRIM, alias);
}

#define TAGMEMO_SLOTS (1u << 12)

uint32_t memo_tag(interner *in, tagmemo *m, dataset *ds, sym type, sym channel, sym campaign)
{
	if (m->last.tag1 && m->last.type == type && m->last.channel == channel &&
	    m->last.campaign == campaign)
		return m->last.tag1 - 1;
	if (!m->slot)
		m->slot = xcalloc(TAGMEMO_SLOTS, sizeof *m->slot);
	uint64_t h =
	    ((uint64_t)type * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)channel << 21) ^ campaign;
	h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ULL;
	tagmemo_slot *e = &m->slot[(h >> 40) & (TAGMEMO_SLOTS - 1)];
	if (!(e->tag1 && e->type == type && e->channel == channel && e->campaign == campaign)) {
		pool_lock(in);
		uint32_t tag = dataset_tag(ds, type, channel, campaign);
		pool_unlock(in);
		*e = (tagmemo_slot){
		    .type = type, .channel = channel, .campaign = campaign, .tag1 = tag + 1};
	}
	m->last = *e;
	return e->tag1 - 1;
}

void tagmemo_free(tagmemo *m)
{
	free(m->slot);
	*m = (tagmemo){0};
}
