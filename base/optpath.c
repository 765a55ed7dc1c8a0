/* optpath.c — a path option's value the shell left as "~" or "~/…",
 * refused (optpath.h).
 *
 * It reads the parsed values only: it must not expand ~ itself (a path
 * the user did not write) nor touch the file system. */
#include "optpath.h"

#include <string.h>

int opt_path_unexpanded(const GOptionEntry *const *tables, mq_err *err)
{
	for (int t = 0; tables[t]; t++)
		for (const GOptionEntry *e = tables[t]; e->long_name; e++) {
			if (e->arg != G_OPTION_ARG_FILENAME || !e->arg_data)
				continue;
			const char *v = *(char *const *)e->arg_data;
			if (!v || v[0] != '~' || (v[1] != '\0' && v[1] != '/'))
				continue;
			/* "~/reports": "reports"; "~": nothing after it */
			const char *rest = v[1] ? v + 2 : "";
			mq_err_set(
			    err, MQ_USAGE,
			    "--%s \"%s\": the shell did not expand ~ (it does not after "
			    "\"=\" or inside quotes), and mqlreport does not: write the full "
			    "path, as /home/NAME%s%s, or --%s %s with a space so that the "
			    "shell expands it (./%s for a file or folder named ~)",
			    e->long_name, v, *rest ? "/" : "", rest, e->long_name, v, v);
			return -1;
		}
	return 0;
}
