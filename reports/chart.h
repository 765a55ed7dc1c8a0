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
#include "palette.h"

/* A colour of palette.h as cairo takes it. */
typedef struct pal_rgb {
	double r, g, b;
} pal_rgb;

static inline pal_rgb pal_hex(uint32_t c)
{
	return (pal_rgb){(double)((c >> 16) & 0xFF) / 255, (double)((c >> 8) & 0xFF) / 255,
			 (double)(c & 0xFF) / 255};
}

#define PAL_GREY  pal_hex(PALETTE_GREY)
#define PAL_DARK  pal_hex(PALETTE_DARK)
#define PAL_GOOD  pal_hex(PALETTE_GOOD)
#define PAL_BAD	  pal_hex(PALETTE_BAD)
#define PAL_BLUE  pal_hex(palette_channel[0])
#define PAL_TEXT  pal_hex(0x1F1F1F)
#define PAL_MUTED pal_hex(PALETTE_MUTED)

/* The ink for text on a fill: PAL_TEXT or white, whichever stands out
 * more from it by WCAG 2's contrast ratio (of relative luminances), so
 * that a figure written on a shaded cell stays readable at every shade. */
pal_rgb pal_ink_on(pal_rgb fill);

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

/* ---- the report's charts (chart_bars.c, chart_grid.c, chart_scatter.c,
 * chart_small.c). Each draws into the box only, measures every label before
 * drawing it, and returns 0, or -1 when cr is in an error state after. ---- */

/* The smallest row of the row charts below, in points (a 7-point name and
 * its gap), and of the bar grid (a bar and its value under it): a chart
 * whose box gives less draws only the rows that fit, never squeezed ones;
 * the caller splits a longer list over pages (chart_rows_fit). */
#define CHART_MIN_ROW	   12.0
#define CHART_GRID_MIN_ROW 20.0

/* How many rows of min_row fit in h after `extra` points of axes. */
static inline size_t chart_rows_fit(double h, double extra, double min_row)
{
	return h > extra ? (size_t)((h - extra) / min_row) : 0;
}

/* One campaign of the ROI ranking. */
typedef struct chart_rank_row {
	const char *name;	    /* the full name: wrapped to two lines, else shortened */
	double revenue, spend, roi; /* roi NAN: "—" */
	bool other;		    /* the "all other N campaigns" row, drawn grey */
	bool low_sample;	    /* its ROI rests on few MQLs: in the muted grey, not bold */
	bool unranked;		    /* leads and spend without a campaign: no ROI written */
} chart_rank_row;
/* Horizontal paired bars (revenue solid, spend outlined) on one money axis
 * from zero, the ROI at the end of each pair, rows in the given order. The
 * axis is the campaigns' (chart_ranking_scale): an aggregate row past it
 * (all other campaigns, none) is cut at its end, with a mark. */
int chart_ranking(cairo_t *cr, chart_box box, const chart_rank_row *rows, size_t n,
		  const char *currency);
/* The end of chart_ranking()'s axis: the largest revenue or spend of the
 * ranked rows (not other, not unranked; of every row when those have none)
 * rounded up to a whole step. A row past it is drawn cut. */
double chart_ranking_scale(const chart_rank_row *rows, size_t n);

/* One rate with its interval, e.g. a channel's close rate. */
typedef struct chart_ci_row {
	const char *name;
	double v, lo, hi; /* NAN: none ("—") */
	double sample;	  /* shown with a low-sample flag */
	bool low_sample;  /* drawn pale, flagged at the label */
	pal_rgb colour;
} chart_ci_row;
/* Horizontal bars from 0 with the interval as a whisker, every row named,
 * the value right of the whisker. sample_unit names the sample ("MQLs"). */
int chart_interval_bars(cairo_t *cr, chart_box box, const chart_ci_row *rows, size_t n,
			const char *sample_unit);

/* Counts per stage of a funnel, one row per category. */
typedef struct chart_funnel_row {
	const char *name;
	double v[4];
	bool low_sample;
	pal_rgb colour;
} chart_funnel_row;
/* Four columns of bars, one per stage, each on its own scale from zero,
 * each labelled with its count (the conversion rates are the tables',
 * over the MQL cohort, not shares of one flow in another). */
int chart_funnel(cairo_t *cr, chart_box box, const chart_funnel_row *rows, size_t n,
		 const char *const stages[4]);

