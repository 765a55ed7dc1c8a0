/* fetch_body.h — what a fetched body is when it is not the CSV export that
 * was asked for (an HTML login page, an API's JSON error), and an excerpt
 * of it that a message may show (fetch.c). */
#ifndef MQL_FETCH_BODY_H
#define MQL_FETCH_BODY_H

#include <stddef.h>

enum fetch_body_kind {
	BODY_CSV,  /* nothing says it is not CSV: the reader judges it */
	BODY_HTML, /* Content-Type text/html or XHTML, or a first byte of '<' */
	BODY_JSON, /* Content-Type application/json, text/json or any +json, or a
		      first byte of '{' (or '[' before '{', '[' or '"') */
};

/* What a body is, by its Content-Type (may be "") and its first bytes
 * head[0..len), a UTF-8 BOM and blanks skipped. No CSV header row starts
 * with '<' or '{'. */
enum fetch_body_kind fetch_body_kind(const char *content_type, const char *head, size_t len);

/* The first bytes of a body as one line of text in out[0..n): every value
 * of `secrets` (NULL-terminated; NULL: none) that occurs in them replaced by
 * "[redacted]" (a server may echo the token it refused), invalid UTF-8 and
 * control characters made safe, blanks collapsed, cut after a whole
 * character with "…" when longer than n allows. */
void fetch_body_excerpt(const char *head, size_t len, const char *const *secrets, char *out,
			size_t n);

#endif
