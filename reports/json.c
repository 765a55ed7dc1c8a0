/* json.c — metrics.json (SPEC §8): the whole tree, keys in tree order,
 * pretty-printed with two spaces. The text goes through one buffer that is
 * either flushed to the file as it fills (report_json_write: a tree of
 * millions of rows is never held twice) or grown into the returned string
 * or a draft (the text but for one member's value, made before that value
 * is known).
 * Numbers are formatted by hand where measured speed asked for it (whole
 * numbers, and doubles of at most 15 significant digits, proven exact by one
 * division); every other double takes the printf and strtod round trip. It
 * must not decide what the tree holds: it renders the tree as it is. */
#include "json.h"

#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "afile.h"
#include "reports.h"

/* Where the text goes: a buffer, flushed to fp when one is set, else grown. */
typedef struct jw {
	char *buf; /* g_malloc'd */
	size_t len, cap;
	FILE *fp;	      /* NULL: the buffer is the result */
	GChecksum *sum;	      /* instead of fp: the text is only hashed */
	int write_errno;      /* the errno of a failed write to fp; 0 while none failed */
	const mval *top;      /* the object written at depth 0, whose member … */
	const char *swap_key; /* … of this key is written as swap_val instead, */
	const mval *swap_val; /* or, when NULL, left out: its place is hole */
	size_t hole;	      /* where the left-out value goes in buf; SIZE_MAX: none */
} jw;

#define JW_FILE_BUF ((size_t)1 << 20)

static void jw_flush(jw *w)
{
	if (w->fp && w->len && !w->write_errno && fwrite(w->buf, 1, w->len, w->fp) != w->len)
		w->write_errno = errno ? errno : EIO;
	if (w->sum && w->len)
		g_checksum_update(w->sum, (const guchar *)w->buf, (gssize)w->len);
	if (w->fp || w->sum)
		w->len = 0;
}

/* Room for n more bytes at buf + len (the caller then adds to len). */
static char *jw_room(jw *w, size_t n)
{
	if (w->cap - w->len >= n)
		return w->buf + w->len;
	jw_flush(w);
	if (w->cap - w->len < n) {
		size_t cap = w->cap ? w->cap : 256;
		while (cap - w->len < n)
			cap *= 2;
		w->buf = g_realloc(w->buf, cap);
		w->cap = cap;
	}
	return w->buf + w->len;
}

static void jw_put(jw *w, const char *s, size_t n)
{
	memcpy(jw_room(w, n), s, n);
	w->len += n;
}

#define JW_LIT(w, lit) jw_put((w), (lit), sizeof(lit) - 1)

static void jw_indent(jw *w, int depth)
{
	size_t n = (size_t)depth * 2;
	memset(jw_room(w, n), ' ', n);
	w->len += n;
}