/* A matrix of values: rows × columns, v row-major, NAN for none. */
typedef struct chart_matrix {
	const char *const *rows;
	size_t nr;
	const char *const *cols;
	size_t nc;
	const double *v;
	const pal_rgb *row_colour; /* bar grid: per row; NULL: PAL_DARK */
	long strong_col;	   /* bar grid: this column's header in bold; -1: none */
	mv_fmt fmt;
	const char *currency;
	double
	    top; /* bar grid: the scale's top (shared by rows split over pages); 0: the largest */
	const bool *row_muted; /* heat map: rows resting on few cases, drawn in the muted grey
				  and left off the shading's scale; NULL: none */
} chart_matrix;
/* Side-by-side bars: a cell per value, one scale for all cells. */
int chart_bar_grid(cairo_t *cr, chart_box box, const chart_matrix *m);
/* A heat map: cells shaded by value from 0 to the largest, values written
 * in the cells, "—" where there is none; a muted row's cells unshaded,
 * their values and its name in the muted grey. */
int chart_heatmap(cairo_t *cr, chart_box box, const chart_matrix *m);
/* A heat map cell's fill at t (0..1 of the largest value) and the ink its
 * figure is written in. */
void chart_heat_colours(double t, pal_rgb *fill, pal_rgb *ink);

/* A point of a scatter: x, y, and the area's quantity. Points are drawn in
 * their order: the caller puts the ones it ranks first last, and of those
 * labelled under others' circles, the last is placed first. */
typedef struct chart_point {
	const char *name;
	double x, y, size;
	bool label; /* try to label it */
	bool other; /* not a campaign (no campaign): in the "other" grey, never labelled */
} chart_point;
/* What chart_scatter() drew, for the caption under it. */
typedef struct chart_scatter_info {
	size_t left_out;     /* points marked `label` that had no free spot */
	bool log;	     /* both axes on log scales (each axis then says so) */
	bool zero_x, zero_y; /* on log scales, a band of its own for zero on that axis */
	bool cut_x, cut_y;   /* an `other` point lies past the end of that axis */
	size_t rings;	     /* campaigns of no size (no MQLs) drawn as rings: no area */
	bool other_ring;     /* the `other` point is of no size: a grey ring */
} chart_scatter_info;
/* Spend (x) against revenue (y) of campaigns, area = size (a point of no
 * size is a ring of one size, drawn over the circles and named in the
 * key), the x = y line (ROI = 0); log scales when the campaigns' values
 * span more than two decades, and then a shaded band labelled "$0" below
 * (or left of) the first tick for the points at zero, which a log scale
 * has no place for. The axes are the campaigns': an `other` point past
 * their end is drawn at it with a mark pointing the way it lies. Labels
 * the points marked `label` where they fit, one under another's circle
 * beside them with a leader to its own. Fills *info. */
int chart_scatter(cairo_t *cr, chart_box box, const chart_point *pts, size_t n,
		  const char *currency, chart_scatter_info *info);
/* The centre at which chart_scatter() draws pts[i] in box (for tests). */
void chart_scatter_point(cairo_t *cr, chart_box box, const chart_point *pts, size_t n, size_t i,
			 double *x, double *y);

/* How chart_trend_line() draws: the line's ink and width, the dash of a
 * young last segment, the last point's radius and its ring when hollow. */
typedef struct chart_line_style {
	uint32_t ink;
	double width, dash[2], dot_r, ring_w;
} chart_line_style;

/* The values v[0..n) as a line across box from lo (its foot) to hi (its
 * top; hi > lo), a gap at each value that is not finite, the last value's
 * point dark at the box's right edge; young: the last segment dashed and
 * the point hollow, as a value still moving. Leaves the dash unset. */
void chart_trend_line(cairo_t *cr, chart_box box, const double *v, size_t n, double lo, double hi,
		      const chart_line_style *st, bool young);

/* A word-sized line of the values, the last one marked; young: the last
 * week is not yet comparable (a cohort still converting), so its segment is
 * dashed and its point hollow, as the e-mail's chart draws it. */
int chart_sparkline(cairo_t *cr, chart_box box, const double *v, size_t n, bool young);

/* One panel of small multiples: a title, columns over the categories on
 * the panel's own scale from zero, the last column dark (the report week),
 * the others grey, its value labelled; a zero a flat bar on the axis, a
 * NAN (no value) "—" in its slot. A category whose before[i] is true lies
 * before the data begins: its slot is shaded, without a bar or a dash
 * whatever v[i] holds, and a run of them wide enough says so in words;
 * before may be NULL (every category has data). */
int chart_small(cairo_t *cr, chart_box box, const char *title, const char *const *labels,
		const double *v, const bool *before, size_t n, mv_fmt fmt, const char *currency);

#endif
