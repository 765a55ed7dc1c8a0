/* config.c — the run's configuration: the defaults, then the INI file's
 * [report], [finance], [fetch], [source.*], [columns.*], [aliases.*] and
 * [lock] groups, handing [scoring…] and [email] to their readers (see
 * config.h).
 *
 * It only reads and checks: it opens no source and decides nothing about
 * a run; an unknown group or key is an error, never ignored. */
#include "config.h"

#include "cfgval.h"
#include "colmap.h"
#include "normalize.h"
#include "config_email.h"
#include "config_engine.h"
#include "config_health.h"
#include "textenc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_default(run_config *c)
{
	*c = (run_config){0};
	ingest_cfg_default(&c->in);
	c->week = xstrdup("last");
	c->out_root = xstrdup("out");
	c->mql_source = MQL_AUTO;
	c->attribution = ATTR_FIRST_TOUCH;
	c->gross_margin = 0.8;
	c->expected_lifetime_years = 3;
	c->low_sample_min = 30;
	score_model_default(&c->model);
	engine_cfg_default(&c->engine);
	health_params_default(&c->health);
}

void config_clear(run_config *c)
{
	free(c->config_path);
	free(c->data_dir);
	ingest_cfg_clear(&c->in);
	free(c->week);
	free(c->paper);
	free(c->company);
	free(c->out_dir);
	free(c->out_root);
	g_strfreev(c->rerun_args);
	free(c->eml_path);
	free(c->mql_status_values);
	free(c->mql_date_column);
	score_model_clear(&c->model);
	free(c->lock_path);
	email_cfg_free(c->email);
	engine_cfg_clear(&c->engine);
	*c = (run_config){0};
}

int config_parse_mql_source(const char *s, enum mql_source *out)
{
	static const char *const names[] = {"auto", "export", "score", "status"};
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum mql_source)i;
			return 0;
		}
	}
	return -1;
}

int config_parse_attribution(const char *s, enum attr_model *out)
{
	for (int i = 0; i < ATTR_COUNT; i++) {
		if (strcmp(s, attr_model_name[i]) == 0) {
			*out = (enum attr_model)i;
			return 0;
		}
	}
	return -1;
}

static const char *const report_keys[] = {
    "timezone",	       "currency",    "week",		"out",
    "mql_source",      "attribution", "low_sample_min", "cache_dir",
    "max_field_bytes", "paper",	      "company",	NULL,
};

static int read_report(cfgfile *f, run_config *c)
{
	const char *g = "report";
	if (!g_key_file_has_group(f->kf, g))
		return 0;
	if (cfg_check_keys(f, g, report_keys) || cfg_timezone(f, g, "timezone", &c->in.timezone) ||
	    cfg_currency(f, g, "currency", &c->in.currency) || cfg_week(f, g, "week", &c->week) ||
	    cfg_path(f, g, "out", &c->out_root) || cfg_path(f, g, "cache_dir", &c->in.cache_dir) ||
	    cfg_string(f, g, "paper", &c->paper) || cfg_string(f, g, "company", &c->company))
		return -1;
	/* case ignored, as people write it: "A4", "Letter" */
	if (c->paper && g_ascii_strcasecmp(c->paper, "a4") != 0 &&
	    g_ascii_strcasecmp(c->paper, "letter") != 0)
		return cfg_bad(f, g, "paper", "\"%s\" is not A4 or Letter", c->paper);
	for (char *p = c->paper; p && *p; p++)
		*p = g_ascii_tolower(*p);
	char *v = cfg_value(f, g, "mql_source");
	int rc = 0;
	if (v && config_parse_mql_source(v, &c->mql_source) != 0)
		rc = cfg_bad(f, g, "mql_source", "\"%s\" is not auto, export, score or status", v);
	free(v);
	v = cfg_value(f, g, "attribution");
	if (rc == 0 && v && config_parse_attribution(v, &c->attribution) != 0)
		rc = cfg_bad(f, g, "attribution",
			     "\"%s\" is not first_touch, last_touch, linear, u_shaped, w_shaped or "
			     "time_decay",
			     v);
	free(v);
	long n = c->low_sample_min;
	if (rc == 0 && cfg_whole(f, g, "low_sample_min", &n, 0, 1000000) == 0)
		c->low_sample_min = (int)n;
	else
		rc = -1;
	long mf = (long)c->in.max_field_bytes;
	if (rc == 0 && cfg_whole(f, g, "max_field_bytes", &mf, 16, 1L << 30) == 0)
		c->in.max_field_bytes = (size_t)mf;
	else
		rc = -1;
	return rc;
}

