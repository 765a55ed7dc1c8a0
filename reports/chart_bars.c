/* chart_bars.c — the horizontal bar charts of the report: the campaign ROI
 * ranking, rates with their intervals, and the funnel by stage (see
 * chart.h). Every label is measured first and given its own row or column.
 *
 * Draws into the caller's box only: creates no surface, reads no report
 * tree, computes no metric. */
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog.h"
#include "chart_int.h"
#include "numfmt.h"

#define NAME_PT	 7.0
#define VALUE_PT 6.5

double ci_step(double span, int want)
{
	if (!(span > 0))
		return 1;
	double raw = span / want;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

double ci_axis_x(cairo_t *cr, double x0, double x1, double top, double y, double lo, double hi,
		 mv_fmt fmt, const char *currency)
{
	double step = ci_step(hi - lo, 5);
	char buf[64];
	double widest = 0;
	for (double t = lo; t <= hi + step / 2; t += step) {
		numfmt_tick(t, step, fmt, currency, buf, sizeof buf);
		double w;
		lbl_measure(cr, buf, VALUE_PT, false, &w, NULL);
		widest = fmax(widest, w);
	}
	double spacing = (x1 - x0) * step / (hi - lo);
	size_t every = lbl_thin(widest, spacing, 6);
	size_t k = 0;
	for (double t = lo; t <= hi + step / 2; t += step, k++) {
		double x = x0 + (t - lo) / (hi - lo) * (x1 - x0);
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_set_line_width(cr, 0.4);
		cairo_move_to(cr, x, top);
		cairo_line_to(cr, x, y);
		cairo_stroke(cr);
		if (k % every)
			continue;
		numfmt_tick(t, step, fmt, currency, buf, sizeof buf);
		ci_rgb(cr, PAL_MUTED);
		ci_text(cr, buf, x, y + 2, VALUE_PT, false, CHART_CENTER);
	}
	return step;
}

/* The name of a row in its column: wrapped to two lines when that holds
 * it, else one line shortened in the middle; vertically centred on cy. */
static void row_name(cairo_t *cr, const char *name, double x, double cy, double w, double maxh,
		     bool muted)
{
	double h1;
	lbl_measure(cr, name, NAME_PT, false, NULL, &h1);
	double h = chart_text_wrap_height(cr, name, w, NAME_PT, false, 100);
	ci_rgb(cr, muted ? PAL_MUTED : PAL_TEXT);
	if (h <= 2 * h1 + 0.5 && h <= maxh) {
		chart_text_wrap(cr, name, x, cy - h / 2, w, NAME_PT, false, CHART_RIGHT, 2);
		return;
	}
	char *s = lbl_fit(cr, name, NAME_PT, false, w);
	ci_text(cr, s, x + w, cy - h1 / 2, NAME_PT, false, CHART_RIGHT);
	free(s);
}

static void legend_swatch(cairo_t *cr, double x, double y, bool solid, const char *text)
{
	ci_rgb(cr, PAL_DARK);
	cairo_rectangle(cr, x + 0.4, y + 2.4, 9, 6);
	if (solid) {
		cairo_fill(cr);
	} else {
		cairo_set_line_width(cr, 0.8);
		cairo_stroke(cr);
	}
	ci_rgb(cr, PAL_TEXT);
	ci_text(cr, text, x + 13, y, NAME_PT, false, CHART_LEFT);
}

/* ROI as the catalogue shows it (a percent), "—" when undefined. */
static void roi_text(double roi, const char *currency, char *buf, size_t n)
{
	const cat_entry *e = catalog_find("roi");
	if (e)
		catalog_format_number(e, roi, currency, buf, n);
	else
		numfmt_number(roi, false, MF_CHANGE, currency, buf, n);
}

/* A bar cut at the axis' end: two slanted white strokes across it. */
static void cut_mark(cairo_t *cr, double x, double y, double h)
{
	cairo_save(cr);
	ci_rgb(cr, (pal_rgb){1, 1, 1});
	cairo_set_line_width(cr, 1.6);
	for (int k = 0; k < 2; k++) {
		cairo_move_to(cr, x - 7 + 3 * k, y + h + 1);
		cairo_line_to(cr, x - 4 + 3 * k, y - 1);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void rank_row(cairo_t *cr, const chart_rank_row *r, double x0, double x1, double top,
		     double rh, double hi, const char *currency)
{
	pal_rgb c = r->other ? PAL_GREY : PAL_DARK;
	double scale = (x1 - x0) / hi;
	/* an aggregate past the campaigns' scale is cut at the axis' end */
	double rw = fmin(fmax(0, r->revenue) * scale, x1 - x0),
	       sw = fmin(fmax(0, r->spend) * scale, x1 - x0);
	ci_rgb(cr, c);
	cairo_rectangle(cr, x0, top + rh * 0.16, rw, rh * 0.34);
	cairo_fill(cr);
	if (r->revenue > hi)
		cut_mark(cr, x1, top + rh * 0.16, rh * 0.34);
	cairo_set_line_width(cr, 0.8);
	cairo_rectangle(cr, x0 + 0.4, top + rh * 0.56, fmax(0, sw - 0.8), rh * 0.24);
	cairo_stroke(cr);
	if (r->spend > hi) {
		cairo_save(cr);
		ci_rgb(cr, c);
		cairo_set_line_width(cr, 0.8);
		cairo_move_to(cr, x1 - 6, top + rh * 0.56 - 1);
		cairo_line_to(cr, x1 - 3, top + rh * 0.80 + 1);
		cairo_stroke(cr);
		cairo_restore(cr);
	}
	if (r->unranked) /* no ROI, and no "—", which the caption keeps for no spend */
		return;
	char buf[64];
	roi_text(r->roi, currency, buf, sizeof buf);
	/* a ROI from few MQLs: muted and regular, no verdict of green or red */
	bool strong = !r->low_sample;
	double h;
	lbl_measure(cr, buf, VALUE_PT, strong, NULL, &h);
	ci_rgb(cr, !isfinite(r->roi) || !strong ? PAL_MUTED : r->roi >= 0 ? PAL_GOOD : PAL_BAD);
	ci_text(cr, buf, x0 + fmax(rw, sw) + 4, top + rh * 0.48 - h / 2, VALUE_PT, strong,
		CHART_LEFT);
}

double chart_ranking_scale(const chart_rank_row *rows, size_t n)
{
	double ranked = 0, all = 0;
	for (size_t i = 0; i < n; i++) {
		double v = fmax(rows[i].revenue, rows[i].spend);
		if (!isfinite(v))
			continue;
		all = fmax(all, v);
		if (!rows[i].other && !rows[i].unranked)
			ranked = fmax(ranked, v);
	}
	double hi = ranked > 0 ? ranked : all;
	if (!(hi > 0))
		return 1;
	double step = ci_step(hi, 5);
	return ceil(hi / step) * step; /* the axis' end, at a whole step */
}

int chart_ranking(cairo_t *cr, chart_box box, const chart_rank_row *rows, size_t n,
		  const char *currency)
{
	cairo_save(cr);
	if (n == 0)
		return ci_finish(cr);
	double hi = chart_ranking_scale(rows, n), roi_w = 0;
	for (size_t i = 0; i < n; i++) {
		char buf[64];
		roi_text(rows[i].roi, currency, buf, sizeof buf);
		double w;
		lbl_measure(cr, buf, VALUE_PT, true, &w, NULL);
		roi_w = fmax(roi_w, w);
	}
	legend_swatch(cr, box.x, box.y, true, "Revenue");
	legend_swatch(cr, box.x + 70, box.y, false, "Spend");
	ci_rgb(cr, PAL_MUTED);
	ci_text(cr, "label: ROI = (revenue \xE2\x88\x92 spend) / spend", box.x + 130, box.y,
		NAME_PT, false, CHART_LEFT);
	double name_w = box.w * 0.34;
	double x0 = box.x + name_w + 8, x1 = box.x + box.w - roi_w - 6;
	double top = box.y + 18, bottom = box.y + box.h - 14;
	n = ci_min(n, chart_rows_fit(bottom - top, 0, CHART_MIN_ROW));
	double rh = fmin(40, (bottom - top) / (double)(n ? n : 1));
	bottom = top + rh * (double)n;
	ci_axis_x(cr, x0, x1, top, bottom, 0, hi, MF_MONEY, currency);
	for (size_t i = 0; i < n; i++) {
		double rt = top + rh * (double)i;
		row_name(cr, rows[i].name, box.x, rt + rh / 2, name_w, rh - 1, rows[i].other);
		rank_row(cr, &rows[i], x0, x1, rt, rh, hi, currency);
	}
	return ci_finish(cr);
}

/* The value label of a rate: "42.1%", with the low-sample flag; "—"
 * alone for no rate (no closed deal), which the caller's note explains:
 * "low sample: 0 closed deals" would flag a rate that does not exist. */
static void ci_label(const chart_ci_row *r, const char *unit, char *buf, size_t n)
{
	char v[32];
	numfmt_number(r->v, false, MF_RATE, NULL, v, sizeof v);
	if (r->low_sample && isfinite(r->v)) {
		size_t len = strlen(unit); /* "1 closed deal", not "1 closed deals" */
		if (r->sample == 1 && len > 1 && unit[len - 1] == 's')
			len--;
		snprintf(buf, n, "%s  low sample: %.0f %.*s", v, r->sample, (int)len, unit);
	} else {
		snprintf(buf, n, "%s", v);
	}
}

static void ci_row(cairo_t *cr, const chart_ci_row *r, double x0, double x1, double top, double rh,
		   double hi, const char *unit)
{
	double sc = (x1 - x0) / hi;
	double cy = top + rh / 2;
	if (isfinite(r->v)) {
		cairo_rectangle(cr, x0, top + rh * 0.2, r->v * sc, rh * 0.6);
		ci_fill_mark(cr, r->colour, r->low_sample ? 0.35 : 1.0);
	}
	double end = isfinite(r->v) ? x0 + r->v * sc : x0;
	if (isfinite(r->lo) && isfinite(r->hi)) {
		ci_rgb(cr, r->low_sample ? PAL_GREY : PAL_TEXT);
		cairo_set_line_width(cr, 0.8);
		cairo_move_to(cr, x0 + r->lo * sc, cy);
		cairo_line_to(cr, x0 + r->hi * sc, cy);
		cairo_move_to(cr, x0 + r->lo * sc, cy - 3);
		cairo_line_to(cr, x0 + r->lo * sc, cy + 3);
		cairo_move_to(cr, x0 + r->hi * sc, cy - 3);
		cairo_line_to(cr, x0 + r->hi * sc, cy + 3);
		cairo_stroke(cr);
		end = fmax(end, x0 + r->hi * sc);
	}
	char buf[96];
	ci_label(r, unit, buf, sizeof buf);
	double w, h;
	lbl_measure(cr, buf, VALUE_PT, false, &w, &h);
	/* on a white ground: a grid line runs behind the label, not through it */
	ci_rgb(cr, (pal_rgb){1, 1, 1});
	cairo_rectangle(cr, end + 3, cy - h / 2 - 1, w + 2, h + 2);
	cairo_fill(cr);
	ci_rgb(cr, r->low_sample ? PAL_MUTED : PAL_TEXT);
	ci_text(cr, buf, end + 4, cy - h / 2, VALUE_PT, false, CHART_LEFT);
}

int chart_interval_bars(cairo_t *cr, chart_box box, const chart_ci_row *rows, size_t n,
			const char *sample_unit)
{
	cairo_save(cr);
	if (n == 0)
		return ci_finish(cr);
	double name_w = 0, lab_w = 0, hi = 0;
	for (size_t i = 0; i < n; i++) {
		double w;
		lbl_measure(cr, rows[i].name, NAME_PT, false, &w, NULL);
		name_w = fmax(name_w, w);
		char buf[96];
		ci_label(&rows[i], sample_unit, buf, sizeof buf);
		lbl_measure(cr, buf, VALUE_PT, false, &w, NULL);
		lab_w = fmax(lab_w, w);
		hi = fmax(hi, fmax(isfinite(rows[i].v) ? rows[i].v : 0,
				   isfinite(rows[i].hi) ? rows[i].hi : 0));
	}
	name_w = fmin(name_w, box.w * 0.4);
	hi = hi > 0 ? fmin(1, ceil(hi * 10) / 10) : 1;
	double x0 = box.x + name_w + 8, x1 = box.x + box.w - lab_w - 6;
	double top = box.y, bottom = box.y + box.h - 14;
	n = ci_min(n, chart_rows_fit(bottom - top, 0, CHART_MIN_ROW));
	double rh = fmin(24, (bottom - top) / (double)(n ? n : 1));
	bottom = top + rh * (double)n;
	ci_axis_x(cr, x0, x1, top, bottom, 0, hi, MF_RATE, NULL);
	for (size_t i = 0; i < n; i++) {
		double rt = top + rh * (double)i;
		row_name(cr, rows[i].name, box.x, rt + rh / 2, name_w, rh - 1, rows[i].low_sample);
		ci_row(cr, &rows[i], x0, x1, rt, rh, hi, sample_unit);
	}
	return ci_finish(cr);
}

static void funnel_cell(cairo_t *cr, const chart_funnel_row *r, int s, double x, double w,
			double top, double rh, double hi, double lab_w)
{
	double len = hi > 0 && isfinite(r->v[s]) ? r->v[s] / hi * (w - lab_w - 10) : 0;
	cairo_rectangle(cr, x, top + rh * 0.2, len, rh * 0.6);
	ci_fill_mark(cr, r->colour, r->low_sample ? 0.35 : 1.0);
	/* the count only: a share of the stage before would be a ratio of flows
	 * in the window, another figure than the cohort's rates of the tables */
	char buf[32];
	numfmt_number(r->v[s], true, MF_COUNT, NULL, buf, sizeof buf);
	double h;
	lbl_measure(cr, buf, VALUE_PT, false, NULL, &h);
	ci_rgb(cr, r->low_sample ? PAL_MUTED : PAL_TEXT);
	ci_text(cr, buf, x + len + 3, top + rh / 2 - h / 2, VALUE_PT, false, CHART_LEFT);
}

int chart_funnel(cairo_t *cr, chart_box box, const chart_funnel_row *rows, size_t n,
		 const char *const stages[4])
{
	cairo_save(cr);
	if (n == 0)
		return ci_finish(cr);
	double name_w = 0, lab_w = 0, hi[4] = {0};
	for (size_t i = 0; i < n; i++) {
		double w;
		lbl_measure(cr, rows[i].name, NAME_PT, false, &w, NULL);
		name_w = fmax(name_w, w);
		for (int s = 0; s < 4; s++)
			if (isfinite(rows[i].v[s]))
				hi[s] = fmax(hi[s], rows[i].v[s]);
	}
	for (int s = 0; s < 4; s++) {
		char buf[32];
		numfmt_number(hi[s], true, MF_COUNT, NULL, buf, sizeof buf);
		double w;
		lbl_measure(cr, buf, VALUE_PT, false, &w, NULL);
		lab_w = fmax(lab_w, w);
	}
	name_w = fmin(name_w, box.w * 0.25);
	double cw = (box.w - name_w - 8) / 4, top = box.y + 14;
	n = ci_min(n, chart_rows_fit(box.h, 14, CHART_MIN_ROW));
	double rh = fmin(22, (box.h - 14) / (double)(n ? n : 1));
	for (int s = 0; s < 4; s++) {
		char *t = lbl_fit(cr, stages[s], NAME_PT, true, cw - 4);
		ci_rgb(cr, PAL_TEXT);
		ci_text(cr, t, box.x + name_w + 8 + cw * s, box.y, NAME_PT, true, CHART_LEFT);
		free(t);
	}
	for (size_t i = 0; i < n; i++) {
		double rt = top + rh * (double)i;
		row_name(cr, rows[i].name, box.x, rt + rh / 2, name_w, rh - 1, rows[i].low_sample);
		for (int s = 0; s < 4; s++)
			funnel_cell(cr, &rows[i], s, box.x + name_w + 8 + cw * s, cw, rt, rh, hi[s],
				    lab_w);
	}
	return ci_finish(cr);
}
