/* chart_scatter.c — spend against revenue of campaigns: points sized by
 * MQLs (one of none, which has no area, a ring over the circles), the
 * ROI = 0 diagonal, linear or log scales (zero in a band of its own on log
 * scales), the axes the campaigns' (a point that is no campaign
 * past them drawn at their end, marked), the largest campaigns labelled
 * where a label fits (see chart.h).
 *
 * Labels are placed through the registry of labels.c, never by luck: one
 * that has no free spot is left out and counted. They are drawn last, each
 * on a white ground, so that no circle or line covers one; the circles sit
 * inside the frame, off the tick labels. Draws into the caller's box only
 * and computes no metric. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart_int.h"
#include "numfmt.h"

#define TICK_PT	 6.5
#define LABEL_PT 6.5

#define SC_RADIUS 9.0 /* the largest circle's radius */
#define SC_RING	  2.5 /* the radius of a point of no MQLs, drawn as a ring: no area */
#define SC_RING_W 0.9 /* its line's width */
#define SC_HALO	  1.0 /* the white ground around a label */
#define SC_CLEAR  4.0 /* how much nearer a label is to its circle than to another */
/* On log scales, zero's place apart from the first tick: two of the
 * largest circles and a gap between them */
#define SC_ZERO (2 * SC_RADIUS + 8)

typedef struct sc_axes {
	double x0, x1, y0, y1;	   /* where the values go, y0 top */
	double fx0, fx1, fy0, fy1; /* the frame: the values' area and a circle's radius around */
	double lo, hi; /* the value range of both axes (shared: x = y is the diagonal) */
	double xlo, xhi, ylo, yhi;
	double bx0, bx1; /* the box's sides: tick labels stay within */
	bool log;
	bool zx, zy; /* log scales: zero has a band of its own, SC_ZERO wide, at x0 / y1 */
} sc_axes;

/* Where v lies from lo (0) to hi (1), a value past either end at it. */
static double sc_t(const sc_axes *a, double v, double lo, double hi)
{
	double t = a->log ? (log10(fmax(v, lo)) - log10(lo)) / (log10(hi) - log10(lo))
			  : (v - lo) / (hi - lo);
	return fmin(1, fmax(0, t));
}

static double sc_x(const sc_axes *a, double v)
{
	if (a->zx && !(v > 0))
		return a->x0;
	double x0 = a->x0 + (a->zx ? SC_ZERO : 0);
	return x0 + sc_t(a, v, a->xlo, a->xhi) * (a->x1 - x0);
}

static double sc_y(const sc_axes *a, double v)
{
	if (a->zy && !(v > 0))
		return a->y1;
	double y1 = a->y1 - (a->zy ? SC_ZERO : 0);
	return y1 - sc_t(a, v, a->ylo, a->yhi) * (y1 - a->y0);
}

/* The ranges, and whether they call for log scales: positive values
 * spanning more than two decades on either axis. They are the campaigns':
 * a point that is no campaign (`other`) counts only when no campaign is
 * drawn, and one past them is drawn at the axis' end (sc_past), as the
 * ranking cuts its bar, so that one sum does not squash the campaigns. On
 * log scales, an axis on which a point is zero gets a band for zero below
 * (or left of) its first tick. */
static void sc_ranges(const chart_point *p, size_t n, sc_axes *a)
{
	double xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = 0;
	bool campaigns = false;
	for (size_t i = 0; i < n; i++)
		campaigns = campaigns || !p[i].other;
	for (size_t i = 0; i < n; i++) {
		if (p[i].other && campaigns)
			continue;
		if (p[i].x > 0)
			xmin = fmin(xmin, p[i].x), xmax = fmax(xmax, p[i].x);
		if (p[i].y > 0)
			ymin = fmin(ymin, p[i].y), ymax = fmax(ymax, p[i].y);
	}
	if (xmax <= 0)
		xmin = 1, xmax = 10;
	if (ymax <= 0)
		ymin = 1, ymax = 10;
	a->log = xmax / xmin > 100 || ymax / ymin > 100;
	a->zx = a->zy = false;
	if (a->log) {
		a->xlo = pow(10, floor(log10(xmin))), a->xhi = pow(10, ceil(log10(xmax)));
		a->ylo = pow(10, floor(log10(ymin))), a->yhi = pow(10, ceil(log10(ymax)));
		for (size_t i = 0; i < n; i++) {
			a->zx = a->zx || !(p[i].x > 0);
			a->zy = a->zy || !(p[i].y > 0);
		}
	} else {
		double sx = ci_step(xmax, 5), sy = ci_step(ymax, 5);
		a->xlo = 0, a->xhi = ceil(xmax / sx) * sx;
		a->ylo = 0, a->yhi = ceil(ymax / sy) * sy;
	}
}