static const char *const finance_keys[] = {"gross_margin", "expected_lifetime_years", NULL};

static int read_finance(cfgfile *f, run_config *c)
{
	const char *g = "finance";
	if (!g_key_file_has_group(f->kf, g))
		return 0;
	return cfg_check_keys(f, g, finance_keys) ||
		       cfg_number(f, g, "gross_margin", &c->gross_margin, 0, 1) ||
		       cfg_number(f, g, "expected_lifetime_years", &c->expected_lifetime_years, 0,
				  100)
		   ? -1
		   : 0;
}

static const char *const fetch_keys[] = {
    "allow_http",	  "bearer_token_env", "basic_user_env",
    "basic_password_env", "header_name",      "header_value_env",
    "connect_timeout",	  "timeout",	      "low_speed_limit",
    "low_speed_time",	  "retries",	      "backoff",
    "max_bytes",	  "ca_file",	      NULL,
};

static int read_fetch(cfgfile *f, const char *g, fetch_opts *o)
{
	long retries = o->retries;
	double maxb = (double)o->max_bytes;
	if (cfg_bool(f, g, "allow_http", &o->allow_http) ||
	    cfg_env_name(f, g, "bearer_token_env", &o->bearer_env) ||
	    cfg_env_name(f, g, "basic_user_env", &o->basic_user_env) ||
	    cfg_env_name(f, g, "basic_password_env", &o->basic_pass_env) ||
	    cfg_string(f, g, "header_name", &o->header_name) ||
	    cfg_env_name(f, g, "header_value_env", &o->header_env) ||
	    cfg_whole(f, g, "connect_timeout", &o->connect_timeout_s, 1, 3600) ||
	    cfg_whole(f, g, "timeout", &o->total_timeout_s, 1, 86400) ||
	    cfg_whole(f, g, "low_speed_limit", &o->low_speed_bytes, 0, 1L << 30) ||
	    cfg_whole(f, g, "low_speed_time", &o->low_speed_time_s, 0, 86400) ||
	    cfg_whole(f, g, "retries", &retries, 0, 100) ||
	    cfg_number(f, g, "backoff", &o->backoff_s, 0, 3600) ||
	    cfg_number(f, g, "max_bytes", &maxb, 1, 1e15) ||
	    cfg_ca_file(f, g, "ca_file", &o->ca_file))
		return -1;
	o->retries = (int)retries;
	o->max_bytes = (int64_t)maxb;
	return 0;
}

static bool in_list(const char *key, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(key, *list) == 0)
			return true;
	return false;
}

