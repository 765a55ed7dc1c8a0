/* mail_chart.c — the e-mail's inline picture: the 13-week trend of the
 * headline KPIs as small multiples, each with its own scale, drawn with
 * cairo into a PNG in memory (mail_chart.h).
 *
 * It draws what `kpi_trend` holds; it must not compute a metric, write a
 * file or choose whether the picture is sent (cmd/deliver.c does), and it
 * never cuts a figure short. Text goes through chart.c's pango helpers. */
#include "mail_chart.h"

#include <cairo.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "chart.h"
#include "palette.h"

#define W	  560.0 /* CSS pixels; drawn at SCALE for sharp text on phones */
#define SCALE	  2.0
#define COLS	  2
#define PANEL_H	  150.0
#define HEAD_H	  32.0 /* the heading line: the weeks */
#define MAX_WEEKS 64

static const char *const kpis[] = {"leads", "mqls",	    "sqls",
				   "wins",  "cost_per_mql", "mql_to_sql_rate"};
#define NKPI (sizeof kpis / sizeof kpis[0])

static void rgb(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
			     (c & 0xff) / 255.0);
}

/* The series of kpi over kpi_trend's weeks (NAN where null); returns n. */
static size_t series(const mval *trend, const char *kpi, double *v, double *lo, double *hi)
{
	size_t n = MIN(mv_len(trend), (size_t)MAX_WEEKS);
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		const mval *x = mv_get(mv_at(trend, i), kpi);
		v[i] = !x || mv_is_null(x) ? NAN : mv_num_of(x);
		if (isfinite(v[i])) {
			*lo = MIN(*lo, v[i]);
			*hi = MAX(*hi, v[i]);
		}
	}
	return n;
}

static const char *week_label(const mval *trend, size_t i, char *buf, size_t n)
{
	const char *w = mv_str_of(mv_get(mv_at(trend, i), "week"));
	const char *p = w ? strchr(w, 'W') : NULL;
	g_snprintf(buf, n, "W%s", p ? p + 1 : "?");
	return buf;
}

/* The line of one panel in the plot box (x, y, w, h), this week's point dark;
 * when this week is not yet comparable (young: a cohort still converting),
 * its segment dashed and its point hollow, so that a young week's low value
 * does not read as a fall. */
static void draw_line(cairo_t *cr, const double *v, size_t n, double lo, double hi, double x,
		      double y, double w, double h, bool young)
{
	const chart_line_style mail = {palette_channel[0], 2, {4, 3}, 4, 1.5};
	/* a flat line in the middle of the box */
	double base = hi > lo ? lo : lo - 0.5, top = hi > lo ? hi : base + 1;
	chart_trend_line(cr, (chart_box){x, y, w, h}, v, n, base, top, &mail, young);
}

#define LABEL_PT 17.0 /* a panel's label */
#define FIG_PT	 20.0 /* its figure of this week */
#define SPAN_PT	 14.0 /* its low and high */
#define MIN_PT	 9.0  /* the smallest a figure is set at to fit its panel */
#define GAP	 12.0 /* between a label and the figure beside it */
#define FIG_H	 26.0 /* the room a figure takes under its label */
#define SPAN_H	 17.0 /* the room of a line of low or high */
#define INSET	 8.0  /* a panel's texts end where its plot does, this far inside it */

/* How every panel is laid out: the same for all six, so that their plots
 * line up. A figure that does not fit beside its label (a currency
 * written as a code, billions) goes under it, in every panel; a low and
 * high that do not fit one line go on two. Nothing is cut short: a number
 * cut with "…" reads as another number. */
typedef struct look {
	bool figure_below;
	bool span_split;
} look;

/* The drawing of one picture: where it records its texts (mail_trend_texts)
 * and whether it draws them at all. */
typedef struct pic {
	cairo_t *cr;
	look look;
	bool draw;
	mail_trend_text *rec;
	size_t nrec, max;
} pic;

