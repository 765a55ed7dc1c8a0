/* shown.h — a text as the outputs can show it.
 *
 * Exports carry what their users typed: invalid UTF-8, Unicode
 * noncharacters (U+FFFE, U+FDD0, …) that cairo refuses to draw and XML
 * refuses to hold, a campaign name of a megabyte. Every text a renderer
 * hands to pango or to a workbook cell goes through here first. */
#ifndef MQL_SHOWN_H
#define MQL_SHOWN_H

#include <stdbool.h>
#include <stddef.h>

/* True when s needs shown_text(): invalid UTF-8, a noncharacter, a control
 * character XML cannot hold, or more than max characters. Cheap for the
 * usual short clean text. */
bool shown_needs_work(const char *s, size_t max);

/* A copy of s (NULL: "") as valid UTF-8 with every invalid sequence and
 * noncharacter replaced by U+FFFD and every control character but tab,
 * line feed and carriage return (a vertical tab …) by a space, cut to max characters with "…" at
 * the end when longer ("" when max is 0). Free with g_free. */
char *shown_text(const char *s, size_t max);

/* The order of two names in a list whose figures tie: alphabetical with
 * ASCII letters' case ignored ("bing_generic" before "Webinar"), then by
 * bytes so that the order is total. NULL sorts as "". */
int shown_name_cmp(const char *a, const char *b);

#endif