/* The decimal digits of x at the end of buf[0..21); returns where they start. */
static char *u64_digits(uint64_t x, char *end)
{
	char *p = end;
	do {
		*--p = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	return p;
}

static void jw_int(jw *w, int64_t i)
{
	char tmp[24], *end = tmp + sizeof tmp;
	uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
	char *p = u64_digits(u, end);
	if (i < 0)
		*--p = '-';
	jw_put(w, p, (size_t)(end - p));
}

/* A double's shortest digits: `digits` (k of them, no trailing zero but for
 * "0") with the decimal point after `pos` of them. */
typedef struct dec {
	char digits[24];
	int k, pos;
} dec;

/* d in scientific notation with prec digits after the point. */
static void sci_write(double d, int prec, char *sci, size_t n)
{
	char fmt[16];
	snprintf(fmt, sizeof fmt, "%%.%de", prec);
	g_ascii_formatd(sci, (gint)n, fmt, d);
}

/* The same; true when it reads back as d. */
static bool sci_exact(double d, int prec, char *sci, size_t n)
{
	sci_write(d, prec, sci, n);
	return g_ascii_strtod(sci, NULL) == d;
}

/* 10^0 .. 10^22, each exactly a double. */
static const double pow10_exact[] = {
    1e0,  1e1,	1e2,  1e3,  1e4,  1e5,	1e6,  1e7,  1e8,  1e9,	1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The fast path for a = |d| in [1e-6, 1e15): the fewest fraction digits f
 * such that m / 10^f, m = a * 10^f rounded, is exactly a (one correctly
 * rounded division, as strtod would read "m e-f"), while m has at most 15
 * digits. Below 10^15 the rounding of a * 10^f is within a quarter of the
 * wanted m, so no shorter text is missed, and at most one text of 15 digits
 * or fewer reads back as a. Returns false when a needs 16 or 17 digits. */
static bool dec_fast(double a, dec *out)
{
	for (int f = 0; f < (int)(sizeof pow10_exact / sizeof pow10_exact[0]); f++) {
		double x = a * pow10_exact[f];
		if (x >= 1e15)
			return false;
		double m = nearbyint(x);
		if (m / pow10_exact[f] != a)
			continue;
		char tmp[24], *end = tmp + sizeof tmp;
		char *p = u64_digits((uint64_t)m, end);
		int len = (int)(end - p);
		out->pos = len - f;
		while (len > 1 && end[-1] == '0') {
			end--;
			len--;
		}
		memcpy(out->digits, p, (size_t)len);
		out->k = len;
		return true;
	}
	return false;
}

/* The digits and point of sci, d[.ddd]e±x, into out (trailing zeros cut). */
static void dec_from_sci(const char *sci, dec *out)
{
	const char *p = sci;
	int k = 0;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && k < (int)sizeof out->digits - 1)
			out->digits[k++] = *p;
	while (k > 1 && out->digits[k - 1] == '0')
		k--;
	out->k = k;
	out->pos = (*p == 'e' ? atoi(p + 1) : 0) + 1;
}

/* At a power of two the doubles below are twice as dense as those above, so
 * the 16-digit decimal just above the nearest one can read back when the
 * nearest does not. True with out set when it does. */
static bool dec_up16(double a, dec *out)
{
	int e2;
	if (frexp(a, &e2) != 0.5)
		return false;
	char sci[40], up[40];
	g_ascii_formatd(sci, (gint)sizeof sci, "%.15e", a);
	/* sci is d.ddddddddddddddde±x: add one to the last digit */
	char *e = strchr(sci, 'e');
	if (!e || e - sci != 17)
		return false;
	int exp10 = atoi(e + 1), i = 16;
	for (; i >= 0; i--) {
		if (i == 1)
			continue; /* the point */
		if (sci[i] != '9') {
			sci[i]++;
			break;
		}
		sci[i] = '0';
	}
	if (i < 0) { /* 9.999…9 became 10.000…0 */
		sci[0] = '1';
		exp10++;
	}
	snprintf(up, sizeof up, "%.17se%d", sci, exp10);
	if (g_ascii_strtod(up, NULL) != a)
		return false;
	dec_from_sci(up, out);
	return true;
}

/* The slow path: the fewest significant digits, at least lo + 1, that read
 * back as a (17 always do), the nearest decimal of that many digits. Found
 * by bisection: if p digits read back, so do p + 1, as the nearest
 * (p + 1)-digit decimal is at least as near; only at a power of two, where
 * the nearest 16-digit decimal may be too far below while the next one up
 * reads back, is that checked apart. */
static void dec_slow(double a, int lo, dec *out)
{
	char sci[40];
	int hi = 16, in_sci = -1; /* the precision sci was last written with */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		in_sci = mid;
		if (sci_exact(a, mid, sci, sizeof sci))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == 16 && dec_up16(a, out))
		return;
	if (in_sci != lo) /* known to read back: lo was tested, or is 16 */
		sci_write(a, lo, sci, sizeof sci);
	dec_from_sci(sci, out);
}