/* Whether p lies past the end of the x axis (*x) or the y axis (*y). */
static void sc_past(const sc_axes *a, const chart_point *p, bool *x, bool *y)
{
	*x = p->x > a->xhi * (1 + 1e-9);
	*y = p->y > a->yhi * (1 + 1e-9);
}

/* The tick values of one axis into t (at most 32); returns how many. */
static size_t sc_ticks(const sc_axes *a, double lo, double hi, double *t)
{
	size_t k = 0;
	if (a->log) {
		for (double v = lo; v <= hi * 1.001 && k < 32; v *= 10)
			t[k++] = v;
		return k;
	}
	double step = ci_step(hi - lo, 5);
	for (double v = lo; v <= hi + step / 2 && k < 32; v += step)
		t[k++] = v;
	return k;
}

/* A tick label at (x, y) anchored by `al`, moved inside the box's sides,
 * drawn unless it would touch one already drawn. */
static void sc_tick(cairo_t *cr, const sc_axes *a, lbl_set *ticks, const char *t, double x,
		    double y, enum chart_align al)
{
	double w, h;
	lbl_measure(cr, t, TICK_PT, false, &w, &h);
	double left = al == CHART_CENTER ? x - w / 2 : al == CHART_RIGHT ? x - w : x;
	left = fmax(a->bx0, fmin(left, a->bx1 - w));
	lbl_rect r = {left, y, w, h};
	for (size_t i = 0; i < ticks->n; i++)
		if (lbl_overlap(r, ticks->r[i], 1.0))
			return;
	lbl_take(ticks, r);
	ci_rgb(cr, PAL_MUTED);
	ci_text(cr, t, left, y, TICK_PT, false, CHART_LEFT);
}

/* The bands of zero on log scales: shaded from the frame's edge to half
 * way to the first tick, with a grid line and a "$0" tick of their own,
 * so that zero reads apart from the scale (which has no zero). */
static void sc_zero_bands(cairo_t *cr, const sc_axes *a, const char *cur, lbl_set *ticks)
{
	char buf[48];
	double w, h;
	numfmt_tick(0, 1, MF_MONEY, cur, buf, sizeof buf);
	lbl_measure(cr, buf, TICK_PT, false, &w, &h);
	cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
	if (a->zy)
		cairo_rectangle(cr, a->fx0, a->y1 - SC_ZERO / 2, a->fx1 - a->fx0,
				a->fy1 - (a->y1 - SC_ZERO / 2));
	if (a->zx)
		cairo_rectangle(cr, a->fx0, a->fy0, a->x0 + SC_ZERO / 2 - a->fx0, a->fy1 - a->fy0);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
	if (a->zy) {
		cairo_move_to(cr, a->fx0, a->y1);
		cairo_line_to(cr, a->fx1, a->y1);
	}
	if (a->zx) {
		cairo_move_to(cr, a->x0, a->fy0);
		cairo_line_to(cr, a->x0, a->fy1);
	}
	cairo_stroke(cr);
	if (a->zy)
		sc_tick(cr, a, ticks, buf, a->fx0 - 3, a->y1 - h / 2, CHART_RIGHT);
	if (a->zx)
		sc_tick(cr, a, ticks, buf, a->x0, a->fy1 + 2, CHART_CENTER);
}

/* The y axis: grid lines and tick labels, every one that has room. */
static void sc_grid_y(cairo_t *cr, const sc_axes *a, const char *cur, lbl_set *ticks)
{
	double t[32], h;
	size_t n = sc_ticks(a, a->ylo, a->yhi, t);
	char buf[48];
	lbl_measure(cr, "0", TICK_PT, false, NULL, &h);
	double span = a->y1 - (a->zy ? SC_ZERO : 0) - a->y0;
	size_t every = n > 1 ? lbl_thin(h, span / (double)(n - 1), 2) : 1;
	for (size_t i = 0; i < n; i++) {
		double y = sc_y(a, t[i]);
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, a->fx0, y);
		cairo_line_to(cr, a->fx1, y);
		cairo_stroke(cr);
		if (i % every)
			continue;
		numfmt_tick(t[i], n > 1 ? t[1] - t[0] : 1, MF_MONEY, cur, buf, sizeof buf);
		sc_tick(cr, a, ticks, buf, a->fx0 - 3, y - h / 2, CHART_RIGHT);
	}
}

