/* fetch_body.c — telling a fetched body that is not a CSV export from one
 * that may be, and showing its first bytes safely (see fetch_body.h).
 *
 * It reads only the bytes and the type it is given: no network, no file,
 * no decision about retries or exit statuses (fetch.c makes those). It must
 * never let a secret it was given reach the excerpt, nor emit a byte that
 * is not valid UTF-8 or a control character. */
#include "fetch_body.h"

#include <glib.h>
#include <string.h>

#include "base.h"

/* The offset of the first byte that is not a BOM or a blank. */
static size_t first_significant(const char *head, size_t len)
{
	size_t i = len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < len && strchr(" \t\r\n", head[i]))
		i++;
	return i;
}

/* A media type that says JSON: application/json, text/json or
 * anything+json (application/problem+json), parameters ignored. */
static bool json_type(const char *content_type)
{
	size_t n = strcspn(content_type, "; \t");
	char *t = g_ascii_strdown(content_type, (gssize)n);
	bool json = !strcmp(t, "application/json") || !strcmp(t, "text/json") ||
		    (n > 5 && g_str_has_suffix(t, "+json"));
	g_free(t);
	return json;
}

enum fetch_body_kind fetch_body_kind(const char *content_type, const char *head, size_t len)
{
	const char *ct = content_type ? content_type : "";
	if (g_ascii_strncasecmp(ct, "text/html", 9) == 0 ||
	    g_ascii_strncasecmp(ct, "application/xhtml", 17) == 0)
		return BODY_HTML;
	if (json_type(ct))
		return BODY_JSON;
	size_t i = first_significant(head, len);
	if (i >= len)
		return BODY_CSV;
	if (head[i] == '<')
		return BODY_HTML;
	if (head[i] == '{')
		return BODY_JSON;
	if (head[i] == '[') {
		size_t k = i + 1;
		while (k < len && strchr(" \t\r\n", head[k]))
			k++;
		if (k < len && strchr("{[\"", head[k]))
			return BODY_JSON;
	}
	return BODY_CSV;
}

/* Every occurrence of each secret in s replaced by "[redacted]". */
static void redact(GString *s, const char *const *secrets)
{
	for (size_t i = 0; secrets && secrets[i]; i++) {
		if (!secrets[i][0])
			continue;
		g_string_replace(s, secrets[i], "[redacted]", 0);
	}
}

void fetch_body_excerpt(const char *head, size_t len, const char *const *secrets, char *out,
			size_t n)
{
	size_t i = first_significant(head, len);
	GString *s = g_string_new_len(head + i, (gssize)(len - i));
	redact(s, secrets);
	char *valid = g_utf8_make_valid(s->str, (gssize)s->len);
	g_string_free(s, TRUE);
	GString *line = g_string_sized_new(strlen(valid));
	bool blank = false;
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || g_unichar_iscntrl(c)) {
			blank = true;
			continue;
		}
		if (blank && line->len)
			g_string_append_c(line, ' ');
		blank = false;
		g_string_append_len(line, p, g_utf8_next_char(p) - p);
	}
	g_free(valid);
	mq_textf(out, n, "%s", line->len ? line->str : "(only blanks)");
	g_string_free(line, TRUE);
}
