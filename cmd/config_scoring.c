/* config_scoring.c — the scoring model's [scoring…] groups of the INI file.
 *
 *   [scoring]               threshold, half_life_days, other_title_points
 *   [scoring.titles]        <title words> = points      (replaces the default list)
 *   [scoring.company_size]  <min>-<max> | <min>+ = points (replaces)
 *   [scoring.industries]    <industry> = points         (replaces)
 *   [scoring.countries]     <country code> = points     (replaces)
 *   [scoring.<category>]    cap = points | none; <event type> = points
 *                           (content, web, email, social, intent, negative:
 *                           the group replaces that category's events)
 *
 * Every error is MQ_CONFIG and names the file and line. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgval.h"
#include "config.h"
#include "countries.h"
#include "normalize.h"
#include "value.h"

#define GROUP	  "scoring"
#define GROUP_DOT "scoring."

bool config_scoring_owns(const char *group)
{
	return strcmp(group, GROUP) == 0 || strncmp(group, GROUP_DOT, strlen(GROUP_DOT)) == 0;
}

/* A number of points (or the threshold): a finite value within ±VAL_POINTS_MAX. */
static int number_of(const cfgfile *f, const char *group, const char *key, double *out)
{
	return cfg_number(f, group, key, out, -VAL_POINTS_MAX, VAL_POINTS_MAX);
}

/* ---- [scoring] ---- */

static int read_main(const cfgfile *f, score_model *m)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(f->kf, GROUP, &n, NULL);
	int rc = 0;
	for (gsize i = 0; keys && i < n && rc == 0; i++) {
		const char *k = keys[i];
		double d;
		if (strcmp(k, "threshold") == 0) {
			if ((rc = number_of(f, GROUP, k, &d)) == 0)
				m->threshold = d;
		} else if (strcmp(k, "half_life_days") == 0) {
			if ((rc = number_of(f, GROUP, k, &d)) == 0 &&
			    (d < 0 || d > VAL_HALF_LIFE_MAX))
				rc = cfg_bad(
				    f, GROUP, k,
				    "%g is not a number of days >= 0 (0: no decay) and at most %g",
				    d, VAL_HALF_LIFE_MAX);
			if (rc == 0)
				m->half_life_days = d;
		} else if (strcmp(k, "other_title_points") == 0) {
			if ((rc = number_of(f, GROUP, k, &d)) == 0)
				m->other_title_points = d;
		} else {
			rc = cfg_bad(f, GROUP, k,
				     "unknown key (the keys here are threshold, half_life_days and "
				     "other_title_points)");
		}
	}
	g_strfreev(keys);
	return rc;
}

/* ---- [scoring.company_size] ---- */

/* A count such as 1000 or 1,000 (groups of three); *p is advanced. */
static bool parse_count(const char **p, int64_t *out)
{
	const char *s = *p;
	int64_t v = 0;
	int digits = 0, group = -1; /* digits since the last comma; -1 before any comma */
	while (*s) {
		if (*s >= '0' && *s <= '9') {
			if (v > (INT64_MAX - 9) / 10)
				return false;
			v = v * 10 + (*s - '0');
			digits++;
			if (group >= 0 && ++group > 3)
				return false;
		} else if (*s == ',' && digits > 0 && (group < 0 ? digits <= 3 : group == 3)) {
			group = 0;
		} else {
			break;
		}
		s++;
	}
	if (digits == 0 || group == 0 || (group > 0 && group != 3))
		return false;
	*out = v;
	*p = s;
	return true;
}

static void skip_spaces(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* "51-200", "1,001 - 5,000" or "5001+". */
static bool parse_band(const char *key, int64_t *min, int64_t *max)
{
	const char *p = key;
	skip_spaces(&p);
	if (!parse_count(&p, min))
		return false;
	skip_spaces(&p);
	if (*p == '+') {
		p++;
		*max = -1;
	} else if (*p == '-') {
		p++;
		skip_spaces(&p);
		if (!parse_count(&p, max) || *max < *min)
			return false;
	} else {
		return false;
	}
	skip_spaces(&p);
	return *p == '\0';
}

static bool bands_overlap(const size_band *a, const size_band *b)
{
	int64_t amax = a->max < 0 ? INT64_MAX : a->max, bmax = b->max < 0 ? INT64_MAX : b->max;
	return a->min <= bmax && b->min <= amax;
}

static int by_min(const void *a, const void *b)
{
	const size_band *x = a, *y = b;
	return x->min < y->min ? -1 : x->min > y->min;
}

/* The key of b[0 .. n) that reads as band x (keys[j] is b[j]'s). */
static const char *band_key(char **keys, const size_band *b, size_t n, const size_band *x)
{
	for (size_t j = 0; j < n; j++)
		if (b[j].min == x->min && b[j].max == x->max)
			return keys[j];
	return "";
}

/* Bands that leave sizes between them that no band holds ("201-999" and
 * "1001-5000": 1,000 employees score 0 for their size), each said on
 * standard error with the later band's line: a typo would otherwise pass
 * silently; a range meant to score nothing is written with 0 points. */
static void warn_gaps(const cfgfile *f, const char *group, char **keys, const size_band *b,
		      size_t n)
{
	size_band *s = xmalloc((n ? n : 1) * sizeof *s);
	memcpy(s, b, n * sizeof *s);
	qsort(s, n, sizeof *s, by_min);
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i].max < 0 || s[i + 1].min <= s[i].max + 1)
			continue;
		const char *low = band_key(keys, b, n, &s[i]),
			   *high = band_key(keys, b, n, &s[i + 1]);
		int64_t from = s[i].max + 1, to = s[i + 1].min - 1;
		char a[32], z[32], range[80];
		mq_grouped((double)from, 0, a, sizeof a);
		mq_grouped((double)to, 0, z, sizeof z);
		if (from == to)
			snprintf(range, sizeof range, "%s employees", a);
		else
			snprintf(range, sizeof range, "%s to %s employees", a, z);
		fprintf(stderr,
			"mqlreport: warning: %s:%d: [%s] no band holds %s (between %s and %s): "
			"such leads score 0 for their size; widen a band, or give the range one "
			"of its own (0 points if meant)\n",
			f->path, cfg_line_of(f->path, group, high), group, range, low, high);
	}
	free(s);
}

