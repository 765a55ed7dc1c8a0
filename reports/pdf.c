/* pdf.c — the campaign-ROI PDF (SPEC §7): cairo's PDF surface, text through
 * pango with DejaVu Sans embedded, charts from chart.c, laid out as
 * templates/report_pdf.ini says. A4 portrait; "Page N of M" on every page. */
#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "banner.h"
#include "chart.h"
#include "grid.h"
#include "json.h"
#include "layout.h"
#include "numfmt.h"
#include "reports.h"

#define PAGE_W	  595.276 /* A4 in points */
#define PAGE_H	  841.890
#define MARGIN	  42.0
#define FOOTER	  24.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define CHART_H	  240.0
#define ROW_H	  13.0
#define MAX_BARS  24 /* categories drawn in a bar chart; the table lists every row */

typedef struct pctx {
	cairo_t *cr;
	const mval *root;
	const layout_pdf *lp;
	const char *currency;
	const char *week;
	int page;  /* 1-based */
	int total; /* pages in all; 0 while counting */
	double y;  /* the cursor, from the top */
} pctx;

static void footer(pctx *p)
{
	char buf[64];
	if (p->total)
		snprintf(buf, sizeof buf, "Page %d of %d", p->page, p->total);
	else
		snprintf(buf, sizeof buf, "Page %d of ?", p->page);
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	chart_text(p->cr, buf, PAGE_W - MARGIN, PAGE_H - MARGIN + 6, 0, 8, false, CHART_RIGHT);
	char *left = xasprintf("%s · %s", p->lp->title, p->week);
	chart_text(p->cr, left, MARGIN, PAGE_H - MARGIN + 6, CONTENT_W / 2, 8, false, CHART_LEFT);
	free(left);
}

static void new_page(pctx *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

static void ensure(pctx *p, double h)
{
	if (p->y + h > PAGE_H - MARGIN - FOOTER && p->y > MARGIN)
		new_page(p);
}

static void heading(pctx *p, const char *text)
{
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	p->y += chart_text(p->cr, text, MARGIN, p->y, CONTENT_W, 12, true, CHART_LEFT) + 6;
}

static void note(pctx *p, const char *text)
{
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	p->y += chart_text(p->cr, text, MARGIN, p->y, CONTENT_W, 8.5, false, CHART_LEFT) + 10;
}

/* The data-health warnings in a red box, before any figure of page 1. */
static void health_banner(pctx *p)
{
	char **lines = report_health_lines(p->root);
	if (!lines)
		return;
	double h = 8;
	for (char **l = lines; *l; l++)
		h += chart_text_wrap_height(p->cr, *l, CONTENT_W - 16, 9, true, 3) + 4;
	cairo_set_source_rgb(p->cr, 1.0, 0.78, 0.81);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, h);
	cairo_fill(p->cr);
	double y = p->y + 6;
	cairo_set_source_rgb(p->cr, 0.61, 0.0, 0.02);
	for (char **l = lines; *l; l++)
		y += chart_text_wrap(p->cr, *l, MARGIN + 8, y, CONTENT_W - 16, 9, true, CHART_LEFT,
				     3) + 4;
	p->y += h + 12;
	g_strfreev(lines);
}

