/* csvout.c — the generator's buffered CSV writer: a 1 MB buffer over one
 * output stream, the generator's quoting rule, and the fast formatting of
 * the numbers, timestamps and amounts it writes.
 *
 * The formatting is by hand, not printf, because a large run writes tens of
 * millions of timestamps. This file must not decide what a row holds (the
 * row writers do) and must not open, commit or remove files (the run does);
 * a write error is only recorded in `failed`. The other CSV writers of the
 * project (rejects, scores) have rules of their own: do not call this one
 * from outside gen/. */
#include "gen_csvout.h"

#include <stdio.h>
#include <string.h>

#include "csvout.h"
#include "sfid.h"
#include "timeparse.h"

void ob_flush(obuf *b)
{
	if (b->len && !b->failed && fwrite(b->buf, 1, b->len, b->fp) != b->len)
		b->failed = true;
	b->len = 0;
}

void ob_putn(obuf *b, const char *s, size_t n)
{
	if (n > OBUF_CAP / 2) {
		ob_flush(b);
		if (!b->failed && fwrite(s, 1, n, b->fp) != n)
			b->failed = true;
		return;
	}
	memcpy(ob_room(b, n), s, n);
	b->len += n;
}

void ob_puts(obuf *b, const char *s)
{
	ob_putn(b, s, strlen(s));
}

static void to_obuf(void *ctx, const char *p, size_t n)
{
	ob_putn(ctx, p, n);
}

/* One field by the project's CSV rule (csvout.h); NULL writes nothing. */
void ob_field(obuf *b, const char *s)
{
	if (s)
		csv_field_emit(s, strlen(s), to_obuf, b);
}

void ob_endrow(obuf *b)
{
	ob_putc(b, '\n');
	b->rows++;
}

static inline char *put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

void ob_u64(obuf *b, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	char *p = ob_room(b, (size_t)n);
	for (int i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	b->len += (size_t)n;
}

/* "T10:11:12", ".250" for TF_ZMS, then "Z" or the offset "+02:00". */
static char *put_time(char *p, int64_t ms, int fmt, int off_min)
{
	int sec = (int)(ms / 1000);
	*p++ = 'T';
	p = put2(p, sec / 3600);
	*p++ = ':';
	p = put2(p, sec / 60 % 60);
	*p++ = ':';
	p = put2(p, sec % 60);
	if (fmt == TF_ZMS) {
		int f = (int)(ms % 1000);
		*p++ = '.';
		*p++ = (char)('0' + f / 100);
		p = put2(p, f % 100);
	}
	if (fmt == TF_OFF) {
		int a = off_min < 0 ? -off_min : off_min;
		*p++ = off_min < 0 ? '-' : '+';
		p = put2(p, a / 60);
		*p++ = ':';
		p = put2(p, a % 60);
	} else {
		*p++ = 'Z';
	}
	return p;
}

/* Instant t in a vendor's style: UTC, whole seconds (vendors cut the
 * fraction; the canonical twin's milliseconds never cross a day). */
static void ob_ts_vendor(obuf *b, ts_ms t, int fmt)
{
	int64_t days = t >= 0 ? t / MS_PER_DAY : -((-t + MS_PER_DAY - 1) / MS_PER_DAY);
	int sec = (int)((t - days * MS_PER_DAY) / 1000);
	int64_t y;
	int m, d;
	ts_civil_from_days(days, &y, &m, &d);
	char text[40];
	int h = sec / 3600, mi = sec / 60 % 60, s = sec % 60;
	if (b->ts_style == TSS_SPACE && fmt == TF_DATE)
		snprintf(text, sizeof text, "%04d-%02d-%02d", (int)y, m, d);
	else if (b->ts_style == TSS_SPACE)
		snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", (int)y, m, d, h, mi,
			 s);
	else if (fmt == TF_DATE)
		snprintf(text, sizeof text, "%d/%d/%04d", m, d, (int)y);
	else
		snprintf(text, sizeof text, "%d/%d/%04d %d:%02d:%02d %s", m, d, (int)y,
			 h % 12 ? h % 12 : 12, mi, s, h < 12 ? "AM" : "PM");
	ob_puts(b, text);
}

void ob_ts(obuf *b, ts_ms t, int fmt, int off_min)
{
	if (t == TS_NONE)
		return;
	if (b->ts_style != TSS_ISO) {
		ob_ts_vendor(b, t, fmt);
		return;
	}
	if (fmt == TF_OFF)
		t += (ts_ms)off_min * 60000;
	int64_t days = t >= 0 ? t / MS_PER_DAY : -((-t + MS_PER_DAY - 1) / MS_PER_DAY);
	int64_t ms = t - days * MS_PER_DAY;
	int64_t year;
	int m, d;
	ts_civil_from_days(days, &year, &m, &d);
	int y = (int)year;
	char *p = ob_room(b, 32), *s = p;
	if (y < 0 || y > 9999)
		y = 0;
	p = put2(p, y / 100);
	p = put2(p, y % 100);
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	if (fmt != TF_DATE)
		p = put_time(p, ms, fmt, off_min);
	b->len += (size_t)(p - s);
}

void ob_money(obuf *b, int64_t cents, bool fancy)
{
	char digits[32], out[48];
	bool neg = cents < 0;
	uint64_t c = neg ? (uint64_t)(-cents) : (uint64_t)cents;
	snprintf(digits, sizeof digits, "%llu", (unsigned long long)(c / 100));
	size_t nd = strlen(digits), o = 0;
	if (neg)
		out[o++] = '-';
	if (fancy)
		out[o++] = '$';
	for (size_t i = 0; i < nd; i++) {
		if (fancy && i > 0 && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, sizeof out - o, ".%02llu", (unsigned long long)(c % 100));
	ob_field(b, out);
}

/* A bijection of [0, 2^40): odd multiplier, xor-shift, odd multiplier.
 * Spreads consecutive numbers over the id space, as a CRM's ids are. */
static uint64_t scramble40(uint64_t x)
{
	const uint64_t mask = (1ULL << 40) - 1;
	x = (x * 0x9E3779B97F4A7C15ULL) & mask;
	x ^= x >> 17;
	return (x * 0xBF58476D1CE4E5B9ULL) & mask;
}

/* Salesforce's 18-character form (sfid.h). */
static void salesforce_id(char out[19], uint64_t n)
{
	static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	memcpy(out, "00Q5e000", 8);
	uint64_t x = scramble40(n);
	for (int i = 14; i >= 8; i--) {
		out[i] = b62[x % 62];
		x /= 62;
	}
	sf_id_suffix(out, out + 15);
	out[18] = '\0';
}

void ob_lead_id(obuf *b, uint64_t n)
{
	if (b->id_style == ID_NUMERIC) {
		/* increasing with gaps, 11 digits, like HubSpot's Record IDs */
		ob_u64(b, 10000000000ULL + n * 64 + (scramble40(n) & 63), 1);
	} else if (b->id_style == ID_SALESFORCE) {
		char id[19];
		salesforce_id(id, n);
		ob_puts(b, id);
	} else {
		ob_putc(b, 'L');
		ob_u64(b, n, 7);
	}
}