static int read_sizes(const cfgfile *f, const char *group, score_model *m)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(f->kf, group, &n, NULL);
	size_band *b = xcalloc(n ? n : 1, sizeof *b);
	size_t nb = 0;
	int rc = 0;
	for (gsize i = 0; keys && i < n && rc == 0; i++) {
		size_band x;
		if (!parse_band(keys[i], &x.min, &x.max)) {
			rc = cfg_bad(
			    f, group, keys[i],
			    "not a band of employees such as 51-200 or 5001+ (lower bound first)");
			break;
		}
		if ((rc = number_of(f, group, keys[i], &x.points)) != 0)
			break;
		for (size_t j = 0; j < nb && rc == 0; j++)
			if (bands_overlap(&x, &b[j]))
				rc = cfg_bad(f, group, keys[i], "overlaps the band of line %d",
					     cfg_line_of(f->path, group, keys[j]));
		if (rc == 0)
			b[nb++] = x;
	}
	if (rc == 0)
		warn_gaps(f, group, keys, b, nb);
	g_strfreev(keys);
	if (rc) {
		free(b);
		return rc;
	}
	free(m->sizes);
	m->sizes = b;
	m->nsizes = nb;
	return 0;
}

/* ---- [scoring.titles], [scoring.industries], [scoring.countries] ---- */

/* How a point list's keys become the names the scorer compares. */
enum key_norm {
	KEY_TITLE, /* title words, lower case, single spaces: "vice president" */
	KEY_VALUE, /* a categorical value: "it_services" */
	KEY_UPPER, /* a code in upper case: "US" */
};

static char *normalised_key(const char *key, enum key_norm how)
{
	if (how == KEY_TITLE)
		return score_title_words(key);
	size_t len = strlen(key);
	char *name = xmalloc(NORM_ROOM(len));
	len = how == KEY_UPPER ? norm_upper(key, len, name) : norm_value(key, len, name);
	name[len] = '\0';
	return name;
}

/* The alpha-2 code of a country's name or alpha-3 code (iso-codes). */
typedef struct code_of {
	const char *name;
	char code[3];
} code_of;

static void match_country(void *ctx, const char *from, const char *alpha2)
{
	code_of *c = ctx;
	if (!c->code[0] && g_ascii_strcasecmp(from, c->name) == 0)
		g_strlcpy(c->code, alpha2, sizeof c->code);
}

/* A [scoring.countries] key is the code the leads' countries are read as
 * (names and alpha-3 codes become alpha-2): a name would never match. */
static int country_key(const cfgfile *f, const char *group, const char *key, const char *name)
{
	if (strlen(name) == 2 && g_ascii_isalpha(name[0]) && g_ascii_isalpha(name[1]))
		return 0;
	code_of c = {.name = key};
	countries_each(NULL, match_country, &c);
	if (c.code[0])
		return cfg_bad(f, group, key,
			       "a rule names a country by its two-letter ISO code, as the leads' "
			       "countries are read (names become codes): write %s = instead",
			       c.code);
	return cfg_bad(f, group, key,
		       "is not a two-letter ISO country code (US, DE, GB …), as the leads' "
		       "countries are read: a rule for it would match no lead");
}

static void free_points(named_points *np, size_t n)
{
	for (size_t j = 0; j < n; j++)
		free(np[j].name);
	free(np);
}

/* A group of `name = points` lines; replaces *list only when every line
 * is valid. */
