/* banner.c — the words of the data-health banner that the workbook's first
 * sheet, the PDF's first page and the e-mail bodies show (see banner.h).
 *
 * It only words what the report tree holds: it judges nothing (the checks
 * are metrics/health.c) and draws nothing (each renderer places the lines). */
#include "banner.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

char **report_health_lines(const mval *root)
{
	const mval *health = mv_path(root, "data_quality.health");
	GPtrArray *out = g_ptr_array_new();
	for (size_t i = 0; i < mv_len(health); i++) {
		const mval *r = mv_at(health, i);
		const char *st = mv_str_of(mv_get(r, "status"));
		if (!st || (strcmp(st, "warn") != 0 && strcmp(st, "fail") != 0))
			continue;
		const char *check = mv_str_of(mv_get(r, "check"));
		const char *msg = mv_str_of(mv_get(r, "message"));
		/* the reader's words first, the [health] key an operator sets after */
		const char *label = catalog_check_label(check);
		g_ptr_array_add(out, g_strdup_printf("Data health %s \xE2\x80\x94 %s (%s): %s",
						     !strcmp(st, "fail") ? "failure" : "warning",
						     label ? label : "unnamed check",
						     check ? check : "?", msg ? msg : ""));
	}
	if (out->len == 0) {
		g_ptr_array_free(out, TRUE);
		return NULL;
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

char *report_health_text(const mval *root, const char *sep)
{
	char **lines = report_health_lines(root);
	if (!lines)
		return xstrdup("");
	char *joined = g_strjoinv(sep, lines);
	char *out = xstrdup(joined);
	g_free(joined);
	g_strfreev(lines);
	return out;
}
