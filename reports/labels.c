/* labels.c — measuring, shortening and placing chart labels so that no two
 * collide (see labels.h).
 *
 * Measures and decides positions only: it draws nothing and never changes
 * what a label says beyond shortening it with "…". */
#include "labels.h"

#include <glib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "base.h"
#include "chart.h"
#include "shown.h"

/* Pango is given at most this many characters of a text: more than any
 * paragraph of the PDF holds, far fewer than a pasted megabyte. */
#define LBL_MAX_CHARS 10000

PangoLayout *lbl_layout(cairo_t *cr, const char *text, double size, bool bold)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, CHART_FONT);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (shown_needs_work(text, LBL_MAX_CHARS)) {
		/* what cairo cannot draw (a noncharacter, invalid UTF-8) and
		 * what no page holds, made showable */
		char *t = shown_text(text, LBL_MAX_CHARS);
		pango_layout_set_text(l, t, -1);
		g_free(t);
	} else {
		pango_layout_set_text(l, text ? text : "", -1);
	}
	return l;
}

void lbl_measure(cairo_t *cr, const char *text, double size, bool bold, double *w, double *h)
{
	PangoLayout *l = lbl_layout(cr, text, size, bold);
	int iw, ih;
	pango_layout_get_size(l, &iw, &ih);
	g_object_unref(l);
	if (w)
		*w = (double)iw / PANGO_SCALE;
	if (h)
		*h = (double)ih / PANGO_SCALE;
}

/* The first `head` and last `tail` characters of text joined by "…". */
static char *middle(const char *text, glong head, glong tail)
{
	glong n = g_utf8_strlen(text, -1);
	const char *h_end = g_utf8_offset_to_pointer(text, head);
	const char *t_beg = g_utf8_offset_to_pointer(text, n - tail);
	return xasprintf("%.*s\xE2\x80\xA6%s", (int)(h_end - text), text, t_beg);
}

char *lbl_fit(cairo_t *cr, const char *text, double size, bool bold, double width)
{
	/* made showable whole, not cut: the middle cut below keeps its end */
	char *clean = shown_needs_work(text, SIZE_MAX) ? shown_text(text, SIZE_MAX) : NULL;
	const char *s = clean ? clean : text ? text : "";
	glong n = g_utf8_strlen(s, -1);
	/* few glyphs are narrower than a tenth of their size (combining marks
	 * are): a text of more characters than this is not laid out whole,
	 * only cut to fit */
	glong most = (glong)(width / (size * 0.1)) + 3;
	double w = INFINITY;
	if (n <= most)
		lbl_measure(cr, s, size, bold, &w, NULL);
	if (w <= width || n <= 2) {
		char *out = xstrdup(s);
		g_free(clean);
		return out;
	}
	/* the longest middle cut that fits: keep = head + tail characters */
	glong lo = 2, hi = n - 1 < most ? n - 1 : most;
	while (lo < hi) {
		glong keep = (lo + hi + 1) / 2;
		char *t = middle(s, (keep + 1) / 2, keep / 2);
		lbl_measure(cr, t, size, bold, &w, NULL);
		free(t);
		if (w <= width)
			lo = keep;
		else
			hi = keep - 1;
	}
	char *out = middle(s, (lo + 1) / 2, lo / 2);
	g_free(clean);
	return out;
}

bool lbl_overlap(lbl_rect a, lbl_rect b, double gap)
{
	return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap &&
	       b.y < a.y + a.h + gap;
}

void lbl_set_init(lbl_set *s, lbl_rect bounds)
{
	*s = (lbl_set){.bounds = bounds};
}

void lbl_set_clear(lbl_set *s)
{
	free(s->r);
	*s = (lbl_set){0};
}

void lbl_take(lbl_set *s, lbl_rect r)
{
	VEC_RESERVE(s->r, s->cap, s->n + 1);
	s->r[s->n++] = r;
}

static bool inside(lbl_rect outer, lbl_rect r)
{
	return r.x >= outer.x && r.y >= outer.y && r.x + r.w <= outer.x + outer.w &&
	       r.y + r.h <= outer.y + outer.h;
}

bool lbl_free(const lbl_set *s, lbl_rect c)
{
	if (!inside(s->bounds, c))
		return false;
	for (size_t i = 0; i < s->n; i++)
		if (lbl_overlap(c, s->r[i], 1.0))
			return false;
	return true;
}

/* Box c's distance from the point (x, y): 0 inside it. */
static double box_distance(lbl_rect c, double x, double y)
{
	double dx = fmax(fmax(c.x - x, 0), x - (c.x + c.w));
	double dy = fmax(fmax(c.y - y, 0), y - (c.y + c.h));
	return sqrt(dx * dx + dy * dy);
}

/* Whether box c lies nearer the edge of the circle centred on (px, py)
 * than the edge of any other circle of others, by more than `clear`
 * points: a reader takes a label for its nearest circle's. */
static bool clear_of(lbl_rect c, double px, double py, const lbl_circle *others, size_t n,
		     double clear)
{
	double own = INFINITY;
	for (size_t i = 0; i < n; i++)
		if (fabs(others[i].x - px) < 0.5 && fabs(others[i].y - py) < 0.5)
			own = fmin(own, box_distance(c, px, py) - others[i].r);
	if (own == INFINITY)
		own = box_distance(c, px, py);
	for (size_t i = 0; i < n; i++) {
		const lbl_circle *o = &others[i];
		if (fabs(o->x - px) < 0.5 && fabs(o->y - py) < 0.5)
			continue; /* the point's own (or one drawn on it) */
		if (box_distance(c, o->x, o->y) - o->r <= own + clear)
			return false;
	}
	return true;
}

bool lbl_place_clear(lbl_set *s, double px, double py, double r, double w, double h,
		     const lbl_circle *others, size_t n, double clear, double *x, double *y)
{
	const double spots[][2] = {
	    {px + r, py - h / 2}, {px - r - w, py - h / 2}, {px - w / 2, py - r - h},
	    {px - w / 2, py + r}, {px + r, py - r - h},	    {px - r - w, py - r - h},
	    {px + r, py + r},	  {px - r - w, py + r},
	};
	for (size_t k = 0; k < sizeof spots / sizeof spots[0]; k++) {
		lbl_rect c = {spots[k][0], spots[k][1], w, h};
		if (!lbl_free(s, c) || !clear_of(c, px, py, others, n, clear))
			continue;
		lbl_take(s, c);
		*x = c.x;
		*y = c.y;
		return true;
	}
	return false;
}

bool lbl_place(lbl_set *s, double px, double py, double r, double w, double h, double *x, double *y)
{
	return lbl_place_clear(s, px, py, r, w, h, NULL, 0, 0, x, y);
}

bool lbl_leader(lbl_rect c, double px, double py, double r, double *x0, double *y0, double *x1,
		double *y1)
{
	bool left = c.x + c.w <= px, right = c.x >= px;
	bool above = c.y + c.h <= py, below = c.y >= py;
	if (!(left || right) || !(above || below))
		return false;
	*x1 = left ? c.x + c.w : c.x;
	*y1 = above ? c.y + c.h : c.y;
	double dx = *x1 - px, dy = *y1 - py, d = hypot(dx, dy);
	if (d <= r)
		return false; /* the corner within the circle: touching already */
	*x0 = px + dx / d * r;
	*y0 = py + dy / d * r;
	return true;
}

size_t lbl_thin(double widest, double spacing, double gap)
{
	if (spacing <= 0)
		return 1;
	size_t k = 1;
	while ((double)k * spacing < widest + gap && k < 1000)
		k++;
	return k;
}
