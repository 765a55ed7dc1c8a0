/* chart.c — bar, line and interval charts drawn with cairo and pango into
 * a box the caller gives (see chart.h).
 *
 * Creates no surface and chooses no page: pdf.c (and any PNG writer) does. */
#include "chart.h"
#include "chart_int.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "labels.h"
#include "numfmt.h"

static const double palette[][3] = {
    {0.16, 0.40, 0.66}, {0.93, 0.49, 0.19}, {0.30, 0.62, 0.33},
    {0.77, 0.24, 0.27}, {0.51, 0.40, 0.70}, {0.55, 0.55, 0.55},
};
#define NPALETTE (sizeof palette / sizeof palette[0])

double chart_text_width(cairo_t *cr, const char *text, double size, bool bold)
{
	PangoLayout *l = lbl_layout(cr, text, size, bold);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	g_object_unref(l);
	return (double)w / PANGO_SCALE;
}

/* WCAG 2's relative luminance of c (palette.c's rule). */
static double luminance(pal_rgb c)
{
	return palette_luminance(c.r, c.g, c.b);
}

pal_rgb pal_ink_on(pal_rgb fill)
{
	/* the contrast ratio is (L1 + 0.05) / (L2 + 0.05), lighter over darker */
	double lf = luminance(fill) + 0.05;
	pal_rgb dark = PAL_TEXT, white = {1, 1, 1};
	double on_dark = lf / (luminance(dark) + 0.05), on_white = 1.05 / lf;
	return on_white > on_dark ? white : dark;
}

/* A colour of 0..1 channels as 0xRRGGBB. */
static uint32_t hex_of(pal_rgb c)
{
	return (uint32_t)(c.r * 255 + 0.5) << 16 | (uint32_t)(c.g * 255 + 0.5) << 8 |
	       (uint32_t)(c.b * 255 + 0.5);
}

void ci_fill_mark(cairo_t *cr, pal_rgb c, double a)
{
	ci_rgba(cr, c, a);
	/* the colour as it lands on white */
	pal_rgb seen = {1 - a * (1 - c.r), 1 - a * (1 - c.g), 1 - a * (1 - c.b)};
	double x1, y1, x2, y2; /* a bar of no length stays unmarked */
	cairo_fill_extents(cr, &x1, &y1, &x2, &y2);
	if (!palette_faint(hex_of(seen)) || x2 - x1 < 0.5 || y2 - y1 < 0.5) {
		cairo_fill(cr);
		return;
	}
	cairo_fill_preserve(cr);
	/* the shade of the colour as it lands, drawn whole: a faded bar's
	 * edge at the bar's own opacity would be as faint as the bar */
	ci_rgb(cr, pal_hex(palette_shade(hex_of(seen))));
	cairo_set_line_width(cr, 0.6);
	cairo_stroke(cr);
}

/* Draw l with its top left at (x, y), free it; its height. */
static double show_layout(cairo_t *cr, PangoLayout *l, double x, double y)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

/* The alignment of l's text that puts it where align says on the page:
 * Pango swaps left and right for a paragraph written right to left (an
 * Arabic or Hebrew name), which would then sit at the far side of its
 * box, away from its bar; so they are swapped back for one. */
static PangoAlignment page_align(PangoLayout *l, enum chart_align align)
{
	if (align == CHART_CENTER)
		return PANGO_ALIGN_CENTER;
	bool rtl = pango_layout_get_direction(l, 0) == PANGO_DIRECTION_RTL;
	return (align == CHART_RIGHT) != rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
}

double chart_text(cairo_t *cr, const char *text, double x, double y, double width, double size,
		  bool bold, enum chart_align align)
{
	PangoLayout *l = lbl_layout(cr, text, size, bold);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_alignment(l, page_align(l, align));
	} else if (align != CHART_LEFT) {
		int w, h;
		pango_layout_get_size(l, &w, &h);
		x -= align == CHART_CENTER ? (double)w / PANGO_SCALE / 2 : (double)w / PANGO_SCALE;
	}
	return show_layout(cr, l, x, y);
}

static PangoLayout *wrap_layout(cairo_t *cr, const char *text, double width, double size, bool bold,
				enum chart_align align, int max_lines)
{
	PangoLayout *l = lbl_layout(cr, text, size, bold);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_height(l, -max_lines);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(l, page_align(l, align));
	return l;
}

