#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_default(run_config *c)
{
	*c = (run_config){ 0 };
	ingest_cfg_default(&c->in);
	c->week = xstrdup("last");
	c->out_root = xstrdup("out");
	c->mql_source = MQL_AUTO;
	c->attribution = ATTR_FIRST_TOUCH;
	c->gross_margin = 0.8;
	c->expected_lifetime_years = 3;
	c->low_sample_min = 30;
	score_model_default(&c->model);
}

void config_clear(run_config *c)
{
	free(c->config_path);
	free(c->data_dir);
	ingest_cfg_clear(&c->in);
	free(c->week);
	free(c->out_dir);
	free(c->out_root);
	free(c->eml_path);
	score_model_clear(&c->model);
	ops_cfg_free(c->ops);
	*c = (run_config){ 0 };
}

int config_line_of(const char *path, const char *group, const char *key)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	char line[4096];
	int no = 0, found = 0, group_line = 0;
	bool in_group = false;
	while (fgets(line, sizeof line, fp)) {
		no++;
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[') {
			char *end = strchr(s, ']');
			in_group = end && (size_t)(end - s - 1) == strlen(group) &&
				   strncmp(s + 1, group, (size_t)(end - s - 1)) == 0;
			if (in_group && !group_line)
				group_line = no;
			continue;
		}
		if (!in_group || !key || *s == '#' || *s == ';')
			continue;
		char *eq = strchr(s, '=');
		if (!eq)
			continue;
		char *e = eq;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - s) == strlen(key) && strncmp(s, key, (size_t)(e - s)) == 0) {
			found = no;
			break;
		}
	}
	fclose(fp);
	return found ? found : group_line;
}

/* ---- typed values, each error naming file:line ---- */

typedef struct cfgfile {
	GKeyFile *kf;
	const char *path;
	char *dir; /* the file's folder, for relative paths */
	mq_err *err;
} cfgfile;

static int bad(cfgfile *f, const char *group, const char *key, const char *fmt, const char *value)
{
	char what[512];
	snprintf(what, sizeof what, fmt, value ? value : "");
	mq_err_set(f->err, MQ_CONFIG, "%s:%d: [%s] %s: %s", f->path,
		   config_line_of(f->path, group, key), group, key, what);
	return -1;
}

static char *get_str(cfgfile *f, const char *group, const char *key)
{
	char *v = g_key_file_get_string(f->kf, group, key, NULL);
	if (v)
		g_strstrip(v);
	return v;
}

static int set_str(cfgfile *f, const char *group, const char *key, char **dst)
{
	char *v = get_str(f, group, key);
	if (v) {
		free(*dst);
		*dst = xstrdup(v);
		g_free(v);
	}
	return 0;
}

static int set_path(cfgfile *f, const char *group, const char *key, char **dst)
{
	char *v = get_str(f, group, key);
	if (!v)
		return 0;
	free(*dst);
	if (is_url(v) || g_path_is_absolute(v) || !f->dir)
		*dst = xstrdup(v);
	else
		*dst = g_build_filename(f->dir, v, NULL);
	g_free(v);
	return 0;
}

static int set_num(cfgfile *f, const char *group, const char *key, double *dst, double min,
		   double max)
{
	char *v = get_str(f, group, key);
	if (!v)
		return 0;
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	int rc = 0;
	if (end == v || *end || errno || !isfinite(d))
		rc = bad(f, group, key, "\"%s\" is not a number", v);
	else if (d < min || d > max)
		rc = bad(f, group, key, "%s is out of range", v);
	else
		*dst = d;
	g_free(v);
	return rc;
}

static int set_long(cfgfile *f, const char *group, const char *key, long *dst, long min, long max)
{
	double d = (double)*dst;
	if (set_num(f, group, key, &d, (double)min, (double)max) != 0)
		return -1;
	if (d != floor(d)) {
		char num[64];
		snprintf(num, sizeof num, "%g", d);
		return bad(f, group, key, "%s is not a whole number", num);
	}
	*dst = (long)d;
	return 0;
}

static int set_bool(cfgfile *f, const char *group, const char *key, bool *dst)
{
	char *v = get_str(f, group, key);
	if (!v)
		return 0;
	int rc = 0;
	if (!g_ascii_strcasecmp(v, "true") || !g_ascii_strcasecmp(v, "yes") || !strcmp(v, "1"))
		*dst = true;
	else if (!g_ascii_strcasecmp(v, "false") || !g_ascii_strcasecmp(v, "no") || !strcmp(v, "0"))
		*dst = false;
	else
		rc = bad(f, group, key, "\"%s\" is not true or false", v);
	g_free(v);
	return rc;
}