/* Both axes; the y labels first, then the x labels that do not meet them
 * (the first starts at the corner rather than centred on it). */
static void sc_grid(cairo_t *cr, const sc_axes *a, const char *cur)
{
	lbl_set ticks;
	lbl_set_init(&ticks, (lbl_rect){0, 0, 0, 0});
	cairo_set_line_width(cr, 0.4);
	sc_zero_bands(cr, a, cur, &ticks);
	sc_grid_y(cr, a, cur, &ticks);
	double t[32], w;
	size_t n = sc_ticks(a, a->xlo, a->xhi, t);
	char buf[48];
	double widest = 0;
	for (size_t i = 0; i < n; i++) {
		numfmt_tick(t[i], n > 1 ? t[1] - t[0] : 1, MF_MONEY, cur, buf, sizeof buf);
		lbl_measure(cr, buf, TICK_PT, false, &w, NULL);
		widest = fmax(widest, w);
	}
	double span = a->x1 - (a->x0 + (a->zx ? SC_ZERO : 0));
	size_t every = n > 1 ? lbl_thin(widest, span / (double)(n - 1), 6) : 1;
	for (size_t i = 0; i < n; i++) {
		double x = sc_x(a, t[i]);
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, x, a->fy0);
		cairo_line_to(cr, x, a->fy1);
		cairo_stroke(cr);
		if (i % every)
			continue;
		numfmt_tick(t[i], n > 1 ? t[1] - t[0] : 1, MF_MONEY, cur, buf, sizeof buf);
		sc_tick(cr, a, &ticks, buf, x, a->fy1 + 2, CHART_CENTER);
	}
	lbl_set_clear(&ticks);
}

/* A label on a white ground, over whatever was drawn before it. */
static void sc_label(cairo_t *cr, const char *t, double x, double y, double w, double h,
		     pal_rgb ink)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x - SC_HALO, y - SC_HALO, w + 2 * SC_HALO, h + 2 * SC_HALO);
	cairo_fill(cr);
	ci_rgb(cr, ink);
	ci_text(cr, t, x, y, LABEL_PT, false, CHART_LEFT);
}

/* The ROI = 0 line, x = y, clipped to the plot; false when it has no length. */
static bool sc_diagonal(cairo_t *cr, const sc_axes *a)
{
	double lo = fmax(a->xlo, a->ylo), hi = fmin(a->xhi, a->yhi);
	if (!(hi > lo))
		return false;
	ci_rgb(cr, PAL_MUTED);
	cairo_set_line_width(cr, 0.8);
	const double dash[] = {3, 2};
	cairo_set_dash(cr, dash, 2, 0);
	cairo_move_to(cr, sc_x(a, lo), sc_y(a, lo));
	cairo_line_to(cr, sc_x(a, hi), sc_y(a, hi));
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	return true;
}

/* The diagonal's label, above the line left of a point on it, where no
 * other label is. */
static void sc_diagonal_label(cairo_t *cr, const sc_axes *a, lbl_set *taken)
{
	double lo = fmax(a->xlo, a->ylo), hi = fmin(a->xhi, a->yhi);
	const char *t = "ROI = 0 (revenue = spend)";
	double w, h, x, y;
	lbl_measure(cr, t, TICK_PT, false, &w, &h);
	for (double f = 1.0; f > 0.2; f -= 0.05) {
		double v = a->log ? lo * pow(hi / lo, f) : lo + (hi - lo) * f;
		x = sc_x(a, v) - w - 2, y = sc_y(a, v) - h - 2;
		if (lbl_place(taken, x + w / 2, y + h / 2, 0, w + 2 * SC_HALO, h + 2 * SC_HALO, &x,
			      &y)) {
			sc_label(cr, t, x + SC_HALO, y + SC_HALO, w, h, PAL_MUTED);
			return;
		}
	}
}

