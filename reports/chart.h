/* chart.h — vector charts drawn with cairo, text through pango.
 *
 * Like kplot, a chart never creates a surface: the caller owns the cairo_t
 * (a PDF page, a PNG, a region of a page) and passes the box to draw in.
 * Each function saves and restores the context's state. */
#ifndef MQL_CHART_H
#define MQL_CHART_H

#include <cairo.h>
#include <stddef.h>

#include "mval.h"

#define CHART_FONT "DejaVu Sans"

typedef struct chart_box {
	double x, y, w, h; /* user units (PDF points) */
} chart_box;

typedef struct chart_series {
	const char *name;
	const double *v;       /* one value per category; NAN: no value ("—") */
	const double *lo, *hi; /* an interval per value (NAN: none), or NULL: no error bars */
} chart_series;

typedef struct chart_data {
	const char *const *labels; /* one label per category */
	size_t n;		   /* categories */
	const chart_series *series;
	size_t nseries;
	mv_fmt fmt;	      /* of the values: axis ticks and value labels */
	const char *currency; /* for MF_MONEY */
} chart_data;

/* Grouped vertical bars, a value label above each bar ("—" where there is no
 * value) and, where a series has lo/hi, error bars; a legend when there is
 * more than one series. Returns 0, or -1 when cr is in an error state after
 * drawing. */
int chart_bar(cairo_t *cr, chart_box box, const chart_data *d);

/* One line per series with a marker per value; a missing value breaks the
 * line. Legend as chart_bar. Returns 0 or -1 as chart_bar. */
int chart_line(cairo_t *cr, chart_box box, const chart_data *d);

enum chart_align { CHART_LEFT, CHART_CENTER, CHART_RIGHT };

/* Text in the box's width at (x, y) top, one line, ellipsized to `width`
 * (0: no limit), in CHART_FONT at `size` points. Returns its height. */
double chart_text(cairo_t *cr, const char *text, double x, double y, double width, double size,
		  bool bold, enum chart_align align);

/* Text wrapped at word (or character) boundaries to `width`, at most
 * max_lines lines, the last ellipsized. Returns its height. */
double chart_text_wrap(cairo_t *cr, const char *text, double x, double y, double width, double size,
		       bool bold, enum chart_align align, int max_lines);
/* The height chart_text_wrap() would take, drawing nothing. */
double chart_text_wrap_height(cairo_t *cr, const char *text, double width, double size, bool bold,
			      int max_lines);

/* The width a text would take (points) at `size`. */
double chart_text_width(cairo_t *cr, const char *text, double size, bool bold);

#endif
