/* mail_chart.h — the e-mail's inline trend picture (mail_chart.c). */
#ifndef MQL_MAIL_CHART_H
#define MQL_MAIL_CHART_H

#include <stddef.h>

#include "mval.h"

/* A PNG (560 CSS pixels wide, drawn at twice that) of the 13 weeks of
 * kpi_trend: leads, MQLs, SQLs, wins, cost per MQL and MQL → SQL rate as
 * small multiples, each on its own scale, this week's point dark. Every
 * figure is written whole: one too long to stand beside its label goes
 * under it, in every panel (the picture is then taller), a low and high
 * too long for one line go on two, and a text still too wide for its
 * panel is set smaller. Returns
 * the bytes (caller frees) and their count in *len, or NULL when the tree
 * has no kpi_trend or drawing failed. The same tree gives the same bytes. */
unsigned char *mail_trend_png(const mval *root, size_t *len);

/* One text of the picture as mail_trend_png() lays it out, in CSS pixels:
 * whole (never cut with "…"), its box, its type size and the edges of the
 * panel (or of the picture, for the heading) it keeps within. */
typedef struct mail_trend_text {
	char text[200];
	double x, y, w, h; /* left, top, width, height */
	double size;
	double left, right; /* the edges it must keep within */
} mail_trend_text;

/* The texts mail_trend_png() draws for root, at most max of them into out,
 * in drawing order (the heading, then each panel's label, figure, and low
 * and high); returns how many it draws, which may be more than max, and
 * the picture's height in CSS pixels in *height (0, and 0 texts, without
 * kpi_trend). */
size_t mail_trend_texts(const mval *root, mail_trend_text *out, size_t max, double *height);

/* The picture's alt text: what it shows and each series' first and last
 * value (of the first and last week that have one, named when not at the
 * window's end; "no value" for a series without any). Caller frees. */
char *mail_trend_alt(const mval *root);

#endif
