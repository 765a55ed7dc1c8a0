/* mail_chart.h — the e-mail's inline trend picture (mail_chart.c). */
#ifndef MQL_MAIL_CHART_H
#define MQL_MAIL_CHART_H

#include <stddef.h>

#include "mval.h"

/* A PNG (560 CSS pixels wide, drawn at twice that) of the 13 weeks of
 * kpi_trend: leads, MQLs, SQLs, wins, cost per MQL and MQL → SQL rate as
 * small multiples, each on its own scale, this week's point dark. Returns
 * the bytes (caller frees) and their count in *len, or NULL when the tree
 * has no kpi_trend or drawing failed. The same tree gives the same bytes. */
unsigned char *mail_trend_png(const mval *root, size_t *len);

/* The picture's alt text: what it shows and each series' first and last
 * value (of the first and last week that have one, named when not at the
 * window's end; "no value" for a series without any). Caller frees. */
char *mail_trend_alt(const mval *root);

#endif
