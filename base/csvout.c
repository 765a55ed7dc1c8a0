/* csvout.c — CSV field quoting (see csvout.h).
 *
 * Writes fields, never separators or line ends: the caller owns the row. */
#include "csvout.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool csv_field_needs_quotes(const char *s, size_t n)
{
	if (n && (is_blank(s[0]) || is_blank(s[n - 1])))
		return true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

void csv_field_emit(const char *s, size_t n, csv_sink sink, void *ctx)
{
	if (!csv_field_needs_quotes(s, n)) {
		sink(ctx, s, n);
		return;
	}
	sink(ctx, "\"", 1);
	const char *end = s + n;
	while (s < end) {
		const char *q = memchr(s, '"', (size_t)(end - s));
		size_t run = q ? (size_t)(q - s) + 1 : (size_t)(end - s);
		sink(ctx, s, run); /* up to and with the quote... */
		if (q)
			sink(ctx, "\"", 1); /* ...which is doubled */
		s += run;
	}
	sink(ctx, "\"", 1);
}

static bool starts_formula(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\'' || c == '\t' || c == '\r';
}

void csv_field_emit_inert(const char *s, size_t n, csv_sink sink, void *ctx)
{
	char *buf = xmalloc(2 * n + 2);
	size_t k = 0;
	if (n && starts_formula(s[0]))
		buf[k++] = '\'';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '\0') {
			buf[k++] = '\\';
			buf[k++] = s[i] ? '\\' : '0';
		} else {
			buf[k++] = s[i];
		}
	}
	csv_field_emit(buf, k, sink, ctx);
	free(buf);
}

static void to_stream(void *ctx, const char *p, size_t n)
{
	/* a short write sets the stream's error flag, which afile_commit checks
	 * (ferror) before the file is put in place */
	(void)fwrite(p, 1, n, ctx);
}

void csv_field_fput(FILE *fp, const char *s)
{
	if (s)
		csv_field_emit(s, strlen(s), to_stream, fp);
}
