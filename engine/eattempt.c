/* eattempt.c — the attempts registry of `load` and the removal of what
 * unfinished attempts of one source file left (eattempt.h).
 *
 * It must not remove an attempt that `loads` names, nor one of another
 * file: several loads of different files may run at once. Rows go away
 * only by dropping the attempt's own partitions (every table is
 * partitioned by attempt), never by a condition over other rows. */
#include "eattempt.h"

#include <stdlib.h>
#include <string.h>

#include "ch.h"

/* The local tables that hold an attempt of source s. */
static const char *const source_local[SRC_COUNT] = {
    [SRC_LEADS] = "leads_local",
    [SRC_EVENTS] = "events_local",
    [SRC_SPEND] = "spend_local",
    [SRC_OPPORTUNITIES] = "opportunities_local",
};

int eattempt_register(const engine_cfg *c, const char *load_id, int s, const char *attempt,
		      mq_err *err)
{
	GString *g = g_string_new(NULL);
	ch_tsv_escape(g, load_id);
	g_string_append_printf(g, "\t%s\t", source_name[s]);
	ch_tsv_escape(g, attempt);
	g_string_append_printf(g, "\t%lld\n", (long long)(g_get_real_time() / 1000));
	int rc = ch_insert(c, "attempts (load_id, source, attempt, started_at)", "TabSeparated",
			   "insert_distributed_sync=1", g->str, g->len, err);
	g_string_free(g, TRUE);
	return rc;
}

static int on_attempt(void *arg, char **f, size_t n, mq_err *err)
{
	(void)err;
	if (n >= 1 && *f[0])
		g_ptr_array_add(arg, g_strdup(f[0]));
	return 0;
}

/* The attempts of the file and source that no `loads` row names. */
static int unfinished(const engine_cfg *c, const char *load_id, int s, GPtrArray *out, mq_err *err)
{
	GString *w = g_string_new("load_id = ");
	ch_sql_quote(w, load_id);
	g_string_append(w, " AND source = ");
	ch_sql_quote(w, source_name[s]);
	char *q = xasprintf("SELECT DISTINCT attempt FROM attempts WHERE %s AND attempt GLOBAL NOT "
			    "IN (SELECT attempt FROM loads WHERE %s) ORDER BY attempt",
			    w->str, w->str);
	int rc = ch_query(c, q, NULL, on_attempt, out, err);
	free(q);
	g_string_free(w, TRUE);
	return rc;
}

/* Drop attempt a's partition of table t on one node. */
static int drop_on(const engine_cfg *node, const char *t, const char *a, mq_err *err)
{
	GString *q = g_string_new(NULL);
	g_string_append_printf(q, "ALTER TABLE %s DROP PARTITION ", t);
	ch_sql_quote(q, a);
	int rc = ch_query(node, q->str, NULL, NULL, NULL, err);
	g_string_free(q, TRUE);
	return rc;
}

/* Rows of the attempts in `list` (a SQL list) still readable in the
 * source's table and in rejects. */
static int rows_left(const engine_cfg *c, int s, const char *list, long long *out, mq_err *err)
{
	char *q = xasprintf("SELECT (SELECT count() FROM %s WHERE attempt IN (%s)) + (SELECT "
			    "count() FROM rejects WHERE attempt IN (%s))",
			    source_name[s], list, list);
	int rc = ch_scalar(c, q, out, err);
	free(q);
	return rc;
}

/* Drop the partitions of every attempt in `stale` from tables[0..n) on
 * every node. */
static int drop_all(const engine_cfg *c, GPtrArray *stale, const char *const *tables, size_t n,
		    mq_err *err)
{
	char *only_url[2] = {c->url, NULL};
	char *const *nodes = c->nodes ? c->nodes : only_url;
	int rc = 0;
	for (guint i = 0; rc == 0 && i < stale->len; i++)
		for (size_t k = 0; rc == 0 && nodes[k]; k++) {
			engine_cfg node = *c;
			node.url = nodes[k];
			for (size_t t = 0; rc == 0 && t < n; t++)
				rc = drop_on(&node, tables[t], g_ptr_array_index(stale, i), err);
		}
	return rc;
}

int eattempt_sweep(const engine_cfg *c, const char *load_id, int s, eattempt_swept *out,
		   mq_err *err)
{
	*out = (eattempt_swept){0};
	GPtrArray *stale = g_ptr_array_new_with_free_func(g_free);
	int rc = unfinished(c, load_id, s, stale, err);
	const char *rows[] = {source_local[s], "rejects_local"};
	const char *named[] = {"attempts_local"};
	GString *list = g_string_new(NULL);
	for (guint i = 0; i < stale->len; i++) {
		if (list->len)
			g_string_append_c(list, ',');
		ch_sql_quote(list, g_ptr_array_index(stale, i));
	}
	out->attempts = stale->len;
	if (rc == 0 && stale->len)
		rc = drop_all(c, stale, rows, G_N_ELEMENTS(rows), err);
	if (rc == 0 && stale->len)
		rc = rows_left(c, s, list->str, &out->rows_left, err);
	/* an attempt stays named while any of its rows may remain, so that a
	 * later load that reaches every node still finds it */
	if (rc == 0 && stale->len && out->rows_left == 0)
		rc = drop_all(c, stale, named, G_N_ELEMENTS(named), err);
	g_string_free(list, TRUE);
	g_ptr_array_free(stale, TRUE);
	return rc;
}
