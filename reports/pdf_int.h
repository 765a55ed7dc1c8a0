/* pdf_int.h — the state shared by the files that draw the campaign-ROI PDF
 * (pdf.c, pdf_page.c, pdf_sections.c, pdf_tables.c); not an interface of
 * reports/. */
#ifndef MQL_PDF_INT_H
#define MQL_PDF_INT_H

#include <cairo.h>

#include "chart.h"
#include "layout.h"
#include "mval.h"
#include "palette.h"
#include "reports.h"

#define PD_FOOT 22.0 /* the footer's band above the bottom margin */

typedef struct pdoc {
	cairo_t *cr;
	cairo_surface_t *sf;
	const mval *root;
	const layout_pdf *lp;
	const char *currency, *week, *tz;
	char model[48];	    /* the attribution model, in words ("first touch", "W-shaped") */
	char model_key[32]; /* the same as the report names it ("w_shaped") */
	char dates[96];	    /* the report week's days: "Mon 16 – Sun 22 Nov 2026" */
	int week_no;	    /* 47 of "2026-W47"; 0 when the label is not an ISO week */
	double pw, ph, m;
	int page, total; /* total 0 while counting */
	double y;	 /* the cursor from the top */
	int *sec_page;	 /* each section's first page (known from the first pass) */
} pdoc;

static inline double pd_cw(const pdoc *p)
{
	return p->pw - 2 * p->m;
}
static inline double pd_bottom(const pdoc *p)
{
	return p->ph - p->m - PD_FOOT;
}

/* pdf.c */
void pd_new_page(pdoc *p);
/* A new page when h points do not fit between the cursor and the footer,
 * and true then: what follows is not drawn over the footer. */
bool pd_room(pdoc *p, double h);
/* A section title (and a named destination `dest` for links and the
 * outline, when not NULL) at the cursor. */
void pd_heading(pdoc *p, const char *title, const char *dest);
/* A wrapped paragraph at the cursor in `size` points, muted. */
void pd_note(pdoc *p, const char *text, double size);
/* The display name of a key (the template's [labels]). Returns buf. */
const char *pd_label(const pdoc *p, const char *key, char *buf, size_t n);
/* A value's display text; the template's `percent` keys as "+435%". */
void pd_value(const pdoc *p, const char *key, const mval *v, char *buf, size_t n);
bool pd_is_percent(const pdoc *p, const char *key);
pal_rgb pd_channel_colour(const pdoc *p, const char *name);
/* Row indices of the array `rows`, by column `sort` largest first (nulls
 * last; ties by column `then` largest first when given, then by their
 * `category` name, case ignored, when given, else in tree order), or in
 * tree order when sort is NULL. */
size_t *pd_order(const mval *rows, const char *sort, const char *then, const char *category);
/* Moves the rows without a campaign or channel ("unknown" under category)
 * of ord[0..n) to its end, the others keeping their order: that bucket is
 * never ranked among them. Returns how many others there are. */
size_t pd_unknown_last(const mval *rows, const char *category, size_t *ord, size_t n);
/* How a section's rows of the same `sort` are ordered, inside a sentence:
 * " (of equal revenue, by spend, the largest first)"; "" without `then`.
 * Free it. */
char *pd_ties_text(const pdoc *p, const layout_section *s);
/* "fewer than 30 MQLs" (or "few MQLs" without the minimum). Free it. */
char *pd_few_text(const pdoc *p, const char *unit);
/* A note under a figure: before, "fewer than 30 MQLs", after. */
void pd_few_note(pdoc *p, const char *before, const char *after);
/* The destination name of section i ("sec-3"). */
void pd_dest(size_t i, char *buf, size_t n);

/* pdf_page.c: page 1 */
void pd_summary(pdoc *p);
/* data_quality.health's entries whose status is "warn" or "fail": count, and the
 * i-th one's "check: message" into buf (for tests too). */
size_t pd_health_warnings(const mval *root, size_t i, char *buf, size_t n);

/* pdf_sections.c: one section's charts */
void pd_section_chart(pdoc *p, const layout_section *s, const mval *rows);
/* Whether the section's chart has anything to draw (a scatter of no
 * campaign's revenue has not: the section says so in a sentence instead). */
bool pd_section_draws(const layout_section *s, const mval *rows);

/* pdf_tables.c */
void pd_table(pdoc *p, const layout_section *s, const mval *rows);

#endif