/* The texts of one panel: its label, this week's figure, its low and high. */
typedef struct panel_text {
	const char *label;
	char now[64], low[96], high[96];
	bool any; /* a week with a value */
} panel_text;

/* Panel kpi's texts into t, its series over the weeks into v (n values),
 * their range into lo and hi. */
static void panel_texts(const mval *trend, const char *kpi, const char *cur, panel_text *t,
			double *v, size_t *n, double *lo, double *hi)
{
	const cat_entry *e = catalog_find(kpi);
	*n = series(trend, kpi, v, lo, hi);
	t->label = e ? e->short_label : kpi;
	catalog_format_number(e, *n ? v[*n - 1] : NAN, cur, t->now, sizeof t->now);
	t->any = isfinite(*lo);
	char a[64], b[64];
	g_snprintf(t->low, sizeof t->low, "low %s",
		   t->any ? catalog_format_number(e, *lo, cur, a, sizeof a) : "");
	g_snprintf(t->high, sizeof t->high, "high %s",
		   t->any ? catalog_format_number(e, *hi, cur, b, sizeof b) : "");
}

/* The largest size, from `size` down to MIN_PT, at which text fits room. */
static double fit(cairo_t *cr, const char *text, double size, bool bold, double room)
{
	while (size > MIN_PT && chart_text_width(cr, text, size, bold) > room)
		size -= 0.5;
	return size;
}

/* text whole at `size`, its left edge at x (or its right edge, when
 * right), recorded with the panel's edges it must keep within. */
static void put(pic *p, const char *text, double x, double y, double size, bool bold, bool right,
		double left_edge, double right_edge)
{
	double w = chart_text_width(p->cr, text, size, bold);
	if (right)
		x -= w;
	double h = size * 1.25;
	if (p->draw)
		h = chart_text(p->cr, text, x, y, 0, size, bold, CHART_LEFT);
	if (p->rec && p->nrec < p->max) {
		mail_trend_text *r = &p->rec[p->nrec];
		*r = (mail_trend_text){.x = x,
				       .y = y,
				       .w = w,
				       .h = h,
				       .size = size,
				       .left = left_edge,
				       .right = right_edge};
		g_strlcpy(r->text, text, sizeof r->text);
	}
	if (p->rec)
		p->nrec++;
}

/* The look the texts of every panel need in panels pw wide. */
static look choose_look(cairo_t *cr, const mval *trend, const char *cur, double pw)
{
	look l = {false, false};
	for (size_t i = 0; i < NKPI; i++) {
		panel_text t;
		double v[MAX_WEEKS], lo, hi;
		size_t n;
		panel_texts(trend, kpis[i], cur, &t, v, &n, &lo, &hi);
		double lw = chart_text_width(cr, t.label, LABEL_PT, true);
		if (lw + GAP + chart_text_width(cr, t.now, FIG_PT, true) > pw)
			l.figure_below = true;
		char span[200];
		g_snprintf(span, sizeof span, "%s \xC2\xB7 %s", t.low, t.high);
		if (t.any && chart_text_width(cr, span, SPAN_PT, false) > pw)
			l.span_split = true;
	}
	return l;
}

/* A panel's height in look l: a line more for a figure under its label,
 * another for low and high on two lines. */
static double panel_h(look l)
{
	return PANEL_H + (l.figure_below ? FIG_H : 0) + (l.span_split ? SPAN_H : 0);
}

/* Panel kpi at (x0, y0), pw wide: its label and this week's figure, the
 * line of its weeks, its low and high, in p's look. */
