/* erejects.c — the rejected rows of a load stored in ClickHouse and read
 * back, so that rejects.csv of the engine path holds what an embedded run
 * writes: each row's source, line, reason and raw fields, byte for byte.
 *
 * It must not judge a row nor render rejects.csv: ingest rejected the
 * rows, reports/ writes them; this only carries them through the engine. */
#include "erejects.h"

#include <stdlib.h>
#include <string.h>

#include "ch.h"

/* One field as an element of a TabSeparated Array(String): quoted, with
 * the bytes that would end the element, the field or the row escaped. */
static void put_element(GString *g, const char *s, size_t len)
{
	g_string_append_c(g, '\'');
	ch_tsv_escape_n(g, s, len, true);
	g_string_append_c(g, '\'');
}

/* attempt, source, seq, line, reason, fields; ending in \n */
static void put_reject(GString *g, const reject *r, const char *attempt, size_t seq)
{
	g_string_append(g, attempt);
	g_string_append_printf(g, "\t%s\t%zu\t%u\t", source_name[r->source], seq,
			       (unsigned)r->line);
	ch_tsv_escape(g, r->reason ? r->reason : "");
	g_string_append(g, "\t[");
	for (size_t j = 0; j < r->nfields; j++) {
		if (j)
			g_string_append_c(g, ',');
		put_element(g, r->fields[j] ? r->fields[j] : "", r->fields[j] ? r->lens[j] : 0);
	}
	g_string_append(g, "]\n");
}

int erejects_insert(const engine_cfg *c, const dataset *ds, int s, size_t from, size_t to,
		    const char *attempt, mq_err *err)
{
	engine_cfg once = *c;
	once.retries = 0; /* as the rows: no batch is sent twice */
	size_t batch = c->batch_rows > 0 ? (size_t)c->batch_rows : 100000, seq = 0, held = 0;
	GString *g = g_string_sized_new(1 << 16);
	int rc = 0;
	for (size_t i = from; i < to && i < ds->nrejects && rc == 0; i++) {
		if (ds->rejects[i].source != s)
			continue;
		put_reject(g, &ds->rejects[i], attempt, seq++);
		if (++held == batch) {
			rc = ch_insert(
			    &once, "rejects (attempt, source, seq, line, reason, fields)",
			    "TabSeparated", "insert_distributed_sync=1", g->str, g->len, err);
			g_string_truncate(g, 0);
			held = 0;
		}
	}
	if (rc == 0 && held)
		rc = ch_insert(&once, "rejects (attempt, source, seq, line, reason, fields)",
			       "TabSeparated", "insert_distributed_sync=1", g->str, g->len, err);
	g_string_free(g, TRUE);
	return rc;
}

static int hexval(char h)
{
	return h >= '0' && h <= '9' ? h - '0' : h >= 'A' && h <= 'F' ? h - 'A' + 10 : h - 'a' + 10;
}

/* source, line, reason, number of fields, the fields in hex joined by ',' */
static int on_reject(void *arg, char **f, size_t n, mq_err *err)
{
	dataset *ds = arg;
	int s = -1;
	for (int k = 0; n == 5 && k < SRC_COUNT; k++)
		if (strcmp(f[0], source_name[k]) == 0)
			s = k;
	if (s < 0) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: unexpected row in rejects");
		return -1;
	}
	size_t nf = (size_t)strtoull(f[3], NULL, 10), len = strlen(f[4]), commas = 0;
	for (const char *c = f[4]; *c; c++)
		commas += *c == ',';
	if (nf ? commas + 1 != nf : len != 0) {
		mq_err_set(err, MQ_UNAVAILABLE,
			   "ClickHouse: a rejects row says %zu fields, holds %zu", nf, commas + 1);
		return -1;
	}
	char **fields = xcalloc(nf ? nf : 1, sizeof *fields);
	size_t *lens = xcalloc(nf ? nf : 1, sizeof *lens);
	/* decoded in place: a field's bytes take half its hex */
	char *p = f[4], *w = f[4];
	for (size_t j = 0; j < nf; j++) {
		fields[j] = w;
		while (p + 1 < f[4] + len && *p != ',') {
			*w++ = (char)(hexval(p[0]) << 4 | hexval(p[1]));
			p += 2;
		}
		lens[j] = (size_t)(w - fields[j]); /* dataset_reject copies by length */
		p++;				   /* the ',' */
	}
	dataset_reject(ds, s, (uint32_t)strtoul(f[1], NULL, 10), f[2], (const char *const *)fields,
		       lens, nf);
	free(fields);
	free(lens);
	return 0;
}

int erejects_read(const engine_cfg *c, const eread_result *r, dataset *ds, mq_err *err)
{
	GString *in = g_string_new(NULL), *order = g_string_new("[");
	for (int s = 0; s < SRC_COUNT; s++) {
		if (!r->attempts[s])
			continue;
		g_string_append_printf(in, "%s%s", in->len ? "," : "", r->attempts[s]->str);
		/* "['a','b']" without its brackets, after the earlier sources' */
		g_string_append_printf(order, "%s%.*s", order->len > 1 ? "," : "",
				       (int)(r->order[s]->len - 2), r->order[s]->str + 1);
	}
	g_string_append_c(order, ']');
	int rc = 0;
	if (in->len) {
		char *q = xasprintf(
		    "SELECT source, line, reason, length(fields), arrayStringConcat(arrayMap(x "
		    "-> hex(x), fields), ',') FROM rejects WHERE attempt IN (%s) ORDER BY "
		    "indexOf(%s, attempt), seq",
		    in->str, order->str);
		rc = ch_query(c, q, NULL, on_reject, ds, err);
		free(q);
	}
	g_string_free(in, TRUE);
	g_string_free(order, TRUE);
	return rc;
}