/* The radius of a point's mark: its area its size, a ring's without one. */
static double sc_radius(double size, double biggest)
{
	if (!(size > 0))
		return SC_RING;
	return biggest > 0 ? fmax(1.2, SC_RADIUS * sqrt(size / biggest)) : 1.2;
}

/* A point of no size as a ring on a white ground of its own width, so that
 * no circle under it hides it and it never reads as a small circle. */
static void sc_ring(cairo_t *cr, double cx, double cy, pal_rgb ink, double alpha)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, cx, cy, SC_RING, 0, 2 * M_PI);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, 2 * SC_RING_W);
	cairo_stroke_preserve(cr);
	ci_rgba(cr, ink, alpha);
	cairo_set_line_width(cr, SC_RING_W);
	cairo_stroke(cr);
}

/* A round number of MQLs near a quarter of the largest (1, 2 or 5 × 10^k),
 * for the key's smaller circle; 0 when the largest is under 4. */
static double sc_key_small(double biggest)
{
	double q = biggest / 4;
	if (q < 1)
		return 0;
	double p = pow(10, floor(log10(q)));
	return q >= 5 * p ? 5 * p : q >= 2 * p ? 2 * p : p;
}

/* Whether the box c is clear of every circle and of the ROI = 0 line
 * (the labels are in taken; unnamed circles are not, past 500 of them). */
static bool sc_key_clear(const sc_axes *a, const chart_point *pts, size_t n, double biggest,
			 bool diagonal, lbl_rect c)
{
	for (size_t i = 0; i < n; i++) {
		double r = sc_radius(pts[i].size, biggest);
		if (lbl_overlap(
			c, (lbl_rect){sc_x(a, pts[i].x) - r, sc_y(a, pts[i].y) - r, 2 * r, 2 * r},
			1.0))
			return false;
	}
	double lo = fmax(a->xlo, a->ylo), hi = fmin(a->xhi, a->yhi);
	for (int k = 0; diagonal && k <= 200; k++) {
		double v = a->log ? lo * pow(hi / lo, k / 200.0) : lo + (hi - lo) * (k / 200.0);
		double x = sc_x(a, v), y = sc_y(a, v);
		if (x >= c.x - 1 && x <= c.x + c.w + 1 && y >= c.y - 1 && y <= c.y + c.h + 1)
			return false;
	}
	return true;
}

/* The key to the circles' areas, framed so that it reads as a key and not
 * as campaigns: "Circle area, MQLs:", a circle of a round number near a
 * quarter of the largest and one of the largest, each with its count, and
 * when a point has none, a ring with "no MQLs" (it is no small number); in
 * the first corner of the plot that no circle, label or line takes (top
 * right, top left, bottom right, bottom left); none when every corner is
 * taken, or no point has an MQL and none is a ring. */
