/* mval.c — the report's values: a small ordered tree of typed cells with
 * a display format (see mval.h). It must not know the metrics or any
 * output format: the metrics build the tree, the renderers walk it.
 *
 * A tree may hold millions of rows, so a node is 16 bytes, its pieces come
 * from mvslab.h, the keys that rows repeat are kept once (key_shared), an
 * object keeps each key's hash beside it (a lookup among a row's keys
 * compares numbers, not strings) and only an object of MV_INDEX_MIN keys or
 * more gets an index, built as the keys are set: a lookup never changes the
 * tree, so renderers may read it from several threads at once. */
#include "mval.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvslab.h"

/* The members of an object or array, in one piece: the header, then
 * cap values, then for an object cap keys and cap key hashes. */
typedef struct mv_body {
	uint32_t *slots; /* an index of MV_INDEX_MIN keys or more, else NULL */
	uint32_t nslots; /* a power of two, at least twice the keys */
	uint32_t cap;
} mv_body;

struct mval {
	uint8_t kind; /* mv_kind */
	uint8_t fmt;  /* mv_fmt */
	uint32_t len; /* members of an object or array */
	union {
		bool b;
		int64_t i;
		double d;
		ts_ms t;
		mv_body *c;		 /* MV_OBJ, MV_ARR; NULL while empty */
		struct mv_rows_at *rows; /* MV_ROWS */
	} u;
};

_Static_assert(sizeof(mval) == 16, "a node is 16 bytes");

/* An MV_ROWS node's source (mv_rows). */
struct mv_rows_at {
	mval *(*row)(void *ctx, size_t i);
	void (*drop)(void *ctx);
	void *ctx;
};

/* Below this many keys a scan of the hashes is as fast as an index. */
#define MV_INDEX_MIN 32

static mval **body_vals(mv_body *b)
{
	return (mval **)(b + 1);
}
static const char **body_keys(mv_body *b)
{
	return (const char **)(body_vals(b) + b->cap);
}
static uint32_t *body_hashes(mv_body *b)
{
	return (uint32_t *)(body_keys(b) + b->cap);
}

static size_t body_size(mv_kind k, uint32_t cap)
{
	size_t member = sizeof(mval *) + (k == MV_OBJ ? sizeof(char *) + sizeof(uint32_t) : 0);
	return sizeof(mv_body) + cap * member;
}

static mval *mv_new(mv_kind k, mv_fmt f)
{
	mval *v = mvslab_alloc(sizeof *v);
	*v = (mval){.kind = (uint8_t)k, .fmt = (uint8_t)f};
	return v;
}

mval *mv_null(void)
{
	return mv_new(MV_NULL, MF_PLAIN);
}

mval *mv_bool(bool b)
{
	mval *v = mv_new(MV_BOOL, MF_PLAIN);
	v->u.b = b;
	return v;
}

mval *mv_int(int64_t i, mv_fmt f)
{
	mval *v = mv_new(MV_INT, f);
	v->u.i = i;
	return v;
}

mval *mv_num(double d, mv_fmt f)
{
	if (!isfinite(d))
		return mv_new(MV_NULL, f);
	mval *v = mv_new(MV_NUM, f);
	v->u.d = d == 0 ? 0.0 : d; /* no negative zero in the output */
	return v;
}

mval *mv_num_or_null(bool defined, double d, mv_fmt f)
{
	return defined ? mv_num(d, f) : mv_new(MV_NULL, f);
}

mval *mv_str(const char *s)
{
	/* one piece: the node, then its text */
	size_t n = strlen(s ? s : "") + 1;
	mval *v = mvslab_alloc(sizeof *v + n);
	*v = (mval){.kind = MV_STR, .fmt = MF_PLAIN};
	memcpy((char *)(v + 1), s ? s : "", n);
	return v;
}

mval *mv_time(ts_ms t)
{
	if (t == TS_NONE)
		return mv_null();
	mval *v = mv_new(MV_TIME, MF_PLAIN);
	v->u.t = t;
	return v;
}

