/* chart_grid.c — charts of a matrix of values: side-by-side bars (revenue
 * by channel under each attribution model) and a heat map (cohort
 * conversion by week and age). See chart.h.
 *
 * Every value has a cell of its own, so labels cannot meet; headers are
 * measured and wrapped or shortened to their cell. Draws into the caller's
 * box only and computes no metric. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart_int.h"
#include "numfmt.h"

#define NAME_PT	 7.0
#define VALUE_PT 6.5
#define HEAD_PT	 7.0

static double names_width(cairo_t *cr, const chart_matrix *m, double cap)
{
	double w = 0;
	for (size_t r = 0; r < m->nr; r++) {
		double t;
		lbl_measure(cr, m->rows[r], NAME_PT, false, &t, NULL);
		w = fmax(w, t);
	}
	return fmin(w, cap);
}

static void row_label(cairo_t *cr, const char *name, double x, double cy, double w, bool muted)
{
	char *s = lbl_fit(cr, name, NAME_PT, false, w);
	double h;
	lbl_measure(cr, s, NAME_PT, false, NULL, &h);
	ci_rgb(cr, muted ? PAL_MUTED : PAL_TEXT);
	ci_text(cr, s, x + w, cy - h / 2, NAME_PT, false, CHART_RIGHT);
	free(s);
}

/* Column headers wrapped to two lines in their cells; returns the height. */
static double headers(cairo_t *cr, const chart_matrix *m, double x0, double cw, double y)
{
	double hh = 0;
	for (size_t c = 0; c < m->nc; c++)
		hh = fmax(hh, chart_text_wrap_height(cr, m->cols[c], cw - 4, HEAD_PT,
						     (long)c == m->strong_col, 2));
	for (size_t c = 0; c < m->nc; c++) {
		bool strong = (long)c == m->strong_col;
		ci_rgb(cr, strong ? PAL_TEXT : PAL_MUTED);
		chart_text_wrap(cr, m->cols[c], x0 + cw * (double)c + 2, y, cw - 4, HEAD_PT, strong,
				CHART_LEFT, 2);
	}
	return hh + 4;
}

int chart_bar_grid(cairo_t *cr, chart_box box, const chart_matrix *m)
{
	cairo_save(cr);
	if (m->nr == 0 || m->nc == 0)
		return ci_finish(cr);
	double name_w = names_width(cr, m, box.w * 0.22);
	double x0 = box.x + name_w + 8, cw = (box.x + box.w - x0) / (double)m->nc;
	double top = box.y + headers(cr, m, x0, cw, box.y);
	size_t nr = ci_min(m->nr, chart_rows_fit(box.y + box.h - top, 0, CHART_GRID_MIN_ROW));
	double rh = fmin(26, (box.y + box.h - top) / (double)(nr ? nr : 1));
	double hi = 0;
	for (size_t i = 0; i < m->nr * m->nc; i++)
		if (isfinite(m->v[i]))
			hi = fmax(hi, m->v[i]);
	if (m->top > 0)
		hi = m->top;
	if (!(hi > 0))
		hi = 1;
	double vh;
	lbl_measure(cr, "0", VALUE_PT, false, NULL, &vh);
	for (size_t r = 0; r < nr; r++) {
		double rt = top + rh * (double)r;
		row_label(cr, m->rows[r], box.x, rt + rh / 2, name_w, false);
		pal_rgb colour = m->row_colour ? m->row_colour[r] : PAL_DARK;
		double bar_h = fmax(2, rh - vh - 6);
		for (size_t c = 0; c < m->nc; c++) {
			double v = m->v[r * m->nc + c], x = x0 + cw * (double)c + 2;
			if (isfinite(v) && v > 0) {
				cairo_rectangle(cr, x, rt + 2, v / hi * (cw - 6), bar_h);
				ci_fill_mark(cr, colour, 1.0);
			}
			char buf[48]; /* every value in the scale's unit */
			numfmt_short_among(v, hi, m->fmt, m->currency, buf, sizeof buf);
			char *s = lbl_fit(cr, buf, VALUE_PT, false, cw - 4);
			ci_rgb(cr, (long)c == m->strong_col ? PAL_TEXT : PAL_MUTED);
			ci_text(cr, s, x, rt + 2 + bar_h + 1, VALUE_PT, (long)c == m->strong_col,
				CHART_LEFT);
			free(s);
		}
	}
	return ci_finish(cr);
}