/* Page 1's title, the report's coordinates and the headline figures. */
static void title_block(pctx *p)
{
	const mval *rep = mv_get(p->root, "report");
	const char *tz = mv_str_of(mv_get(rep, "timezone"));
	char asof[64];
	numfmt_value(mv_get(rep, "as_of"), NULL, asof, sizeof asof);
	char *t = xasprintf("%s, week %s", p->lp->title, p->week);
	cairo_set_source_rgb(p->cr, 0.05, 0.15, 0.3);
	p->y += chart_text(p->cr, t, MARGIN, p->y, CONTENT_W, 20, true, CHART_LEFT) + 4;
	free(t);
	/* not generated_at: the same week gives the same bytes */
	t = xasprintf("Time zone %s · currency %s · as of %s (data before this instant)",
		      tz ? tz : "UTC", p->currency, asof);
	cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	p->y += chart_text(p->cr, t, MARGIN, p->y, CONTENT_W, 9, false, CHART_LEFT) + 14;
	free(t);
	health_banner(p);

	const mval *head = p->lp->headline_path ? mv_path(p->root, p->lp->headline_path) : NULL;
	if (!head || !p->lp->headline)
		return;
	const mval *changes = p->lp->change_path ? mv_path(p->root, p->lp->change_path) : NULL;
	const int per_row = 4;
	const double bw = CONTENT_W / per_row, bh = 50;
	int k = 0;
	for (char **key = p->lp->headline; *key; key++) {
		const mval *v = mv_get(head, *key);
		if (!v)
			continue;
		double x = MARGIN + bw * (k % per_row);
		double y = p->y + bh * (k / per_row);
		char label[128], val[96];
		layout_label(p->lp, *key, label, sizeof label);
		numfmt_value(v, p->currency, val, sizeof val);
		cairo_set_source_rgb(p->cr, 0.95, 0.96, 0.98);
		cairo_rectangle(p->cr, x + 2, y + 2, bw - 4, bh - 4);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
		chart_text(p->cr, label, x + 8, y + 6, bw - 16, 8, false, CHART_LEFT);
		cairo_set_source_rgb(p->cr, 0.05, 0.05, 0.05);
		chart_text(p->cr, val, x + 8, y + 17, bw - 16, 15, true, CHART_LEFT);
		/* the change beside the week before, from the summary row of this kpi */
		for (size_t r = 0; r < mv_len(changes); r++) {
			const mval *row = mv_at(changes, r);
			const char *kpi = mv_str_of(mv_get(row, "kpi"));
			if (!kpi || strcmp(kpi, *key) != 0)
				continue;
			char ch[64];
			numfmt_value(mv_get(row, "change"), p->currency, ch, sizeof ch);
			char *line = xasprintf("%s vs week before", ch);
			cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
			chart_text(p->cr, line, x + 8, y + 36, bw - 16, 7, false, CHART_LEFT);
			free(line);
			break;
		}
		k++;
	}
	p->y += bh * ((k + per_row - 1) / per_row) + 16;
}

/* The display text of a category value. Caller frees. */
static char *label_of(const mval *v, const char *currency)
{
	char buf[256];
	numfmt_value(v, currency, buf, sizeof buf);
	return xstrdup(buf);
}

static void section_chart(pctx *p, const layout_section *s, const mval *rows)
{
	size_t n = mv_len(rows) < MAX_BARS || s->kind == LK_LINE ? mv_len(rows) : MAX_BARS;
	size_t ns = 0;
	for (char **k = s->values; *k; k++)
		ns++;
	char **labels = xcalloc(n + 1, sizeof *labels);
	chart_series *series = xcalloc(ns + 1, sizeof *series);
	char **names = xcalloc(ns + 1, sizeof *names);
	mv_fmt fmt = MF_PLAIN;
	bool have_fmt = false;
	for (size_t i = 0; i < n; i++)
		labels[i] = label_of(mv_get(mv_at(rows, i), s->category), p->currency);
	for (size_t j = 0; j < ns; j++) {
		const char *key = s->values[j];
		double *v = xcalloc(n + 1, sizeof *v);
		double *lo = NULL, *hi = NULL;
		if (s->interval) {
			lo = xcalloc(n + 1, sizeof *lo);
			hi = xcalloc(n + 1, sizeof *hi);
		}
		char *klo = xasprintf("%s_ci_low", key), *khi = xasprintf("%s_ci_high", key);
		for (size_t i = 0; i < n; i++) {
			const mval *row = mv_at(rows, i);
			const mval *cell = mv_get(row, key);
			v[i] = mv_num_of(cell);
			if (!have_fmt && !mv_is_null(cell)) {
				fmt = mv_fmt_of(cell);
				have_fmt = true;
			}
			if (lo) {
				lo[i] = mv_num_of(mv_get(row, klo));
				hi[i] = mv_num_of(mv_get(row, khi));
			}
		}
		free(klo);
		free(khi);
		char label[128];
		names[j] = xstrdup(layout_label(p->lp, key, label, sizeof label));
		series[j] = (chart_series){.name = names[j], .v = v, .lo = lo, .hi = hi};
	}
	chart_data d = {.labels = (const char *const *)labels,
			.n = n,
			.series = series,
			.nseries = ns,
			.fmt = fmt,
			.currency = p->currency};
	chart_box box = {MARGIN, p->y, CONTENT_W, CHART_H};
	if (s->kind == LK_LINE)
		chart_line(p->cr, box, &d);
	else
		chart_bar(p->cr, box, &d);
	p->y += CHART_H + 8;
	if (n < mv_len(rows)) {
		char *t =
		    xasprintf("The first %zu of %zu rows are drawn; the workbook lists them all.",
			      n, mv_len(rows));
		note(p, t);
		free(t);
	}
	p->y += 10;
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	for (size_t j = 0; j < ns; j++) {
		free((void *)series[j].v);
		free((void *)series[j].lo);
		free((void *)series[j].hi);
		free(names[j]);
	}
	free(series);
	free(names);
}