static void panel(pic *p, const mval *trend, const char *kpi, const char *cur, double x0, double y0,
		  double pw)
{
	cairo_t *cr = p->cr;
	const cat_entry *e = catalog_find(kpi);
	double v[MAX_WEEKS], lo, hi;
	size_t n;
	panel_text t;
	panel_texts(trend, kpi, cur, &t, v, &n, &lo, &hi);
	/* the texts keep to the plot's width, the figure flush with its end */
	double right = x0 + pw - INSET, room = pw - INSET;
	rgb(cr, PALETTE_DARK);
	put(p, t.label, x0, y0, fit(cr, t.label, LABEL_PT, true, room), true, false, x0, right);
	double top = y0;
	if (p->look.figure_below) {
		put(p, t.now, x0, y0 + 22, fit(cr, t.now, FIG_PT, true, room), true, false, x0,
		    right);
		top += FIG_H;
	} else {
		put(p, t.now, right, y0 - 2, FIG_PT, true, true, x0, right);
	}
	double px = x0 + 4, py = top + 32, plw = pw - 12, ph = PANEL_H - 74;
	if (p->draw) {
		rgb(cr, 0xE5E5E5);
		cairo_set_line_width(cr, 1);
		cairo_move_to(cr, px, py + 0.5);
		cairo_line_to(cr, px + plw, py + 0.5);
		cairo_move_to(cr, px, py + ph + 0.5);
		cairo_line_to(cr, px + plw, py + ph + 0.5);
		cairo_stroke(cr);
		if (t.any)
			draw_line(cr, v, n, lo, hi, px, py + 4, plw, ph - 8, e && e->young);
	}
	rgb(cr, 0x666666);
	/* the weeks are the picture's heading, once: the whole width is the range's */
	double sy = py + ph + 6;
	if (!t.any) {
		put(p, "no values", x0, sy, SPAN_PT, false, false, x0, right);
	} else if (p->look.span_split) {
		put(p, t.low, x0, sy, fit(cr, t.low, SPAN_PT, false, room), false, false, x0,
		    right);
		put(p, t.high, x0, sy + SPAN_H, fit(cr, t.high, SPAN_PT, false, room), false, false,
		    x0, right);
	} else {
		char span[200];
		g_snprintf(span, sizeof span, "%s \xC2\xB7 %s", t.low, t.high);
		put(p, span, x0, sy, SPAN_PT, false, false, x0, right);
	}
}

/* Lays out (and, when p->draw, draws) the whole picture on p->cr; its
 * height in CSS pixels. */
static double picture(pic *p, const mval *trend, const char *cur)
{
	double pw = (W - 16) / COLS;
	p->look = choose_look(p->cr, trend, cur, pw - 16 - INSET);
	char w1[16], w2[16],
	    *head = g_strdup_printf("Weeks %s to %s, each panel on its own scale",
				    week_label(trend, 0, w1, sizeof w1),
				    week_label(trend, mv_len(trend) - 1, w2, sizeof w2));
	rgb(p->cr, 0x666666);
	put(p, head, 8, 6, fit(p->cr, head, 14, false, W - 16), false, false, 8, W - 8);
	g_free(head);
	double h = panel_h(p->look);
	for (size_t i = 0; i < NKPI; i++)
		panel(p, trend, kpis[i], cur, 8 + pw * (double)(i % COLS),
		      HEAD_H + h * (double)(i / COLS), pw - 16);
	return HEAD_H + h * (double)((NKPI + COLS - 1) / COLS);
}

/* A surface of 1×1 to measure text on, at the picture's scale. */
static cairo_t *measuring(cairo_surface_t **s)
{
	*s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *cr = cairo_create(*s);
	cairo_scale(cr, SCALE, SCALE);
	return cr;
}

size_t mail_trend_texts(const mval *root, mail_trend_text *out, size_t max, double *height)
{
	const mval *trend = mv_get(root, "kpi_trend");
	*height = 0;
	if (mv_len(trend) == 0)
		return 0;
	const char *cur = mv_str_of(mv_path(root, "report.currency"));
	cairo_surface_t *s;
	pic p = {.cr = measuring(&s), .draw = false, .rec = out, .max = max};
	*height = picture(&p, trend, cur ? cur : "USD");
	cairo_destroy(p.cr);
	cairo_surface_destroy(s);
	return p.nrec;
}

