/* pdf.c — the campaign-ROI PDF (SPEC §7): cairo's PDF surface, text through
 * pango with DejaVu Sans embedded, page 1 from pdf_page.c, the sections of
 * templates/report_pdf.ini from pdf_sections.c and pdf_tables.c. This file
 * owns the document: paper, passes, footer, outline, links, metadata.
 *
 * Renders only: every figure comes from the report tree; nothing here is
 * computed beyond what a label needs. The same tree and paper give the same
 * bytes (the dates are as_of, or SOURCE_DATE_EPOCH when set). */
#include <cairo-pdf.h>
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "catalog.h"
#include "clock.h"
#include "changes.h"
#include "json.h"
#include "numfmt.h"
#include "pdf_int.h"
#include "shown.h"
#include "weekdates.h"

static void footer(pdoc *p)
{
	char buf[64];
	if (p->total)
		snprintf(buf, sizeof buf, "Page %d of %d", p->page, p->total);
	else
		snprintf(buf, sizeof buf, "Page %d of ?", p->page);
	double y = p->ph - p->m - 8;
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	chart_text(p->cr, buf, p->pw - p->m, y, 0, 7.5, false, CHART_RIGHT);
	char *left = xasprintf("%s \xC2\xB7 %s \xC2\xB7 %s", p->lp->title, p->week, p->dates);
	chart_text(p->cr, left, p->m, y, pd_cw(p) * 0.7, 7.5, false, CHART_LEFT);
	free(left);
}

void pd_new_page(pdoc *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = p->m;
}

bool pd_room(pdoc *p, double h)
{
	if (p->y + h <= pd_bottom(p))
		return false;
	pd_new_page(p);
	return true;
}

void pd_dest(size_t i, char *buf, size_t n)
{
	snprintf(buf, n, "sec-%zu", i);
}

void pd_heading(pdoc *p, const char *title, const char *dest)
{
	cairo_set_source_rgb(p->cr, 0.05, 0.12, 0.25);
	if (dest) {
		char *a = xasprintf("name='%s'", dest);
		cairo_tag_begin(p->cr, CAIRO_TAG_DEST, a);
		free(a);
	}
	p->y += chart_text_wrap(p->cr, title, p->m, p->y, pd_cw(p), 14, true, CHART_LEFT, 3) + 3;
	if (dest)
		cairo_tag_end(p->cr, CAIRO_TAG_DEST);
}

void pd_note(pdoc *p, const char *text, double size)
{
	cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	p->y +=
	    chart_text_wrap(p->cr, text, p->m, p->y, pd_cw(p), size, false, CHART_LEFT, 100) + 4;
}

const char *pd_label(const pdoc *p, const char *key, char *buf, size_t n)
{
	for (size_t i = 0; i < p->lp->nlabels; i++)
		if (strcmp(p->lp->label_keys[i], key) == 0)
			return layout_label(p->lp, key, buf, n);
	mq_textf(buf, n, "%s", catalog_label(key));
	return buf;
}

bool pd_is_percent(const pdoc *p, const char *key)
{
	for (char **k = p->lp->percent; key && k && *k; k++)
		if (strcmp(*k, key) == 0)
			return true;
	return false;
}

void pd_value(const pdoc *p, const char *key, const mval *v, char *buf, size_t n)
{
	mv_kind k = mv_kind_of(v);
	const cat_entry *e = key ? catalog_find(key) : NULL;
	if ((k == MV_NUM || k == MV_INT) && e && e->format != CF_TEXT)
		catalog_format_number(e, mv_num_of(v), p->currency, buf, n);
	else if ((k == MV_NUM || k == MV_INT) && pd_is_percent(p, key))
		numfmt_number(mv_num_of(v), false, MF_CHANGE, p->currency, buf, n);
	else if (k == MV_STR && e && e->in_words) /* a key in words: a channel */
		snprintf(buf, n, "%s", catalog_words(e, mv_str_of(v)));
	else
		numfmt_value(v, p->currency, buf, n);
}