mval *mv_obj(void)
{
	return mv_new(MV_OBJ, MF_PLAIN);
}
mval *mv_arr(void)
{
	return mv_new(MV_ARR, MF_PLAIN);
}

static uint32_t key_hash(const char *s, size_t *len)
{
	uint32_t h = 2166136261u; /* FNV-1a, then a final mix for the index */
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++)
		h = (h ^ *p) * 16777619u;
	*len = (size_t)(p - (const unsigned char *)s);
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

/* Keys that rows repeat ("type", "events", …) are kept once, in an area
 * that lives as long as the program and holds at most KEY_AREA bytes: keys
 * shorter than KEY_SHARED_MAX, found through a table of each thread's own
 * (no lock), KEY_TABLE / 2 keys a thread at most. Any other key is copied
 * for its object, so names from the data cannot grow the area unbounded. */
#define KEY_AREA       (128 * 1024)
#define KEY_SHARED_MAX 48
#define KEY_TABLE      1024

static char key_area[KEY_AREA];
static atomic_size_t key_area_used;

typedef struct key_slot {
	const char *text; /* in key_area; NULL: free */
	uint32_t hash;
} key_slot;

static _Thread_local key_slot key_table[KEY_TABLE];
static _Thread_local uint32_t key_table_used;

static bool key_is_shared(const char *k)
{
	uintptr_t p = (uintptr_t)k, a = (uintptr_t)key_area;
	return p >= a && p < a + KEY_AREA;
}

/* key (n bytes, hash h) kept once, or NULL when it is not to be. */
static const char *key_shared(const char *key, size_t n, uint32_t h)
{
	if (n >= KEY_SHARED_MAX)
		return NULL;
	uint32_t mask = KEY_TABLE - 1, i = h & mask;
	for (; key_table[i].text; i = (i + 1) & mask)
		if (key_table[i].hash == h && strcmp(key_table[i].text, key) == 0)
			return key_table[i].text;
	if (key_table_used >= KEY_TABLE / 2 ||
	    atomic_load_explicit(&key_area_used, memory_order_relaxed) + n + 1 > KEY_AREA)
		return NULL;
	size_t at = atomic_fetch_add_explicit(&key_area_used, n + 1, memory_order_relaxed);
	if (at + n + 1 > KEY_AREA)
		return NULL;
	char *p = memcpy(key_area + at, key, n + 1);
	key_table[i] = (key_slot){p, h};
	key_table_used++;
	return p;
}

static void index_put(mv_body *b, uint32_t h, uint32_t pos)
{
	uint32_t mask = b->nslots - 1;
	uint32_t i = h & mask;
	while (b->slots[i])
		i = (i + 1) & mask;
	b->slots[i] = pos + 1;
}

/* (Re)build the index of obj's len keys with room for twice as many. */
static void index_build(mv_body *b, uint32_t len)
{
	uint32_t n = 64;
	while (n < 4 * (size_t)len)
		n *= 2;
	free(b->slots);
	b->slots = xcalloc(n, sizeof *b->slots);
	b->nslots = n;
	const uint32_t *hashes = body_hashes(b);
	for (uint32_t i = 0; i < len; i++)
		index_put(b, hashes[i], i);
}

/* The position of key (hash h) in obj, or -1. */
static ptrdiff_t mv_find(const mval *obj, const char *key, uint32_t h)
{
	mv_body *b = obj->u.c;
	if (!b)
		return -1;
	const char **keys = body_keys(b);
	const uint32_t *hashes = body_hashes(b);
	if (b->slots) {
		uint32_t mask = b->nslots - 1;
		for (uint32_t i = h & mask; b->slots[i]; i = (i + 1) & mask) {
			uint32_t pos = b->slots[i] - 1;
			if (hashes[pos] == h && strcmp(keys[pos], key) == 0)
				return pos;
		}
		return -1;
	}
	for (uint32_t i = 0; i < obj->len; i++)
		if (hashes[i] == h && strcmp(keys[i], key) == 0)
			return i;
	return -1;
}

