/* shown.c — a text as the outputs can show it (shown.h).
 *
 * Changes only what cannot be shown; it must not shorten a text that fits
 * or touch one that is already clean. */
#include "shown.h"

#include <glib.h>
#include <string.h>

static bool noncharacter(gunichar c)
{
	return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* A control character XML 1.0 cannot hold (all of C0 but tab, line feed
 * and carriage return): a workbook's chart caches it raw and is then no
 * longer XML. A vertical tab from a pasted slide title is one. */
static bool xml_control(gunichar c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

bool shown_needs_work(const char *s, size_t max)
{
	if (!s)
		return false;
	const char *end;
	if (!g_utf8_validate(s, -1, &end))
		return true;
	size_t n = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		if (xml_control((unsigned char)*p))
			return true;
		/* every noncharacter starts with 0xEF (three bytes) or is four bytes */
		if (((unsigned char)*p == 0xEF || (unsigned char)*p >= 0xF0) &&
		    noncharacter(g_utf8_get_char(p)))
			return true;
		if (++n > max)
			return true;
	}
	return false;
}

int shown_name_cmp(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	int c = g_ascii_strcasecmp(a, b);
	return c ? c : strcmp(a, b);
}

char *shown_text(const char *s, size_t max)
{
	if (max == 0)
		return g_strdup("");
	char *valid = g_utf8_make_valid(s ? s : "", -1);
	GString *b = g_string_sized_new(strlen(valid) + 3);
	size_t n = 0;
	for (const char *p = valid; *p; p = g_utf8_next_char(p), n++) {
		if (n == max) {
			/* cut one character earlier, so that "…" ends it within max */
			const char *last = g_utf8_offset_to_pointer(b->str, (glong)max - 1);
			g_string_truncate(b, (gsize)(last - b->str));
			g_string_append(b, "\xE2\x80\xA6");
			break;
		}
		gunichar c = g_utf8_get_char(p);
		g_string_append_unichar(b, noncharacter(c) ? 0xFFFD : xml_control(c) ? ' ' : c);
	}
	g_free(valid);
	return g_string_free(b, FALSE);
}
