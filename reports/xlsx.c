/* xlsx.c — the executive workbook (SPEC §7) with libxlsxwriter: formats,
 * cells, print setup and properties, and the order of the sheets
 * (templates/workbook.ini); each kind of sheet is written by its own file
 * (xlsx_overview.c, xlsx_tables.c, xlsx_sheets.c).
 *
 * Renders only: every number is the tree's, at full precision, shaped by a
 * number format from the metric catalogue; nothing is computed here. */
#include "xlsx.h"

#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "afile.h"
#include "json.h"
#include "money.h"
#include "numfmt.h"
#include "palette.h"
#include "shown.h"
#include "weekdates.h"
#include "xlsx_check.h"
#include "xlsx_int.h"

#define MAX_CELL_TEXT 32767 /* Excel's limit on a cell's characters */

/* remember the first error of a libxlsxwriter call */
void xcheck(xctx *x, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR && x->lerr == LXW_NO_ERROR) {
		x->lerr = e;
		x->lerr_what = what;
	}
}

/* The number format of an amount in currency with d decimals (0, 2 or
 * 3): its sign before the digits ("\"$\"#,##0.00"), or its code after them
 * ("#,##0.000 \"KWD\""), built whole rather than cut from a longer one. */
static const char *money_format(const char *currency, int d, char *buf, size_t n)
{
	const char *digits = d == 0 ? "#,##0" : d == 3 ? "#,##0.000" : "#,##0.00";
	const char *sym = numfmt_currency_symbol(currency);
	if (sym) {
		snprintf(buf, n, "\"%s\"%s", sym, digits);
		return buf;
	}
	/* an unknown code follows the number; only letters reach the format */
	char code[9] = {0};
	size_t k = 0;
	for (const char *c = currency ? currency : ""; *c && k < 8; c++)
		if (g_ascii_isalpha(*c))
			code[k++] = g_ascii_toupper(*c);
	if (k == 0)
		return digits;
	snprintf(buf, n, "%s \"%s\"", digits, code);
	return buf;
}

const char *xmoney_format(const xctx *x, bool cents, char *buf, size_t n)
{
	return money_format(x->currency, cents ? money_currency_decimals(x->currency) : 0, buf, n);
}

const char *xlsx_num_format(mv_fmt f, bool integral, const char *currency, char *buf, size_t n)
{
	switch (f) {
	case MF_COUNT:
		return integral ? "#,##0" : "#,##0.00";
	case MF_MONEY: /* the currency's own minor units: "¥3,811", "$3,810.54" */
		return money_format(currency, money_currency_decimals(currency), buf, n);
	case MF_RATE:
		return "0.0%";
	case MF_CHANGE: /* no change as the PDF and the e-mail say it */
		return "+#,##0.0%;\"\xE2\x88\x92\"#,##0.0%;\"±0%\"";
	case MF_DAYS:
		return "0.0 \"d\"";
	case MF_MINUTES:
		return "0.0 \"min\"";
	case MF_RATIO: /* a minus as the PDF and the e-mail write it, not a hyphen */
		return "0.00;\"\xE2\x88\x92\"0.00";
	case MF_SCORE:
		return integral ? "0" : "0.0";
	case MF_PLAIN:
	default:
		return NULL;
	}
}

const char *xnum_format(xctx *x, cat_format f, char *buf, size_t n)
{
	switch (f) {
	case CF_COUNT:
		return "#,##0";
	case CF_MONEY:
		return xlsx_num_format(MF_MONEY, false, x->currency, buf, n);
	case CF_PERCENT:
		return "0.0%";
	case CF_PERCENT0: /* a ROI of −100%: a minus, not a hyphen; 1,210% grouped */
		return "#,##0%;\"\xE2\x88\x92\"#,##0%";
	case CF_CHANGE: /* no change as the PDF and the e-mail say it */
		return "+#,##0.0%;\"\xE2\x88\x92\"#,##0.0%;\"±0%\"";
	case CF_DAYS:
		return "0.0 \"d\"";
	case CF_HOURS:
		return "0.0 \"h\"";
	case CF_RATIO:
		return "0.00;\"\xE2\x88\x92\"0.00";
	case CF_SCORE:
		return "0.0"; /* "0.#" shows 63.04 as "63." in Excel */
	case CF_DATETIME:
		return "yyyy-mm-dd hh:mm \"UTC\"";
	default:
		return NULL;
	}
}

static lxw_format *new_format(xctx *x, const char *num, uint32_t ink, uint32_t bg, bool bold)
{
	lxw_format *f = workbook_add_format(x->wb);
	if (num)
		format_set_num_format(f, num);
	if (ink)
		format_set_font_color(f, ink);
	if (bg)
		format_set_bg_color(f, bg);
	if (bold)
		format_set_bold(f);
	return f;
}

/* A table header's cell, aligned as its column's values are. */
static lxw_format *header_format(xctx *x, uint8_t align)
{
	lxw_format *f = new_format(x, NULL, 0, PALETTE_HEADER, true);
	format_set_bottom(f, LXW_BORDER_THIN);
	format_set_text_wrap(f);
	if (align != LXW_ALIGN_NONE)
		format_set_align(f, align);
	return f;
}

