/* catalog.c — reads the metric catalogue (templates/metrics.ini, compiled
 * in) and answers how a key is presented: label, unit, format, direction,
 * definition (catalog.h).
 *
 * Presentation only: it must not compute a metric, read a file at run time
 * or know which output asks. */
#include "catalog.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base.h"
#include "tsan.h"
#include "numfmt.h"

/* The workbook and the PDF are rendered on two threads that share the
 * catalogue: its once and lock are announced to ThreadSanitizer (tsan.h). */

typedef struct catalog {
	cat_entry *entries;
	size_t n;
	GHashTable *by_key;   /* key → cat_entry* (entries and derived ones) */
	GHashTable *fallback; /* key → humanised label, for keys without an entry */
	GHashTable *words;    /* "<key>:<value>" → a value in words (catalog_words) */
	GMutex lock;
} catalog;

static const char *const format_names[CF_COUNT_OF_FORMATS] = {
    "text", "count", "money", "percent", "percent0", "change",
    "days", "hours", "ratio", "score",	 "datetime", "bool",
};

static cat_format parse_format(const char *s)
{
	for (int f = 0; f < CF_COUNT_OF_FORMATS; f++)
		if (s && strcmp(s, format_names[f]) == 0)
			return (cat_format)f;
	return CF_TEXT;
}

static char *get(GKeyFile *kf, const char *g, const char *k)
{
	char *v = g_key_file_get_string(kf, g, k, NULL);
	if (v)
		g_strstrip(v);
	return v;
}

static void fill_entry(cat_entry *e, GKeyFile *kf, const char *g)
{
	e->key = g_strdup(g);
	e->label = get(kf, g, "label");
	if (!e->label)
		e->label = g_strdup(g);
	e->short_label = get(kf, g, "short");
	if (!e->short_label)
		e->short_label = e->label;
	e->unit = get(kf, g, "unit");
	e->definition = get(kf, g, "definition");
	e->young = get(kf, g, "young");
	e->no_cases = get(kf, g, "no_cases");
	e->trips = get(kf, g, "trips");
	if (!e->unit)
		e->unit = "text";
	if (!e->definition)
		e->definition = "";
	char *f = get(kf, g, "format");
	e->format = parse_format(f);
	g_free(f);
	char *d = get(kf, g, "direction");
	e->direction = !d			? CD_NONE
		       : strcmp(d, "up") == 0	? CD_UP
		       : strcmp(d, "down") == 0 ? CD_DOWN
						: CD_NONE;
	g_free(d);
	e->scale = e->format == CF_HOURS ? 1.0 / 60 : 1.0;
	e->is_rate = e->format == CF_PERCENT || e->format == CF_PERCENT0;
	e->averaged = g_key_file_get_boolean(kf, g, "averaged", NULL);
	e->in_words = g_key_file_get_boolean(kf, g, "in_words", NULL);
	e->spelling = g_key_file_get_string_list(kf, g, "spelling", NULL, NULL);
	for (char **w = e->spelling; w && *w; w++)
		g_strstrip(*w);
	e->cases = g_key_file_get_string_list(kf, g, "cases", NULL, NULL);
	for (char **w = e->cases; w && *w; w++)
		g_strstrip(*w);
}

/* The entry of a data-health check: the catalogue's [check:<key>]. */
static const cat_entry *check_entry(const char *check)
{
	char *key = g_strconcat("check:", check ? check : "", NULL);
	const cat_entry *e = catalog_find(key);
	g_free(key);
	return e;
}

const char *catalog_check_label(const char *check)
{
	const cat_entry *e = check_entry(check);
	return e ? e->label : NULL;
}

const char *catalog_check_trips(const char *check)
{
	const cat_entry *e = check_entry(check);
	return e ? e->trips : NULL;
}

const char *catalog_unit_shown(const cat_entry *e)
{
	return e->format == CF_HOURS ? "hours" : e->unit;
}

static catalog *catalog_load(void)
{
	catalog *c = g_new0(catalog, 1);
	g_mutex_init(&c->lock);
	c->by_key = g_hash_table_new(g_str_hash, g_str_equal);
	c->fallback = g_hash_table_new(g_str_hash, g_str_equal);
	c->words = g_hash_table_new(g_str_hash, g_str_equal);
	GKeyFile *kf = g_key_file_new();
	/* the template is part of the program: a broken one fails its unit test */
	if (!g_key_file_load_from_data(kf, catalog_tpl_metrics, (gsize)-1, G_KEY_FILE_NONE, NULL))
		g_error("templates/metrics.ini does not parse");
	gsize ngroups = 0;
	char **groups = g_key_file_get_groups(kf, &ngroups);
	c->entries = g_new0(cat_entry, ngroups ? ngroups : 1);
	for (gsize i = 0; i < ngroups; i++) {
		fill_entry(&c->entries[i], kf, groups[i]);
		g_hash_table_insert(c->by_key, (char *)c->entries[i].key, &c->entries[i]);
	}
	c->n = ngroups;
	g_strfreev(groups);
	g_key_file_free(kf);
	return c;
}

