/* eschema.c — the check of the database's columns before a load or a run
 * (eschema.h): the columns added to schema.sql after its first release,
 * each with the file that adds it to an older database.
 *
 * It must not change the database: ClickHouse 18.16 cannot add a column
 * only when missing, and a schema change is the operator's, on every node;
 * this only says what to apply. */
#include "eschema.h"

#include <stdlib.h>
#include <string.h>

#include "ch.h"

/* A column of `loads` that databases created before it lack. */
typedef struct added_column {
	const char *name;
	const char *upgrade; /* the file under config/clickhouse/ that adds it */
} added_column;

static const added_column added[] = {
    {"preamble_lines", "upgrade-loads-lines.sql"},
    {"footer_lines", "upgrade-loads-lines.sql"},
    {"timezone", "upgrade-loads-timezone.sql"},
    {"settings", "upgrade-loads-settings.sql"},
    {"amounts_other_sign", "upgrade-loads-amounts.sql"},
    {"amounts_thousandths", "upgrade-loads-amounts.sql"},
    {"amount_unread", "upgrade-loads-amount-unread.sql"},
};

static int on_column(void *arg, char **f, size_t n, mq_err *err)
{
	(void)err;
	if (n >= 1)
		g_ptr_array_add(arg, g_strdup(f[0]));
	return 0;
}

static bool has(const GPtrArray *cols, const char *name)
{
	for (guint i = 0; i < cols->len; i++)
		if (strcmp(g_ptr_array_index(cols, i), name) == 0)
			return true;
	return false;
}

int eschema_check(const engine_cfg *c, mq_err *err)
{
	GString *q = g_string_new("SELECT name FROM system.columns WHERE database = ");
	ch_sql_quote(q, c->database);
	g_string_append(q, " AND table = 'loads'");
	GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);
	int rc = ch_query(c, q->str, NULL, on_column, cols, err);
	if (rc == 0 && cols->len == 0) {
		mq_err_set(err, MQ_CONFIG,
			   "ClickHouse database \"%s\" has no table loads: apply "
			   "config/clickhouse/schema.sql on every node (docs/scale.md)",
			   c->database);
		rc = -1;
	}
	for (size_t k = 0; rc == 0 && k < G_N_ELEMENTS(added); k++) {
		if (has(cols, added[k].name))
			continue;
		mq_err_set(err, MQ_CONFIG,
			   "ClickHouse database \"%s\": table loads has no column %s (it was "
			   "created by an older config/clickhouse/schema.sql): apply "
			   "config/clickhouse/%s on every node, once (docs/scale.md)",
			   c->database, added[k].name, added[k].upgrade);
		rc = -1;
	}
	g_ptr_array_free(cols, TRUE);
	g_string_free(q, TRUE);
	return rc;
}
