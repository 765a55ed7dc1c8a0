/* banner.h — the data-health banner: the lines every output shows first
 * when a data-health check warns (banner.c). */
#ifndef MQL_BANNER_H
#define MQL_BANNER_H

#include <glib.h>

#include "mval.h"

/* One line per row of root's `data_quality.health` whose status is warn or
 * fail: "Data health warning (check): message". A NULL-terminated vector
 * (free with g_strfreev), NULL when there is nothing to say. */
char **report_health_lines(const mval *root);

/* The lines joined by sep, "" when there are none. Caller frees (free()). */
char *report_health_text(const mval *root, const char *sep);

#endif