/* Room for one more member of c. */
static mv_body *mv_grow(mval *c)
{
	mv_body *old = c->u.c;
	if (old && c->len < old->cap)
		return old;
	mv_kind k = (mv_kind)c->kind;
	uint32_t cap = old ? old->cap * 2 : 4;
	mv_body *b = mvslab_alloc(body_size(k, cap));
	*b = (mv_body){
	    .slots = old ? old->slots : NULL, .nslots = old ? old->nslots : 0, .cap = cap};
	if (old) {
		memcpy(body_vals(b), body_vals(old), c->len * sizeof(mval *));
		if (k == MV_OBJ) {
			memcpy(body_keys(b), body_keys(old), c->len * sizeof(char *));
			memcpy(body_hashes(b), body_hashes(old), c->len * sizeof(uint32_t));
		}
		mvslab_free(old, body_size(k, old->cap));
	}
	c->u.c = b;
	return b;
}

mval *mv_set(mval *obj, const char *key, mval *v)
{
	if (!obj || obj->kind != MV_OBJ)
		abort();
	size_t n;
	uint32_t h = key_hash(key, &n);
	ptrdiff_t i = mv_find(obj, key, h);
	if (i >= 0) {
		mval **vals = body_vals(obj->u.c);
		mv_free(vals[i]);
		vals[i] = v;
		return v;
	}
	const char *copy = key_shared(key, n, h);
	if (!copy)
		copy = memcpy(mvslab_alloc(n + 1), key, n + 1);
	mv_body *b = mv_grow(obj);
	uint32_t pos = obj->len++;
	body_vals(b)[pos] = v;
	body_keys(b)[pos] = copy;
	body_hashes(b)[pos] = h;
	if (b->slots && 2 * (size_t)obj->len <= b->nslots)
		index_put(b, h, pos);
	else if (b->slots || obj->len == MV_INDEX_MIN)
		index_build(b, obj->len);
	return v;
}

mval *mv_set_first(mval *obj, const char *key, mval *v)
{
	if (mv_get(obj, key))
		return mv_set(obj, key, v);
	mv_set(obj, key, v);
	mv_body *b = obj->u.c;
	uint32_t n = obj->len;
	mval **vals = body_vals(b);
	const char **keys = body_keys(b);
	uint32_t *hashes = body_hashes(b);
	const char *k = keys[n - 1];
	uint32_t h = hashes[n - 1];
	memmove(vals + 1, vals, (n - 1) * sizeof *vals);
	memmove(keys + 1, keys, (n - 1) * sizeof *keys);
	memmove(hashes + 1, hashes, (n - 1) * sizeof *hashes);
	vals[0] = v;
	keys[0] = k;
	hashes[0] = h;
	if (b->slots)
		index_build(b, n); /* every position moved */
	return v;
}

mval *mv_push(mval *arr, mval *v)
{
	if (!arr || arr->kind != MV_ARR)
		abort();
	mv_body *b = mv_grow(arr);
	body_vals(b)[arr->len++] = v;
	return v;
}

void mv_free(mval *v)
{
	if (!v)
		return;
	size_t size = sizeof *v;
	if ((v->kind == MV_OBJ || v->kind == MV_ARR) && v->u.c) {
		mv_body *b = v->u.c;
		mval **vals = body_vals(b);
		for (uint32_t i = 0; i < v->len; i++)
			mv_free(vals[i]);
		if (v->kind == MV_OBJ) {
			const char **keys = body_keys(b);
			for (uint32_t i = 0; i < v->len; i++)
				if (!key_is_shared(keys[i]))
					mvslab_free((char *)keys[i], strlen(keys[i]) + 1);
		}
		free(b->slots);
		mvslab_free(b, body_size((mv_kind)v->kind, b->cap));
	} else if (v->kind == MV_STR) {
		size += strlen((const char *)(v + 1)) + 1;
	} else if (v->kind == MV_ROWS) {
		if (v->u.rows->drop)
			v->u.rows->drop(v->u.rows->ctx);
		free(v->u.rows);
	}
	mvslab_free(v, size);
}