static void sc_key(cairo_t *cr, const sc_axes *a, lbl_set *taken, const chart_point *pts, size_t n,
		   double biggest, bool rings, bool diagonal)
{
	if (!(biggest > 0) && !rings)
		return;
	const char *head = "Circle area, MQLs:", *none = "no MQLs";
	double v[2] = {biggest > 0 ? sc_key_small(biggest) : 0, biggest > 0 ? biggest : 0};
	char t[2][32];
	double tw[2] = {0, 0}, hw = 0, nw = 0, th;
	lbl_measure(cr, head, TICK_PT, false, biggest > 0 ? &hw : NULL, &th);
	double w = biggest > 0 ? 6 + hw + 6 : 6;
	for (int k = 0; k < 2; k++) {
		if (!(v[k] > 0))
			continue;
		mq_grouped(v[k], 0, t[k], sizeof t[k]);
		lbl_measure(cr, t[k], TICK_PT, false, &tw[k], &th);
		w += 2 * sc_radius(v[k], biggest) + 3 + tw[k] + 8;
	}
	if (rings) {
		lbl_measure(cr, none, TICK_PT, false, &nw, NULL);
		w += 2 * SC_RING + SC_RING_W + 3 + nw + 8;
	}
	double h = fmax(2 * SC_RADIUS, th) + 6;
	const double cx[4] = {a->fx1 - 4 - w, a->fx0 + 4, a->fx1 - 4 - w, a->fx0 + 4};
	const double cy[4] = {a->fy0 + 4, a->fy0 + 4, a->fy1 - 4 - h, a->fy1 - 4 - h};
	int c = 0;
	while (c < 4 &&
	       !(lbl_free(taken, (lbl_rect){cx[c], cy[c], w, h}) &&
		 sc_key_clear(a, pts, n, biggest, diagonal, (lbl_rect){cx[c], cy[c], w, h})))
		c++;
	if (c == 4)
		return;
	double x = cx[c], y = cy[c];
	lbl_take(taken, (lbl_rect){x, y, w, h});
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill_preserve(cr);
	ci_rgb(cr, pal_hex(PALETTE_LIGHT));
	cairo_set_line_width(cr, 0.6);
	cairo_stroke(cr);
	ci_rgb(cr, PAL_MUTED);
	if (biggest > 0)
		ci_text(cr, head, x + 6, y + (h - th) / 2, TICK_PT, false, CHART_LEFT);
	x += biggest > 0 ? 6 + hw + 6 : 6;
	for (int k = 0; k < 2; k++) {
		if (!(v[k] > 0))
			continue;
		double r = sc_radius(v[k], biggest);
		ci_rgba(cr, PAL_DARK, 0.5);
		cairo_new_sub_path(cr);
		cairo_arc(cr, x + r, y + h / 2, r, 0, 2 * M_PI);
		cairo_fill(cr);
		ci_rgb(cr, PAL_MUTED);
		ci_text(cr, t[k], x + 2 * r + 3, y + (h - th) / 2, TICK_PT, false, CHART_LEFT);
		x += 2 * r + 3 + tw[k] + 8;
	}
	if (rings) {
		double r = SC_RING + SC_RING_W / 2;
		sc_ring(cr, x + r, y + h / 2, PAL_DARK, 0.85);
		ci_rgb(cr, PAL_MUTED);
		ci_text(cr, none, x + 2 * r + 3, y + (h - th) / 2, TICK_PT, false, CHART_LEFT);
	}
}

/* The axes of a scatter in box: ranges, the frame inside the room its tick
 * labels and axis names take, and where the values go. */
static void sc_layout(cairo_t *cr, chart_box box, const chart_point *pts, size_t n, sc_axes *a)
{
	sc_ranges(pts, n, a);
	double tw, th;
	lbl_measure(cr, "$000k", TICK_PT, false, &tw, &th);
	a->fx0 = box.x + tw + 6, a->fx1 = box.x + box.w - 4;
	a->bx0 = box.x, a->bx1 = box.x + box.w;
	/* each axis named: "Revenue" above the y axis, "Spend" under the x
	 * axis's labels at its end (the currency is in the ticks) */
	a->fy0 = box.y + th + 8, a->fy1 = box.y + box.h - 2 * th - 8;
	/* the values a circle's radius inside the frame: no circle reaches
	 * over an axis to the tick labels */
	a->x0 = a->fx0 + SC_RADIUS + 1, a->x1 = a->fx1 - SC_RADIUS - 1;
	a->y0 = a->fy0 + SC_RADIUS + 1, a->y1 = a->fy1 - SC_RADIUS - 1;
}

/* A point past an axis' end, drawn at it: a small triangle beyond its
 * circle points the way it lies (up, right, or up and right). */
static void sc_past_mark(cairo_t *cr, double cx, double cy, double r, bool x, bool y)
{
	ci_rgb(cr, PAL_GREY);
	double dx = x ? 1 : 0, dy = y ? -1 : 0, len = sqrt(dx * dx + dy * dy);
	dx /= len, dy /= len;
	/* the tip 6 points beyond the circle's edge, the base 2.5 either side */
	double bx = cx + dx * (r + 1.5), by = cy + dy * (r + 1.5);
	cairo_move_to(cr, bx + dx * 4.5, by + dy * 4.5);
	cairo_line_to(cr, bx - dy * 2.5, by + dx * 2.5);
	cairo_line_to(cr, bx + dy * 2.5, by - dx * 2.5);
	cairo_close_path(cr);
	cairo_fill(cr);
}

/* The radius around circles[i]'s centre that holds it and every circle
 * lying over it (one of as much spend and revenue, or nearly). */
static double sc_cover(const lbl_circle *circles, size_t n, size_t i)
{
	const lbl_circle *c = &circles[i];
	double reach = c->r;
	for (size_t k = 0; k < n; k++) {
		double d = hypot(circles[k].x - c->x, circles[k].y - c->y);
		if (k != i && d < circles[k].r + c->r)
			reach = fmax(reach, d + circles[k].r);
	}
	return reach;
}