pal_rgb pd_channel_colour(const pdoc *p, const char *name)
{
	return pal_hex(palette_channel_colour(p->root, name ? name : ""));
}

typedef struct okey {
	double v;
	double then; /* the second key, for ties of v (NAN: none) */
	size_t i;
	const char *name; /* the row's category, for ties; NULL: none */
} okey;

/* a before b (-1), after (1) or neither (0): the larger first, a number
 * before none */
static int larger_first(double a, double b)
{
	bool fa = isfinite(a), fb = isfinite(b);
	if (fa != fb)
		return fa ? -1 : 1;
	if (fa && a != b)
		return a > b ? -1 : 1;
	return 0;
}

static int by_value_desc(const void *a, const void *b)
{
	const okey *x = a, *y = b;
	int by_value = larger_first(x->v, y->v);
	if (by_value)
		return by_value;
	int by_then = larger_first(x->then, y->then);
	if (by_then)
		return by_then;
	int by_name = x->name && y->name ? shown_name_cmp(x->name, y->name) : 0;
	return by_name ? by_name : x->i < y->i ? -1 : x->i > y->i;
}

/* " (of equal revenue, by spend, the largest first)", or "" (pdf_int.h). */
char *pd_ties_text(const pdoc *p, const layout_section *s)
{
	if (!s->then || !s->sort)
		return xstrdup("");
	char by[64], then[64];
	pd_label(p, s->sort, by, sizeof by);
	pd_label(p, s->then, then, sizeof then);
	by[0] = (char)g_ascii_tolower(by[0]);
	then[0] = (char)g_ascii_tolower(then[0]);
	return xasprintf(" (of equal %s, by %s, the largest first)", by, then);
}

char *pd_few_text(const pdoc *p, const char *unit)
{
	long min = changes_low_sample_min(p->root);
	return min > 0 ? xasprintf("fewer than %ld %s", min, unit) : xasprintf("few %s", unit);
}

void pd_few_note(pdoc *p, const char *before, const char *after)
{
	char *fewer = pd_few_text(p, "MQLs");
	char *t = xasprintf("%s%s%s", before, fewer, after);
	pd_note(p, t, 7.5);
	free(t);
	free(fewer);
}

size_t *pd_order(const mval *rows, const char *sort, const char *then, const char *category)
{
	size_t n = mv_len(rows);
	okey *k = xcalloc(n + 1, sizeof *k);
	for (size_t i = 0; i < n; i++) {
		const mval *row = mv_at(rows, i);
		k[i] = (okey){sort ? mv_num_of(mv_get(row, sort)) : 0,
			      then ? mv_num_of(mv_get(row, then)) : NAN, i,
			      category ? mv_str_of(mv_get(row, category)) : NULL};
	}
	if (sort)
		qsort(k, n, sizeof *k, by_value_desc);
	size_t *out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = k[i].i;
	free(k);
	return out;
}

size_t pd_unknown_last(const mval *rows, const char *category, size_t *ord, size_t n)
{
	size_t k = 0, *tail = xcalloc(n + 1, sizeof *tail), nt = 0;
	for (size_t i = 0; i < n; i++) {
		if (catalog_is_unknown(mv_str_of(mv_get(mv_at(rows, ord[i]), category))))
			tail[nt++] = ord[i];
		else
			ord[k++] = ord[i];
	}
	for (size_t i = 0; i < nt; i++)
		ord[k + i] = tail[i];
	free(tail);
	return k;
}

/* The rows of a section's table whose category is known: those a ranking
 * draws a bar each, when no more than its `top`. */
static size_t known_rows(const layout_section *s, const mval *rows)
{
	size_t n = 0;
	for (size_t i = 0; i < mv_len(rows); i++)
		n += !catalog_is_unknown(mv_str_of(mv_get(mv_at(rows, i), s->category)));
	return n;
}