static cairo_status_t to_buffer(void *closure, const unsigned char *data, unsigned int len)
{
	g_byte_array_append((GByteArray *)closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

unsigned char *mail_trend_png(const mval *root, size_t *len)
{
	const mval *trend = mv_get(root, "kpi_trend");
	*len = 0;
	if (mv_len(trend) == 0)
		return NULL;
	const char *cur = mv_str_of(mv_path(root, "report.currency"));
	cur = cur ? cur : "USD";
	/* the height follows the look the texts need: measure first */
	cairo_surface_t *ms;
	pic m = {.cr = measuring(&ms), .draw = false};
	double h = picture(&m, trend, cur);
	cairo_destroy(m.cr);
	cairo_surface_destroy(ms);
	cairo_surface_t *s =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(W * SCALE), (int)(h * SCALE));
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, SCALE, SCALE);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	pic p = {.cr = cr, .draw = true};
	picture(&p, trend, cur);
	GByteArray *out = g_byte_array_new();
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(s, to_buffer, out);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		g_byte_array_free(out, TRUE);
		return NULL;
	}
	*len = out->len;
	unsigned char *data = xmalloc(out->len ? out->len : 1);
	memcpy(data, out->data, out->len);
	g_byte_array_free(out, TRUE);
	return data;
}

/* One series in the alt text: its first and last value ("Leads from 95
 * to 102"); a week without one is passed over for the nearest that has
 * one, named ("Leads from 12 in W15 to 102"), so that no "—" stands for a
 * week before the data; "Cost per MQL: no value" when none has one. */
static void alt_series(GString *b, const mval *trend, const char *label, const cat_entry *e,
		       const double *v, size_t n, const char *cur)
{
	size_t first = 0, last = n;
	while (first < n && !isfinite(v[first]))
		first++;
	while (last > first && !isfinite(v[last - 1]))
		last--;
	if (first == n) {
		g_string_append_printf(b, "%s: no value", label);
		return;
	}
	char a[64], z[64], wa[16], wz[16];
	catalog_format_number(e, v[first], cur, a, sizeof a);
	catalog_format_number(e, v[last - 1], cur, z, sizeof z);
	week_label(trend, first, wa, sizeof wa);
	week_label(trend, last - 1, wz, sizeof wz);
	bool whole = first == 0 && last == n;
	if (last - 1 == first && !whole) /* one week of the series has a value */
		g_string_append_printf(b, "%s %s in %s only", label, a, wa);
	else
		g_string_append_printf(b, "%s from %s%s%s to %s%s%s", label, a, first ? " in " : "",
				       first ? wa : "", z, last < n ? " in " : "",
				       last < n ? wz : "");
	if (e && e->young && last == n)
		g_string_append(b, " (this week not yet comparable)");
}

char *mail_trend_alt(const mval *root)
{
	const mval *trend = mv_get(root, "kpi_trend");
	size_t n = mv_len(trend);
	char w1[16] = "?", w2[16] = "?";
	if (n) {
		week_label(trend, 0, w1, sizeof w1);
		week_label(trend, n - 1, w2, sizeof w2);
	}
	GString *b = g_string_new(NULL);
	g_string_append_printf(b, "Weekly trend from %s to %s, each with its own scale:", w1, w2);
	const char *cur = mv_str_of(mv_path(root, "report.currency"));
	for (size_t i = 0; i < NKPI; i++) {
		const cat_entry *e = catalog_find(kpis[i]);
		double v[MAX_WEEKS], lo, hi;
		size_t k = series(trend, kpis[i], v, &lo, &hi);
		g_string_append(b, i ? "; " : " ");
		alt_series(b, trend, e ? e->short_label : kpis[i], e, v, k, cur ? cur : "USD");
	}
	g_string_append(b, ".");
	char *alt = xstrdup(b->str);
	g_string_free(b, TRUE);
	return alt;
}