/* A leader from the edge of the circle (px, py, r) to the nearest point of
 * box c, where c lies beyond circles drawn over that one. */
static void sc_leader_to(cairo_t *cr, lbl_rect c, double px, double py, double r)
{
	double x1 = fmax(c.x, fmin(px, c.x + c.w)), y1 = fmax(c.y, fmin(py, c.y + c.h));
	double dx = x1 - px, dy = y1 - py, d = hypot(dx, dy);
	if (d <= r)
		return;
	ci_rgb(cr, PAL_TEXT);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, px + dx / d * r, py + dy / d * r);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
}

/* Labels circles[i] with name where a spot is free: beside its own circle,
 * nearer it than any other (a leader from its edge when the spot is off a
 * corner), or, `under` others' circles that lie over it, beside them all,
 * nearer them than any other circle, with a leader to its own (apart is
 * room for n + 1 circles). False when no spot is free. */
static bool sc_label_at(cairo_t *cr, lbl_set *taken, const char *name, const lbl_circle *circles,
			size_t n, size_t i, lbl_circle *apart, bool under)
{
	double px = circles[i].x, py = circles[i].y, r = circles[i].r, w, h, x, y;
	double reach = under ? sc_cover(circles, n, i) : r;
	if (!(reach > r) && under)
		return false; /* beside itself, tried already */
	/* under others, the group is its circle */
	size_t m = 0;
	if (under) {
		apart[m++] = (lbl_circle){px, py, reach};
		for (size_t k = 0; k < n; k++)
			if (k != i &&
			    hypot(circles[k].x - px, circles[k].y - py) >= circles[k].r + r)
				apart[m++] = circles[k];
	}
	char *s = lbl_fit(cr, name, LABEL_PT, false, 120);
	lbl_measure(cr, s, LABEL_PT, false, &w, &h);
	double bw = w + 2 * SC_HALO, bh = h + 2 * SC_HALO, lx0, ly0, lx1, ly1;
	bool placed = lbl_place_clear(taken, px, py, reach + 1, bw, bh, under ? apart : circles,
				      under ? m : n, SC_CLEAR, &x, &y);
	if (placed && under) {
		sc_leader_to(cr, (lbl_rect){x, y, bw, bh}, px, py, r);
	} else if (placed &&
		   lbl_leader((lbl_rect){x, y, bw, bh}, px, py, r, &lx0, &ly0, &lx1, &ly1)) {
		/* off a corner of its circle, a label lies as near the row or
		 * column of a neighbour: a leader says which circle it names */
		ci_rgb(cr, PAL_TEXT);
		cairo_set_line_width(cr, 0.6);
		cairo_move_to(cr, lx0, ly0);
		cairo_line_to(cr, lx1, ly1);
		cairo_stroke(cr);
	}
	if (placed)
		sc_label(cr, s, x + SC_HALO, y + SC_HALO, w, h, PAL_TEXT);
	free(s);
	return placed;
}

/* The labels of the points marked `label` (but `other`): first every one
 * that has a spot beside its own circle, then, where spots are left, those
 * under others' circles (a ring in the circle of a campaign of the same
 * spend), beside the circles over them, the last points first (the caller
 * draws its first last); one without a spot either way is counted in
 * left_out. */
static void sc_labels(cairo_t *cr, const sc_axes *a, lbl_set *taken, const chart_point *pts,
		      size_t n, double biggest, chart_scatter_info *info)
{
	/* every circle drawn: a label keeps clear of all but its own, so that
	 * it never sits beside two and names either */
	lbl_circle *circles = xcalloc(n ? n : 1, sizeof *circles);
	lbl_circle *apart = xcalloc(n + 1, sizeof *apart);
	bool *done = xcalloc(n ? n : 1, sizeof *done);
	for (size_t i = 0; i < n; i++)
		circles[i] = (lbl_circle){sc_x(a, pts[i].x), sc_y(a, pts[i].y),
					  sc_radius(pts[i].size, biggest)};
	for (size_t i = 0; i < n; i++)
		if (pts[i].label && !pts[i].other)
			done[i] = sc_label_at(cr, taken, pts[i].name, circles, n, i, apart, false);
	for (size_t i = n; i-- > 0;)
		if (pts[i].label && !pts[i].other && !done[i])
			done[i] = sc_label_at(cr, taken, pts[i].name, circles, n, i, apart, true);
	for (size_t i = 0; i < n; i++)
		info->left_out += pts[i].label && !pts[i].other && !done[i];
	free(done);
	free(apart);
	free(circles);
}