static void section(pdoc *p, size_t i)
{
	const layout_section *s = &p->lp->sections[i];
	const mval *rows = mv_path(p->root, s->path);
	if (s->new_page || p->y + 134 > pd_bottom(p))
		pd_new_page(p);
	else if (p->y > p->m)
		p->y += 14; /* under another section's last note: a gap before the heading */
	p->sec_page[i] = p->page;
	char dest[32];
	pd_dest(i, dest, sizeof dest);
	pd_heading(p, s->title ? s->title : s->path, dest);
	const char *subtitle = s->subtitle;
	if (s->subtitle_no_chart && !pd_section_draws(s, rows))
		subtitle = s->subtitle_no_chart;
	else if (s->subtitle_all && s->top > 0 && known_rows(s, rows) <= (size_t)s->top)
		subtitle = s->subtitle_all;
	if (subtitle) {
		/* "{span}": the 13 weeks' dates, "24 Aug – 22 Nov 2026" */
		char span[64];
		report_weeks_dates(mv_get(p->root, "report"), 13, span, sizeof span);
		gchar **parts = g_strsplit(subtitle, "{span}", -1);
		gchar *sub = g_strjoinv(span, parts);
		pd_note(p, sub, 8.5);
		g_free(sub);
		g_strfreev(parts);
	}
	p->y += 6;
	if (mv_kind_of(rows) != MV_ARR || mv_len(rows) == 0) {
		pd_note(p, "No rows for this period.", 8.5);
		return;
	}
	if (s->kind == LK_TABLE)
		pd_table(p, s, rows);
	else
		pd_section_chart(p, s, rows);
}

static void outline(pdoc *p)
{
	char dest[32];
	for (size_t i = 0; i < p->lp->nsections; i++) {
		const layout_section *s = &p->lp->sections[i];
		pd_dest(i, dest, sizeof dest);
		char *a = xasprintf("dest='%s'", dest);
		cairo_pdf_surface_add_outline(p->sf, CAIRO_PDF_OUTLINE_ROOT,
					      s->title ? s->title : s->path, a, 0);
		free(a);
	}
}

static void render(pdoc *p)
{
	p->page = 1;
	p->y = p->m;
	/* cairo 1.16 writes a broken PDF (a structure tree root that is never
	 * written) when links are used without any structure: one Document
	 * element around everything gives them one */
	cairo_tag_begin(p->cr, "Document", NULL);
	cairo_pdf_surface_add_outline(p->sf, CAIRO_PDF_OUTLINE_ROOT, "Summary", "page=1", 0);
	pd_summary(p);
	for (size_t i = 0; i < p->lp->nsections; i++)
		section(p, i);
	outline(p);
	footer(p);
	cairo_tag_end(p->cr, "Document");
	cairo_show_page(p->cr);
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

/* Into memory: cairo never sees a failed write (after one, cairo 1.16's
 * PDF surface can abort on an assertion instead of returning the error);
 * the file is written from the buffer, its errors ours to report. */
static cairo_status_t to_memory(void *closure, const unsigned char *data, unsigned int len)
{
	g_byte_array_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* The document's date: SOURCE_DATE_EPOCH when set, else the report's as_of. */
static void doc_date(const pdoc *p, char *date, size_t n)
{
	snprintf(date, n, "1970-01-01T00:00:00Z");
	ts_ms t = mv_time_of(mv_get(mv_get(p->root, "report"), "as_of"));
	long long sde;
	if (mq_source_date_epoch(&sde))
		t = (ts_ms)sde * 1000;
	if (t != TS_NONE)
		json_format_time(t, date, n);
}

static void metadata(pdoc *p)
{
	char date[32];
	doc_date(p, date, sizeof date);
	cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_MOD_DATE, date);
	char *title = xasprintf("%s %s", p->lp->title, p->week);
	char *subject = xasprintf("Campaign ROI, week %s (%s), %s, revenue by %s attribution",
				  p->week, p->dates, p->currency, p->model);
	cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_SUBJECT, subject);
	cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_KEYWORDS,
				       "marketing; MQL; campaign ROI; attribution; funnel");
	cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_CREATOR, "mqlreport");
	free(title);
	free(subject);
}