/* The digits laid out as JavaScript's Number#toString does; returns the length. */
static size_t dec_layout(bool neg, const dec *x, char *out)
{
	const char *digits = x->digits;
	int k = x->k, pos = x->pos;
	size_t o = 0;
	if (neg)
		out[o++] = '-';
	if (k <= pos && pos <= 21) { /* an integer: the digits, then zeros */
		memcpy(out + o, digits, (size_t)k);
		o += (size_t)k;
		for (int i = k; i < pos; i++)
			out[o++] = '0';
	} else if (0 < pos && pos <= 21) { /* the point among the digits */
		memcpy(out + o, digits, (size_t)pos);
		o += (size_t)pos;
		out[o++] = '.';
		memcpy(out + o, digits + pos, (size_t)(k - pos));
		o += (size_t)(k - pos);
	} else if (-6 < pos && pos <= 0) { /* 0.000ddd */
		out[o++] = '0';
		out[o++] = '.';
		for (int i = 0; i < -pos; i++)
			out[o++] = '0';
		memcpy(out + o, digits, (size_t)k);
		o += (size_t)k;
	} else { /* d.ddde±x */
		int e = pos - 1;
		out[o++] = digits[0];
		if (k > 1) {
			out[o++] = '.';
			memcpy(out + o, digits + 1, (size_t)(k - 1));
			o += (size_t)(k - 1);
		}
		out[o++] = 'e';
		out[o++] = e < 0 ? '-' : '+';
		char tmp[8], *end = tmp + sizeof tmp;
		char *p = u64_digits((uint64_t)(e < 0 ? -e : e), end);
		memcpy(out + o, p, (size_t)(end - p));
		o += (size_t)(end - p);
	}
	return o;
}

/* d (finite) into out, which has room for 40 bytes; returns the length. */
static size_t format_double(double d, char *out)
{
	bool neg = signbit(d);
	double a = fabs(d);
	dec x;
	if (a == 0) {
		x = (dec){.digits = "0", .k = 1, .pos = 1};
	} else if (a >= 1e-6 && a < 1e15) {
		if (!dec_fast(a, &x))
			dec_slow(a, 15, &x); /* 15 digits or fewer were ruled out */
	} else {
		dec_slow(a, 0, &x);
	}
	return dec_layout(neg, &x, out);
}

void json_format_double(double d, char *buf, size_t n)
{
	char out[48];
	size_t len = format_double(d, out);
	out[len] = '\0';
	snprintf(buf, n, "%s", out);
}

void json_format_time(ts_ms t, char *buf, size_t n)
{
	/* floor division: 1969-12-31T23:59:59.500Z shows as …:59Z */
	int64_t secs = t / 1000 - (t % 1000 < 0 ? 1 : 0);
	time_t tt = (time_t)secs;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, n, "%s", "");
		return;
	}
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* The escape of an ASCII byte that needs one (into esc, 7 bytes), or 0. */
static size_t ascii_escape(unsigned c, char *esc)
{
	static const char hex[] = "0123456789abcdef";
	const char *named = NULL;
	switch (c) {
	case '"':
		named = "\\\"";
		break;
	case '\\':
		named = "\\\\";
		break;
	case '\b':
		named = "\\b";
		break;
	case '\f':
		named = "\\f";
		break;
	case '\n':
		named = "\\n";
		break;
	case '\r':
		named = "\\r";
		break;
	case '\t':
		named = "\\t";
		break;
	default:
		if (c >= 0x20 && c != 0x7F)
			return 0;
		memcpy(esc, "\\u00", 4);
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 15];
		return 6;
	}
	memcpy(esc, named, 2);
	return 2;
}

/* The escaped text of s[*i..] up to about `stop` (a sequence that starts
 * before it ends whole) at o; returns the end of what was written. */
static char *escape_run(const unsigned char *s, size_t n, size_t *i, size_t stop, char *o)
{
	while (*i < stop) {
		unsigned c = s[*i];
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
			*o++ = (char)c;
			(*i)++;
			continue;
		}
		size_t len = c < 0x80 ? ascii_escape(c, o) : 0;
		if (len) {
			o += len;
			(*i)++;
			continue;
		}
		len = utf8_seq(s + *i, n - *i);
		if (len == 0) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			(*i)++;
			continue;
		}
		memcpy(o, s + *i, len);
		o += len;
		*i += len;
	}
	return o;
}