static void make_formats(xctx *x)
{
	for (int f = 0; f < CF_COUNT_OF_FORMATS; f++) {
		char buf[64];
		const char *nf = xnum_format(x, (cat_format)f, buf, sizeof buf);
		if (!nf)
			continue;
		x->cat[f][0] = new_format(x, nf, 0, 0, false);
		x->cat[f][1] = f == CF_SCORE ? new_format(x, "0", 0, 0, false) : x->cat[f][0];
	}
	{
		/* a cost per unit is 0 only without spend: not applicable, not free */
		char buf[64], cost[200];
		const char *m = xnum_format(x, CF_MONEY, buf, sizeof buf);
		snprintf(cost, sizeof cost, "%s;-%s;\"\xE2\x80\x94\"", m, m);
		x->per_unit = new_format(x, cost, 0, 0, false);
		x->per_unit_muted = new_format(x, cost, PALETTE_MUTED, 0, false);
	}
	/* no change reads "±0 pp", "±0%", as changes_text() writes it */
	x->pp =
	    new_format(x, "+#,##0.0 \"pp\";\"\xE2\x88\x92\"#,##0.0 \"pp\";\"±0 pp\"", 0, 0, false);
	x->pp_muted = new_format(x, "+#,##0.0 \"pp\";\"\xE2\x88\x92\"#,##0.0 \"pp\";\"±0 pp\"",
				 PALETTE_MUTED, 0, false);
	/* a change of a hundred points or more has no decimal: "−1,286 pp" */
	x->pp0 = new_format(x, "+#,##0 \"pp\";\"\xE2\x88\x92\"#,##0 \"pp\";\"±0 pp\"", 0, 0, false);
	x->pp0_muted = new_format(x, "+#,##0 \"pp\";\"\xE2\x88\x92\"#,##0 \"pp\";\"±0 pp\"",
				  PALETTE_MUTED, 0, false);
	x->count_avg[0] = new_format(x, "#,##0.0", 0, 0, false);
	x->count_avg[1] = new_format(x, "#,##0.0", PALETTE_MUTED, 0, false);
	x->rel = new_format(x, "+#,##0%;\"\xE2\x88\x92\"#,##0%;\"±0%\"", 0, 0, false);
	/* as the catalogue writes a change: a decimal under 10% (+6.2%, +19%) */
	x->rel1 = new_format(x, "+#,##0.0%;\"\xE2\x88\x92\"#,##0.0%;\"±0%\"", 0, 0, false);
	x->rel_muted =
	    new_format(x, "+#,##0%;\"\xE2\x88\x92\"#,##0%;\"±0%\"", PALETTE_MUTED, 0, false);
	x->rel1_muted =
	    new_format(x, "+#,##0.0%;\"\xE2\x88\x92\"#,##0.0%;\"±0%\"", PALETTE_MUTED, 0, false);
	x->header = header_format(x, LXW_ALIGN_NONE);
	x->header_num = header_format(x, LXW_ALIGN_RIGHT);
	x->header_clear = header_format(x, LXW_ALIGN_NONE);
	format_set_indent(x->header_clear, 1);
	x->header_mid = header_format(x, LXW_ALIGN_CENTER);
	x->dash = new_format(x, NULL, 0, 0, false);
	format_set_align(x->dash, LXW_ALIGN_RIGHT);
	x->title = new_format(x, NULL, 0, 0, true);
	format_set_font_size(x->title, 14);
	x->subtitle = new_format(x, NULL, 0x555555, 0, false);
	x->block_title = new_format(x, NULL, 0, 0, true);
	format_set_font_size(x->block_title, 12);
	x->good = new_format(x, NULL, PALETTE_GOOD, PALETTE_GOOD_BG, false);
	x->bad = new_format(x, NULL, PALETTE_BAD, PALETTE_BAD_BG, false);
	x->warn = new_format(x, NULL, PALETTE_WARN_INK, PALETTE_WARN_BG, true);
	format_set_text_wrap(x->warn);
	format_set_align(x->warn, LXW_ALIGN_VERTICAL_TOP);
	x->link = new_format(x, NULL, 0x0563C1, 0, false);
	format_set_underline(x->link, LXW_UNDERLINE_SINGLE);
	x->verdict = new_format(x, NULL, 0, 0, true);
	format_set_text_wrap(x->verdict);
	format_set_align(x->verdict, LXW_ALIGN_VERTICAL_TOP);
	x->link_top = new_format(x, NULL, 0x0563C1, 0, false);
	format_set_underline(x->link_top, LXW_UNDERLINE_SINGLE);
	format_set_align(x->link_top, LXW_ALIGN_VERTICAL_TOP);
	x->wrap = new_format(x, NULL, 0, 0, false);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	x->mark = new_format(x, NULL, 0, 0xFFE699, true);
	x->tile_label = new_format(x, NULL, 0, 0, true);
	x->yesno = new_format(x, NULL, 0, 0, false);
	x->text_clear = new_format(x, NULL, 0, 0, false);
	format_set_indent(x->text_clear, 1);
	format_set_align(x->yesno, LXW_ALIGN_CENTER);
	x->yesno_muted = new_format(x, NULL, PALETTE_MUTED, 0, false);
	format_set_align(x->yesno_muted, LXW_ALIGN_CENTER);
	x->yesno_top = new_format(x, NULL, 0, 0, false);
	format_set_align(x->yesno_top, LXW_ALIGN_CENTER);
	format_set_align(x->yesno_top, LXW_ALIGN_VERTICAL_TOP);
	/* a label on the line of its figures, at a row's foot as they are (a
	 * centred one sat above them in the Overview's taller rows) */
}

/* Text fit for a cell: valid UTF-8 without the noncharacters XML cannot
 * hold, at most Excel's length ("…" where cut). Caller frees. */
static char *cell_text(const char *s)
{
	return shown_text(s, MAX_CELL_TEXT);
}

/* The columns of character c: two for a wide one (a Chinese or Japanese
 * letter, most emoji), else one. */
static long char_cols(gunichar c)
{
	return g_unichar_iswide(c) ? 2 : 1;
}

double xtext_width(const char *s)
{
	long w = 0;
	for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p))
		w += char_cols(g_utf8_get_char(p));
	return (double)w;
}

