/* normalize.h — value normalisation of SPEC §3.
 *
 * All functions take a text and its length (not NUL-terminated) and write
 * into a caller's buffer. */
#ifndef MQL_NORMALIZE_H
#define MQL_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ASCII whitespace: space, tab, CR, LF, VT, FF. */
static inline bool norm_is_ws(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Narrow *s / *len to the text without leading and trailing ASCII
 * whitespace. Inline: the readers trim several fields of every row, and a
 * field most often has none, which its first and last bytes tell. */
static inline void norm_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;
	if (n && !norm_is_ws(p[0]) && !norm_is_ws(p[n - 1]))
		return;
	while (n && norm_is_ws(*p)) {
		p++;
		n--;
	}
	while (n && norm_is_ws(p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

/* The room norm_value() and norm_upper() need for len bytes of text: a
 * letter's other case can take up to three times its bytes in UTF-8 (the
 * upper case of U+0390 is three letters of two bytes each). */
#define NORM_ROOM(len) (3 * (size_t)(len) + 1)

/* The normal form of a channel, event type, industry or stage: trimmed,
 * lower-cased (every letter of UTF-8 text: "Événements" → "événements";
 * ASCII letters only in text that is not UTF-8), each run of ASCII spaces
 * and '-' one '_' ("Google - Ads" → "google_ads"). out has room for
 * NORM_ROOM(len) bytes; returns the length written. */
size_t norm_value(const char *s, size_t len, char *out);

/* Trimmed and upper-cased, as norm_value() cases letters (countries). out
 * has room for NORM_ROOM(len) bytes; returns the length written. */
size_t norm_upper(const char *s, size_t len, char *out);

/* A company size: an employee count (`250`, `1,200`), a band counting as
 * its lower bound (`51-200`, `1,001-5,000`, `1,001 - 5,000`), or `10000+`;
 * with dec_comma (decimal = comma) its counts grouped as count_parse()
 * reads them then, too (`1.200`, `1.001-5.000`). The text is trimmed by
 * the caller. Returns false when it is none of these. */
bool norm_company_size(const char *s, size_t len, bool dec_comma, int64_t *out);

/* A yes/no value: true, 1, yes → 1; false, 0, no → 0 (case-insensitive).
 * Returns false for anything else. */
bool norm_bool(const char *s, size_t len, int8_t *out);

/* True when s[0..len) equals the NUL-terminated word, ignoring ASCII case. */
bool norm_eq_nocase(const char *s, size_t len, const char *word);

/* An id a spreadsheet rewrote in scientific notation (`1.95135E+11`):
 * digits, an optional fraction (after a point or, as a spreadsheet of a
 * decimal-comma locale writes it, a comma), then E+ and digits. Its digits
 * are lost, so ids that differ read alike. A caller on a per-row path tests
 * for a '+' first: no other id pays for this. */
bool norm_sci_id(const char *s, size_t len);

/* s[0..len) as the messages show a value: norm_visible() into buf[n]. */
void norm_example(char *buf, size_t n, const char *s, size_t len);

/* s[0..len) with what cannot be seen, or looks like another character,
 * written so that it can: a tab, CR and LF as \t, \r and \n, another
 * control byte and a byte that is no UTF-8 as \xHH, and a space other
 * than ' ' (U+00A0, U+2007, U+2009, …), a format or zero-width character
 * (U+200B, U+FEFF, …), another control or separator, a private or
 * unassigned code point, a blank letter (U+3164), a dash and a minus that
 * are not '-' as <U+XXXX>. Letters and signs of any script are kept as
 * they are (é, 日本). Cut to fit buf[n] (n > 0) before a character or its
 * whole escape, NUL-terminated; returns the bytes of s shown. */
size_t norm_visible(char *buf, size_t n, const char *s, size_t len);

#endif
