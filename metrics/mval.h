/* mval.h — the report's values: a small ordered tree of typed cells.
 *
 * The metrics stage builds one tree (objects keep their keys in insertion
 * order; tables are arrays of objects with the same keys); every renderer
 * (JSON, workbook, PDF, e-mail) only walks it. A number carries a display
 * format so that a renderer never has to guess a metric's unit from its name.
 *
 * Ownership: every constructor returns a new node owned by the caller until
 * it is handed to mv_set()/mv_push(), which take it. mv_free() frees a node
 * and everything below it (NULL is a no-op). Lookups return borrowed
 * pointers, valid while the tree lives. */
#ifndef MQL_MVAL_H
#define MQL_MVAL_H

#include "base.h"

typedef enum mv_kind {
	MV_NULL,
	MV_BOOL,
	MV_INT,
	MV_NUM,
	MV_STR,
	MV_TIME, /* a UTC instant; JSON shows "2026-11-22T19:01:53Z" */
	MV_OBJ,
	MV_ARR,
	MV_ROWS, /* a table whose rows live outside the tree (mv_rows): read with mv_next() */
} mv_kind;

typedef enum mv_fmt {
	MF_PLAIN,   /* a plain number or text */
	MF_COUNT,   /* a whole number of things */
	MF_MONEY,   /* in the report currency */
	MF_RATE,    /* a proportion 0..1, shown as a percent */
	MF_CHANGE,  /* a relative change (0.18 = +18%) */
	MF_DAYS,    /* a duration in days */
	MF_MINUTES, /* a duration in minutes */
	MF_RATIO,   /* a dimensionless ratio such as ROI multiples or CLV:CAC */
	MF_SCORE,   /* lead-score points */
} mv_fmt;

typedef struct mval mval;

mval *mv_null(void);
mval *mv_bool(bool b);
mval *mv_int(int64_t i, mv_fmt f);
/* A number; NaN or an infinity becomes null (a rate with a zero denominator). */
mval *mv_num(double d, mv_fmt f);
/* A number, or null when `defined` is false. */
mval *mv_num_or_null(bool defined, double d, mv_fmt f);
mval *mv_str(const char *s); /* copies s */
mval *mv_time(ts_ms t);	     /* TS_NONE becomes null */
mval *mv_obj(void);
mval *mv_arr(void);

/* Set obj[key] = v (replacing an existing key in place); takes v. Returns v. */
mval *mv_set(mval *obj, const char *key, mval *v);
/* Like mv_set(), but a new key goes first rather than last. */
mval *mv_set_first(mval *obj, const char *key, mval *v);
/* Append v to arr; takes v. Returns v. */
mval *mv_push(mval *arr, mval *v);
void mv_free(mval *v);

mv_kind mv_kind_of(const mval *v);
mv_fmt mv_fmt_of(const mval *v);
bool mv_is_null(const mval *v); /* true for NULL too */
bool mv_bool_of(const mval *v);
int64_t mv_int_of(const mval *v);     /* MV_INT; an MV_NUM truncated */
double mv_num_of(const mval *v);      /* MV_NUM or MV_INT; NAN otherwise */
const char *mv_str_of(const mval *v); /* MV_STR; NULL otherwise */
ts_ms mv_time_of(const mval *v);      /* MV_TIME; TS_NONE otherwise */

/* A table of n rows kept outside the tree, where one row at a time is
 * made when read: row(ctx, i) returns row i, a new object owned by the
 * caller, and may be called from several threads at once; drop(ctx), when
 * not NULL, runs when the node is freed. The node takes ctx. Its rows are
 * read with mv_next(); mv_len() is n, mv_at() NULL. */
mval *mv_rows(size_t n, mval *(*row)(void *ctx, size_t i), void (*drop)(void *ctx), void *ctx);

/* A table's rows one at a time, an array's and MV_ROWS's alike:
 *   mv_cursor c = mv_cursor_of(rows);
 *   for (const mval *r; (r = mv_next(&c));) …
 * A row is valid until the next call; mv_cursor_close() frees the last
 * one made when the loop stops early (mv_next() does at the end). */
typedef struct mv_cursor {
	const mval *t;
	size_t i;  /* rows returned so far */
	mval *own; /* the row last made for an MV_ROWS */
} mv_cursor;
mv_cursor mv_cursor_of(const mval *t);
const mval *mv_next(mv_cursor *c);
void mv_cursor_close(mv_cursor *c);

/* A flat object (every member null, bool, number, text or time) as bytes
 * appended to buf[*len..] (grown as needed, *cap its size), and those bytes
 * back as a new object; mv_decode() returns NULL for bytes mv_encode() did
 * not write. A nested member is encoded as null. */
void mv_encode(const mval *obj, char **buf, size_t *len, size_t *cap);
mval *mv_decode(const void *p, size_t n);

/* Objects, arrays and MV_ROWS: number of members (rows), i-th key (objects)
 * and value (objects and arrays). */
size_t mv_len(const mval *v);
const char *mv_key(const mval *obj, size_t i);
mval *mv_at(const mval *v, size_t i);
/* obj[key], or NULL when absent or obj is not an object. */
mval *mv_get(const mval *obj, const char *key);
/* Follow a dotted path ("windows.1w.mqls"); array members by index ("trend.3"). */
mval *mv_path(const mval *root, const char *path);

#endif
