/* labels.h — the layout step of the charts: every label is measured with
 * pango before it is drawn, and placed where it collides with nothing.
 *
 * A chart first fits a label to the room it has (lbl_fit: shortened in the
 * middle, "Webinar: Fore…ution & ROI"), thins out tick labels that would
 * touch (lbl_thin), and places free-floating labels (a scatter's) through a
 * registry of the boxes already taken (lbl_place). Nothing here decides
 * what a label says. */
#ifndef MQL_LABELS_H
#define MQL_LABELS_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct lbl_rect {
	double x, y, w, h;
} lbl_rect;

/* A layout of text in CHART_FONT at `size` points (bold or not), for cr.
 * Caller unrefs (g_object_unref). */
PangoLayout *lbl_layout(cairo_t *cr, const char *text, double size, bool bold);

/* The size of a one-line text in CHART_FONT at `size` points. */
void lbl_measure(cairo_t *cr, const char *text, double size, bool bold, double *w, double *h);

/* The text itself when it fits `width`, else a copy shortened in the middle
 * with "…" that fits (at least its first and last character). Caller frees. */
char *lbl_fit(cairo_t *cr, const char *text, double size, bool bold, double width);

/* True when the rectangles overlap by more than `gap` points of clearance. */
bool lbl_overlap(lbl_rect a, lbl_rect b, double gap);

/* The boxes taken on a chart. */
typedef struct lbl_set {
	lbl_rect *r;
	size_t n, cap;
	lbl_rect bounds; /* a label must lie inside */
} lbl_set;

void lbl_set_init(lbl_set *s, lbl_rect bounds);
void lbl_set_clear(lbl_set *s);
/* Mark a box as taken (a tick label, a legend). */
void lbl_take(lbl_set *s, lbl_rect r);
/* Whether the box c lies inside the set's bounds and clear of every box
 * taken (a fixed spot, as a chart's key in a corner). */
bool lbl_free(const lbl_set *s, lbl_rect c);
/* A free spot for a w × h label near the point (px, py), r away from it:
 * right, left, above, below and the four diagonals, in that order. Takes it
 * and writes its top-left corner; false (nothing taken) when every spot
 * collides or leaves the bounds. */
bool lbl_place(lbl_set *s, double px, double py, double r, double w, double h, double *x,
	       double *y);

/* The leader of a label placed diagonally off a circle (centre px, py,
 * radius r), which a reader could take for a neighbour's beside it: true,
 * with the segment from the circle's edge towards the box's nearest
 * corner to that corner in (x0, y0)–(x1, y1), when box c lies wholly to
 * one side and wholly above or below the centre; false for a label
 * beside, above or below its circle, which needs none. */
bool lbl_leader(lbl_rect c, double px, double py, double r, double *x0, double *y0, double *x1,
		double *y1);

/* A drawn circle a label must not sit beside unless it is the label's own. */
typedef struct lbl_circle {
	double x, y, r;
} lbl_circle;
/* As lbl_place(), at the first free spot whose box lies nearer the edge of
 * the point's own circle (the one of others centred on (px, py)) than the
 * edge of any other circle of others, by more than `clear` points: a
 * label beside two circles names either. */
bool lbl_place_clear(lbl_set *s, double px, double py, double r, double w, double h,
		     const lbl_circle *others, size_t n, double clear, double *x, double *y);

/* How many ticks to skip so that labels of width `widest` at `spacing`
 * points apart keep `gap` points between them: 1 (every tick), 2, 3 … */
size_t lbl_thin(double widest, double spacing, double gap);

#endif