long xwrapped_lines(const char *s, long per)
{
	long lines = 1, used = 0; /* characters on the current line */
	if (per < 1)
		per = 1;
	for (const char *p = s ? s : ""; *p;) {
		if (*p == '\n') {
			lines++;
			used = 0;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		const char *end = p;
		long w = 0;
		for (; *end && *end != ' ' && *end != '\n'; end = g_utf8_next_char(end))
			w += char_cols(g_utf8_get_char(end));
		if (used && used + 1 + w > per) { /* the word goes to the next line */
			lines++;
			used = 0;
		}
		used += (used ? 1 : 0) + w;
		while (used > per) { /* a word longer than a line breaks within */
			lines++;
			used -= per;
		}
		p = end;
	}
	return lines;
}

void xtext(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
	if (!ws)
		return; /* measured, not written (xvalue_e) */
	if (!s)
		s = "";
	/* most texts are fit as they are: no copy (the sheet copies them) */
	if (!shown_needs_work(s, MAX_CELL_TEXT)) {
		xcheck(x, worksheet_write_string(ws, r, c, s, f), "write_string");
		return;
	}
	char *t = cell_text(s);
	xcheck(x, worksheet_write_string(ws, r, c, t, f), "write_string");
	g_free(t);
}

void xmerge(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, const char *s,
	    lxw_format *f)
{
	char *t = shown_needs_work(s, MAX_CELL_TEXT) ? cell_text(s) : NULL;
	xcheck(x, worksheet_merge_range(ws, r, c0, r, c1, t ? t : s ? s : "", f), "merge_range");
	g_free(t);
}

lxw_format *xformat_of(xctx *x, const char *key, const mval *v)
{
	return xformat_e(x, catalog_find(key), v);
}

/* The format of f (integral: of a whole number) in x's look. */
static lxw_format *cat_format_of(xctx *x, cat_format f, bool integral)
{
	lxw_format *plain = x->cat[f][integral];
	if (x->look == XLOOK_PLAIN || !plain)
		return plain;
	lxw_format **slot = &x->cat_look[x->look - 1][f][integral];
	if (!*slot) {
		char buf[64];
		const char *nf =
		    integral && f == CF_SCORE ? "0" : xnum_format(x, f, buf, sizeof buf);
		*slot = new_format(x, nf, x->look == XLOOK_MUTED ? PALETTE_MUTED : 0, 0, false);
		if (x->look == XLOOK_TOP)
			format_set_align(*slot, LXW_ALIGN_VERTICAL_TOP);
	}
	return *slot;
}

/* Money without cents in x's look ("$61,200"; a cost per unit's with its
 * "—" for 0). */
static lxw_format *money_whole(xctx *x, bool per_unit)
{
	lxw_format **slot = &x->money_whole[per_unit][x->look];
	if (*slot)
		return *slot;
	char buf[64], nf[200];
	const char *whole = xmoney_format(x, false, buf, sizeof buf);
	if (per_unit)
		snprintf(nf, sizeof nf, "%s;-%s;\"\xE2\x80\x94\"", whole, whole);
	else
		snprintf(nf, sizeof nf, "%s", whole);
	*slot = new_format(x, nf, x->look == XLOOK_MUTED ? PALETTE_MUTED : 0, 0, false);
	if (x->look == XLOOK_TOP)
		format_set_align(*slot, LXW_ALIGN_VERTICAL_TOP);
	return *slot;
}

lxw_format *xformat_e(xctx *x, const cat_entry *e, const mval *v)
{
	cat_format f = e ? e->format : CF_TEXT;
	if (f == CF_TEXT || f == CF_BOOL) {
		/* a key the catalogue shows as text still holds numbers of its mv_fmt */
		static const cat_format from_mv[] = {
		    [MF_PLAIN] = CF_TEXT,    [MF_COUNT] = CF_COUNT,   [MF_MONEY] = CF_MONEY,
		    [MF_RATE] = CF_PERCENT,  [MF_CHANGE] = CF_CHANGE, [MF_DAYS] = CF_DAYS,
		    [MF_MINUTES] = CF_HOURS, [MF_RATIO] = CF_RATIO,   [MF_SCORE] = CF_SCORE};
		mv_fmt m = mv_fmt_of(v);
		f = m <= MF_SCORE ? from_mv[m] : CF_TEXT;
	}
	bool per_unit = f == CF_MONEY && e && catalog_is_per_unit(e->key);
	if (f == CF_MONEY && x->whole_money)
		return money_whole(x, per_unit);
	if (per_unit) /* in grey too: a CAC on few wins */
		return x->look == XLOOK_MUTED ? x->per_unit_muted : x->per_unit;
	return cat_format_of(x, f, mv_kind_of(v) == MV_INT);
}

static double write_time(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, ts_ms t)
{
	time_t secs = (time_t)(t / 1000 - (t % 1000 < 0 ? 1 : 0));
	struct tm tm;
	if (!gmtime_r(&secs, &tm))
		return 0;
	if (!ws)
		return 20;
	lxw_datetime dt = {.year = tm.tm_year + 1900,
			   .month = tm.tm_mon + 1,
			   .day = tm.tm_mday,
			   .hour = tm.tm_hour,
			   .min = tm.tm_min,
			   .sec = tm.tm_sec};
	xcheck(x, worksheet_write_datetime(ws, r, c, &dt, cat_format_of(x, CF_DATETIME, false)),
	       "write_datetime");
	return 20;
}

/* The most characters numfmt_number() can give d in format f: the integer
 * digits (one more where rounding carries) with their separators, then
 * at most a sign, three more for decimals (money: the point and the
 * currency's own decimals) and a suffix, or the currency. */
static size_t shown_bound(double d, mv_fmt f, bool integral, const char *currency)
{
	if (!isfinite(d))
		return 1; /* the dash */
	double a = fabs(d) * (f == MF_RATE || f == MF_CHANGE ? 100 : 1) + 1;
	size_t digits = 1;
	for (double p = 10; p <= a && digits < 400; p *= 10)
		digits++;
	switch (f) {
	case MF_COUNT:
		return 1 + digits + digits / 3 + 3;
	case MF_MONEY: { /* the point and the currency's decimals: ".547" for KWD */
		const char *sym = numfmt_currency_symbol(currency);
		return 1 + digits + digits / 3 + 1 + (size_t)money_currency_decimals(currency) +
		       (sym ? strlen(sym) : 1 + (currency ? strlen(currency) : 0));
	}
	case MF_PLAIN:
		return integral ? 1 + digits : 11; /* %.4g: "-1.235e+06", "-0.0001235" */
	default: /* "+12.3%", "-1.5 d", "12.5 min", "1.25", "75.5" */
		return 2 + digits + 3 + 4;
	}
}

double xvalue(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const mval *v, const char *key)
{
	return xvalue_e(x, ws, r, c, v, catalog_find(key), 0);
}

double xvalue_e(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const mval *v,
		const cat_entry *e, double have)
{
	char shown[256];
	switch (mv_kind_of(v)) {
	case MV_NULL:
		return 0; /* undefined: an empty cell (the catalogue says why) */
	case MV_BOOL:	  /* centred: clear of a number right-aligned before it */
		xtext(x, ws, r, c, mv_bool_of(v) ? "yes" : "no",
		      x->look == XLOOK_PLAIN   ? x->yesno
		      : x->look == XLOOK_MUTED ? x->yesno_muted
					       : x->yesno_top);
		return 4;
	case MV_INT:
	case MV_NUM: {
		double scale = e ? e->scale : 1;
		bool integral = mv_kind_of(v) == MV_INT;
		if (!e && mv_fmt_of(v) == MF_MINUTES)
			scale = 1.0 / 60;
		double d = mv_num_of(v) * scale;
		if (ws)
			xcheck(x, worksheet_write_number(ws, r, c, d, xformat_e(x, e, v)),
			       "write_number");
		/* the text's width only matters where it could pass the widest yet */
		if ((double)shown_bound(d, mv_fmt_of(v), integral, x->currency) + 2 <= have)
			return 0;
		/* money as its number format shows it: the currency's every
		 * decimal, whatever the amount's size (numfmt_number drops them
		 * from 10,000 on) */
		if (mv_fmt_of(v) == MF_MONEY || (e && e->format == CF_MONEY))
			numfmt_money(d, !x->whole_money, x->currency, shown, sizeof shown);
		else
			numfmt_number(d, integral, mv_fmt_of(v), x->currency, shown, sizeof shown);
		return (double)g_utf8_strlen(shown, -1) + 2;
	}
	case MV_STR: { /* a key in words: a channel, "Paid search" */
		const char *t = catalog_words(e, mv_str_of(v));
		xtext(x, ws, r, c, t, NULL);
		return xtext_width(t);
	}
	case MV_TIME:
		return write_time(x, ws, r, c, mv_time_of(v));
	default: {
		char *s = json_compact(v);
		xtext(x, ws, r, c, s, NULL);
		double w = (double)g_utf8_strlen(s, -1);
		g_free(s);
		return w;
	}
	}
}

double xvalue_muted(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const mval *v,
		    const char *key)
{
	x->look = XLOOK_MUTED;
	double w = xvalue(x, ws, r, c, v, key);
	x->look = XLOOK_PLAIN;
	return w;
}

/* A change's format by its size, as numfmt_change_decimals() decides. */
lxw_format *xchange_format(xctx *x, double v, bool pp, bool muted)
{
	if (pp)
		return numfmt_change_decimals(v, true) ? (muted ? x->pp_muted : x->pp)
						       : (muted ? x->pp0_muted : x->pp0);
	return numfmt_change_decimals(v * 100, false) ? (muted ? x->rel1_muted : x->rel1)
						      : (muted ? x->rel_muted : x->rel);
}

lxw_format *xfew_note(xctx *x)
{
	if (!x->few_note) {
		x->few_note = workbook_add_format(x->wb);
		format_set_font_color(x->few_note, PALETTE_MUTED);
		format_set_font_size(x->few_note, 9);
	}
	return x->few_note;
}

char **xheaders(char **keys, size_t n)
{
	char **h = g_new0(char *, n + 1);
	for (size_t i = 0; i < n; i++) {
		const char *label = catalog_label(keys[i]);
		char *name = g_strdup(label);
		for (int k = 2;; k++) {
			bool taken = false;
			for (size_t j = 0; j < i; j++)
				taken |= g_ascii_strcasecmp(h[j], name) == 0;
			if (!taken)
				break;
			g_free(name);
			name = g_strdup_printf("%s (%d)", label, k);
		}
		h[i] = name;
	}
	return h;
}

/* A header's width on one line. */
static double header_one_line(const char *header)
{
	return 0.9 * (double)g_utf8_strlen(header, -1) + 3;
}

double xheader_width(const char *header)
{
	glong n = g_utf8_strlen(header, -1);
	double one = header_one_line(header);
	if (one <= 24)
		return one;
	/* the space nearest the middle, in characters */
	glong best = -1, at = 0;
	for (const char *p = header; *p; p = g_utf8_next_char(p), at++)
		if (*p == ' ' && (best < 0 || labs(2 * at - n) < labs(2 * best - n)))
			best = at;
	if (best < 0)
		return 24;
	glong longer = best > n - best - 1 ? best : n - best - 1;
	double two = 0.9 * (double)longer + 3;
	return two < 24 ? two : 24;
}

void xheader_height(xctx *x, lxw_worksheet *ws, lxw_row_t row, char *const *headers, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (header_one_line(headers[i]) > 24 && strchr(headers[i], ' ')) {
			xcheck(x, worksheet_set_row(ws, row, 30.0, NULL), "set_row");
			return;
		}
}

double xcol_width(double w)
{
	return w < 8 ? 8 : w > XLSX_COL_MAX ? XLSX_COL_MAX : w;
}

/* The width of character c in the sheets' font (Calibri, or Carlito of
 * the same metrics) in widths of its digit, the unit of a column's width:
 * printable ASCII by the font's advances (in hundredths), an accented
 * letter as its letter, a wide one (Chinese, Japanese, most emoji) two,
 * a dash or an ellipsis nearly two, any other one. */
static double char_units(gunichar c)
{
	static const unsigned char ascii[0x7F - 0x20] = {
	    45,	 64,  79,  100, 100, 141, 135, 44,  60,	 60,  100, 100, 49,  60,  50,  76,
	    100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 53,  53,	100, 100, 100, 91,
	    176, 114, 107, 105, 121, 96,  91,  124, 123, 50,  63,  103, 83,  169, 127, 131,
	    102, 133, 107, 91,	96,  127, 112, 176, 102, 96,  92,  61,	76,  61,  100, 100,
	    57,	 95,  104, 83,	104, 98,  60,  93,  104, 45,  47,  90,	45,  158, 104, 104,
	    104, 104, 69,  77,	66,  104, 89,  141, 85,	 89,  78,  69,	91,  69,  100,
	};
	if (g_unichar_iswide(c))
		return 2.0;
	if (c == 0x2014 || c == 0x2026) /* "—", "…" */
		return 1.8;
	gunichar base[4];
	if (c >= 0x80 && g_unichar_fully_decompose(c, FALSE, base, 4) > 0)
		c = base[0];
	return c >= 0x20 && c < 0x7F ? ascii[c - 0x20] / 100.0 : 1.0;
}

long xname_lines(const char *s, double cap)
{
	if (xtext_width(s) + 1 <= cap)
		return 1;
	/* as a spreadsheet wraps it: at a space, after a hyphen, or beside
	 * a Chinese or Japanese letter, the words in their widths (and a
	 * little more, to be safe); a word longer than a line breaks within */
	double per = (cap - 0.5) / 1.03, used = 0;
	long lines = 1;
	for (const char *p = s; *p;) {
		const char *end = p;
		double w = 0, space = 0;
		while (*end == ' ') {
			space += char_units(' ');
			end++;
		}
		for (; *end && *end != ' '; end = g_utf8_next_char(end)) {
			gunichar c = g_utf8_get_char(end);
			if (w > 0 && g_unichar_iswide(c))
				break; /* before a wide letter */
			w += char_units(c);
			if (c == '-' || g_unichar_iswide(c)) { /* after it */
				end = g_utf8_next_char(end);
				break;
			}
		}
		if (used > 0 && used + space + w > per) {
			lines++;
			used = 0;
			space = 0;
		}
		used += space + w;
		while (used > per) {
			lines++;
			used -= per;
		}
		p = end;
	}
	return lines;
}

lxw_format *xname_wrap(xctx *x, bool clear)
{
	lxw_format **slot = clear ? &x->clear_wrap : &x->name_wrap;
	if (!*slot) {
		*slot = workbook_add_format(x->wb);
		format_set_text_wrap(*slot);
		if (clear)
			format_set_indent(*slot, 1);
	}
	return *slot;
}

void xname_rows(xctx *x, lxw_worksheet *ws, lxw_row_t r, long lines)
{
	if (lines > 1)
		xcheck(x,
		       worksheet_set_row(ws, r, fmin(XLSX_LINE_PT * (double)lines, XLSX_ROW_MAX_PT),
					 NULL),
		       "set_row");
}

void xwidths(xctx *x, lxw_worksheet *ws, const double *w, size_t n, double *total)
{
	double sum = 0;
	for (size_t c = 0; c < n; c++) {
		double v = xcol_width(w[c]);
		sum += v;
		xcheck(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, v, NULL),
		       "set_column");
	}
	if (total)
		*total = sum;
}