/* Render once into `write`; returns the pages drawn, or -1 with err. */
static int render_to(pdoc *p, cairo_write_func_t write, void *closure, const char *path,
		     mq_err *err)
{
	p->sf = cairo_pdf_surface_create_for_stream(write, closure, p->pw, p->ph);
	metadata(p);
	p->cr = cairo_create(p->sf);
	render(p);
	cairo_status_t st = cairo_status(p->cr);
	cairo_destroy(p->cr);
	p->cr = NULL;
	cairo_surface_finish(p->sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(p->sf);
	cairo_surface_destroy(p->sf);
	p->sf = NULL;
	if (st != CAIRO_STATUS_SUCCESS) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot draw the PDF: %s", path,
			   st == CAIRO_STATUS_WRITE_ERROR ? strerror(errno)
							  : cairo_status_to_string(st));
		return -1;
	}
	return p->page;
}

/* The report week's number and days ("Mon 16 – Sun 22 Nov 2026"), as
 * the workbook and the e-mail give them (weekdates.c); none when the week
 * is not an ISO week. */
static void week_words(pdoc *p, const mval *rep)
{
	int y = 0, w = 0;
	p->dates[0] = '\0';
	if (sscanf(p->week, "%d-W%d", &y, &w) != 2 || w < 1 || w > 53)
		return;
	p->week_no = w;
	report_week_dates(rep, p->dates, NULL, sizeof p->dates, true);
}

static void setup(pdoc *p, const mval *root, const layout_pdf *lp, const report_pdf_opts *o)
{
	const mval *rep = mv_get(root, "report");
	*p = (pdoc){.root = root, .lp = lp};
	p->currency =
	    mv_str_of(mv_get(rep, "currency")) ? mv_str_of(mv_get(rep, "currency")) : "USD";
	p->week = mv_str_of(mv_get(rep, "week")) ? mv_str_of(mv_get(rep, "week")) : "";
	p->tz = mv_str_of(mv_get(rep, "timezone")) ? mv_str_of(mv_get(rep, "timezone")) : "UTC";
	bool letter = o && o->paper && strcmp(o->paper, "letter") == 0;
	p->pw = letter ? 612 : 595.276;
	p->ph = letter ? 792 : 841.890;
	p->m = 40;
	const char *model =
	    o && o->attribution ? o->attribution : mv_str_of(mv_get(rep, "attribution"));
	snprintf(p->model_key, sizeof p->model_key, "%s", model ? model : "first_touch");
	char *words = catalog_model_words(p->model_key);
	snprintf(p->model, sizeof p->model, "%s", words);
	g_free(words);
	week_words(p, rep);
	p->sec_page = xcalloc(lp->nsections + 1, sizeof *p->sec_page);
}

int report_pdf_write_opts(const mval *root, const char *path, const report_pdf_opts *o, mq_err *err)
{
	layout_pdf *lp = layout_pdf_parse(layout_tpl_pdf, "report_pdf.ini", err);
	if (!lp)
		return -1;
	pdoc p;
	setup(&p, root, lp, o);
	afile *af = NULL;
	/* the first pass counts the pages and finds each section's page, so that
	 * every page can say "of M" and the contents give page numbers */
	int pages = render_to(&p, discard, NULL, path, err);
	if (pages < 0)
		goto fail;
	p.total = pages;
	GByteArray *pdf = g_byte_array_new();
	if (render_to(&p, to_memory, pdf, path, err) < 0) {
		g_byte_array_unref(pdf);
		goto fail;
	}
	af = afile_open(path, err);
	bool written = af && fwrite(pdf->data, 1, pdf->len, afile_stream(af)) == pdf->len;
	int errnum = errno;
	g_byte_array_unref(pdf);
	if (af && !written) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write the PDF: %s", path,
			   strerror(errnum));
		goto fail;
	}
	if (!af)
		goto fail;
	free(p.sec_page);
	layout_pdf_free(lp);
	return afile_commit(af, err);
fail:
	afile_abort(af);
	free(p.sec_page);
	layout_pdf_free(lp);
	return -1;
}

int report_pdf_write(const mval *root, const char *path, mq_err *err)
{
	return report_pdf_write_opts(root, path, NULL, err);
}