static void table_header(pctx *p, const grid *g, const long *cols, size_t nc, const double *xs,
			 const double *ws)
{
	/* a header label may take two lines; the row is as tall as the tallest */
	double h = ROW_H + 2;
	for (size_t c = 0; c < nc; c++) {
		char label[128];
		layout_label(p->lp, g->cols[cols[c]], label, sizeof label);
		double lh = chart_text_wrap_height(p->cr, label, ws[c] - 4, 7.5, true, 2);
		if (lh + 5 > h)
			h = lh + 5;
	}
	cairo_set_source_rgb(p->cr, 0.87, 0.89, 0.93);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, h);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	for (size_t c = 0; c < nc; c++) {
		char label[128];
		layout_label(p->lp, g->cols[cols[c]], label, sizeof label);
		chart_text_wrap(p->cr, label, xs[c] + 2, p->y + 2.5, ws[c] - 4, 7.5, true,
				c == 0 ? CHART_LEFT : CHART_RIGHT, 2);
	}
	p->y += h;
}

static void section_table(pctx *p, const layout_section *s, const mval *rows)
{
	grid_set *set = grid_build(rows, NULL);
	const grid *g = &set->blocks[0];
	long *cols = xcalloc(g->ncols + 1, sizeof *cols);
	size_t nc = 0;
	if (s->columns) {
		for (char **k = s->columns; *k; k++) {
			long c = grid_col(g, *k);
			if (c >= 0)
				cols[nc++] = c;
		}
	} else {
		for (size_t c = 0; c < g->ncols; c++)
			cols[nc++] = (long)c;
	}
	double *xs = xcalloc(nc + 1, sizeof *xs), *ws = xcalloc(nc + 1, sizeof *ws);
	/* the first (label) column twice as wide as the others */
	double unit = nc ? CONTENT_W / (double)(nc + 1) : CONTENT_W;
	for (size_t c = 0, x = 0; c < nc; c++) {
		ws[c] = c == 0 ? 2 * unit : unit;
		xs[c] = MARGIN + (double)x * unit;
		x += c == 0 ? 2 : 1;
	}
	table_header(p, g, cols, nc, xs, ws);
	for (size_t r = 0; r < g->nrows; r++) {
		if (p->y + ROW_H > PAGE_H - MARGIN - FOOTER) {
			new_page(p);
			char *t = xasprintf("%s (continued)", s->title ? s->title : s->path);
			heading(p, t);
			free(t);
			table_header(p, g, cols, nc, xs, ws);
		}
		if (r % 2) {
			cairo_set_source_rgb(p->cr, 0.96, 0.96, 0.96);
			cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, ROW_H);
			cairo_fill(p->cr);
		}
		cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
		for (size_t c = 0; c < nc; c++) {
			const grid_cell *cell = grid_at(g, r, (size_t)cols[c]);
			char buf[256];
			if (cell->v)
				numfmt_value(cell->v, p->currency, buf, sizeof buf);
			else
				snprintf(buf, sizeof buf, "%s",
					 cell->text ? cell->text : "\xE2\x80\x94");
			mv_kind k = mv_kind_of(cell->v);
			bool right = c > 0 && k != MV_STR;
			chart_text(p->cr, buf, xs[c] + 2, p->y + 2, ws[c] - 4, 7.5, false,
				   right ? CHART_RIGHT : CHART_LEFT);
		}
		p->y += ROW_H;
	}
	p->y += 16;
	free(xs);
	free(ws);
	free(cols);
	grid_set_free(set);
}