mv_kind mv_kind_of(const mval *v)
{
	return v ? (mv_kind)v->kind : MV_NULL;
}
mv_fmt mv_fmt_of(const mval *v)
{
	return v ? (mv_fmt)v->fmt : MF_PLAIN;
}
bool mv_is_null(const mval *v)
{
	return !v || v->kind == MV_NULL;
}
bool mv_bool_of(const mval *v)
{
	return v && v->kind == MV_BOOL && v->u.b;
}

int64_t mv_int_of(const mval *v)
{
	if (!v)
		return 0;
	if (v->kind == MV_INT)
		return v->u.i;
	if (v->kind == MV_NUM)
		return (int64_t)v->u.d;
	return 0;
}

double mv_num_of(const mval *v)
{
	if (v && v->kind == MV_NUM)
		return v->u.d;
	if (v && v->kind == MV_INT)
		return (double)v->u.i;
	return NAN;
}

const char *mv_str_of(const mval *v)
{
	return v && v->kind == MV_STR ? (const char *)(v + 1) : NULL;
}
ts_ms mv_time_of(const mval *v)
{
	return v && v->kind == MV_TIME ? v->u.t : TS_NONE;
}

size_t mv_len(const mval *v)
{
	return v && (v->kind == MV_OBJ || v->kind == MV_ARR || v->kind == MV_ROWS) ? v->len : 0;
}

const char *mv_key(const mval *obj, size_t i)
{
	return obj && obj->kind == MV_OBJ && i < obj->len ? body_keys(obj->u.c)[i] : NULL;
}

mval *mv_at(const mval *v, size_t i)
{
	return v && v->kind != MV_ROWS && i < mv_len(v) ? body_vals(v->u.c)[i] : NULL;
}

mval *mv_get(const mval *obj, const char *key)
{
	if (!obj || obj->kind != MV_OBJ)
		return NULL;
	size_t n;
	ptrdiff_t i = mv_find(obj, key, key_hash(key, &n));
	return i >= 0 ? body_vals(obj->u.c)[i] : NULL;
}
mval *mv_path(const mval *root, const char *path)
{
	const mval *v = root;
	const char *p = path;
	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (n >= sizeof key)
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		if (v->kind == MV_ARR) {
			char *end;
			unsigned long idx = strtoul(key, &end, 10);
			v = (*end || n == 0) ? NULL : mv_at(v, idx);
		} else {
			v = mv_get(v, key);
		}
		p += n;
		if (*p == '.')
			p++;
	}
	return (mval *)v;
}

mval *mv_rows(size_t n, mval *(*row)(void *ctx, size_t i), void (*drop)(void *ctx), void *ctx)
{
	if (n > UINT32_MAX) { /* a node counts its members in 32 bits */
		fprintf(stderr, "mqlreport: a table of %zu rows is more than a report holds\n", n);
		abort();
	}
	mval *v = mv_new(MV_ROWS, MF_PLAIN);
	v->len = (uint32_t)n;
	v->u.rows = xmalloc(sizeof *v->u.rows);
	*v->u.rows = (struct mv_rows_at){.row = row, .drop = drop, .ctx = ctx};
	return v;
}

mv_cursor mv_cursor_of(const mval *t)
{
	return (mv_cursor){.t = t};
}

const mval *mv_next(mv_cursor *c)
{
	mv_free(c->own);
	c->own = NULL;
	if (c->i >= mv_len(c->t))
		return NULL;
	size_t i = c->i++;
	if (c->t->kind != MV_ROWS)
		return c->t->kind == MV_ARR ? body_vals(c->t->u.c)[i] : NULL;
	c->own = c->t->u.rows->row(c->t->u.rows->ctx, i);
	return c->own;
}

void mv_cursor_close(mv_cursor *c)
{
	mv_free(c->own);
	c->own = NULL;
}

/* ---- flat objects as bytes: per member its kind, format, key and value ---- */

static char *enc_room(char **buf, size_t *len, size_t *cap, size_t n)
{
	VEC_RESERVE(*buf, *cap, *len + n);
	char *p = *buf + *len;
	*len += n;
	return p;
}

static void enc_bytes(char **buf, size_t *len, size_t *cap, const void *p, size_t n)
{
	memcpy(enc_room(buf, len, cap, n), p, n);
}