int config_parse_mql_source(const char *s, enum mql_source *out)
{
	static const char *const names[] = { "auto", "export", "score" };
	for (int i = 0; i < 3; i++) {
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

/* Every key of a group must be one we know: a typo must not pass silently. */
static int check_keys(cfgfile *f, const char *group, const char *const *known)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(f->kf, group, &n, NULL);
	int rc = 0;
	for (gsize i = 0; keys && i < n && rc == 0; i++) {
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(keys[i], *k) == 0;
		if (!ok)
			rc = bad(f, group, keys[i], "unknown key%s", "");
	}
	g_strfreev(keys);
	return rc;
}

static const char *const report_keys[] = {
	"timezone", "currency", "week", "out", "mql_source", "attribution", "low_sample_min",
	"cache_dir", "max_field_bytes", NULL,
};

static int read_report(cfgfile *f, run_config *c)
{
	const char *g = "report";
	if (!g_key_file_has_group(f->kf, g))
		return 0;
	if (check_keys(f, g, report_keys) || set_str(f, g, "timezone", &c->in.timezone) ||
	    set_str(f, g, "currency", &c->in.currency) || set_str(f, g, "week", &c->week) ||
	    set_path(f, g, "out", &c->out_root) || set_path(f, g, "cache_dir", &c->in.cache_dir))
		return -1;
	char *v = get_str(f, g, "mql_source");
	int rc = 0;
	if (v && config_parse_mql_source(v, &c->mql_source) != 0)
		rc = bad(f, g, "mql_source", "\"%s\" is not auto, export or score", v);
	g_free(v);
	v = get_str(f, g, "attribution");
	if (rc == 0 && v && config_parse_attribution(v, &c->attribution) != 0)
		rc = bad(f, g, "attribution",
			 "\"%s\" is not first_touch, last_touch, linear, u_shaped, w_shaped or time_decay",
			 v);
	g_free(v);
	long n = c->low_sample_min;
	if (rc == 0 && set_long(f, g, "low_sample_min", &n, 0, 1000000) == 0)
		c->low_sample_min = (int)n;
	else
		rc = -1;
	long mf = (long)c->in.max_field_bytes;
	if (rc == 0 && set_long(f, g, "max_field_bytes", &mf, 16, 1L << 30) == 0)
		c->in.max_field_bytes = (size_t)mf;
	else
		rc = -1;
	return rc;
}

static int read_finance(cfgfile *f, run_config *c)
{
	static const char *const keys[] = { "gross_margin", "expected_lifetime_years", NULL };
	const char *g = "finance";
	if (!g_key_file_has_group(f->kf, g))
		return 0;
	return check_keys(f, g, keys) || set_num(f, g, "gross_margin", &c->gross_margin, 0, 1) ||
			       set_num(f, g, "expected_lifetime_years", &c->expected_lifetime_years,
				       0, 100)
		       ? -1
		       : 0;
}

static const char *const fetch_keys[] = {
	"allow_http", "bearer_token_env", "basic_user_env", "basic_password_env", "header_name",
	"header_value_env", "connect_timeout", "timeout", "low_speed_limit", "low_speed_time",
	"retries", "backoff", "max_bytes", "ca_file", NULL,
};

static int read_fetch(cfgfile *f, const char *g, fetch_opts *o)
{
	long retries = o->retries;
	double maxb = (double)o->max_bytes;
	if (set_bool(f, g, "allow_http", &o->allow_http) ||
	    set_str(f, g, "bearer_token_env", &o->bearer_env) ||
	    set_str(f, g, "basic_user_env", &o->basic_user_env) ||
	    set_str(f, g, "basic_password_env", &o->basic_pass_env) ||
	    set_str(f, g, "header_name", &o->header_name) ||
	    set_str(f, g, "header_value_env", &o->header_env) ||
	    set_long(f, g, "connect_timeout", &o->connect_timeout_s, 1, 3600) ||
	    set_long(f, g, "timeout", &o->total_timeout_s, 1, 86400) ||
	    set_long(f, g, "low_speed_limit", &o->low_speed_bytes, 0, 1L << 30) ||
	    set_long(f, g, "low_speed_time", &o->low_speed_time_s, 0, 86400) ||
	    set_long(f, g, "retries", &retries, 0, 100) ||
	    set_num(f, g, "backoff", &o->backoff_s, 0, 3600) ||
	    set_num(f, g, "max_bytes", &maxb, 1, 1e15) || set_path(f, g, "ca_file", &o->ca_file))
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

static int read_source(cfgfile *f, run_config *c, int s)
{
	char *g = xasprintf("source.%s", source_name[s]);
	source_cfg *sc = &c->in.src[s];
	int rc = 0;
	if (!g_key_file_has_group(f->kf, g))
		goto done;
	static const char *const keys[] = { "location", "path", "url", "preset", "timezone",
					    "encoding", "date_format", NULL };
	gsize n = 0;
	char **all = g_key_file_get_keys(f->kf, g, &n, NULL);
	for (gsize i = 0; all && i < n && rc == 0; i++)
		if (!in_list(all[i], keys) && !in_list(all[i], fetch_keys))
			rc = bad(f, g, all[i], "unknown key%s", "");
	g_strfreev(all);
	if (rc || set_path(f, g, "location", &sc->location) || set_path(f, g, "path", &sc->location) ||
	    set_path(f, g, "url", &sc->location) || set_str(f, g, "preset", &sc->preset) ||
	    set_str(f, g, "timezone", &sc->timezone) || set_str(f, g, "encoding", &sc->encoding) ||
	    read_fetch(f, g, &sc->fetch)) {
		rc = -1;
		goto done;
	}
	char *df = get_str(f, g, "date_format");
	if (df) {
		if (!strcmp(df, "us"))
			sc->us_dates = true;
		else if (!strcmp(df, "iso"))
			sc->us_dates = false;
		else
			rc = bad(f, g, "date_format", "\"%s\" is not iso or us", df);
		g_free(df);
	}
	if (rc == 0 && sc->preset) {
		static const char *const presets[] = { "auto", "canonical", "hubspot",
						       "salesforce", "marketo", NULL };
		if (!in_list(sc->preset, presets))
			rc = bad(f, g, "preset",
				 "\"%s\" is not auto, canonical, hubspot, salesforce or marketo",
				 sc->preset);
	}
done:
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
	for (gsize i = 0; keys && i < n; i++) {
		char *v = get_str(f, g, keys[i]);
		strpairs_add(dst, keys[i], v ? v : "");
		g_free(v);
	}
	g_strfreev(keys);
	return 0;
}

static bool known_group(const char *g)
{
	static const char *const fixed[] = { "report", "finance", "fetch", "aliases.channel",
					     "aliases.type", NULL };
	if (in_list(g, fixed) || config_scoring_owns(g) || config_ops_owns(g))
		return true;
	for (int s = 0; s < SRC_COUNT; s++) {
		char a[64], b[64];
		snprintf(a, sizeof a, "source.%s", source_name[s]);
		snprintf(b, sizeof b, "columns.%s", source_name[s]);
		if (!strcmp(g, a) || !strcmp(g, b))
			return true;
	}
	return false;
}

int config_load(run_config *c, const char *path, mq_err *err)
{
	cfgfile f = { .kf = g_key_file_new(), .path = path, .err = err };
	GError *ge = NULL;
	int rc = -1;
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		mq_err_set(err, MQ_NOINPUT, "%s: no such configuration file", path);
		goto done;
	}
	if (!g_key_file_load_from_file(f.kf, path, G_KEY_FILE_NONE, &ge)) {
		mq_err_set(err, MQ_CONFIG, "%s: %s", path, ge->message);
		goto done;
	}
	f.dir = g_path_get_dirname(path);
	free(c->config_path);
	c->config_path = xstrdup(path);

	gsize ng = 0;
	char **groups = g_key_file_get_groups(f.kf, &ng);
	for (gsize i = 0; i < ng; i++) {
		if (!known_group(groups[i])) {
			mq_err_set(err, MQ_CONFIG, "%s:%d: unknown section [%s]", path,
				   config_line_of(path, groups[i], NULL), groups[i]);
			g_strfreev(groups);
			goto done;
		}
	}
	g_strfreev(groups);

	if (read_report(&f, c) || read_finance(&f, c))
		goto done;
	/* [fetch] holds defaults for every source; a source's own keys win */
	if (g_key_file_has_group(f.kf, "fetch")) {
		if (check_keys(&f, "fetch", fetch_keys))
			goto done;
		for (int s = 0; s < SRC_COUNT; s++)
			if (read_fetch(&f, "fetch", &c->in.src[s].fetch))
				goto done;
	}
	for (int s = 0; s < SRC_COUNT; s++) {
		char g[64];
		snprintf(g, sizeof g, "columns.%s", source_name[s]);
		if (read_source(&f, c, s) || read_pairs(&f, g, &c->in.src[s].columns))
			goto done;
	}
	if (read_pairs(&f, "aliases.channel", &c->in.channel_aliases) ||
	    read_pairs(&f, "aliases.type", &c->in.type_aliases))
		goto done;
	if (config_scoring(f.kf, path, &c->model, err) || config_ops(f.kf, path, c, err))
		goto done;
	rc = 0;
done:
	if (ge)
		g_error_free(ge);
	g_free(f.dir);
	g_key_file_free(f.kf);
	return rc;
}
