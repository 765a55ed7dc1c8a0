/* json.c — metrics.json (SPEC §8): the whole tree, keys in tree order,
 * pretty-printed with two spaces. */
#include "json.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "afile.h"
#include "reports.h"

static void jb_indent(GString *b, int depth)
{
	for (int i = 0; i < depth; i++)
		g_string_append_len(b, "  ", 2);
}

/* d in scientific notation with prec digits after the point; true when it
 * reads back as d. */
static bool sci_exact(double d, int prec, char *sci, size_t n)
{
	char fmt[16];
	snprintf(fmt, sizeof fmt, "%%.%de", prec);
	g_ascii_formatd(sci, (gint)n, fmt, d);
	return g_ascii_strtod(sci, NULL) == d;
}

/* The significant digits of d written with at most two decimals, when
 * d * 100 is a whole number below 10^15; else 0. A guess only. */
static int cents_digits(double d)
{
	double c = fabs(d) * 100.0;
	if (!(c < 1e15) || c != floor(c) || c == 0)
		return 0;
	long long x = (long long)c;
	while (x % 10 == 0)
		x /= 10;
	int k = 0;
	for (; x; x /= 10)
		k++;
	return k;
}

void json_format_double(double d, char *buf, size_t n)
{
	/* the fewest significant digits that read back as the same double (17
	 * always do). Found by bisection: if p digits read back, so do p + 1,
	 * as the nearest (p + 1)-digit decimal is at least as near. */
	char sci[40];
	int lo = 0, hi = 16;
	/* most numbers are money (try its cents' digits) or ratios at full
	 * precision (try 16 and 15 digits) */
	int guess = cents_digits(d);
	if (guess > 0 && sci_exact(d, guess - 1, sci, sizeof sci)) {
		if (guess == 1 || !sci_exact(d, guess - 2, sci, sizeof sci))
			lo = hi = guess - 1;
		else
			hi = guess - 2;
	} else if (!sci_exact(d, 15, sci, sizeof sci)) {
		lo = 16;
	} else if (!sci_exact(d, 14, sci, sizeof sci)) {
		lo = hi = 15;
	} else {
		hi = 14;
	}
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (sci_exact(d, mid, sci, sizeof sci))
			hi = mid;
		else
			lo = mid + 1;
	}
	sci_exact(d, lo, sci, sizeof sci);
	/* sci is [-]d[.ddd]e±x: lay the digits out as JavaScript does */
	const char *p = sci;
	bool neg = *p == '-';
	if (neg)
		p++;
	char digits[24];
	int k = 0;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && k < (int)sizeof digits - 1)
			digits[k++] = *p;
	digits[k] = '\0';
	while (k > 1 && digits[k - 1] == '0')
		digits[--k] = '\0';
	int e = *p == 'e' ? atoi(p + 1) : 0;
	int pos = e + 1; /* the decimal point comes after `pos` digits */
	char out[64];
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
		out[o++] = digits[0];
		if (k > 1) {
			out[o++] = '.';
			memcpy(out + o, digits + 1, (size_t)(k - 1));
			o += (size_t)(k - 1);
		}
		o += (size_t)snprintf(out + o, sizeof out - o, "e%c%d", e < 0 ? '-' : '+',
				      e < 0 ? -e : e);
	}
	out[o] = '\0';
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

/* A JSON string: quotes, backslash and control characters escaped, valid
 * UTF-8 passed through, an invalid byte replaced by U+FFFD. */
static void jb_string(GString *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	g_string_append_len(b, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		const char *esc = NULL;
		char ubuf[8];
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (c < 0x20 || c == 0x7F) {
				snprintf(ubuf, sizeof ubuf, "\\u%04x", c);
				esc = ubuf;
			}
		}
		if (esc) {
			g_string_append(b, esc);
			i++;
			continue;
		}
		size_t len = utf8_seq(s + i, n - i);
		if (len == 0) {
			g_string_append(b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		g_string_append_len(b, (const char *)s + i, len);
		i += len;
	}
	g_string_append_len(b, "\"", 1);
}

static void jb_scalar(GString *b, const mval *v)
{
	char num[40];
	switch (mv_kind_of(v)) {
	case MV_BOOL:
		g_string_append(b, mv_bool_of(v) ? "true" : "false");
		break;
	case MV_INT:
		snprintf(num, sizeof num, "%lld", (long long)mv_int_of(v));
		g_string_append(b, num);
		break;
	case MV_NUM: {
		double d = mv_num_of(v);
		if (!isfinite(d)) {
			g_string_append(b, "null");
			break;
		}
		json_format_double(d, num, sizeof num);
		g_string_append(b, num);
		break;
	}
	case MV_STR:
		jb_string(b, mv_str_of(v));
		break;
	case MV_TIME:
		json_format_time(mv_time_of(v), num, sizeof num);
		g_string_append_len(b, "\"", 1);
		g_string_append(b, num);
		g_string_append_len(b, "\"", 1);
		break;
	default:
		g_string_append(b, "null");
	}
}

/* pretty: two spaces per level, "key": value, one member per line */
static void jb_value(GString *b, const mval *v, int depth, bool pretty)
{
	mv_kind k = mv_kind_of(v);
	if (k != MV_OBJ && k != MV_ARR) {
		jb_scalar(b, v);
		return;
	}
	size_t n = mv_len(v);
	g_string_append(b, k == MV_OBJ ? "{" : "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			g_string_append(b, ",");
		if (pretty) {
			g_string_append(b, "\n");
			jb_indent(b, depth + 1);
		}
		if (k == MV_OBJ) {
			jb_string(b, mv_key(v, i));
			g_string_append(b, pretty ? ": " : ":");
		}
		jb_value(b, mv_at(v, i), depth + 1, pretty);
	}
	if (pretty && n) {
		g_string_append(b, "\n");
		jb_indent(b, depth);
	}
	g_string_append(b, k == MV_OBJ ? "}" : "]");
}

char *report_json_string(const mval *root)
{
	GString *b = g_string_new(NULL);
	jb_value(b, root, 0, true);
	g_string_append(b, "\n");
	return g_string_free(b, FALSE);
}

char *json_compact(const mval *v)
{
	GString *b = g_string_new(NULL);
	jb_value(b, v, 0, false);
	return g_string_free(b, FALSE);
}

int report_json_write(const mval *root, const char *path, mq_err *err)
{
	char *text = report_json_string(root);
	int rc = atomic_write(path, text, strlen(text), err);
	g_free(text);
	return rc;
}