/* White to Okabe–Ito blue by t in 0..1, and the ink that reads on it. */
void chart_heat_colours(double t, pal_rgb *fill, pal_rgb *ink)
{
	const pal_rgb hi = PAL_BLUE;
	*fill = (pal_rgb){1 - t * (1 - hi.r), 1 - t * (1 - hi.g), 1 - t * (1 - hi.b)};
	*ink = pal_ink_on(*fill);
}

static void heat_cell(cairo_t *cr, const chart_matrix *m, double v, double hi, lbl_rect c,
		      bool muted)
{
	char buf[48];
	if (muted && isfinite(v)) {
		/* few cases: unshaded, the value in the muted grey */
		cairo_set_source_rgb(cr, 0.98, 0.98, 0.98);
		cairo_rectangle(cr, c.x, c.y, c.w, c.h);
		cairo_fill(cr);
		numfmt_number(v, false, m->fmt, m->currency, buf, sizeof buf);
		ci_rgb(cr, PAL_MUTED);
	} else if (!isfinite(v)) {
		cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
		cairo_rectangle(cr, c.x, c.y, c.w, c.h);
		cairo_fill(cr);
		snprintf(buf, sizeof buf, "\xE2\x80\x94");
	} else {
		pal_rgb fill, ink;
		chart_heat_colours(hi > 0 ? v / hi : 0, &fill, &ink);
		ci_rgb(cr, fill);
		cairo_rectangle(cr, c.x, c.y, c.w, c.h);
		cairo_fill(cr);
		numfmt_number(v, false, m->fmt, m->currency, buf, sizeof buf);
		ci_rgb(cr, ink);
	}
	if (!isfinite(v) || muted)
		ci_rgb(cr, PAL_MUTED);
	char *s = lbl_fit(cr, buf, VALUE_PT, false, c.w - 4);
	double h;
	lbl_measure(cr, s, VALUE_PT, false, NULL, &h);
	ci_text(cr, s, c.x + c.w / 2, c.y + c.h / 2 - h / 2, VALUE_PT, false, CHART_CENTER);
	free(s);
}

int chart_heatmap(cairo_t *cr, chart_box box, const chart_matrix *m)
{
	cairo_save(cr);
	if (m->nr == 0 || m->nc == 0)
		return ci_finish(cr);
	double name_w = names_width(cr, m, box.w * 0.3);
	double x0 = box.x + name_w + 8, cw = fmin(90, (box.x + box.w - x0) / (double)m->nc);
	double top = box.y + headers(cr, m, x0, cw, box.y);
	size_t nr = ci_min(m->nr, chart_rows_fit(box.y + box.h - top, 0, CHART_MIN_ROW));
	double rh = fmin(20, (box.y + box.h - top) / (double)(nr ? nr : 1));
	double hi = 0; /* the shading's scale: rows of few cases do not set it */
	for (size_t i = 0; i < m->nr * m->nc; i++)
		if (isfinite(m->v[i]) && !(m->row_muted && m->row_muted[i / m->nc]))
			hi = fmax(hi, m->v[i]);
	for (size_t r = 0; r < nr; r++) {
		double rt = top + rh * (double)r;
		bool muted = m->row_muted && m->row_muted[r];
		row_label(cr, m->rows[r], box.x, rt + rh / 2, name_w, muted);
		for (size_t c = 0; c < m->nc; c++) {
			lbl_rect cell = {x0 + cw * (double)c + 1, rt + 1, cw - 2, rh - 2};
			heat_cell(cr, m, m->v[r * m->nc + c], hi, cell, muted);
		}
	}
	return ci_finish(cr);
}