/* date_format, decimal, delimiter and encoding of one source. */
static int read_dialect(cfgfile *f, const char *g, source_cfg *sc)
{
	int rc = 0;
	char *df = cfg_value(f, g, "date_format");
	if (df) {
		sc->us_dates = !strcmp(df, "us");
		sc->dmy_dates = !strcmp(df, "dmy");
		sc->mdy_dates = !strcmp(df, "mdy");
		if (strcmp(df, "us") && strcmp(df, "iso") && strcmp(df, "dmy") && strcmp(df, "mdy"))
			rc = cfg_bad(f, g, "date_format", "\"%s\" is not iso, us, mdy or dmy", df);
		free(df);
	}
	char *dc = rc ? NULL : cfg_value(f, g, "decimal");
	if (dc) {
		sc->decimal_comma = !strcmp(dc, "comma");
		if (strcmp(dc, "comma") && strcmp(dc, "point"))
			rc = cfg_bad(f, g, "decimal", "\"%s\" is not point or comma", dc);
		free(dc);
	}
	/* the raw text: GKeyFile would turn \t into a tab, which the trimming
	 * then removes */
	char *raw = rc ? NULL : g_key_file_get_value(f->kf, g, "delimiter", NULL);
	char *dl = raw ? xstrdup(g_strstrip(raw)) : NULL;
	g_free(raw);
	if (dl) {
		static const char *const names[] = {"auto",  ",",	  ";",	 "tab",	 "|",
						    "comma", "semicolon", "\\t", "pipe", NULL};
		static const char delims[] = {0, ',', ';', '\t', '|', ',', ';', '\t', '|'};
		int k = 0;
		while (names[k] && strcmp(names[k], dl))
			k++;
		if (names[k])
			sc->delimiter = delims[k];
		else
			rc = cfg_bad(f, g, "delimiter",
				     "\"%s\" is not auto, \",\", \";\", tab or \"|\" (nor comma, "
				     "semicolon, \\t or pipe, which name them too)%s",
				     dl,
				     *dl ? ""
					 : "; a tab typed as the value is lost as blank space: "
					   "write tab");
		free(dl);
	}
	int enc;
	mq_err ignored = {0};
	if (rc == 0 && sc->encoding && textenc_parse(sc->encoding, g, &enc, &ignored) != 0)
		rc = cfg_bad(f, g, "encoding",
			     "\"%s\" is not auto, utf-8 or windows-1252 (nor utf8, cp1252, latin1 "
			     "or iso-8859-1, which name them too)",
			     sc->encoding);
	return rc;
}

/* The keys of a [source.X] group besides the fetch keys, and those of a
 * spend file's only. */
static const char *const source_keys[] = {"location", "path",	  "url",	 "preset",
					  "timezone", "encoding", "date_format", "delimiter",
					  "decimal",  NULL};
static const char *const spend_keys[] = {"channel", NULL};

/* The key of a credential of o that group g sets, else [fetch] (its
 * group in *in), else NULL. */
static const char *credential_key(const cfgfile *f, const char *g, const fetch_opts *o,
				  const char **in)
{
	static const char *const keys[] = {"bearer_token_env", "basic_user_env",
					   "basic_password_env", "header_value_env"};
	const char *const set[] = {o->bearer_env, o->basic_user_env, o->basic_pass_env,
				   o->header_env};
	const char *const groups[] = {g, "fetch"};
	for (size_t k = 0; k < G_N_ELEMENTS(groups); k++)
		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
			if (set[i] && g_key_file_has_key(f->kf, groups[k], keys[i], NULL)) {
				*in = groups[k];
				return keys[i];
			}
	return NULL;
}

/* A fetched source (sc of group g, whose URL key is key): plain http://
 * only with allow_http, and then without credentials, which would go in
 * the clear; and where its messages say it is configured. */
static int check_url_source(const cfgfile *f, const char *g, const char *key, source_cfg *sc)
{
	fetch_opts *o = &sc->fetch;
	int line = cfg_line_of(f->path, g, key);
	if (strncmp(sc->location, "http://", 7) == 0 && !o->allow_http)
		return cfg_bad(
		    f, g, key,
		    "plain http:// is not fetched: write https://, or, for a server on a "
		    "network you trust that needs no credentials, set allow_http = true "
		    "in [%s]",
		    g);
	if (strncmp(sc->location, "http://", 7) == 0 && fetch_has_credentials(sc->location, o)) {
		const char *in = g;
		const char *cred = credential_key(f, g, o, &in);
		return cfg_bad(
		    f, in, cred ? cred : key,
		    "credentials are never sent in the clear, and [%s]'s URL (line %d) is plain "
		    "http:// (allow_http): fetch it from https://, or remove its credentials%s",
		    g, line,
		    cred && strcmp(in, "fetch") == 0
			? " (those of [fetch] go to every source: name them in the groups of "
			  "the sources that need them)"
			: "");
	}
	free(o->where);
	free(o->group);
	o->where = xasprintf("%s:%d: [%s] %s", f->path, line, g, key);
	o->group = xstrdup(g);
	return 0;
}