static catalog *the_catalog(void)
{
	static gsize once = 0;
	static catalog *c;
	if (g_once_init_enter(&once)) {
		c = catalog_load();
		TSAN_RELEASE(&once);
		g_once_init_leave(&once, 1);
	}
	TSAN_ACQUIRE(&once);
	return c;
}

/* <stat>_n: how many cases the statistic rests on, a count. */
static cat_entry *derive_cases(const cat_entry *b, const char *key)
{
	cat_entry *e = g_new0(cat_entry, 1);
	e->key = g_strdup(key);
	e->label = g_strdup_printf("%s: cases", b->label);
	e->short_label = g_strdup_printf("%s: cases", b->short_label);
	e->unit = "count";
	e->definition = g_strdup_printf(
	    "How many cases the %s rests on: a rate's denominator, or the values behind a median "
	    "or mean. Below the low-sample minimum (30 by default) the outputs flag the figure.",
	    b->label);
	e->format = CF_COUNT;
	e->direction = CD_NONE;
	e->scale = 1;
	return e;
}

/* <rate>_ci_low / _ci_high: the rate's entry with the bound named; <stat>_n:
 * the count of its cases. */
static const cat_entry *derive(catalog *c, const char *key)
{
	static const char *const suffix[3] = {"_ci_low", "_ci_high", "_n"};
	size_t n = strlen(key);
	for (int s = 0; s < 3; s++) {
		size_t k = strlen(suffix[s]);
		if (n <= k || strcmp(key + n - k, suffix[s]) != 0)
			continue;
		char *base = g_strndup(key, n - k);
		const cat_entry *b = g_hash_table_lookup(c->by_key, base);
		g_free(base);
		if (!b)
			return NULL;
		cat_entry *e;
		if (s == 2) {
			e = derive_cases(b, key);
		} else {
			e = g_new0(cat_entry, 1);
			*e = *b;
			e->key = g_strdup(key);
			e->label = g_strdup_printf("%s (95%% %s)", b->label, s ? "high" : "low");
			e->short_label =
			    g_strdup_printf("%s, %s", b->short_label, s ? "high" : "low");
			e->definition =
			    g_strdup_printf("The %s bound of the 95%% Wilson interval of: %s",
					    s ? "upper" : "lower", b->label);
			e->direction = CD_NONE;
		}
		g_hash_table_insert(c->by_key, (char *)e->key, e);
		return e;
	}
	return NULL;
}

const cat_entry *catalog_find(const char *key)
{
	if (!key)
		return NULL;
	catalog *c = the_catalog();
	g_mutex_lock(&c->lock);
	TSAN_ACQUIRE(&c->lock);
	const cat_entry *e = g_hash_table_lookup(c->by_key, key);
	if (!e)
		e = derive(c, key);
	TSAN_RELEASE(&c->lock);
	g_mutex_unlock(&c->lock);
	return e;
}

bool catalog_is_per_unit(const char *key)
{
	return key && (strncmp(key, "cost_per_", 9) == 0 || strcmp(key, "cac") == 0);
}

bool catalog_is_unknown(const char *name)
{
	return name && strcmp(name, "unknown") == 0;
}

const char *catalog_label(const char *key)
{
	const cat_entry *e = catalog_find(key);
	if (e)
		return e->label;
	if (!key)
		return "";
	catalog *c = the_catalog();
	g_mutex_lock(&c->lock);
	TSAN_ACQUIRE(&c->lock);
	char *s = g_hash_table_lookup(c->fallback, key);
	if (!s) {
		s = g_strdup(key);
		for (char *p = s; *p; p++)
			if (*p == '_' || *p == '.')
				*p = ' ';
		s[0] = g_ascii_toupper(s[0]);
		g_hash_table_insert(c->fallback, g_strdup(key), s);
	}
	TSAN_RELEASE(&c->lock);
	g_mutex_unlock(&c->lock);
	return s;
}

/* value's words: each "_" a space, a word of e's spelling written so, the
 * first letter capitalised. Returns a new string (g_free). */
static char *key_in_words(const cat_entry *e, const char *value)
{
	char **w = g_strsplit(value, "_", -1);
	for (char **p = w; *p; p++)
		for (char **sp = e->spelling; sp && *sp; sp++)
			if (**sp && g_ascii_strcasecmp(*p, *sp) == 0) {
				g_free(*p);
				*p = g_strdup(*sp);
				break;
			}
	char *s = g_strjoinv(" ", w);
	g_strfreev(w);
	s[0] = g_ascii_toupper(s[0]);
	return s;
}