static int read_points(const cfgfile *f, const char *group, enum key_norm how, named_points **list,
		       size_t *count)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(f->kf, group, &n, NULL);
	named_points *np = xcalloc(n ? n : 1, sizeof *np);
	size_t nn = 0;
	int rc = 0;
	for (gsize i = 0; keys && i < n && rc == 0; i++) {
		double pts;
		if ((rc = number_of(f, group, keys[i], &pts)) != 0)
			break;
		char *name = normalised_key(keys[i], how);
		if (!*name)
			rc = cfg_bad(f, group, keys[i],
				     how == KEY_TITLE
					 ? "a title rule needs a word (letters or digits)"
					 : "an empty name");
		else if (how == KEY_UPPER)
			rc = country_key(f, group, keys[i], name);
		for (size_t j = 0; j < nn && rc == 0; j++)
			if (strcmp(np[j].name, name) == 0)
				rc = cfg_bad(f, group, keys[i],
					     how == KEY_TITLE
						 ? "the title words \"%s\" are listed twice"
						 : "\"%s\" is listed twice",
					     name);
		if (rc) {
			free(name);
			break;
		}
		np[nn++] = (named_points){.name = name, .points = pts};
	}
	g_strfreev(keys);
	if (rc) {
		free_points(np, nn);
		return rc;
	}
	free_points(*list, *count);
	*list = np;
	*count = nn;
	return 0;
}

/* ---- [scoring.<category>] ---- */

static int category_of(const char *name)
{
	for (int c = 0; c < SC_COUNT; c++)
		if (strcmp(score_cat_name[c], name) == 0)
			return c;
	return SC_NONE;
}

static int kind_of(const char *key)
{
	size_t len = strlen(key);
	char *norm = xmalloc(NORM_ROOM(len));
	len = norm_value(key, len, norm);
	norm[len] = '\0';
	int kind = EV_UNKNOWN;
	for (int k = 1; k < EV_COUNT; k++)
		if (strcmp(ev_kind_name[k], norm) == 0)
			kind = k;
	free(norm);
	return kind;
}

/* Read one category group. `listed` marks the event kinds an earlier group
 * of this file already placed. */
static int read_category(const cfgfile *f, const char *group, int cat, score_model *m,
			 int listed[EV_COUNT])
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(f->kf, group, &n, NULL);
	/* the group replaces the category's events: first empty it */
	for (int k = 0; k < EV_COUNT; k++)
		if (m->event_cat[k] == cat && listed[k] < 0) {
			m->event_cat[k] = SC_NONE;
			m->event_points[k] = 0;
		}
	int rc = 0;
	for (gsize i = 0; keys && i < n && rc == 0; i++) {
		const char *key = keys[i];
		if (strcmp(key, "cap") == 0) {
			char *v = cfg_value(f, group, key);
			double d;
			if (v && g_ascii_strcasecmp(v, "none") == 0)
				m->cap[cat] = -1;
			else if (!cfg_parse_number(v, &d) || d < 0 || d > VAL_POINTS_MAX)
				rc = cfg_bad(f, group, key,
					     "\"%s\" is not a number >= 0 or none (at most %g)",
					     v ? v : "", VAL_POINTS_MAX);
			else
				m->cap[cat] = d;
			free(v);
			continue;
		}
		int kind = kind_of(key);
		if (kind == EV_UNKNOWN) {
			rc = cfg_bad(f, group, key,
				     "unknown event type (the keys here are event types such as "
				     "content_download or demo_request, and cap)");
			break;
		}
		if (listed[kind] >= 0) {
			rc = cfg_bad(f, group, key, "%s is already scored in [%s%s]",
				     ev_kind_name[kind], GROUP_DOT, score_cat_name[listed[kind]]);
			break;
		}
		double pts;
		if ((rc = number_of(f, group, key, &pts)) != 0)
			break;
		m->event_cat[kind] = cat;
		m->event_points[kind] = pts;
		listed[kind] = cat;
	}
	g_strfreev(keys);
	return rc;
}

int config_scoring(GKeyFile *kf, const char *path, score_model *m, mq_err *err)
{
	cfgfile f = {.kf = kf, .path = path, .err = err};
	int listed[EV_COUNT];
	for (int k = 0; k < EV_COUNT; k++)
		listed[k] = SC_NONE;
	gsize ng = 0;
	char **groups = g_key_file_get_groups(kf, &ng);
	int rc = 0;
	for (gsize i = 0; groups && i < ng && rc == 0; i++) {
		const char *g = groups[i];
		if (!config_scoring_owns(g))
			continue;
		if (strcmp(g, GROUP) == 0) {
			rc = read_main(&f, m);
			continue;
		}
		const char *sub = g + strlen(GROUP_DOT);
		int cat = category_of(sub);
		if (cat != SC_NONE)
			rc = read_category(&f, g, cat, m, listed);
		else if (strcmp(sub, "titles") == 0)
			rc = read_points(&f, g, KEY_TITLE, &m->titles, &m->ntitles);
		else if (strcmp(sub, "company_size") == 0)
			rc = read_sizes(&f, g, m);
		else if (strcmp(sub, "industries") == 0)
			rc = read_points(&f, g, KEY_VALUE, &m->industries, &m->nindustries);
		else if (strcmp(sub, "countries") == 0)
			rc = read_points(&f, g, KEY_UPPER, &m->countries, &m->ncountries);
		else
			rc = cfg_bad(
			    &f, g, NULL,
			    "unknown scoring section: not a category (content, web, email, social, "
			    "intent, negative) nor titles, company_size, industries or countries");
	}
	g_strfreev(groups);
	return rc;
}