/* [source.X] or [source.spend.NAME] (g) into sc; s is the source. */
static int read_source_group(cfgfile *f, const char *g, source_cfg *sc, int s)
{
	int rc = 0;
	if (!g_key_file_has_group(f->kf, g))
		return 0;
	gsize n = 0;
	char **all = g_key_file_get_keys(f->kf, g, &n, NULL);
	for (gsize i = 0; all && i < n && rc == 0; i++)
		if (!in_list(all[i], source_keys) && !in_list(all[i], fetch_keys) &&
		    !(s == SRC_SPEND && in_list(all[i], spend_keys))) {
			const char *const *lists[] = {source_keys,
						      s == SRC_SPEND ? spend_keys : fetch_keys,
						      s == SRC_SPEND ? fetch_keys : NULL, NULL};
			rc = cfg_unknown_key(f, g, all[i], lists);
		}
	g_strfreev(all);
	/* one place to read from: the second of location, path and url names
	 * the same thing again, and which one won would be the reader's guess */
	const char *where[] = {"location", "path", "url"};
	for (int a = 0; rc == 0 && a < 3; a++)
		for (int b = a + 1; rc == 0 && b < 3; b++)
			if (g_key_file_has_key(f->kf, g, where[a], NULL) &&
			    g_key_file_has_key(f->kf, g, where[b], NULL))
				rc = cfg_bad(f, g, where[b],
					     "give only one of location, path and url (%s is set "
					     "too): each names where the source is read from",
					     where[a]);
	if (rc || cfg_location(f, g, "location", &sc->location) ||
	    cfg_location(f, g, "path", &sc->location) || cfg_location(f, g, "url", &sc->location) ||
	    cfg_string(f, g, "preset", &sc->preset) ||
	    cfg_timezone(f, g, "timezone", &sc->timezone) ||
	    cfg_string(f, g, "encoding", &sc->encoding) || read_fetch(f, g, &sc->fetch) ||
	    (s == SRC_SPEND && cfg_string(f, g, "channel", &sc->channel)))
		return -1;
	rc = read_dialect(f, g, sc);
	for (int k = 0; rc == 0 && k < 3; k++)
		if (g_key_file_has_key(f->kf, g, where[k], NULL) && is_url(sc->location))
			rc = check_url_source(f, g, where[k], sc);
	if (rc == 0 && sc->preset) {
		static const char *const presets[] = {"auto",	    "canonical", "hubspot",
						      "salesforce", "marketo",	 NULL};
		if (!in_list(sc->preset, presets))
			rc =
			    cfg_bad(f, g, "preset",
				    "\"%s\" is not auto, canonical, hubspot, salesforce or marketo",
				    sc->preset);
	}
	return rc;
}

static int read_source(cfgfile *f, run_config *c, int s)
{
	char *g = xasprintf("source.%s", source_name[s]);
	int rc = read_source_group(f, g, &c->in.src[s], s);
	free(g);
	return rc;
}

/* [columns.leads] created_at = Create Date; [aliases.channel] Paid Social = paid_social */
static int read_pairs(cfgfile *f, const char *g, strpairs *dst)
{
	if (!g_key_file_has_group(f->kf, g))
		return 0;
	gsize n = 0;
	char **keys = g_key_file_get_keys(f->kf, g, &n, NULL);
	int rc = 0;
	for (gsize i = 0; keys && i < n && rc == 0; i++) {
		char *v = cfg_value(f, g, keys[i]);
		/* an empty side would map a column to no header, or a value to
		 * nothing: a line left half-written */
		if (!v || !*v)
			rc =
			    cfg_bad(f, g, keys[i], "has no value: write the %s, or remove the line",
				    g_str_has_prefix(g, "columns.") ? "header in the file"
								    : "value it stands for");
		else
			strpairs_add(dst, keys[i], v);
		free(v);
	}
	g_strfreev(keys);
	return rc;
}