size_t xrows_fit(lxw_row_t first, size_t n, lxw_row_t last)
{
	if (first >= last)
		return 0;
	size_t room = (size_t)(last - first); /* rows first .. last - 1 */
	return n <= room ? n : room;
}

void xleft_types(xleft *l, size_t n, const char *group)
{
	l->cut_rows = xrealloc(l->cut_rows, (l->ncut + 1) * sizeof *l->cut_rows);
	l->cut_group = xrealloc(l->cut_group, (l->ncut + 1) * sizeof *l->cut_group);
	l->cut_rows[l->ncut] = n;
	l->cut_group[l->ncut++] = group;
	l->rows += n;
}

void xrows_left_out(xctx *x, lxw_worksheet *ws, lxw_row_t r, xleft *l)
{
	GString *note = g_string_new(NULL);
	if (l->full || l->ncut == 0) {
		char n[32];
		numfmt_number((double)l->rows, true, MF_COUNT, NULL, n, sizeof n);
		g_string_printf(
		    note, "… and %s more rows: the sheet is full (metrics.json has them all)", n);
	} else {
		/* "… and 5 more event types in This week, 7 in Last 4 weeks and …",
		 * the counts grouped by thousands as every count of the workbook */
		for (size_t i = 0; i < l->ncut; i++) {
			const char *sep = i == 0 ? "… and " : i + 1 < l->ncut ? ", " : " and ";
			char n[32];
			numfmt_number((double)l->cut_rows[i], true, MF_COUNT, NULL, n, sizeof n);
			g_string_append_printf(note, "%s%s%s", sep, n,
					       i == 0 ? " more event types" : "");
			if (l->cut_group[i])
				g_string_append_printf(note, " in %s", l->cut_group[i]);
		}
		g_string_append(note, ": metrics.json has them all");
	}
	if (l->rows)
		xtext(x, ws, r > x->last_row ? x->last_row : r, 0, note->str, NULL);
	g_string_free(note, TRUE);
	free(l->cut_rows);
	free(l->cut_group);
	*l = (xleft){0};
}