/* Where pts[i] is drawn: the layout of chart_scatter(), nothing drawn. */
void chart_scatter_point(cairo_t *cr, chart_box box, const chart_point *pts, size_t n, size_t i,
			 double *x, double *y)
{
	sc_axes a;
	sc_layout(cr, box, pts, n, &a);
	*x = sc_x(&a, pts[i].x);
	*y = sc_y(&a, pts[i].y);
}

int chart_scatter(cairo_t *cr, chart_box box, const chart_point *pts, size_t n,
		  const char *currency, chart_scatter_info *info)
{
	cairo_save(cr);
	*info = (chart_scatter_info){0};
	sc_axes a;
	sc_layout(cr, box, pts, n, &a);
	info->log = a.log, info->zero_x = a.zx, info->zero_y = a.zy;
	double th;
	lbl_measure(cr, "$000k", TICK_PT, false, NULL, &th);
	ci_rgb(cr, PAL_MUTED);
	ci_text(cr, a.log ? "Revenue \xE2\x86\x91 (log scale)" : "Revenue \xE2\x86\x91", box.x,
		box.y, TICK_PT, false, CHART_LEFT);
	ci_text(cr, a.log ? "Spend \xE2\x86\x92 (log scale)" : "Spend \xE2\x86\x92", a.fx1,
		a.fy1 + th + 8, TICK_PT, false, CHART_RIGHT);
	lbl_set taken;
	lbl_set_init(&taken,
		     (lbl_rect){a.fx0 + 1, a.fy0 + 1, a.fx1 - a.fx0 - 2, a.fy1 - a.fy0 - 2});
	sc_grid(cr, &a, currency);
	bool diagonal = sc_diagonal(cr, &a);
	double biggest = 0;
	for (size_t i = 0; i < n; i++)
		biggest = fmax(biggest, pts[i].size);
	for (size_t i = 0; i < n; i++) {
		double r = sc_radius(pts[i].size, biggest);
		double cx = sc_x(&a, pts[i].x), cy = sc_y(&a, pts[i].y);
		/* a label is placed beside the circles of the named campaigns
		 * (and of every campaign when few), not on them */
		if (pts[i].label || n <= 500)
			lbl_take(&taken, (lbl_rect){cx - r, cy - r, 2 * r, 2 * r});
		if (pts[i].size > 0) {
			if (pts[i].other)
				ci_rgba(cr, PAL_GREY, 0.45);
			else
				ci_rgba(cr, PAL_DARK, pts[i].label ? 0.5 : n > 500 ? 0.15 : 0.35);
			cairo_new_sub_path(cr);
			cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
			cairo_fill(cr);
		}
		bool px, py;
		sc_past(&a, &pts[i], &px, &py);
		if (pts[i].other && (px || py)) {
			sc_past_mark(cr, cx, cy, r, px, py);
			info->cut_x = info->cut_x || px;
			info->cut_y = info->cut_y || py;
		}
	}
	/* the rings last, over every circle: a campaign without MQLs that
	 * spent as much as another (or earned as much) is not hidden by it */
	for (size_t i = 0; i < n; i++) {
		if (pts[i].size > 0)
			continue;
		double cx = sc_x(&a, pts[i].x), cy = sc_y(&a, pts[i].y);
		if (pts[i].other) {
			sc_ring(cr, cx, cy, PAL_GREY, 0.9);
			info->other_ring = true; /* no campaign: the caption says it apart */
			continue;
		}
		sc_ring(cr, cx, cy, PAL_DARK, pts[i].label ? 0.85 : n > 500 ? 0.3 : 0.7);
		info->rings++;
	}
	sc_labels(cr, &a, &taken, pts, n, biggest, info);
	if (diagonal)
		sc_diagonal_label(cr, &a, &taken);
	sc_key(cr, &a, &taken, pts, n, biggest, info->rings > 0, diagonal);
	lbl_set_clear(&taken);
	return ci_finish(cr);
}