/* A value of the data as the loader compares it with an alias's key:
 * normalised as channels, event types and industries are (norm_value),
 * upper-cased for countries, trimmed for campaigns. Caller frees. */
static char *alias_form(const char *g, const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(NORM_ROOM(n));
	if (!strcmp(g, "aliases.country"))
		out[norm_upper(s, n, out)] = 0;
	else if (!strcmp(g, "aliases.campaign")) {
		const char *t = s;
		size_t tl = n;
		norm_trim(&t, &tl);
		memcpy(out, t, tl);
		out[tl] = 0;
	} else
		out[norm_value(s, n, out)] = 0;
	return out;
}

/* Two keys of one [aliases.*] group that are one value of the data once
 * compared as the loader compares them ("Paid Social" and "paid-social")
 * and stand for different values: the later line would win unsaid. */
static int check_alias_keys(cfgfile *f, const char *g, const strpairs *p)
{
	int rc = 0;
	for (size_t i = 0; p && i < p->len && rc == 0; i++) {
		char *ki = alias_form(g, p->items[i].key), *vi = alias_form(g, p->items[i].value);
		for (size_t j = i + 1; j < p->len && rc == 0; j++) {
			char *kj = alias_form(g, p->items[j].key);
			char *vj = alias_form(g, p->items[j].value);
			if (!strcmp(ki, kj) && strcmp(vi, vj) != 0)
				rc = cfg_bad(
				    f, g, p->items[j].key,
				    "the same value as \"%s\" (line %d) once compared as the "
				    "data's values are (\"%s\"), but for \"%s\", not \"%s\": "
				    "keep one of the two lines",
				    p->items[i].key, cfg_line_of(f->path, g, p->items[i].key), kj,
				    p->items[j].value, p->items[i].value);
			free(kj);
			free(vj);
		}
		free(ki);
		free(vi);
	}
	return rc;
}

/* name, when nearer to g than *best_d edits: the new *best. */
static void nearer(const char *g, const char *name, char **best, size_t *best_d)
{
	size_t d = mq_edit_distance(g, name);
	if (d < *best_d) {
		*best_d = d;
		free(*best);
		*best = xstrdup(name);
	}
}

/* Every value of [aliases.type] is an event type the scoring knows, or
 * "unknown" (a type said on purpose to be none of them): a misspelt one
 * ("email_opn") would leave its events unknown, at 0 points, unsaid. */
static int check_type_targets(cfgfile *f, const strpairs *p)
{
	int rc = 0;
	for (size_t i = 0; p && i < p->len && rc == 0; i++) {
		char *v = alias_form("aliases.type", p->items[i].value);
		char *best = NULL;
		size_t best_d = SIZE_MAX;
		for (int k = 0; k < EV_COUNT && best_d > 0; k++)
			nearer(v, ev_kind_name[k], &best, &best_d);
		if (best_d > 0)
			rc = cfg_bad(
			    f, "aliases.type", p->items[i].key,
			    "\"%s\" is no event type the scoring knows%s%s%s, so its events "
			    "would score 0 points: write one of the types docs/scoring.md "
			    "lists, or unknown for a type to leave out",
			    p->items[i].value, best_d <= 3 ? " (did you mean " : "",
			    best_d <= 3 ? best : "", best_d <= 3 ? "?)" : "");
		free(best);
		free(v);
	}
	return rc;
}

/* Every key of [columns.<source>] is a column of that source. */
static int check_column_keys(cfgfile *f, const char *g, int s)
{
	if (!g_key_file_has_group(f->kf, g))
		return 0;
	gsize n = 0;
	char **keys = g_key_file_get_keys(f->kf, g, &n, NULL);
	int rc = 0;
	for (gsize i = 0; keys && i < n && rc == 0; i++) {
		int c = 0;
		while (c < CC_COUNT && (strcmp(colmap_column[c], keys[i]) || !colmap_has(s, c)))
			c++;
		if (c < CC_COUNT)
			continue;
		GString *valid = g_string_new(NULL);
		for (int k = 0; k < CC_COUNT; k++)
			if (colmap_has(s, k))
				g_string_append_printf(valid, "%s%s", valid->len ? ", " : "",
						       colmap_column[k]);
		rc = cfg_bad(f, g, keys[i],
			     "\"%s\" is not a column of %s: the left side names our column, the "
			     "right side the header in your file (valid: %s)",
			     keys[i], source_name[s], valid->str);
		g_string_free(valid, TRUE);
	}
	g_strfreev(keys);
	return rc;
}

