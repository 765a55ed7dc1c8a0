/* mval.c — the report's values: a small ordered tree of typed cells with
 * a display format (see mval.h). It must not know the metrics or any
 * output format: the metrics build the tree, the renderers walk it. */
#include "mval.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mval {
	mv_kind kind;
	mv_fmt fmt;
	union {
		bool b;
		int64_t i;
		double d;
		char *s;
		ts_ms t;
		struct {
			char **keys; /* NULL for arrays */
			mval **vals;
			size_t len, cap;
			/* objects of MV_INDEX_MIN keys or more: key (borrowed
			 * from keys) → its position, so that a lookup does not
			 * scan; keys keeps the insertion order */
			GHashTable *index;
		} c;
	} u;
};

static mval *mv_new(mv_kind k, mv_fmt f)
{
	mval *v = xcalloc(1, sizeof *v);
	v->kind = k;
	v->fmt = f;
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
	if (!isfinite(d)) {
		mval *v = mv_new(MV_NULL, f);
		return v;
	}
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
	/* one allocation: the node, then its text (u.s points into it) */
	size_t n = strlen(s ? s : "") + 1;
	mval *v = xcalloc(1, sizeof *v + n);
	v->kind = MV_STR;
	v->fmt = MF_PLAIN;
	v->u.s = memcpy((char *)(v + 1), s ? s : "", n);
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

/* Below this many keys a scan is as fast as hashing. */
#define MV_INDEX_MIN 16

static void mv_index_build(mval *obj)
{
	if (obj->u.c.index)
		g_hash_table_destroy(obj->u.c.index);
	obj->u.c.index = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < obj->u.c.len; i++)
		g_hash_table_insert(obj->u.c.index, obj->u.c.keys[i], GSIZE_TO_POINTER(i));
}

/* The position of key in obj, or -1. */
static ptrdiff_t mv_find(const mval *obj, const char *key)
{
	if (obj->u.c.index) {
		gpointer pos;
		if (!g_hash_table_lookup_extended(obj->u.c.index, key, NULL, &pos))
			return -1;
		return (ptrdiff_t)GPOINTER_TO_SIZE(pos);
	}
	for (size_t i = 0; i < obj->u.c.len; i++)
		if (strcmp(obj->u.c.keys[i], key) == 0)
			return (ptrdiff_t)i;
	return -1;
}

static void mv_append(mval *c, char *key, mval *v)
{
	if (c->u.c.len == c->u.c.cap) {
		size_t cap = c->u.c.cap ? c->u.c.cap * 2 : 8;
		c->u.c.vals = xrealloc(c->u.c.vals, cap * sizeof *c->u.c.vals);
		if (c->kind == MV_OBJ)
			c->u.c.keys = xrealloc(c->u.c.keys, cap * sizeof *c->u.c.keys);
		c->u.c.cap = cap;
	}
	if (c->kind == MV_OBJ)
		c->u.c.keys[c->u.c.len] = key;
	c->u.c.vals[c->u.c.len++] = v;
	if (c->kind != MV_OBJ)
		return;
	if (c->u.c.index)
		g_hash_table_insert(c->u.c.index, key, GSIZE_TO_POINTER(c->u.c.len - 1));
	else if (c->u.c.len == MV_INDEX_MIN)
		mv_index_build(c);
}

mval *mv_set(mval *obj, const char *key, mval *v)
{
	if (!obj || obj->kind != MV_OBJ)
		abort();
	ptrdiff_t i = mv_find(obj, key);
	if (i >= 0) {
		mv_free(obj->u.c.vals[i]);
		obj->u.c.vals[i] = v;
		return v;
	}
	mv_append(obj, xstrdup(key), v);
	return v;
}

mval *mv_set_first(mval *obj, const char *key, mval *v)
{
	if (mv_get(obj, key))
		return mv_set(obj, key, v);
	mv_set(obj, key, v);
	size_t n = obj->u.c.len;
	char *k = obj->u.c.keys[n - 1];
	memmove(obj->u.c.keys + 1, obj->u.c.keys, (n - 1) * sizeof *obj->u.c.keys);
	memmove(obj->u.c.vals + 1, obj->u.c.vals, (n - 1) * sizeof *obj->u.c.vals);
	obj->u.c.keys[0] = k;
	obj->u.c.vals[0] = v;
	if (obj->u.c.index)
		mv_index_build(obj); /* every position moved */
	return v;
}

mval *mv_push(mval *arr, mval *v)
{
	if (!arr || arr->kind != MV_ARR)
		abort();
	mv_append(arr, NULL, v);
	return v;
}

void mv_free(mval *v)
{
	if (!v)
		return;
	if (v->kind == MV_OBJ || v->kind == MV_ARR) {
		for (size_t i = 0; i < v->u.c.len; i++) {
			if (v->u.c.keys)
				free(v->u.c.keys[i]);
			mv_free(v->u.c.vals[i]);
		}
		if (v->u.c.index)
			g_hash_table_destroy(v->u.c.index);
		free(v->u.c.keys);
		free(v->u.c.vals);
	}
	free(v);
}

mv_kind mv_kind_of(const mval *v)
{
	return v ? v->kind : MV_NULL;
}
mv_fmt mv_fmt_of(const mval *v)
{
	return v ? v->fmt : MF_PLAIN;
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
	return v && v->kind == MV_STR ? v->u.s : NULL;
}
ts_ms mv_time_of(const mval *v)
{
	return v && v->kind == MV_TIME ? v->u.t : TS_NONE;
}

size_t mv_len(const mval *v)
{
	return v && (v->kind == MV_OBJ || v->kind == MV_ARR) ? v->u.c.len : 0;
}

const char *mv_key(const mval *obj, size_t i)
{
	return obj && obj->kind == MV_OBJ && i < obj->u.c.len ? obj->u.c.keys[i] : NULL;
}

mval *mv_at(const mval *v, size_t i)
{
	return i < mv_len(v) ? v->u.c.vals[i] : NULL;
}

mval *mv_get(const mval *obj, const char *key)
{
	if (!obj || obj->kind != MV_OBJ)
		return NULL;
	ptrdiff_t i = mv_find(obj, key);
	return i >= 0 ? obj->u.c.vals[i] : NULL;
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
