/* json.h — JSON text of a report tree, beyond what reports.h declares.
 *
 * report_json_string() (reports.h) gives metrics.json's pretty-printed text;
 * these are the pieces other renderers reuse. */
#ifndef MQL_JSON_H
#define MQL_JSON_H

#include <stddef.h>

#include "base.h"
#include "mval.h"

/* The tree as one line of JSON (no spaces), e.g. for a workbook cell that
 * holds a nested array. Caller frees with g_free. */
char *json_compact(const mval *v);

/* The shortest text that reads back as exactly d, laid out as JavaScript's
 * Number#toString does: "0.1", "100", "0.00001234", "1e+21", "1e-7".
 * d must be finite. Locale-independent. Writes at most n bytes of buf. */
void json_format_double(double d, char *buf, size_t n);

/* "2026-11-22T19:01:53Z": whole seconds, a fraction cut off (towards the
 * past, also before 1970). buf needs 32 bytes. */
void json_format_time(ts_ms t, char *buf, size_t n);

#endif