/* Bytes of a string escaped per reservation of room, so that a long string
 * does not make the buffer six times its length. */
#define JW_RUN ((size_t)1 << 16)

/* A JSON string: quotes, backslash and control characters escaped, valid
 * UTF-8 passed through, an invalid byte replaced by U+FFFD. */
static void jw_string(jw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	JW_LIT(w, "\"");
	for (size_t i = 0; i < n;) {
		size_t stop = n - i > JW_RUN ? i + JW_RUN : n;
		/* each byte becomes at most 6 (\u00XX; U+FFFD takes 3), and the
		 * last sequence may run 3 bytes past stop */
		char *o = jw_room(w, 6 * (stop - i) + 24);
		w->len += (size_t)(escape_run(s, n, &i, stop, o) - o);
	}
	JW_LIT(w, "\"");
}

static void jw_scalar(jw *w, const mval *v)
{
	char num[48];
	switch (mv_kind_of(v)) {
	case MV_BOOL:
		if (mv_bool_of(v))
			JW_LIT(w, "true");
		else
			JW_LIT(w, "false");
		break;
	case MV_INT:
		jw_int(w, mv_int_of(v));
		break;
	case MV_NUM: {
		double d = mv_num_of(v);
		if (!isfinite(d))
			JW_LIT(w, "null");
		else
			jw_put(w, num, format_double(d, num));
		break;
	}
	case MV_STR:
		jw_string(w, mv_str_of(v));
		break;
	case MV_TIME:
		json_format_time(mv_time_of(v), num, sizeof num);
		JW_LIT(w, "\"");
		jw_put(w, num, strlen(num));
		JW_LIT(w, "\"");
		break;
	default:
		JW_LIT(w, "null");
	}
}

static void jw_value(jw *w, const mval *v, int depth, bool pretty);

/* A table kept outside the tree, as an array: its rows made one at a time. */
static void jw_rows(jw *w, const mval *v, int depth, bool pretty)
{
	JW_LIT(w, "[");
	mv_cursor c = mv_cursor_of(v);
	for (const mval *row; (row = mv_next(&c));) {
		if (c.i > 1)
			JW_LIT(w, ",");
		if (pretty) {
			JW_LIT(w, "\n");
			jw_indent(w, depth + 1);
		}
		jw_value(w, row, depth + 1, pretty);
	}
	if (pretty && mv_len(v)) {
		JW_LIT(w, "\n");
		jw_indent(w, depth);
	}
	JW_LIT(w, "]");
}

/* pretty: two spaces per level, "key": value, one member per line */
static void jw_value(jw *w, const mval *v, int depth, bool pretty)
{
	mv_kind k = mv_kind_of(v);
	if (k == MV_ROWS) {
		jw_rows(w, v, depth, pretty);
		return;
	}
	if (k != MV_OBJ && k != MV_ARR) {
		jw_scalar(w, v);
		return;
	}
	size_t n = mv_len(v);
	jw_put(w, k == MV_OBJ ? "{" : "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			JW_LIT(w, ",");
		if (pretty) {
			JW_LIT(w, "\n");
			jw_indent(w, depth + 1);
		}
		const mval *m = mv_at(v, i);
		if (k == MV_OBJ) {
			jw_string(w, mv_key(v, i));
			if (pretty)
				JW_LIT(w, ": ");
			else
				JW_LIT(w, ":");
			if (v == w->top && w->swap_key && strcmp(mv_key(v, i), w->swap_key) == 0) {
				m = w->swap_val;
				if (!m) {
					w->hole = w->len;
					continue;
				}
			}
		}
		jw_value(w, m, depth + 1, pretty);
	}
	if (pretty && n) {
		JW_LIT(w, "\n");
		jw_indent(w, depth);
	}
	jw_put(w, k == MV_OBJ ? "}" : "]", 1);
}