static const char *const mql_keys[] = {"status_values", "date_column", NULL};

/* [mql] status_values = MQL, Marketing Qualified; date_column = Last Status Change */
static int read_mql(cfgfile *f, run_config *c)
{
	if (!g_key_file_has_group(f->kf, "mql"))
		return 0;
	return cfg_check_keys(f, "mql", mql_keys) ||
		       cfg_string(f, "mql", "status_values", &c->mql_status_values) ||
		       cfg_string(f, "mql", "date_column", &c->mql_date_column)
		   ? -1
		   : 0;
}

int config_mql_status(run_config *c, mq_err *err)
{
	if (c->mql_source != MQL_STATUS) {
		/* set, and read by nothing: said, as --threshold is under export */
		bool both = c->mql_status_values && c->mql_date_column;
		/* the configuration's line of [mql]: the options cannot set these */
		int line = c->config_path ? cfg_line_of(c->config_path, "mql", NULL) : 0;
		if (c->mql_status_values || c->mql_date_column)
			fprintf(stderr,
				"mqlreport: warning: %s:%d: [mql] %s%s%s %s read only with "
				"mql_source = status; here MQLs come from %s: %s no MQL\n",
				c->config_path ? c->config_path : "configuration", line,
				c->mql_status_values ? "status_values" : "", both ? " and " : "",
				c->mql_date_column ? "date_column" : "", both ? "are" : "is",
				c->mql_source == MQL_SCORE    ? "the score"
				: c->mql_source == MQL_EXPORT ? "the leads' mql_at column"
							      : "the leads' mql_at column (the "
								"score without one)",
				both ? "they change" : "it changes");
		return 0;
	}
	char **v = g_strsplit(c->mql_status_values ? c->mql_status_values : "", ",", -1);
	size_t n = 0;
	for (size_t i = 0; v[i]; i++) {
		char *orig = v[i], *t = g_strstrip(orig);
		v[i] = NULL;
		if (*t)
			v[n++] = g_strdup(t);
		g_free(orig);
	}
	v[n] = NULL;
	if (!n) {
		g_free(v);
		mq_err_set(err, MQ_CONFIG,
			   "%s: mql_source = status needs [mql] status_values (for example "
			   "status_values = MQL, Marketing Qualified)",
			   c->config_path ? c->config_path : "configuration");
		return -1;
	}
	g_strfreev(c->in.mql_status_values);
	c->in.mql_status_values = v;
	c->in.mql_status = true;
	c->in.mql_status_dated = c->mql_date_column != NULL;
	if (c->mql_date_column)
		strpairs_add(&c->in.src[SRC_LEADS].columns, "mql_at", c->mql_date_column);
	return 0;
}

static const char *const lock_keys[] = {"path", NULL};

/* [lock] path = /run/mqlreport/lock */
static int read_lock(cfgfile *f, run_config *c)
{
	if (!g_key_file_has_group(f->kf, "lock"))
		return 0;
	return cfg_check_keys(f, "lock", lock_keys) || cfg_path(f, "lock", "path", &c->lock_path)
		   ? -1
		   : 0;
}

/* Every [source.spend.NAME]: a further spend file, with its own
 * [columns.spend.NAME]; [fetch]'s defaults apply to it as to the others. */
