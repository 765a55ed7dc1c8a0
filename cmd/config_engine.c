/* config_engine.c — [engine]: kind, url, database, the environment
 * variables holding the credentials, TLS as for fetches, batch and chunk
 * sizes, the nodes' own addresses. It must not connect anywhere: it only reads the file. */
#include "config_engine.h"

#include <stdlib.h>
#include <string.h>

/* A URL the client may speak to: https://, or http:// with allow_http. */
static bool url_allowed(const engine_cfg *e, const char *url)
{
	return strncmp(url, "https://", 8) == 0 ||
	       (e->allow_http && strncmp(url, "http://", 7) == 0);
}

/* Why url is refused (url_allowed() false). */
static const char *url_refused(const char *url)
{
	if (!strstr(url, "://"))
		return "is not a URL: give the scheme, https://HOST:PORT/ (or http:// with "
		       "allow_http = true)";
	return "is not https:// (plain http:// needs allow_http = true)";
}

/* nodes = URL URL …: every node's own address, separated by spaces or commas. */
static int read_nodes(const cfgfile *f, engine_cfg *e)
{
	char *text = NULL;
	if (cfg_string(f, "engine", "nodes", &text) != 0)
		return -1;
	if (!text)
		return 0;
	char **parts = g_strsplit_set(text, " ,\t", -1);
	free(text);
	GPtrArray *list = g_ptr_array_new();
	int rc = 0;
	for (char **p = parts; *p && rc == 0; p++) {
		if (!**p)
			continue;
		if (!url_allowed(e, *p))
			rc = cfg_bad(f, "engine", "nodes", "\"%s\" %s", *p, url_refused(*p));
		g_ptr_array_add(list, g_strdup(*p));
	}
	g_strfreev(parts);
	if (rc == 0 && list->len == 0)
		rc = cfg_bad(f, "engine", "nodes", "lists no URL");
	g_ptr_array_add(list, NULL);
	g_strfreev(e->nodes);
	e->nodes = (char **)g_ptr_array_free(list, FALSE);
	return rc;
}

const char *const config_engine_keys[] = {
    "kind",	 "url",	    "database",	  "user_env",	 "password_env", "ca_file", "allow_http",
    "timeout_s", "retries", "batch_rows", "chunk_leads", "nodes",	 NULL};

int config_engine(const cfgfile *f, engine_cfg *e)
{
	const char *g = "engine";
	if (!g_key_file_has_group(f->kf, g))
		return 0;
	if (cfg_check_keys(f, g, config_engine_keys))
		return -1;
	char *kind = cfg_value(f, g, "kind");
	if (kind && engine_parse_kind(kind, &e->kind) != 0) {
		cfg_bad(f, g, "kind", "\"%s\" is not embedded or clickhouse", kind);
		free(kind);
		return -1;
	}
	free(kind);
	long timeout = e->timeout_s, retries = e->retries, batch = e->batch_rows,
	     chunk = e->chunk_leads;
	if (cfg_string(f, g, "url", &e->url) || cfg_string(f, g, "database", &e->database) ||
	    cfg_env_name(f, g, "user_env", &e->user_env) ||
	    cfg_env_name(f, g, "password_env", &e->password_env) ||
	    cfg_ca_file(f, g, "ca_file", &e->ca_file) ||
	    cfg_bool(f, g, "allow_http", &e->allow_http) ||
	    cfg_whole(f, g, "timeout_s", &timeout, 1, 86400) ||
	    cfg_whole(f, g, "retries", &retries, 0, 20) ||
	    cfg_whole(f, g, "batch_rows", &batch, 1000, 10000000) ||
	    cfg_whole(f, g, "chunk_leads", &chunk, 100, 10000000))
		return -1;
	e->timeout_s = timeout;
	e->retries = (int)retries;
	e->batch_rows = batch;
	e->chunk_leads = chunk;
	if (e->url && !url_allowed(e, e->url))
		return cfg_bad(f, g, "url", "\"%s\" %s", e->url, url_refused(e->url));
	return read_nodes(f, e);
}
