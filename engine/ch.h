/* ch.h — a ClickHouse client over the HTTP interface, through net/.
 *
 * Queries stream their TabSeparated answer row by row to a callback (no
 * answer is held whole); inserts send a TabSeparated body built by the
 * caller. Transient failures before any row arrived are retried. */
#ifndef MQL_CH_H
#define MQL_CH_H

#include <glib.h>
#include <stddef.h>

#include "engine.h"

/* One row of an answer: fields unescaped in place, valid during the call.
 * Return 0 to go on, -1 to stop (with err set by the callback). */
typedef int (*ch_row_fn)(void *ctx, char **fields, size_t nfields, mq_err *err);

/* Run sql (no FORMAT clause: TabSeparated is added). settings: extra URL
 * parameters ("a=1&b=2") or NULL. Each row goes to fn (fn may be NULL for
 * statements that answer nothing). Returns 0, or -1 with err
 * (MQ_UNAVAILABLE: the server failed or refused; the message holds its
 * text). */
int ch_query(const engine_cfg *c, const char *sql, const char *settings, ch_row_fn fn, void *ctx,
	     mq_err *err);

/* INSERT INTO table FORMAT TabSeparated with body[0..len). */
int ch_insert(const engine_cfg *c, const char *table, const char *settings, const char *body,
	      size_t len, mq_err *err);

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
