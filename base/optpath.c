/* optpath.c — a path option's value the shell left as "~", "~/…" or "~NAME/…",
 * refused (optpath.h).
 *
 * It reads the parsed values only: it must not expand ~ itself (a path
 * the user did not write) nor touch the file system. */
#include "optpath.h"

#include <stddef.h>
#include <string.h>

int opt_path_unexpanded(const GOptionEntry *const *tables, mq_err *err)
{
	for (int t = 0; tables[t]; t++)
		for (const GOptionEntry *e = tables[t]; e->long_name; e++) {
			if (e->arg != G_OPTION_ARG_FILENAME || !e->arg_data)
				continue;
			const char *v = *(char *const *)e->arg_data;
			if (!v || v[0] != '~')
				continue;
			/* "~/reports": "reports"; "~": nothing after it; "~bob/x":
			 * bob's home folder, which the shell would have found */
			const char *slash = strchr(v, '/');
			const char *rest = slash ? slash + 1 : "";
			int user = (int)(slash ? slash - v : (ptrdiff_t)strlen(v)) - 1;
			if (user > 0)
				mq_err_set(
				    err, MQ_USAGE,
				    "--%s \"%s\": the shell did not expand ~%.*s (it does not "
				    "after \"=\" or inside quotes), and mqlreport does not: "
				    "write the full path, from the home folder of %.*s, or --%s "
				    "%s with a space so that the shell expands it (./%s for a "
				    "file or folder named so)",
				    e->long_name, v, user, v + 1, user, v + 1, e->long_name, v, v);
			else
				mq_err_set(
				    err, MQ_USAGE,
				    "--%s \"%s\": the shell did not expand ~ (it does not "
				    "after \"=\" or inside quotes), and mqlreport does not: "
				    "write the full path, as /home/NAME%s%s, or --%s %s with a "
				    "space so that the shell expands it (./%s for a file or "
				    "folder named ~)",
				    e->long_name, v, *rest ? "/" : "", rest, e->long_name, v, v);
			return -1;
		}
	return 0;
}