static void section(pctx *p, const layout_section *s)
{
	const mval *rows = mv_path(p->root, s->path);
	if (s->new_page && p->y > MARGIN)
		new_page(p);
	double need = s->kind == LK_TABLE ? 24 + 3 * ROW_H : 24 + CHART_H;
	ensure(p, need);
	heading(p, s->title ? s->title : s->path);
	if (mv_kind_of(rows) != MV_ARR || mv_len(rows) == 0) {
		note(p, "No rows for this period.");
		return;
	}
	if (s->kind == LK_TABLE)
		section_table(p, s, rows);
	else
		section_chart(p, s, rows);
}

static void render(pctx *p)
{
	p->page = 1;
	p->y = MARGIN;
	title_block(p);
	for (size_t i = 0; i < p->lp->nsections; i++)
		section(p, &p->lp->sections[i]);
	footer(p);
	cairo_show_page(p->cr);
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	FILE *fp = closure;
	return fwrite(data, 1, len, fp) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Render once into `write`; returns the pages drawn, or -1 with err. */
static int render_to(pctx *p, cairo_write_func_t write, void *closure, const char *path,
		     mq_err *err)
{
	cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(write, closure, PAGE_W, PAGE_H);
	const mval *rep = mv_get(p->root, "report");
	ts_ms as_of = mv_time_of(mv_get(rep, "as_of"));
	char date[32] = "1970-01-01T00:00:00Z";
	if (as_of != TS_NONE)
		json_format_time(as_of, date, sizeof date);
	/* the same report gives the same bytes: the document's dates are as_of */
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_MOD_DATE, date);
	char *title = xasprintf("%s %s", p->lp->title, p->week);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "mqlreport");
	free(title);
	p->cr = cairo_create(sf);
	render(p);
	cairo_status_t st = cairo_status(p->cr);
	cairo_destroy(p->cr);
	p->cr = NULL;
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot draw the PDF: %s", path,
			   st == CAIRO_STATUS_WRITE_ERROR ? strerror(errno)
							  : cairo_status_to_string(st));
		return -1;
	}
	return p->page;
}

int report_pdf_write(const mval *root, const char *path, mq_err *err)
{
	layout_pdf *lp = layout_pdf_parse(layout_tpl_pdf, "report_pdf.ini", err);
	if (!lp)
		return -1;
	const mval *rep = mv_get(root, "report");
	pctx p = {.root = root, .lp = lp};
	p.currency =
	    mv_str_of(mv_get(rep, "currency")) ? mv_str_of(mv_get(rep, "currency")) : "USD";
	p.week = mv_str_of(mv_get(rep, "week")) ? mv_str_of(mv_get(rep, "week")) : "";
	afile *af = NULL;

	/* first pass counts the pages, so that every page can say "of M" */
	int pages = render_to(&p, discard, NULL, path, err);
	if (pages < 0)
		goto fail;
	af = afile_open(path, err);
	if (!af)
		goto fail;
	p.total = pages;
	if (render_to(&p, to_file, afile_stream(af), path, err) < 0)
		goto fail;
	layout_pdf_free(lp);
	return afile_commit(af, err);
fail:
	afile_abort(af);
	layout_pdf_free(lp);
	return -1;
}
