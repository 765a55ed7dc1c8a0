/* test_config_example.c — config/example.ini shows every group and key the
 * configuration reader accepts (config_each_key(), the lists the readers
 * check against) and every key of docs/configuration.md's tables, set or
 * commented out ("# key = value" under "# [group]"), so that a key added to
 * the reader or the documentation without the example fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

#define EXAMPLE	   MQL_SOURCE_DIR "/config/example.ini"
#define CONFIG_DOC MQL_SOURCE_DIR "/docs/configuration.md"

/* The groups and keys the example shows: "group" alone for a group line,
 * "group\tkey" for a key line, whether set or commented out. */
typedef struct shown {
	GPtrArray *items;
	GString *missing; /* what the example lacks, one a line */
} shown;

/* The text of a line with a leading "#" and blanks taken off. */
static const char *uncommented(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#')
		line++;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

/* A line "[group]" (nothing after it): its group, to be freed; else NULL. */
static char *group_of(const char *text)
{
	if (*text != '[')
		return NULL;
	const char *end = strchr(text, ']');
	if (!end || end[1 + strspn(end + 1, " \t\r")] != '\0')
		return NULL;
	return g_strndup(text + 1, (gsize)(end - text - 1));
}

/* A line "key = …" whose key is a name of letters, digits and _: the key,
 * to be freed; else NULL. */
static char *key_of(const char *text)
{
	size_t n = strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (n == 0)
		return NULL;
	const char *eq = text + n + strspn(text + n, " \t");
	return *eq == '=' ? g_strndup(text, n) : NULL;
}

/* Every group and key line of config/example.ini, commented out or not. */
static GPtrArray *read_example(void)
{
	char *text = NULL;
	GError *ge = NULL;
	if (!g_file_get_contents(EXAMPLE, &text, NULL, &ge))
		fail_msg("%s: %s", EXAMPLE, ge->message);
	GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
	char **lines = g_strsplit(text, "\n", -1);
	char *group = NULL;
	for (char **l = lines; *l; l++) {
		const char *t = uncommented(*l);
		char *g = group_of(t), *k = g ? NULL : key_of(t);
		if (g) {
			g_free(group);
			group = g;
			g_ptr_array_add(items, g_strdup(group));
		} else if (k && group) {
			g_ptr_array_add(items, g_strdup_printf("%s\t%s", group, k));
		}
		g_free(k);
	}
	g_free(group);
	g_strfreev(lines);
	g_free(text);
	return items;
}

/* Whether the example shows group (a pattern) or, with key, that key in a
 * group that matches it. */
static bool shows(const GPtrArray *items, const char *group, const char *key)
{
	for (guint i = 0; i < items->len; i++) {
		const char *item = g_ptr_array_index(items, i);
		const char *tab = strchr(item, '\t');
		if ((key == NULL) != (tab == NULL))
			continue;
		char *g = tab ? g_strndup(item, (gsize)(tab - item)) : g_strdup(item);
		bool match =
		    g_pattern_match_simple(group, g) && (!key || strcmp(tab + 1, key) == 0);
		g_free(g);
		if (match)
			return true;
	}
	return false;
}

/* config_key_fn: note a group or key the example does not show. */
static void expect_shown(const char *group, const char *key, void *arg)
{
	shown *s = arg;
	if (!shows(s->items, group, key))
		g_string_append_printf(s->missing, "  [%s]%s%s\n", group, key ? " " : "",
				       key ? key : "");
}

/* Every group and key the reader accepts is in the example. */
static void test_every_key_the_reader_accepts(void **state)
{
	(void)state;
	shown s = {.items = read_example(), .missing = g_string_new(NULL)};
	config_each_key(expect_shown, &s);
	if (s.missing->len) {
		fprintf(stderr,
			"config/example.ini lacks what the configuration reader accepts:\n%s",
			s.missing->str);
		fail();
	}
	g_string_free(s.missing, TRUE);
	g_ptr_array_free(s.items, TRUE);
}

/* The group a heading "## `[report]`" of docs/configuration.md documents,
 * as a pattern ("source.*" for the sources' heading), or NULL. */
static char *doc_group(const char *line)
{
	const char *open = strstr(line, "`[");
	const char *close = open ? strstr(open, "]`") : NULL;
	if (!close)
		return NULL;
	char *g = g_strndup(open + 2, (gsize)(close - open - 2));
	if (g_str_has_prefix(g, "source.")) {
		g_free(g);
		return g_strdup("source.*");
	}
	return g;
}

/* Every key in the first column of docs/configuration.md's tables is in the
 * example, in the group its section documents. */
static void test_every_key_the_documentation_lists(void **state)
{
	(void)state;
	shown s = {.items = read_example(), .missing = g_string_new(NULL)};
	char *text = NULL;
	GError *ge = NULL;
	if (!g_file_get_contents(CONFIG_DOC, &text, NULL, &ge))
		fail_msg("%s: %s", CONFIG_DOC, ge->message);
	char **lines = g_strsplit(text, "\n", -1);
	char *group = NULL;
	int keys = 0;
	for (char **l = lines; *l; l++) {
		if (g_str_has_prefix(*l, "## ")) {
			g_free(group);
			group = doc_group(*l);
			continue;
		}
		if (!group || !g_str_has_prefix(*l, "| `"))
			continue;
		/* the first cell: `key`, or `location` (or `path`, `url`) */
		const char *end = strchr(*l + 1, '|');
		char *cell = g_strndup(*l + 1, end ? (gsize)(end - *l - 1) : strlen(*l + 1));
		char **parts = g_strsplit(cell, "`", -1);
		for (int p = 1; parts[p] && parts[p + 1]; p += 2) {
			expect_shown(group, parts[p], &s);
			keys++;
		}
		g_strfreev(parts);
		g_free(cell);
	}
	assert_true(keys > 40); /* the tables were found */
	if (s.missing->len) {
		fprintf(stderr,
			"config/example.ini lacks keys of docs/configuration.md's tables:\n%s",
			s.missing->str);
		fail();
	}
	g_free(group);
	g_strfreev(lines);
	g_free(text);
	g_string_free(s.missing, TRUE);
	g_ptr_array_free(s.items, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key_the_reader_accepts),
	    cmocka_unit_test(test_every_key_the_documentation_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
