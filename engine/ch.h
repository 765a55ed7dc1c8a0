/* ch.h — a ClickHouse client over the HTTP interface, through net/.
 *
 * Queries stream their answer to a callback (no answer is held whole):
 * TabSeparated row by row, or RowBinary as bytes that the callback decodes
 * with ch_rb; inserts send a body the caller built, TabSeparated or, where
 * a Float64 must arrive exactly, RowBinary (ch_rb_put_*).
 * Transient failures before any row arrived are retried. */
#ifndef MQL_CH_H
#define MQL_CH_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* One row of an answer: fields unescaped in place, valid during the call.
 * Return 0 to go on, -1 to stop (with err set by the callback). */
typedef int (*ch_row_fn)(void *ctx, char **fields, size_t nfields, mq_err *err);

/* Run sql (no FORMAT clause: TabSeparated is added). settings: extra URL
 * parameters ("a=1&b=2") or NULL. Each row goes to fn (fn may be NULL for
 * statements that answer nothing). The server finishes the query before it
 * answers (wait_end_of_query), so an error on its side is an error here,
 * never its text read as a row. Returns 0, or -1 with err
 * (MQ_UNAVAILABLE: the server failed or refused; the message holds its
 * text). */
int ch_query(const engine_cfg *c, const char *sql, const char *settings, ch_row_fn fn, void *ctx,
	     mq_err *err);

/* How far a request got. */
enum ch_reach {
	CH_ANSWERED,   /* the server answered (with rows or with an error) */
	CH_NO_CONNECT, /* no connection: refused, host not found or not reached in time */
	CH_SILENT,     /* the connection was taken, but no answer came in time */
	CH_FAILED,     /* connected, then failed otherwise (TLS, a dropped connection),
			* or stopped by a signal */
};

/* ch_query(), and in *how how far its last try got: a probe of whether a
 * node answers at all (engine_probe() gives it a short time and no
 * retry). */
int ch_query_reach(const engine_cfg *c, const char *sql, ch_row_fn fn, void *ctx,
		   enum ch_reach *how, mq_err *err);

/* RowBinary answers: the callback gets the bytes not used yet, the rest
 * of an unfinished row first, and sets *used to the bytes of the whole
 * rows it took (0 when the first row is not all there yet); what it leaves
 * is handed again with the next bytes. Return 0 to go on, -1 to stop (with
 * err set). */
typedef int (*ch_bin_fn)(void *ctx, const unsigned char *p, size_t n, size_t *used, mq_err *err);

/* Run sql (no FORMAT clause: RowBinary is added); see ch_query(). An
 * answer that ends inside a row is an error. */
int ch_query_rowbinary(const engine_cfg *c, const char *sql, const char *settings, ch_bin_fn fn,
		       void *ctx, mq_err *err);

/* A cursor over RowBinary bytes. Each read returns false, and leaves the
 * cursor where it was, when the bytes end before the value does. */
typedef struct ch_rb {
	const unsigned char *p, *end;
} ch_rb;
/* An unsigned LEB128 number (a String's length, an Array's size). */
bool ch_rb_varint(ch_rb *r, uint64_t *v);
/* A String: *s points into the bytes (not NUL-terminated), *n its length. */
bool ch_rb_string(ch_rb *r, const char **s, size_t *n);
/* n fixed-size values of `size` bytes each: *at points to the first. */
bool ch_rb_fixed(ch_rb *r, uint64_t n, size_t size, const unsigned char **at);
/* The i-th little-endian 64-bit value from `at`. */
uint64_t ch_rb_u64_at(const unsigned char *at, size_t i);

/* A value of a row: a String's bytes (s, n) or a fixed-size value's bits
 * (u: an unsigned integer widened, a signed one's two's complement, a
 * Float64's bits). */
typedef struct ch_rb_val {
	const char *s;
	size_t n;
	uint64_t u;
} ch_rb_val;
/* A whole row whose columns `layout` names, one character each: 's' a
 * String, '1', '2', '4' or '8' a little-endian fixed-size value of that
 * many bytes; the values into out[strlen(layout)]. */
bool ch_rb_row(ch_rb *r, const char *layout, ch_rb_val *out);

/* RowBinary values appended to g, for a body of ch_insert(): a String
 * (its length as LEB128, then its bytes), the low `size` bytes of v
 * little-endian (an integer of 1, 2, 4 or 8 bytes, a signed one as its
 * two's complement), and a Float64's bits. A Float64 sent as text can
 * arrive one unit in the last place off: some servers read decimals with
 * a fast parser that does not round correctly. */
void ch_rb_put_string(GString *g, const char *s, size_t n);
void ch_rb_put_fixed(GString *g, uint64_t v, size_t size);
void ch_rb_put_f64(GString *g, double x);

/* INSERT INTO table FORMAT format (TabSeparated or RowBinary) with
 * body[0..len). */
int ch_insert(const engine_cfg *c, const char *table, const char *format, const char *settings,
	      const char *body, size_t len, mq_err *err);

/* The first field of the first row of sql as an integer (0 when none). */
int ch_scalar(const engine_cfg *c, const char *sql, long long *out, mq_err *err);

/* Bytes received in successful answers and sent in request bodies by this
 * process so far (the traffic between mqlreport and the node it talks to). */
void ch_traffic(long long *in, long long *out);

/* Append s to g escaped for TabSeparated (\t, \n, \\ and friends). */
void ch_tsv_escape(GString *g, const char *s);
/* The same for n bytes that may hold NULs (written \0), and with quote
 * also the single quote: the text of one quoted element of an Array. */
void ch_tsv_escape_n(GString *g, const char *s, size_t n, bool quote);
/* Append s quoted as a SQL string literal. */
void ch_sql_quote(GString *g, const char *s);

#endif