double chart_text_wrap(cairo_t *cr, const char *text, double x, double y, double width, double size,
		       bool bold, enum chart_align align, int max_lines)
{
	PangoLayout *l = wrap_layout(cr, text, width, size, bold, align, max_lines);
	return show_layout(cr, l, x, y);
}

double chart_text_wrap_height(cairo_t *cr, const char *text, double width, double size, bool bold,
			      int max_lines)
{
	PangoLayout *l = wrap_layout(cr, text, width, size, bold, CHART_LEFT, max_lines);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

/* A tick step of 1, 2 or 5 × 10^k giving about `want` intervals over span. */
static double nice_step(double span, int want)
{
	double raw = span / want;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

typedef struct plot {
	double x0, y0, x1, y1; /* plot area, y0 top */
	double lo, hi;	       /* value range */
} plot;

static double py(const plot *p, double v)
{
	return p->y1 - (v - p->lo) / (p->hi - p->lo) * (p->y1 - p->y0);
}

/* Axis range, grid lines and tick labels; fills p's plot area inside box. */
static void axes(cairo_t *cr, chart_box box, const chart_data *d, plot *p, bool legend)
{
	double lo = 0, hi = 0;
	for (size_t s = 0; s < d->nseries; s++) {
		const chart_series *se = &d->series[s];
		for (size_t i = 0; i < d->n; i++) {
			double vals[3] = {se->v[i], se->lo ? se->lo[i] : NAN,
					  se->hi ? se->hi[i] : NAN};
			for (int k = 0; k < 3; k++) {
				if (!isfinite(vals[k]))
					continue;
				lo = fmin(lo, vals[k]);
				hi = fmax(hi, vals[k]);
			}
		}
	}
	if (hi <= lo)
		hi = lo + (d->fmt == MF_RATE ? 1 : 1);
	double step = nice_step(hi - lo, 5);
	lo = floor(lo / step) * step;
	hi = ceil(hi / step) * step;
	p->lo = lo;
	p->hi = hi;

	/* room for tick labels on the left, category labels below, legend above */
	double tick_w = 0;
	char buf[64];
	for (double t = lo; t <= hi + step / 2; t += step) {
		numfmt_number(t, t == floor(t), d->fmt == MF_COUNT ? MF_PLAIN : d->fmt, d->currency,
			      buf, sizeof buf);
		tick_w = fmax(tick_w, chart_text_width(cr, buf, 7, false));
	}
	p->x0 = box.x + tick_w + 6;
	p->x1 = box.x + box.w - 4;
	p->y0 = box.y + (legend ? 16 : 6);
	p->y1 = box.y + box.h - 16;

	cairo_set_line_width(cr, 0.4);
	for (double t = lo; t <= hi + step / 2; t += step) {
		double y = py(p, t);
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, p->x0, y);
		cairo_line_to(cr, p->x1, y);
		cairo_stroke(cr);
		numfmt_number(t, t == floor(t), d->fmt == MF_COUNT ? MF_PLAIN : d->fmt, d->currency,
			      buf, sizeof buf);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		chart_text(cr, buf, p->x0 - 4, y - 4.5, 0, 7, false, CHART_RIGHT);
	}
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, p->x0, py(p, fmax(lo, 0)));
	cairo_line_to(cr, p->x1, py(p, fmax(lo, 0)));
	cairo_stroke(cr);
}

static void legend(cairo_t *cr, chart_box box, const chart_data *d)
{
	double x = box.x + box.w;
	for (size_t s = d->nseries; s-- > 0;) {
		const char *name = d->series[s].name ? d->series[s].name : "";
		double w = chart_text_width(cr, name, 7, false);
		x -= w;
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		chart_text(cr, name, x, box.y, 0, 7, false, CHART_LEFT);
		x -= 10;
		const double *c = palette[s % NPALETTE];
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		cairo_rectangle(cr, x, box.y + 1.5, 7, 7);
		cairo_fill(cr);
		x -= 10;
	}
}

/* Category labels under the slots, every k-th one when they would crowd. */
static void category_labels(cairo_t *cr, const plot *p, const chart_data *d, double slot)
{
	double widest = 0;
	for (size_t i = 0; i < d->n; i++)
		widest = fmax(widest, chart_text_width(cr, d->labels[i], 7, false));
	size_t every = 1;
	while (every < d->n && widest > slot * (double)every * 0.95 && widest < 90)
		every++;
	bool squeeze = widest >= 90; /* long names: ellipsize in the slot instead */
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	for (size_t i = 0; i < d->n; i += squeeze ? 1 : every) {
		double cx = p->x0 + slot * ((double)i + 0.5);
		if (squeeze)
			chart_text(cr, d->labels[i], cx - slot / 2, p->y1 + 3, slot, 7, false,
				   CHART_CENTER);
		else
			chart_text(cr, d->labels[i], cx, p->y1 + 3, 0, 7, false, CHART_CENTER);
	}
}

