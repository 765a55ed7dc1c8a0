/* chart_small.c — word-sized and small charts: the sparkline of a KPI tile
 * and one panel of the trend's small multiples (see chart.h): a zero drawn
 * as a flat bar, a week without a value as "—", the weeks before the data
 * begins shaded, without either.
 *
 * Each panel has its own scale from zero (Tufte: leads and wins do not
 * share an axis). Draws into the caller's box only; computes no metric. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart_int.h"
#include "numfmt.h"

#define TITLE_PT     8.0
#define TICK_PT	     6.5
#define ZERO_H	     1.2  /* a zero's bar: a flat line on the axis */
#define BEFORE_BG    0.95 /* the grey of the weeks before the data, as the scatter's band of zero */
#define BEFORE_WORDS "Before the exports begin"

void chart_trend_line(cairo_t *cr, chart_box box, const double *v, size_t n, double lo, double hi,
		      const chart_line_style *st, bool young)
{
	ci_rgb(cr, pal_hex(st->ink));
	cairo_set_line_width(cr, st->width);
	bool pen = false;
	double px = 0, py = 0; /* the last point drawn */
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i])) {
			pen = false;
			continue;
		}
		double x = box.x + (n > 1 ? box.w * (double)i / (double)(n - 1) : box.w / 2);
		double y = box.y + box.h - (v[i] - lo) / (hi - lo) * box.h;
		if (young && i + 1 == n && pen) { /* the young week's segment dashed */
			cairo_stroke(cr);
			cairo_set_dash(cr, st->dash, 2, 0);
			cairo_move_to(cr, px, py);
		}
		if (pen)
			cairo_line_to(cr, x, y);
		else
			cairo_move_to(cr, x, y);
		pen = true;
		px = x, py = y;
	}
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	if (n && isfinite(v[n - 1])) {
		double y = box.y + box.h - (v[n - 1] - lo) / (hi - lo) * box.h;
		cairo_new_sub_path(cr);
		cairo_arc(cr, box.x + box.w, y, st->dot_r, 0, 2 * M_PI);
		if (young) { /* hollow: a value still moving */
			ci_rgb(cr, pal_hex(0xFFFFFF));
			cairo_fill_preserve(cr);
			ci_rgb(cr, PAL_DARK);
			cairo_set_line_width(cr, st->ring_w);
			cairo_stroke(cr);
		} else {
			ci_rgb(cr, PAL_DARK);
			cairo_fill(cr);
		}
	}
}

int chart_sparkline(cairo_t *cr, chart_box box, const double *v, size_t n, bool young)
{
	cairo_save(cr);
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
	if (n < 2 || !isfinite(lo))
		return ci_finish(cr);
	if (hi <= lo)
		hi = lo + 1, lo -= 1;
	static const chart_line_style word = {PALETTE_GREY, 0.9, {1.5, 1.2}, 1.6, 0.8};
	chart_trend_line(cr, box, v, n, lo, hi, &word, young);
	return ci_finish(cr);
}

/* The panel's title left, the last value right; the title gives way. */
static double small_title(cairo_t *cr, chart_box box, const char *title, double last, mv_fmt fmt,
			  const char *cur)
{
	char buf[64];
	numfmt_number(last, false, fmt, cur, buf, sizeof buf);
	double vw, h;
	lbl_measure(cr, buf, TITLE_PT, true, &vw, &h);
	ci_rgb(cr, PAL_DARK);
	ci_text(cr, buf, box.x + box.w, box.y, TITLE_PT, true, CHART_RIGHT);
	char *t = lbl_fit(cr, title, TITLE_PT, true, box.w - vw - 8);
	ci_rgb(cr, PAL_TEXT);
	ci_text(cr, t, box.x, box.y, TITLE_PT, true, CHART_LEFT);
	free(t);
	return h + 4;
}

/* The grid lines and tick labels of a panel, from 0 to hi by step. */
static void small_y(cairo_t *cr, double x0, double x1, double y0, double y1, double hi, double step,
		    mv_fmt fmt, const char *cur)
{
	double h;
	char buf[48];
	lbl_measure(cr, "0", TICK_PT, false, NULL, &h);
	size_t every = lbl_thin(h, (y1 - y0) * step / hi, 2);
	size_t k = 0;
	for (double t = 0; t <= hi + step / 2; t += step, k++) {
		double y = y1 - t / hi * (y1 - y0);
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_set_line_width(cr, 0.4);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x1, y);
		cairo_stroke(cr);
		if (k % every)
			continue;
		numfmt_tick(t, step, fmt, cur, buf, sizeof buf);
		ci_rgb(cr, PAL_MUTED);
		ci_text(cr, buf, x0 - 3, y - h / 2, TICK_PT, false, CHART_RIGHT);
	}
}

/* The end of the run of weeks before the data that starts at i (i itself
 * when week i has data). */
static size_t before_end(const bool *before, size_t n, size_t i)
{
	while (before && i < n && before[i])
		i++;
	return i;
}