void xcount_kind(const mval *v, size_t c, unsigned char *seen)
{
	switch (v ? mv_kind_of(v) : MV_NULL) {
	case MV_NULL:
		return;
	case MV_INT:
	case MV_NUM:
	case MV_TIME: /* a date-time cell is a number, right-aligned */
		seen[c] |= XSEEN_NUMBER;
		return;
	case MV_BOOL:
		seen[c] |= XSEEN_YESNO;
		return;
	default:
		seen[c] |= XSEEN_TEXT;
	}
}

/* The kinds of the empty columns by the catalogue (xlsx_int.h). */
void xseen_declared(char *const *keys, size_t n, unsigned char *seen)
{
	for (size_t c = 0; c < n; c++) {
		const cat_entry *e = seen[c] ? NULL : catalog_find(keys[c]);
		if (!e)
			continue;
		if (e->format == CF_BOOL)
			seen[c] = XSEEN_YESNO;
		else if (e->format != CF_TEXT || (e->unit && strcmp(e->unit, "the metric's") == 0))
			seen[c] = XSEEN_NUMBER;
	}
}

void xtable(xctx *x, lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, lxw_col_t c0, char **headers,
	    size_t n, const unsigned char *seen)
{
	if (n == 0)
		return;
	xheader_height(x, ws, r0, headers, n);
	lxw_table_column *cols = xcalloc(n, sizeof *cols);
	lxw_table_column **ptrs = xcalloc(n + 1, sizeof *ptrs);
	for (size_t i = 0; i < n; i++) {
		cols[i].header = headers[i];
		cols[i].header_format = !seen			  ? x->header
					: seen[i] == XSEEN_NUMBER ? x->header_num
					: seen[i] == XSEEN_YESNO  ? x->header_mid
								  : x->header;
		ptrs[i] = &cols[i];
	}
	char name[32];
	snprintf(name, sizeof name, "Table%d", ++x->ntables);
	lxw_table_options opt = {.name = name,
				 .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
				 .style_type_number = 9,
				 .columns = ptrs};
	/* a table needs a data row; an empty one shows the headers over a blank row */
	xcheck(
	    x,
	    worksheet_add_table(ws, r0, c0, r1 > r0 ? r1 : r0 + 1, (lxw_col_t)(c0 + n - 1), &opt),
	    "add_table");
	free(ptrs);
	free(cols);
}