static int finish(cairo_t *cr)
{
	cairo_restore(cr);
	return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

/* Save cr and draw the axes (and the legend of several series). False
 * when there is nothing to draw: finish(cr) then. */
static bool chart_begin(cairo_t *cr, chart_box box, const chart_data *d, plot *p)
{
	cairo_save(cr);
	if (d->n == 0 || d->nseries == 0)
		return false;
	axes(cr, box, d, p, d->nseries > 1);
	if (d->nseries > 1)
		legend(cr, box, d);
	return true;
}

int chart_bar(cairo_t *cr, chart_box box, const chart_data *d)
{
	plot p;
	if (!chart_begin(cr, box, d, &p))
		return finish(cr);
	double slot = (p.x1 - p.x0) / (double)d->n;
	double bw = slot * 0.7 / (double)d->nseries;
	char buf[64];
	for (size_t i = 0; i < d->n; i++) {
		for (size_t s = 0; s < d->nseries; s++) {
			const chart_series *se = &d->series[s];
			double x = p.x0 + slot * (double)i + slot * 0.15 + bw * (double)s;
			double v = se->v[i];
			double base = py(&p, fmax(p.lo, 0));
			double top = base;
			if (isfinite(v)) {
				const double *c = palette[s % NPALETTE];
				cairo_set_source_rgb(cr, c[0], c[1], c[2]);
				top = py(&p, v);
				cairo_rectangle(cr, x, fmin(top, base), bw, fabs(base - top));
				cairo_fill(cr);
			}
			double label_y = fmin(top, base);
			if (se->lo && se->hi && isfinite(se->lo[i]) && isfinite(se->hi[i])) {
				double cx = x + bw / 2, ylo = py(&p, se->lo[i]),
				       yhi = py(&p, se->hi[i]);
				double cap = fmin(bw * 0.25, 4);
				cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
				cairo_set_line_width(cr, 0.8);
				cairo_move_to(cr, cx, ylo);
				cairo_line_to(cr, cx, yhi);
				cairo_move_to(cr, cx - cap, ylo);
				cairo_line_to(cr, cx + cap, ylo);
				cairo_move_to(cr, cx - cap, yhi);
				cairo_line_to(cr, cx + cap, yhi);
				cairo_stroke(cr);
				label_y = fmin(label_y, yhi);
			}
			numfmt_number(v, false, d->fmt, d->currency, buf, sizeof buf);
			cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
			/* the label sits above the bar, or above its error bar */
			chart_text(cr, buf, x + bw / 2, label_y - 10, 0, 6.5, false, CHART_CENTER);
		}
	}
	category_labels(cr, &p, d, slot);
	return finish(cr);
}

int chart_line(cairo_t *cr, chart_box box, const chart_data *d)
{
	plot p;
	if (!chart_begin(cr, box, d, &p))
		return finish(cr);
	double slot = (p.x1 - p.x0) / (double)d->n;
	for (size_t s = 0; s < d->nseries; s++) {
		const chart_series *se = &d->series[s];
		const double *c = palette[s % NPALETTE];
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		cairo_set_line_width(cr, 1.5);
		bool pen = false;
		for (size_t i = 0; i < d->n; i++) {
			double x = p.x0 + slot * ((double)i + 0.5);
			if (!isfinite(se->v[i])) {
				pen = false;
				continue;
			}
			if (pen)
				cairo_line_to(cr, x, py(&p, se->v[i]));
			else
				cairo_move_to(cr, x, py(&p, se->v[i]));
			pen = true;
		}
		cairo_stroke(cr);
		for (size_t i = 0; i < d->n; i++) {
			if (!isfinite(se->v[i]))
				continue;
			cairo_arc(cr, p.x0 + slot * ((double)i + 0.5), py(&p, se->v[i]), 2, 0,
				  2 * M_PI);
			cairo_fill(cr);
		}
	}
	category_labels(cr, &p, d, slot);
	return finish(cr);
}
