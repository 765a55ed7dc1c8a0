/* engine.c — the [engine] settings: defaults and the kind's names. It must
 * not read the configuration file (cmd/ does) nor open a connection. */
#include "engine.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

void engine_cfg_default(engine_cfg *c)
{
	*c = (engine_cfg){
	    .kind = ENGINE_EMBEDDED,
	    .database = xstrdup("mqlreport"),
	    .timeout_s = 3600,
	    .retries = 3,
	    .batch_rows = 100000,
	    .chunk_leads = 50000,
	};
}

void engine_cfg_clear(engine_cfg *c)
{
	free(c->url);
	free(c->database);
	free(c->user_env);
	free(c->password_env);
	free(c->ca_file);
	g_strfreev(c->nodes);
	for (int k = 0; k < SRC_COUNT; k++) {
		g_free(c->settings[k]);
		g_strfreev(c->files[k]);
	}
	memset(c, 0, sizeof *c);
}

/* c for one node, asked within a short time and never again (engine.h). */
engine_cfg engine_probe(const engine_cfg *c, const char *url)
{
	engine_cfg node = *c;
	node.url = (char *)url;
	node.timeout_s = c->timeout_s > 0 ? MIN(c->timeout_s, ENGINE_PROBE_S) : ENGINE_PROBE_S;
	node.retries = 0;
	return node;
}

int engine_parse_kind(const char *s, enum engine_kind *out)
{
	if (strcmp(s, "embedded") == 0)
		*out = ENGINE_EMBEDDED;
	else if (strcmp(s, "clickhouse") == 0)
		*out = ENGINE_CLICKHOUSE;
	else
		return -1;
	return 0;
}
