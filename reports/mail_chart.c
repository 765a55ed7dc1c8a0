/* mail_chart.c — the e-mail's inline picture: the 13-week trend of the
 * headline KPIs as small multiples, each with its own scale, drawn with
 * cairo into a PNG in memory (mail_chart.h).
 *
 * It draws what `kpi_trend` holds; it must not compute a metric, write a
 * file or choose whether the picture is sent (cmd/deliver.c does). Text goes
 * through chart.c's pango helpers. */
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

static void panel(cairo_t *cr, const mval *trend, const char *kpi, const char *cur, double x0,
		  double y0, double pw)
{
	const cat_entry *e = catalog_find(kpi);
	double v[MAX_WEEKS], lo, hi;
	size_t n = series(trend, kpi, v, &lo, &hi);
	char now[64], a[64], b[64];
	catalog_format_number(e, n ? v[n - 1] : NAN, cur, now, sizeof now);
	rgb(cr, PALETTE_DARK);
	chart_text(cr, e ? e->short_label : kpi, x0, y0, pw * 0.6, 17, true, CHART_LEFT);
	chart_text(cr, now, x0 + pw * 0.6, y0 - 2, pw * 0.4 - 8, 20, true, CHART_RIGHT);
	double px = x0 + 4, py = y0 + 32, plw = pw - 12, ph = PANEL_H - 74;
	rgb(cr, 0xE5E5E5);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, px, py + 0.5);
	cairo_line_to(cr, px + plw, py + 0.5);
	cairo_move_to(cr, px, py + ph + 0.5);
	cairo_line_to(cr, px + plw, py + ph + 0.5);
	cairo_stroke(cr);
	if (isfinite(lo))
		draw_line(cr, v, n, lo, hi, px, py + 4, plw, ph - 8, e && e->young);
	rgb(cr, 0x666666);
	char span[160];
	if (isfinite(lo))
		g_snprintf(span, sizeof span, "low %s · high %s",
			   catalog_format_number(e, lo, cur, a, sizeof a),
			   catalog_format_number(e, hi, cur, b, sizeof b));
	else
		g_snprintf(span, sizeof span, "no values");
	/* the weeks are the picture's heading, once: the whole width is the range's */
	chart_text(cr, span, x0, py + ph + 6, pw, 14, false, CHART_LEFT);
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
	size_t rows = (NKPI + COLS - 1) / COLS;
	double h = HEAD_H + PANEL_H * (double)rows;
	cairo_surface_t *s =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(W * SCALE), (int)(h * SCALE));
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, SCALE, SCALE);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	double pw = (W - 16) / COLS;
	char w1[16], w2[16],
	    *head = g_strdup_printf("Weeks %s to %s, each panel on its own scale",
				    week_label(trend, 0, w1, sizeof w1),
				    week_label(trend, mv_len(trend) - 1, w2, sizeof w2));
	rgb(cr, 0x666666);
	chart_text(cr, head, 8, 6, W - 16, 14, false, CHART_LEFT);
	g_free(head);
	for (size_t i = 0; i < NKPI; i++)
		panel(cr, trend, kpis[i], cur ? cur : "USD", 8 + pw * (double)(i % COLS),
		      HEAD_H + PANEL_H * (double)(i / COLS), pw - 16);
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