/* The text of v, NUL-terminated; caller frees with g_free. */
static char *json_text(const mval *v, bool pretty)
{
	jw w = {0};
	jw_value(&w, v, 0, pretty);
	if (pretty)
		JW_LIT(&w, "\n");
	jw_put(&w, "", 1);
	return w.buf;
}

char *report_json_string(const mval *root)
{
	return json_text(root, true);
}

char *json_compact(const mval *v)
{
	return json_text(v, false);
}

char *report_figures_sha256(const mval *root)
{
	jw w = {.buf = g_malloc(JW_FILE_BUF),
		.cap = JW_FILE_BUF,
		.sum = g_checksum_new(G_CHECKSUM_SHA256)};
	for (size_t i = 0; i < mv_len(root); i++) {
		const char *key = mv_key(root, i);
		/* when, from which files, by which version; and what the files
		 * held beside the figures (their rows, the rows past as_of a
		 * later export adds, the health of its reading) */
		if (strcmp(key, "report") == 0 || strcmp(key, "data_quality") == 0)
			continue;
		jw_string(&w, key);
		JW_LIT(&w, ":");
		jw_value(&w, mv_at(root, i), 0, false);
		JW_LIT(&w, "\n");
	}
	jw_flush(&w);
	char *hex = g_strdup(g_checksum_get_string(w.sum));
	g_checksum_free(w.sum);
	g_free(w.buf);
	return hex;
}

/* The rest of w's text to f, w's buffer freed, and f committed in place
 * of path: 0, or -1 with err. */
static int json_commit(jw *w, afile *f, const char *path, mq_err *err)
{
	jw_flush(w);
	g_free(w->buf);
	if (w->write_errno) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", path,
			   strerror(w->write_errno));
		afile_abort(f);
		return -1;
	}
	return afile_commit(f, err);
}

int report_json_write(const mval *root, const char *path, mq_err *err)
{
	return report_json_write_as(root, NULL, NULL, path, err);
}

int report_json_write_as(const mval *root, const char *key, const mval *value, const char *path,
			 mq_err *err)
{
	afile *f = afile_open(path, err);
	if (!f)
		return -1;
	jw w = {.buf = g_malloc(JW_FILE_BUF),
		.cap = JW_FILE_BUF,
		.fp = afile_stream(f),
		.top = root,
		.swap_key = key,
		.swap_val = value};
	jw_value(&w, root, 0, true);
	JW_LIT(&w, "\n");
	return json_commit(&w, f, path, err);
}

struct json_draft {
	char *text;	  /* the whole text but the value of key */
	size_t len, hole; /* hole: where the value goes; len: no such key */
};

json_draft *report_json_draft(const mval *root, const char *key)
{
	jw w = {.top = root, .swap_key = key, .hole = SIZE_MAX};
	jw_value(&w, root, 0, true);
	JW_LIT(&w, "\n");
	json_draft *d = g_new(json_draft, 1);
	*d = (json_draft){w.buf, w.len, w.hole == SIZE_MAX ? w.len : w.hole};
	return d;
}

int report_json_draft_write(json_draft *d, const mval *value, const char *path, mq_err *err)
{
	afile *f = afile_open(path, err);
	if (!f) {
		report_json_draft_free(d);
		return -1;
	}
	jw w = {.buf = g_malloc(JW_FILE_BUF), .cap = JW_FILE_BUF, .fp = afile_stream(f)};
	jw_put(&w, d->text, d->hole);
	if (d->hole < d->len)
		jw_value(&w, value, 1, true);
	jw_flush(&w);
	/* the rest straight from the draft: it is most of the file */
	size_t rest = d->len - d->hole;
	if (!w.write_errno && rest && fwrite(d->text + d->hole, 1, rest, w.fp) != rest)
		w.write_errno = errno ? errno : EIO;
	report_json_draft_free(d);
	return json_commit(&w, f, path, err);
}

void report_json_draft_free(json_draft *d)
{
	if (!d)
		return;
	g_free(d->text);
	g_free(d);
}
