/* optonce.c — a value option given twice on a command line, refused
 * (optonce.h).
 *
 * It reads argv only: it must not parse values or know the commands. */
#include "optonce.h"

#include <string.h>

/* The entry of tables that the word names ("--week", "--week=…", "-w",
 * "-wVALUE"), or NULL. */
static const GOptionEntry *option_named(const GOptionEntry *const *tables, const char *word)
{
	bool is_long = word[1] == '-';
	size_t len = is_long ? strcspn(word + 2, "=") : 1;
	for (int t = 0; tables[t]; t++)
		for (const GOptionEntry *e = tables[t]; e->long_name; e++)
			if (is_long ? strlen(e->long_name) == len &&
					  strncmp(e->long_name, word + 2, len) == 0
				    : e->short_name && e->short_name == word[1])
				return e;
	return NULL;
}

int opt_given_twice(const char *cmd, const GOptionEntry *const *tables, int argc, char **argv,
		    mq_err *err)
{
	const GOptionEntry *seen[64] = {0};
	const char *value[64] = {0};
	size_t n = 0;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (strcmp(w, "--") == 0)
			break;
		if (w[0] != '-' || !w[1])
			continue;
		const GOptionEntry *e = option_named(tables, w);
		if (!e || e->arg == G_OPTION_ARG_NONE || e->arg == G_OPTION_ARG_CALLBACK)
			continue;
		const char *eq = w[1] == '-' ? strchr(w, '=') : (w[2] ? w + 1 : NULL);
		const char *v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : "";
		for (size_t k = 0; k < n; k++)
			if (seen[k] == e) {
				mq_err_set(
				    err, MQ_USAGE,
				    "--%s is given twice (\"%s\", then \"%s\"): give it once "
				    "(try mqlreport %s --help)",
				    e->long_name, value[k], v, cmd);
				return -1;
			}
		if (n < G_N_ELEMENTS(seen)) {
			seen[n] = e;
			value[n++] = v;
		}
	}
	return 0;
}
