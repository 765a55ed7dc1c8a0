/* chart_int.h — small drawing helpers shared by the chart files of
 * reports/ (not part of the renderers' interface). */
#ifndef MQL_CHART_INT_H
#define MQL_CHART_INT_H

#include <cairo.h>

#include "chart.h"
#include "labels.h"

static inline void ci_rgb(cairo_t *cr, pal_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static inline void ci_rgba(cairo_t *cr, pal_rgb c, double a)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, a);
}

/* Fill the current path in c at opacity a. A colour that hardly stands
 * out from the white page (Okabe–Ito's yellow, 1.2:1) also gets a thin
 * outline in a darker shade of itself, so that its bar does not vanish. */
void ci_fill_mark(cairo_t *cr, pal_rgb c, double a);

static inline size_t ci_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

static inline int ci_finish(cairo_t *cr)
{
	cairo_restore(cr);
	return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

/* A one-line text with its top-left (or top-centre / top-right) at (x, y). */
static inline double ci_text(cairo_t *cr, const char *t, double x, double y, double size, bool bold,
			     enum chart_align a)
{
	return chart_text(cr, t, x, y, 0, size, bold, a);
}

/* A tick step of 1, 2 or 5 × 10^k giving about `want` intervals over span. */
double ci_step(double span, int want);

/* A value axis along x from x0 (value lo) to x1 (hi), tick labels below y
 * in the short format, thinned so that none touch; grid lines from top to
 * y. Returns the step. */
double ci_axis_x(cairo_t *cr, double x0, double x1, double top, double y, double lo, double hi,
		 mv_fmt fmt, const char *currency);

#endif