/* A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique
 * (case-insensitively) in the workbook. Returns a name owned by x. */
static const char *sheet_name(xctx *x, const char *want)
{
	char base[128];
	snprintf(base, sizeof base, "%s", want && *want ? want : "Sheet");
	for (char *c = base; *c; c++)
		if (strchr("[]:*?/\\", *c))
			*c = '_';
	if (base[0] == '\'')
		base[0] = '_';
	char *valid = g_utf8_make_valid(base, -1);
	for (int n = 1;; n++) {
		char suffix[16] = "";
		if (n > 1)
			snprintf(suffix, sizeof suffix, " %d", n);
		glong room = 31 - (glong)strlen(suffix);
		char *cut = g_utf8_substring(valid, 0, MIN(g_utf8_strlen(valid, -1), room));
		char *name = xasprintf("%s%s", cut, suffix);
		g_free(cut);
		size_t len = strlen(name);
		while (len && name[len - 1] == '\'')
			name[--len] = '\0';
		bool taken = false;
		for (size_t i = 0; i < x->nnames; i++)
			if (g_ascii_strcasecmp(x->names[i], name) == 0)
				taken = true;
		if (!taken) {
			g_free(valid);
			x->names = xrealloc(x->names, (x->nnames + 1) * sizeof *x->names);
			x->abouts = xrealloc(x->abouts, (x->nnames + 1) * sizeof *x->abouts);
			x->abouts[x->nnames] = x->about;
			x->names[x->nnames++] = name;
			return name;
		}
		free(name);
	}
}

static void make_titles(xctx *x)
{
	const mval *rep = mv_get(x->root, "report");
	const char *week = mv_str_of(mv_get(rep, "week"));
	const char *w = week && strchr(week, 'W') ? strchr(week, 'W') + 1 : "?";
	const char *tz = mv_str_of(mv_get(rep, "timezone"));
	char longer[96], shorter[96];
	report_week_dates(rep, longer, shorter, sizeof longer, true);
	x->week_title = xasprintf("Week %d, %s (%s)", atoi(w), longer, tz ? tz : "UTC");
	x->week_short = xasprintf("week %d (%s)", atoi(w), shorter);
}

void xfooter(xctx *x, lxw_worksheet *ws, const char *centre)
{
	char *f =
	    xasprintf("&LMQL report%s%s&RPage &P of &N", centre ? "&C" : "", centre ? centre : "");
	xcheck(x, worksheet_set_footer(ws, f), "set_footer");
	free(f);
}

lxw_worksheet *xsheet(xctx *x, const char *title, const char **name_out)
{
	const char *name = sheet_name(x, title);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws) {
		xcheck(x, LXW_ERROR_SHEETNAME_ALREADY_USED, "add_worksheet");
		return NULL;
	}
	bool letter =
	    x->opts && x->opts->paper && g_ascii_strcasecmp(x->opts->paper, "letter") == 0;
	worksheet_set_paper(ws, letter ? 1 : 9);
	/* the week on the left, the sheet's name on the right, page N of M below */
	char *hdr = xasprintf("&L%s&R&A", x->week_title);
	xcheck(x, worksheet_set_header(ws, hdr), "set_header");
	xfooter(x, ws, NULL);
	free(hdr);
	if (name_out)
		*name_out = name;
	return ws;
}