const char *catalog_words(const cat_entry *e, const char *value)
{
	if (!e || !e->in_words || !value || !*value)
		return value;
	for (const char *p = value; *p; p++)
		if (*p == ' ' || g_ascii_isupper(*p))
			return value; /* not a key: shown as it is */
	catalog *c = the_catalog();
	char *k = g_strconcat(e->key, ":", value, NULL);
	g_mutex_lock(&c->lock);
	TSAN_ACQUIRE(&c->lock);
	char *s = g_hash_table_lookup(c->words, k);
	if (!s) {
		s = key_in_words(e, value);
		g_hash_table_insert(c->words, k, s);
		k = NULL;
	}
	TSAN_RELEASE(&c->lock);
	g_mutex_unlock(&c->lock);
	g_free(k);
	return s;
}

const char *catalog_short_label(const char *key)
{
	const cat_entry *e = catalog_find(key);
	return e ? e->short_label : catalog_label(key);
}

const char *catalog_value_label(const char *key, const char *value)
{
	if (!key || !value)
		return value;
	char *k = g_strconcat(key, ":", value, NULL);
	const cat_entry *e = catalog_find(k);
	g_free(k);
	return e ? e->label : value;
}

const char *catalog_model_label(const char *model)
{
	char *key = g_strconcat("revenue_", model ? model : "", NULL);
	const cat_entry *e = catalog_find(key);
	g_free(key);
	return e ? e->short_label : catalog_label(model);
}

char *catalog_model_words(const char *model)
{
	return catalog_in_sentence(catalog_model_label(model ? model : "first_touch"));
}

char *catalog_in_sentence(const char *label)
{
	char *s = g_strdup(label ? label : "");
	if (g_ascii_isupper(s[0]) && g_ascii_islower(s[1]))
		s[0] = g_ascii_tolower(s[0]);
	return s;
}

size_t catalog_count(void)
{
	return the_catalog()->n;
}

const cat_entry *catalog_at(size_t i)
{
	catalog *c = the_catalog();
	return i < c->n ? &c->entries[i] : NULL;
}

const char *catalog_format_among(const cat_entry *e, double v, double largest, const char *currency,
				 char *buf, size_t n)
{
	if (e && e->format == CF_MONEY && isfinite(v)) {
		numfmt_money(v, numfmt_money_cents(fmax(fabs(v), fabs(largest))), currency, buf, n);
		return buf;
	}
	return catalog_format_number(e, v, currency, buf, n);
}

void catalog_format_weeks(const cat_entry *e, double now, double last, const char *currency,
			  char *now_buf, char *last_buf, size_t n)
{
	double largest = fmax(isnan(now) ? 0 : fabs(now), isnan(last) ? 0 : fabs(last));
	catalog_format_among(e, now, largest, currency, now_buf, n);
	catalog_format_among(e, last, largest, currency, last_buf, n);
}

const char *catalog_format_number(const cat_entry *e, double v, const char *currency, char *buf,
				  size_t n)
{
	if (isnan(v) || isinf(v)) {
		snprintf(buf, n, "—");
		return buf;
	}
	switch (e ? e->format : CF_TEXT) {
	case CF_COUNT:
		numfmt_number(v, v == floor(v), MF_COUNT, currency, buf, n);
		break;
	case CF_MONEY:
		numfmt_number(v, false, MF_MONEY, currency, buf, n);
		break;
	case CF_PERCENT: /* "1,210.5%": grouped as every other number */
		numfmt_percent(v, 1, false, buf, n);
		break;
	case CF_PERCENT0:
		numfmt_percent(v, 0, false, buf, n);
		break;
	case CF_CHANGE:
		numfmt_percent(v, 1, true, buf, n);
		break;
	case CF_DAYS:
		numfmt_fixed(v, 1, " d", buf, n);
		break;
	case CF_HOURS:
		numfmt_fixed(v / 60, 1, " h", buf, n);
		break;
	case CF_RATIO:
		numfmt_fixed(v, 2, NULL, buf, n);
		break;
	default:
		numfmt_number(v, v == floor(v), MF_PLAIN, currency, buf, n);
		break;
	}
	numfmt_true_minus(buf, n);
	return buf;
}

/* "+1.5" with a true minus sign for negatives. */
const char *catalog_format_change(const cat_entry *e, double now, double last, char *buf, size_t n,
				  double *delta, int *good)
{
	*good = 0;
	*delta = NAN;
	if (isnan(now) || isnan(last) || (!(e && e->is_rate) && last == 0)) {
		snprintf(buf, n, "—");
		return buf;
	}
	/* relative to the base's size, so a rise from a negative base reads as a rise */
	double d = e && e->is_rate ? now - last : (now - last) / fabs(last);
	*delta = d;
	bool points = e && e->is_rate;
	numfmt_signed(d * 100, numfmt_change_decimals(d * 100, points), points ? " pp" : "%", buf,
		      n);
	int sign = d > 0 ? 1 : d < 0 ? -1 : 0;
	/* not yet comparable with last week (a cohort still converting): no
	 * verdict, whichever way it moved */
	*good = !e || e->direction == CD_NONE || e->young ? 0
		: e->direction == CD_UP			  ? sign
							  : -sign;
	return buf;
}