static int read_more_spend(cfgfile *f, run_config *c)
{
	gsize ng = 0;
	char **groups = g_key_file_get_groups(f->kf, &ng);
	int rc = 0;
	for (gsize i = 0; i < ng && rc == 0; i++) {
		if (!g_str_has_prefix(groups[i], "source.spend."))
			continue;
		const char *name = groups[i] + 13;
		source_cfg *sc = ingest_cfg_add_spend(&c->in, name);
		char *cols = xasprintf("columns.spend.%s", name);
		if ((g_key_file_has_group(f->kf, "fetch") && read_fetch(f, "fetch", &sc->fetch)) ||
		    read_source_group(f, groups[i], sc, SRC_SPEND) ||
		    check_column_keys(f, cols, SRC_SPEND) || read_pairs(f, cols, &sc->columns))
			rc = -1;
		else if (!sc->location)
			rc = cfg_bad(f, groups[i], "location", "a spend file needs a location");
		free(cols);
	}
	g_strfreev(groups);
	return rc;
}

/* The sections read here; [email], [health] and [scoring…] are their
 * readers' (config_*_owns()), [source.X] and [columns.X] per source. */
static const char *const fixed_groups[] = {"report",
					   "finance",
					   "fetch",
					   "aliases.channel",
					   "aliases.type",
					   "aliases.industry",
					   "aliases.country",
					   "aliases.campaign",
					   "lock",
					   "engine",
					   "mql",
					   NULL};

static bool known_group(const char *g)
{
	if (in_list(g, fixed_groups) || config_scoring_owns(g) || config_email_owns(g) ||
	    config_health_owns(g))
		return true;
	if ((g_str_has_prefix(g, "source.spend.") && g[13]) ||
	    (g_str_has_prefix(g, "columns.spend.") && g[14]))
		return true; /* a further spend file */
	for (int s = 0; s < SRC_COUNT; s++) {
		char a[64], b[64];
		snprintf(a, sizeof a, "source.%s", source_name[s]);
		snprintf(b, sizeof b, "columns.%s", source_name[s]);
		if (!strcmp(g, a) || !strcmp(g, b))
			return true;
	}
	return false;
}

/* The known section nearest to an unknown one ("source.lead" →
 * "source.leads"), or NULL when none is within two edits. Caller frees. */
static char *near_group(const char *g)
{
	static const char *const theirs[] = {"email", "health", "scoring", NULL};
	const char *const *lists[] = {fixed_groups, theirs};
	char *best = NULL;
	size_t best_d = 3; /* within two edits */
	for (size_t l = 0; l < 2; l++)
		for (const char *const *n = lists[l]; *n; n++)
			nearer(g, *n, &best, &best_d);
	for (int s = 0; s < SRC_COUNT; s++)
		for (int k = 0; k < 2; k++) {
			char *n =
			    g_strdup_printf("%s.%s", k ? "columns" : "source", source_name[s]);
			nearer(g, n, &best, &best_d);
			g_free(n);
		}
	return best;
}