/* Each run of weeks before the data shaded from the plot's top to its
 * axis, under the grid lines: no bar, no dash, no zero. */
static void small_before(cairo_t *cr, const bool *before, size_t n, double x0, double slot,
			 double top, double y1)
{
	cairo_set_source_rgb(cr, BEFORE_BG, BEFORE_BG, BEFORE_BG);
	for (size_t i = 0; i < n; i++) {
		size_t end = before_end(before, n, i);
		if (end > i)
			cairo_rectangle(cr, x0 + slot * (double)i, top, slot * (double)(end - i),
					y1 - top);
		i = end;
	}
	cairo_fill(cr);
}

/* What the shade means, in the middle of each run wide enough for it, on
 * the shade's own ground so that no grid line runs through the words. */
static void small_before_words(cairo_t *cr, const bool *before, size_t n, double x0, double slot,
			       double top, double y1)
{
	double w, h;
	lbl_measure(cr, BEFORE_WORDS, TICK_PT, false, &w, &h);
	for (size_t i = 0; i < n; i++) {
		size_t end = before_end(before, n, i);
		double run = slot * (double)(end - i), y = (top + y1 - h) / 2;
		if (end > i && w + 6 <= run && h + 4 <= y1 - top) {
			double cx = x0 + slot * (double)(i + end) / 2;
			cairo_set_source_rgb(cr, BEFORE_BG, BEFORE_BG, BEFORE_BG);
			cairo_rectangle(cr, cx - w / 2 - 2, y - 1, w + 4, h + 2);
			cairo_fill(cr);
			ci_rgb(cr, PAL_MUTED);
			ci_text(cr, BEFORE_WORDS, cx, y, TICK_PT, false, CHART_CENTER);
		}
		i = end;
	}
}

int chart_small(cairo_t *cr, chart_box box, const char *title, const char *const *labels,
		const double *v, const bool *before, size_t n, mv_fmt fmt, const char *currency)
{
	cairo_save(cr);
	if (n == 0)
		return ci_finish(cr);
	double top = box.y + small_title(cr, box, title, v[n - 1], fmt, currency);
	double hi = 0, tw = 0, lw = 0, h;
	for (size_t i = 0; i < n; i++) {
		if (isfinite(v[i]) && !(before && before[i]))
			hi = fmax(hi, v[i]);
		double w;
		lbl_measure(cr, labels[i], TICK_PT, false, &w, &h);
		lw = fmax(lw, w);
	}
	/* a count's ticks whole numbers (no half a win); a panel without a
	 * value above zero from 0 to 1 in whole steps, in its own format */
	double step = hi > 0 ? ci_step(hi, 3) : 1;
	if (fmt == MF_COUNT)
		step = fmax(step, 1);
	hi = hi > 0 ? ceil(hi / step) * step : 1;
	char buf[48];
	for (double t = 0; t <= hi + step / 2; t += step) {
		double w;
		numfmt_tick(t, step, fmt, currency, buf, sizeof buf);
		lbl_measure(cr, buf, TICK_PT, false, &w, NULL);
		tw = fmax(tw, w);
	}
	double x0 = box.x + tw + 5, x1 = box.x + box.w, y1 = box.y + box.h - h - 3;
	double slot = (x1 - x0) / (double)n;
	small_before(cr, before, n, x0, slot, top + 2, y1);
	small_y(cr, x0, x1, top + 2, y1, hi, step, fmt, currency);
	small_before_words(cr, before, n, x0, slot, top + 2, y1);
	size_t every = lbl_thin(lw, slot, 4);
	double dash_h;
	lbl_measure(cr, "\xE2\x80\x94", TICK_PT, false, NULL, &dash_h);
	for (size_t i = 0; i < n; i++) {
		double x = x0 + slot * (double)i;
		if (before && before[i]) {
			/* before the data: the shade alone, neither a zero nor "—" */
		} else if (isfinite(v[i])) {
			/* a zero is a flat bar on the axis, not nothing */
			ci_rgb(cr, i == n - 1 ? PAL_DARK : PAL_GREY);
			double bh = fmax(v[i] / hi * (y1 - top - 2), ZERO_H);
			cairo_rectangle(cr, x + slot * 0.15, y1 - bh, slot * 0.7, bh);
			cairo_fill(cr);
		} else {
			/* no value that week: "—", not an empty slot like a zero */
			ci_rgb(cr, PAL_MUTED);
			ci_text(cr, "\xE2\x80\x94", x + slot / 2, y1 - dash_h - 1, TICK_PT, false,
				CHART_CENTER);
		}
		/* every k-th label counted from the report week, which is always named */
		if ((n - 1 - i) % every)
			continue;
		ci_rgb(cr, i == n - 1 ? PAL_TEXT : PAL_MUTED);
		ci_text(cr, labels[i], x + slot / 2, y1 + 2, TICK_PT, i == n - 1, CHART_CENTER);
	}
	return ci_finish(cr);
}