/* a length as four bytes */
static void enc_len(char **buf, size_t *len, size_t *cap, size_t n)
{
	uint32_t u = (uint32_t)n;
	enc_bytes(buf, len, cap, &u, sizeof u);
}

void mv_encode(const mval *obj, char **buf, size_t *len, size_t *cap)
{
	size_t n = mv_kind_of(obj) == MV_OBJ ? obj->len : 0;
	enc_len(buf, len, cap, n);
	for (size_t i = 0; i < n; i++) {
		const char *key = mv_key(obj, i);
		const mval *v = mv_at(obj, i);
		uint8_t kf[2] = {v->kind, v->fmt};
		if (v->kind == MV_OBJ || v->kind == MV_ARR || v->kind == MV_ROWS)
			kf[0] = MV_NULL;
		enc_bytes(buf, len, cap, kf, sizeof kf);
		enc_len(buf, len, cap, strlen(key));
		enc_bytes(buf, len, cap, key, strlen(key));
		switch ((mv_kind)kf[0]) {
		case MV_BOOL:
			enc_bytes(buf, len, cap, &v->u.b, 1);
			break;
		case MV_INT:
		case MV_NUM:
		case MV_TIME:
			enc_bytes(buf, len, cap, &v->u, 8);
			break;
		case MV_STR:
			enc_len(buf, len, cap, strlen(mv_str_of(v)));
			enc_bytes(buf, len, cap, mv_str_of(v), strlen(mv_str_of(v)));
			break;
		default:
			break;
		}
	}
}

typedef struct dec {
	const char *p, *end;
} dec;

static bool dec_take(dec *d, void *out, size_t n)
{
	if ((size_t)(d->end - d->p) < n)
		return false;
	memcpy(out, d->p, n);
	d->p += n;
	return true;
}

/* a text of dec_len bytes, as a NUL-terminated copy (free) */
static char *dec_text(dec *d)
{
	uint32_t n;
	if (!dec_take(d, &n, sizeof n) || (size_t)(d->end - d->p) < n)
		return NULL;
	char *s = xmalloc((size_t)n + 1);
	memcpy(s, d->p, n);
	s[n] = '\0';
	d->p += n;
	return s;
}

/* One member of mv_encode()'s bytes into obj; false when they are not. */
static bool dec_member(dec *d, mval *obj)
{
	uint8_t kf[2];
	if (!dec_take(d, kf, sizeof kf) || kf[1] > MF_SCORE)
		return false;
	char *key = dec_text(d);
	if (!key)
		return false;
	mval *v = NULL;
	uint8_t b;
	union {
		int64_t i;
		double d;
	} u;
	switch ((mv_kind)kf[0]) {
	case MV_NULL:
		v = mv_new(MV_NULL, (mv_fmt)kf[1]);
		break;
	case MV_BOOL:
		if (dec_take(d, &b, 1) && b <= 1)
			v = mv_bool(b);
		break;
	case MV_INT:
		if (dec_take(d, &u, 8))
			v = mv_int(u.i, (mv_fmt)kf[1]);
		break;
	case MV_NUM:
		if (dec_take(d, &u, 8))
			v = mv_num(u.d, (mv_fmt)kf[1]);
		break;
	case MV_TIME:
		if (dec_take(d, &u, 8))
			v = mv_time(u.i);
		break;
	case MV_STR: {
		char *t = dec_text(d);
		if (t)
			v = mv_str(t);
		free(t);
		break;
	}
	default:
		break;
	}
	if (v)
		mv_set(obj, key, v);
	free(key);
	return v != NULL;
}

mval *mv_decode(const void *p, size_t n)
{
	dec d = {.p = p, .end = (const char *)p + n};
	uint32_t members;
	if (!dec_take(&d, &members, sizeof members) || members > n)
		return NULL;
	mval *obj = mv_obj();
	for (uint32_t i = 0; i < members; i++)
		if (!dec_member(&d, obj)) {
			mv_free(obj);
			return NULL;
		}
	if (d.p != d.end) {
		mv_free(obj);
		return NULL;
	}
	return obj;
}