int config_load(run_config *c, const char *path, mq_err *err)
{
	cfgfile f = {.kf = g_key_file_new(), .path = path, .err = err};
	GError *ge = NULL;
	int rc = -1;
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		mq_err_set(err, MQ_NOINPUT, "%s: no such configuration file", path);
		goto done;
	}
	if (cfg_keyfile_load(f.kf, path, err) != 0)
		goto done;
	if (cfg_scan(path, err))
		goto done;
	free(c->config_path);
	c->config_path = xstrdup(path);

	gsize ng = 0;
	char **groups = g_key_file_get_groups(f.kf, &ng);
	for (gsize i = 0; i < ng; i++) {
		if (!known_group(groups[i])) {
			char *near = near_group(groups[i]);
			mq_err_set(err, MQ_CONFIG, "%s:%d: unknown section [%s]%s%s%s", path,
				   cfg_line_of(path, groups[i], NULL), groups[i],
				   near ? " (did you mean [" : "", near ? near : "",
				   near ? "]?)" : "");
			free(near);
			g_strfreev(groups);
			goto done;
		}
		/* the columns of a further spend file that is not there: a typo in
		 * one of the two names, or a file removed and its columns left */
		if (g_str_has_prefix(groups[i], "columns.spend.")) {
			char *src = g_strdup_printf("source.spend.%s", groups[i] + 14);
			bool there = g_key_file_has_group(f.kf, src);
			if (!there)
				mq_err_set(err, MQ_CONFIG,
					   "%s:%d: [%s] names no spend file: there is no [%s] "
					   "(the columns of a file go with its source's name)",
					   path, cfg_line_of(path, groups[i], NULL), groups[i],
					   src);
			g_free(src);
			if (!there) {
				g_strfreev(groups);
				goto done;
			}
		}
	}
	g_strfreev(groups);

	if (read_report(&f, c) || read_finance(&f, c))
		goto done;
	/* [fetch] holds defaults for every source; a source's own keys win */
	if (g_key_file_has_group(f.kf, "fetch")) {
		if (cfg_check_keys(&f, "fetch", fetch_keys))
			goto done;
		for (int s = 0; s < SRC_COUNT; s++)
			if (read_fetch(&f, "fetch", &c->in.src[s].fetch))
				goto done;
	}
	for (int s = 0; s < SRC_COUNT; s++) {
		char g[64];
		snprintf(g, sizeof g, "columns.%s", source_name[s]);
		if (read_source(&f, c, s) || check_column_keys(&f, g, s) ||
		    read_pairs(&f, g, &c->in.src[s].columns))
			goto done;
	}
	if (read_more_spend(&f, c))
		goto done;
	if (read_pairs(&f, "aliases.channel", &c->in.channel_aliases) ||
	    read_pairs(&f, "aliases.type", &c->in.type_aliases) ||
	    read_pairs(&f, "aliases.industry", &c->in.industry_aliases) ||
	    read_pairs(&f, "aliases.country", &c->in.country_aliases) ||
	    read_pairs(&f, "aliases.campaign", &c->in.campaign_aliases) ||
	    check_alias_keys(&f, "aliases.channel", &c->in.channel_aliases) ||
	    check_alias_keys(&f, "aliases.type", &c->in.type_aliases) ||
	    check_type_targets(&f, &c->in.type_aliases) ||
	    check_alias_keys(&f, "aliases.industry", &c->in.industry_aliases) ||
	    check_alias_keys(&f, "aliases.country", &c->in.country_aliases) ||
	    check_alias_keys(&f, "aliases.campaign", &c->in.campaign_aliases))
		goto done;
	if (config_scoring(f.kf, path, &c->model, err) || config_email(f.kf, path, c, err))
		goto done;
	if (read_lock(&f, c) || read_mql(&f, c) || config_engine(&f, &c->engine) ||
	    config_health(f.kf, path, &c->health, err))
		goto done;
	rc = 0;
done:
	if (ge)
		g_error_free(ge);

	g_key_file_free(f.kf);
	return rc;
}

/* fn for each key of a NULL-terminated list of group g's. */
static void each_of(config_key_fn *fn, void *arg, const char *g, const char *const *keys)
{
	for (const char *const *k = keys; *k; k++)
		fn(g, *k, arg);
}

/* The groups, then their keys, from the lists the readers check against. */
void config_each_key(config_key_fn *fn, void *arg)
{
	for (const char *const *g = fixed_groups; *g; g++)
		fn(*g, NULL, arg);
	fn("email", NULL, arg);
	fn("health", NULL, arg);
	for (int s = 0; s < SRC_COUNT; s++) {
		char g[64];
		snprintf(g, sizeof g, "source.%s", source_name[s]);
		fn(g, NULL, arg);
	}
	fn("source.spend.*", NULL, arg);
	fn("columns.*", NULL, arg);
	each_of(fn, arg, "report", report_keys);
	each_of(fn, arg, "finance", finance_keys);
	each_of(fn, arg, "fetch", fetch_keys);
	each_of(fn, arg, "source.*", source_keys);
	each_of(fn, arg, "source.spend*", spend_keys);
	each_of(fn, arg, "mql", mql_keys);
	each_of(fn, arg, "lock", lock_keys);
	each_of(fn, arg, "engine", config_engine_keys);
	each_of(fn, arg, "email", config_email_keys);
	for (int c = 0; c < HC_COUNT; c++)
		fn("health", health_check_name[c], arg);
	each_of(fn, arg, "health", config_health_limits);
}