lxw_worksheet *xsheet_streamed(xctx *x, const char *title)
{
	/* libxlsxwriter reads constant_memory from the workbook's options as
	 * each sheet is added: set for this sheet alone */
	x->wb->options.constant_memory = LXW_TRUE;
	lxw_worksheet *ws = xsheet(x, title, NULL);
	x->wb->options.constant_memory = LXW_FALSE;
	if (ws && x->nstreamed < G_N_ELEMENTS(x->streamed))
		x->streamed[x->nstreamed++] = ws;
	else if (ws) /* unchecked at the close: refused */
		xcheck(x, LXW_ERROR_FEATURE_NOT_SUPPORTED, "add a streamed worksheet");
	return ws;
}

/* The printable width of a sheet width_chars wide, in characters at 100%,
 * and whether it is landscape and prints over pages across. */
static double print_room(const xctx *x, double width_chars, bool *wide, bool *across)
{
	bool letter =
	    x->opts && x->opts->paper && g_ascii_strcasecmp(x->opts->paper, "letter") == 0;
	/* printable widths in character widths: about 7 px at 96 dpi within 0.7 in
	 * margins, less what a column's padding and the spreadsheet's rounding take
	 * (LibreOffice with Carlito, Calibri's metrics, breaks a 136-wide sheet
	 * on A4 landscape after 125 characters) */
	double portrait = letter ? 88 : 84, landscape = letter ? 118 : 124;
	*wide = width_chars > portrait;
	double room = *wide ? landscape : portrait;
	/* one page wide only where that keeps the print at 70% or more; a sheet
	 * wider still prints at 70%, over the fewest pages across that stay
	 * readable, unless its last page across would hold under a quarter of
	 * a page (a column or two beside the repeated keys): then it is fitted
	 * to one page, if that keeps 60% */
	double fit = room / width_chars, page = room / 0.7;
	*across = width_chars > room && fit < 0.7 && !(fit >= 0.6 && width_chars - page < page / 4);
	return room;
}

double xfirst_page_width(const xctx *x, const double *w, size_t n, bool *across)
{
	double total = 0;
	for (size_t c = 0; c < n; c++)
		total += xcol_width(w[c]);
	bool wide;
	double room = print_room(x, total, &wide, across);
	if (!*across)
		return total > room ? total : room; /* fitted to the page, or within it */
	double page = room / 0.7, used = 0;	    /* at 70%: 100%'s width / 0.7 */
	for (size_t c = 0; c < n && used + xcol_width(w[c]) <= page; c++)
		used += xcol_width(w[c]);
	return used;
}

bool xprints_across(const xctx *x, double width_chars)
{
	bool wide, across;
	print_room(x, width_chars, &wide, &across);
	return across;
}

void xprint(xctx *x, lxw_worksheet *ws, double width_chars, lxw_row_t repeat_first,
	    lxw_row_t repeat_last, lxw_col_t keys)
{
	bool wide, across;
	double room = print_room(x, width_chars, &wide, &across);
	if (wide)
		worksheet_set_landscape(ws);
	if (width_chars > room && !across)
		worksheet_fit_to_pages(ws, 1, 0);
	else if (across)
		worksheet_set_print_scale(ws, 70);
	if (repeat_last >= repeat_first)
		xcheck(x, worksheet_repeat_rows(ws, repeat_first, repeat_last), "repeat_rows");
	/* over pages across: each page starts with the key columns (frozen on
	 * screen too), so that its rows can be told apart */
	if (across && keys > 0)
		xcheck(x, worksheet_repeat_columns(ws, 0, keys - 1), "repeat_columns");
}

const char *xlsx_sheet_title(const layout_workbook *lw, const char *id)
{
	for (size_t i = 0; i < lw->nsheets; i++)
		if (strcmp(lw->sheets[i].id, id) == 0)
			return lw->sheets[i].title;
	return NULL;
}

/* True when path is the top-level key or a part of it. */
static bool under(const char *path, const char *key, size_t n)
{
	return strncmp(path, key, n) == 0 && (path[n] == '\0' || path[n] == '.');
}

static bool any_under(char *const *paths, const char *key, size_t n)
{
	for (char *const *q = paths; q && *q; q++)
		if (under(*q, key, n))
			return true;
	return false;
}

/* True when a template sheet shows the top-level key (or a part of it). */
static bool covered(const layout_workbook *lw, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; i < lw->nsheets; i++) {
		const layout_sheet *s = &lw->sheets[i];
		if (under(s->path, key, n) || any_under(s->paths, key, n) ||
		    any_under(s->covers, key, n))
			return true;
	}
	return false;
}

/* Document properties: the same report gives the same bytes, so the
 * creation time is as_of, never the clock. */
static void set_properties(xctx *x, const mval *rep)
{
	ts_ms created = mv_time_of(mv_get(rep, "as_of"));
	char *doc_title = xasprintf("MQL report, %s", x->week_short);
	lxw_doc_properties props = {
	    .title = doc_title,
	    .subject = "Marketing funnel: leads, MQLs, SQLs, wins, spend and ROI",
	    .keywords = "MQL, funnel, marketing, weekly report",
	    .company = x->opts && x->opts->company ? (char *)x->opts->company : NULL,
	    .comments = "Written by mqlreport from the week's exports",
	    .created = created == TS_NONE ? 1 : (time_t)(created / 1000),
	};
	xcheck(x, workbook_set_properties(x->wb, &props), "set_properties");
	free(doc_title);
}

/* Parts of the tree no template sheet names, each on a sheet titled by the
 * catalogue (or its key in words), in tree order. */
