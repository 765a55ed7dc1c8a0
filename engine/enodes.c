/* enodes.c — the check that every node answers before a load or a run
 * (enodes.h): one question per node, the names of the database's tables,
 * from system.tables, which every node answers from its own memory.
 *
 * It must not wait on a node longer than engine_probe() allows, nor retry
 * a node that did not answer, nor ask through the Distributed tables
 * (one hung node would hold the question); it changes nothing. */
#include "enodes.h"

#include <glib.h>
#include <string.h>

#include "ch.h"
#include "stop.h"

const char *const enodes_tables[] = {"loads",
				     "attempts",
				     "leads",
				     "events",
				     "spend",
				     "opportunities",
				     "rejects",
				     "loads_local",
				     "attempts_local",
				     "leads_local",
				     "events_local",
				     "spend_local",
				     "opportunities_local",
				     "rejects_local",
				     NULL};

static int on_table(void *arg, char **f, size_t n, mq_err *err)
{
	(void)err;
	if (n >= 1)
		g_hash_table_add(arg, g_strdup(f[0]));
	return 0;
}

/* Whether two URLs name the same node: equal but for a trailing '/'. */
static bool same_url(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na && a[na - 1] == '/')
		na--;
	if (nb && b[nb - 1] == '/')
		nb--;
	return na == nb && strncmp(a, b, na) == 0;
}

static bool listed(const engine_cfg *c, const char *url)
{
	for (size_t k = 0; c->nodes && c->nodes[k]; k++)
		if (same_url(c->nodes[k], url))
			return true;
	return false;
}

/* The message for a node that did not answer: what it did, and what to
 * do. key is the [engine] key that names it ("nodes" or "url"). */
static void say_silent(const char *key, const engine_cfg *node, enum ch_reach how,
		       const char *undone, const mq_err *e, mq_err *err)
{
	const char *why = strstr(e->msg, ": ") ? strstr(e->msg, ": ") + 2 : e->msg;
	bool url = strcmp(key, "url") == 0;
	const char *article = url ? "the" : "a";
	const char *left =
	    url ? "if it has left the cluster, set [engine] url to another node (and drop it "
		  "from remote_servers on every node)"
		: "if it has left the cluster, remove it from [engine] nodes (and from "
		  "remote_servers on every node)";
	if (how == CH_SILENT)
		mq_err_set(err, MQ_UNAVAILABLE,
			   "[engine] %s: %s node does not answer: %s accepted the connection but "
			   "sent no answer within %ld s (a hung or overloaded server); %s\n  "
			   "check that node (is its clickhouse-server stopped, hung or too busy?) "
			   "and run again; %s (docs/scale.md)",
			   key, article, node->url, node->timeout_s, undone, left);
	else
		mq_err_set(err, MQ_UNAVAILABLE,
			   "[engine] %s: %s node does not answer: %s refused the connection or "
			   "could not be reached (%s); %s\n  start its clickhouse-server, or "
			   "correct its address, and run again; %s (docs/scale.md)",
			   key, article, node->url, why, undone, left);
}

/* The tables of `tables` missing from `have`, comma-separated; NULL: none. */
static char *missing_of(const char *const *tables, GHashTable *have)
{
	GString *m = NULL;
	for (size_t k = 0; tables && tables[k]; k++) {
		if (g_hash_table_contains(have, tables[k]))
			continue;
		m = m ? g_string_append(m, ", ") : g_string_new(NULL);
		g_string_append(m, tables[k]);
	}
	return m ? g_string_free(m, FALSE) : NULL;
}

/* Ask one node; key names it in the messages. With refused_passes (never
 * for url's node), a node that refuses the connection is no error (see
 * enodes.h). */
static int ask(const engine_cfg *c, const char *url, const char *key, const char *const *tables,
	       const char *undone, bool refused_passes, mq_err *err)
{
	engine_cfg node = engine_probe(c, url);
	node.database = (char *)"system"; /* answers when c->database is missing too */
	GString *q = g_string_new("SELECT name FROM system.tables WHERE database = ");
	ch_sql_quote(q, c->database);
	GHashTable *have = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	enum ch_reach how;
	mq_err e = {0};
	int rc = ch_query_reach(&node, q->str, on_table, have, &how, &e);
	g_string_free(q, TRUE);
	bool around = rc != 0 && how == CH_NO_CONNECT && refused_passes;
	if (around)
		rc = 0; /* no query waits on it: the caller reads around it */
	else if (rc != 0 && mq_stop_signal())
		*err = e;
	else if (rc != 0 && (how == CH_SILENT || how == CH_NO_CONNECT))
		say_silent(key, &node, how, undone, &e, err);
	else if (rc != 0)
		mq_err_set(err, e.status,
			   "[engine] %s: a node failed when asked whether it answers; %s: %s", key,
			   undone, e.msg);
	char *missing = rc == 0 && !around ? missing_of(tables, have) : NULL;
	if (missing && !g_hash_table_size(have)) {
		mq_err_set(err, MQ_CONFIG,
			   "[engine] %s: the database \"%s\" does not exist on this node (%s), or "
			   "holds none of the tables; %s\n  create it and apply "
			   "config/clickhouse/schema.sql on that node (docs/scale.md)",
			   key, c->database, url, undone);
		rc = -1;
	} else if (missing) {
		mq_err_set(err, MQ_CONFIG,
			   "[engine] %s: the node %s lacks tables of database \"%s\": %s; %s\n  "
			   "apply config/clickhouse/schema.sql on that node (docs/scale.md)",
			   key, url, c->database, missing, undone);
		rc = -1;
	}
	g_free(missing);
	g_hash_table_destroy(have);
	return rc;
}

int enodes_ready(const engine_cfg *c, const char *const *tables, const char *undone,
		 bool refused_passes, mq_err *err)
{
	int rc = 0;
	if (c->url && !listed(c, c->url))
		rc = ask(c, c->url, "url", tables, undone, false, err);
	for (size_t k = 0; rc == 0 && c->nodes && c->nodes[k]; k++)
		rc = ask(c, c->nodes[k], "nodes", tables, undone,
			 refused_passes && !same_url(c->nodes[k], c->url ? c->url : ""), err);
	return rc;
}