static void write_rest(xctx *x, const layout_workbook *lw)
{
	for (size_t i = 0; i < mv_len(x->root); i++) {
		const char *key = mv_key(x->root, i);
		if (!key || covered(lw, key))
			continue;
		layout_sheet ls = {.id = (char *)key,
				   .title = (char *)catalog_label(key),
				   .path = (char *)key,
				   .group_column = "group"};
		const cat_entry *e = catalog_find(key);
		x->about = e && e->definition
			       ? e->definition
			       : "A part of the report that the workbook's template does "
				 "not name, as metrics.json holds it.";
		xlsx_table_sheet(x, &ls);
	}
}

static bool shown(const xctx *x, const layout_sheet *ls)
{
	if (mv_path(x->root, ls->path))
		return true;
	for (char **q = ls->paths; q && *q; q++)
		if (mv_path(x->root, *q))
			return true;
	return ls->kind && strcmp(ls->kind, "overview") == 0;
}

/* The template's sheets in order; the parts it does not name go before the
 * drill-downs, so that Data quality and the Glossary stay last. */
static void write_sheets(xctx *x, const layout_workbook *lw)
{
	bool rest = false;
	for (size_t i = 0; i < lw->nsheets; i++) {
		const layout_sheet *ls = &lw->sheets[i];
		const char *k = ls->kind ? ls->kind : "table";
		bool tail = strcmp(k, "drilldown") == 0 || strcmp(k, "quality") == 0 ||
			    strcmp(k, "glossary") == 0;
		if (tail && !rest) {
			write_rest(x, lw);
			rest = true;
		}
		if (!shown(x, ls))
			continue;
		x->about = ls->about;
		if (strcmp(k, "overview") == 0)
			xlsx_overview(x, ls, lw);
		else if (strcmp(k, "attribution") == 0)
			xlsx_attribution(x, ls);
		else if (strcmp(k, "drilldown") == 0)
			xlsx_drilldown(x, ls);
		else if (strcmp(k, "quality") == 0)
			xlsx_quality(x, ls);
		else if (strcmp(k, "glossary") == 0)
			xlsx_glossary(x, ls);
		else if (strcmp(k, "contents") == 0)
			xlsx_contents(x, ls);
		else
			xlsx_table_sheet(x, ls);
	}
	if (!rest)
		write_rest(x, lw);
	xlsx_contents_fill(x);
}

static void xctx_clear(xctx *x)
{
	if (x->wb)
		workbook_close(x->wb);
	x->wb = NULL;
	for (size_t i = 0; i < x->nnames; i++)
		free(x->names[i]);
	free(x->names);
	free(x->abouts);
	free(x->week_title);
	free(x->week_short);
}

/* Whether every row of the streamed sheets reached their temporary files:
 * libxlsxwriter writes them there without looking at the outcome, and a
 * full disk would leave the sheet short of rows. Their last rows are
 * written first (the close would write them, and does nothing for a row
 * written already). */
static bool streamed_whole(xctx *x, int *errnum)
{
	for (size_t i = 0; i < x->nstreamed; i++) {
		lxw_worksheet *ws = x->streamed[i];
		lxw_worksheet_write_single_row(ws);
		errno = 0;
		if (!ws->optimize_tmpfile || fflush(ws->optimize_tmpfile) != 0 ||
		    ferror(ws->optimize_tmpfile)) {
			*errnum = errno ? errno : EIO;
			return false;
		}
	}
	return true;
}

static int finish(xctx *x, const char *path, mq_err *err)
{
	int errnum = 0;
	if (!streamed_whole(x, &errnum)) {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: cannot write a temporary file of its drill-down sheets in %s: %s; "
			   "set TMPDIR to a folder that can be written and has room",
			   path, g_get_tmp_dir(), strerror(errnum));
		return -1;
	}
	lxw_error close_rc = workbook_close(x->wb);
	x->wb = NULL;
	if (x->lerr != LXW_NO_ERROR) {
		mq_err_set(err, MQ_CANTCREAT, "%s: %s: %s", path, x->lerr_what,
			   lxw_strerror(x->lerr));
		return -1;
	}
	if (close_rc != LXW_NO_ERROR) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write the workbook: %s", path,
			   lxw_strerror(close_rc));
		return -1;
	}
	return 0;
}

int report_xlsx_write_opts(const mval *root, const char *path, const xlsx_opts *o, mq_err *err)
{
	xctx x = {.root = root, .opts = o, .last_row = LXW_ROW_MAX - 1};
	if (o && o->last_row && o->last_row < x.last_row)
		x.last_row = o->last_row;
	layout_workbook *lw = layout_workbook_parse(layout_tpl_workbook, "workbook.ini", err);
	if (!lw)
		return -1;
	x.currency = mv_str_of(mv_get(mv_get(root, "report"), "currency"));
	if (!x.currency)
		x.currency = "USD";
	make_titles(&x);
	afile *af = afile_open(path, err);
	if (!af)
		goto fail;
	/* the streamed sheets' rows wait in a temporary file, where the
	 * report's others are (TMPDIR, else /tmp) */
	lxw_workbook_options wo = {.tmpdir = (char *)g_get_tmp_dir()};
	x.wb = workbook_new_opt(afile_temp_path(af), &wo);
	if (!x.wb) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot create the workbook", path);
		goto fail;
	}
	set_properties(&x, mv_get(root, "report"));
	make_formats(&x);
	write_sheets(&x, lw);
	/* read back: libxlsxwriter's close succeeds over a part it could not
	 * write whole */
	if (finish(&x, path, err) != 0 || xlsx_check_parts(afile_temp_path(af), path, err) != 0)
		goto fail;
	xctx_clear(&x);
	layout_workbook_free(lw);
	return afile_commit(af, err);
fail:
	xctx_clear(&x);
	afile_abort(af);
	layout_workbook_free(lw);
	return -1;
}

int report_xlsx_write(const mval *root, const char *path, mq_err *err)
{
	return report_xlsx_write_opts(root, path, NULL, err);
}
