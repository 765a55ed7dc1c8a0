/* pdf_page.c — page 1 of the campaign-ROI PDF: the title with the week's
 * dates, time zone, currency and attribution model; the data-health banner;
 * the KPI tiles (this week, last week, the change in its unit and colour, a
 * sparkline); "What changed"; the contents with links to the sections.
 *
 * Renders what the tree holds: which way a change is good comes from the
 * catalogue, the sentences from changes.h; nothing is computed here. */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "changes.h"
#include "chart_int.h"
#include "numfmt.h"
#include "pdf_int.h"
#include "weekdates.h"

#define TILES_PER_ROW 4
#define TILE_H	      82.0

/* s with each space a no-break space but those around a dash: a date
 * wraps as "Mon 16 –" / "Sun 22 Nov 2026", never leaving "2026" alone.
 * Caller frees. */
static char *glued(const char *s)
{
	GString *b = g_string_new(NULL);
	for (const char *c = s; *c; c++) {
		bool by_dash = !strncmp(c + 1, "\xE2\x80\x93", 3) ||
			       (c - s >= 3 && !strncmp(c - 3, "\xE2\x80\x93", 3));
		if (*c == ' ' && !by_dash)
			g_string_append(b, "\xC2\xA0");
		else
			g_string_append_c(b, *c);
	}
	return g_string_free(b, FALSE);
}

static void title(pdoc *p)
{
	char *dates = glued(p->dates);
	char *t = p->week_no
		      ? xasprintf("%s \xC2\xB7 Week\xC2\xA0%d, %s", p->lp->title, p->week_no, dates)
		      : xasprintf("%s \xC2\xB7 week %s", p->lp->title, p->week);
	/* too long for one line: the week on a line of its own, whole */
	if (p->week_no && chart_text_width(p->cr, t, 17, true) > pd_cw(p)) {
		free(t);
		t = xasprintf("%s\nWeek\xC2\xA0%d, %s", p->lp->title, p->week_no, dates);
	}
	g_free(dates);
	ci_rgb(p->cr, PAL_DARK);
	p->y += chart_text_wrap(p->cr, t, p->m, p->y, pd_cw(p), 17, true, CHART_LEFT, 3) + 4;
	free(t);
	/* the cut-off in the report's zone: "before 2026-11-22 23:00 UTC" read
	 * in Berlin as Sunday's last hour missing */
	const mval *rep = mv_get(p->root, "report");
	char asof[96];
	report_local_time(rep, mv_time_of(mv_get(rep, "as_of")), asof, sizeof asof);
	/* with MQLs from the score, what decides them: the threshold and the
	 * behavioural points' decay (fit does not decay) */
	char *scored = NULL;
	if (!g_strcmp0(mv_str_of(mv_get(rep, "mql_source")), "score")) {
		char *basis = changes_mql_basis(p->root);
		scored = xasprintf("\xC2\xA0\xC2\xB7 %s", basis);
		g_free(basis);
	}
	/* a no-break space before each "·": no line starts with one */
	t = xasprintf("Time zone %s\xC2\xA0\xC2\xB7 currency %s\xC2\xA0\xC2\xB7 revenue and ROI "
		      "by channel and campaign: %s attribution%s\xC2\xA0\xC2\xB7 data before %s",
		      p->tz, p->currency, p->model, scored ? scored : "", asof);
	free(scored);
	pd_note(p, t, 9);
	free(t);
	p->y += 8;
}

/* Shown: "warn" and "fail"; "pass", "off" (a check switched off) and
 * anything else are not warnings. */
static bool status_ok(const char *s)
{
	return !s || (strcmp(s, "warn") != 0 && strcmp(s, "fail") != 0);
}

size_t pd_health_warnings(const mval *root, size_t i, char *buf, size_t n)
{
	const mval *h = mv_path(root, "data_quality.health");
	size_t k = 0;
	for (size_t j = 0; j < mv_len(h); j++) {
		const mval *e = mv_at(h, j);
		if (status_ok(mv_str_of(mv_get(e, "status"))))
			continue;
		if (k == i && buf) {
			/* the reader's words first, the [health] key an operator
			 * sets after, as the e-mail and the workbook name it */
			const char *check = mv_str_of(mv_get(e, "check"));
			const char *msg = mv_str_of(mv_get(e, "message"));
			const char *label = check ? catalog_check_label(check) : NULL;
			mq_textf(buf, n, "%s%s%s%s%s%s", label ? label : "",
				 label && check ? " (" : "", check ? check : "",
				 label && check ? ")" : "", check && msg ? ": " : "",
				 msg ? msg : "");
		}
		k++;
	}
	return k;
}

/* A warning of the banner in lines: whole up to BANNER_MAX_LINES (one
 * naming several files and their paths runs to a dozen); fewer, down to
 * BANNER_MIN_LINES, only when the banner would not fit on its page. */
#define BANNER_MAX_LINES 40
#define BANNER_MIN_LINES 4

/* The banner's height with each of its n warnings at most `most` lines,
 * the head and the note under them (NULL: none) included. */
static double banner_height(pdoc *p, const char *head, char **lines, size_t n, const char *note,
			    double w, int most)
{
	double h = chart_text_wrap_height(p->cr, head, w, 9.5, true, 2) + 4;
	for (size_t i = 0; i < n; i++)
		h += chart_text_wrap_height(p->cr, lines[i], w, 8, false, most) + 2;
	if (note)
		h += chart_text_wrap_height(p->cr, note, w, 8, false, 2) + 2;
	return h;
}

/* The banner: every warning of data_quality.health, first on the page,
 * each whole unless the page cannot hold them all; then each is cut to the
 * lines that fit, and a note says where the whole text is. */
static void health_banner(pdoc *p)
{
	size_t n = pd_health_warnings(p->root, 0, NULL, 0);
	if (n == 0)
		return;
	char **lines = xcalloc(n + 1, sizeof *lines);
	char *head = xasprintf("Data health: %zu warning%s \xE2\x80\x94 read before the figures", n,
			       n == 1 ? "" : "s");
	const char *note = "A warning that ends in \xE2\x80\xA6 is cut short for room here: the "
			   "workbook's Data quality sheet and metrics.json hold it whole.";
	double w = pd_cw(p) - 16;
	for (size_t i = 0; i < n; i++) {
		char buf[8192];
		pd_health_warnings(p->root, i, buf, sizeof buf);
		lines[i] = xasprintf("\xE2\x80\xA2 %s", buf);
	}
	double room = pd_bottom(p) - p->y - 20;
	int most = BANNER_MAX_LINES;
	double h = banner_height(p, head, lines, n, NULL, w, most);
	if (h > room) {
		while (most > BANNER_MIN_LINES &&
		       banner_height(p, head, lines, n, note, w, most) > room)
			most--;
		h = banner_height(p, head, lines, n, note, w, most);
	} else {
		note = NULL;
	}
	ci_rgb(p->cr, pal_hex(PALETTE_WARN_BG));
	cairo_rectangle(p->cr, p->m, p->y, pd_cw(p), h + 12);
	cairo_fill(p->cr);
	ci_rgb(p->cr, PAL_BAD);
	cairo_rectangle(p->cr, p->m, p->y, 3, h + 12);
	cairo_fill(p->cr);
	double y = p->y + 6;
	ci_rgb(p->cr, pal_hex(PALETTE_WARN_INK));
	y += chart_text_wrap(p->cr, head, p->m + 10, y, w, 9.5, true, CHART_LEFT, 2) + 4;
	for (size_t i = 0; i < n; i++) {
		y += chart_text_wrap(p->cr, lines[i], p->m + 10, y, w, 8, false, CHART_LEFT, most) +
		     2;
		free(lines[i]);
	}
	if (note)
		chart_text_wrap(p->cr, note, p->m + 10, y, w, 8, false, CHART_LEFT, 2);
	free(lines);
	free(head);
	p->y += h + 20;
}

static bool listed(char **list, const char *key)
{
	for (char **k = list; k && *k; k++)
		if (strcmp(*k, key) == 0)
			return true;
	return false;
}

/* The change line of a tile: "+2.1 pp" for a rate, "+18.9%" otherwise; its
 * colour by the metric's direction. */
static pal_rgb change_text(const pdoc *p, const char *key, const mval *row, char *buf, size_t n)
{
	const mval *now = mv_get(row, "this_week"), *before = mv_get(row, "last_week");
	double d = mv_num_of(now) - mv_num_of(before);
	if ((mv_fmt_of(now) == MF_RATE || pd_is_percent(p, key)) && isfinite(d))
		numfmt_signed(d * 100, numfmt_change_decimals(d * 100, true), " pp", buf, n);
	else
		numfmt_value(mv_get(row, "change"), p->currency, buf, n);
	if (!isfinite(d) || d == 0 || listed(p->lp->neutral, key))
		return PAL_MUTED;
	bool up_good = !listed(p->lp->lower_is_better, key);
	return (d > 0) == up_good ? PAL_GOOD : PAL_BAD;
}

/* A tile's label, values and change: the catalogue's when it knows the key
 * (labels, formats, direction), else the template's. All buffers n long
 * (label 128). */
static pal_rgb tile_texts(const pdoc *p, const char *key, const mval *row, char *label, char *val,
			  char *before, char *ch, size_t n)
{
	const cat_entry *e = catalog_find(key);
	if (!e) {
		pd_label(p, key, label, 128);
		pd_value(p, key, mv_get(row, "this_week"), val, n);
		pd_value(p, key, mv_get(row, "last_week"), before, n);
		return change_text(p, key, row, ch, n);
	}
	/* a cost without spend does not apply: "—", and no change to it */
	double now = changes_no_spend(row, "this_week") ? NAN : mv_num_of(mv_get(row, "this_week")),
	       last =
		   changes_no_spend(row, "last_week") ? NAN : mv_num_of(mv_get(row, "last_week"));
	snprintf(label, 128, "%s", catalog_short_label(key));
	catalog_format_weeks(e, now, last, p->currency, val, before, n);
	double delta;
	int good = 0;
	catalog_format_change(e, now, last, ch, n, &delta, &good);
	return good > 0 ? PAL_GOOD : good < 0 ? PAL_BAD : PAL_MUTED;
}

static const mval *summary_row(const pdoc *p, const char *key)
{
	const mval *rows = p->lp->change_path ? mv_path(p->root, p->lp->change_path) : NULL;
	for (size_t r = 0; r < mv_len(rows); r++) {
		const char *k = mv_str_of(mv_get(mv_at(rows, r), "kpi"));
		if (k && strcmp(k, key) == 0)
			return mv_at(rows, r);
	}
	return NULL;
}

static void sparkline(pdoc *p, const char *key, chart_box box)
{
	const mval *rows = p->lp->trend_path ? mv_path(p->root, p->lp->trend_path) : NULL;
	size_t n = mv_len(rows);
	if (n < 2 || !mv_get(mv_at(rows, 0), key))
		return;
	double *v = xcalloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = mv_num_of(mv_get(mv_at(rows, i), key));
	const cat_entry *e = catalog_find(key);
	chart_sparkline(p->cr, box, v, n, e && e->young);
	free(v);
}

/* The largest size from `size` down to `least`, in half points, at which
 * text fits width whole: a tile's "3,810.547 KWD" a little smaller rather
 * than cut in its middle. */
static double fit_size(cairo_t *cr, const char *text, double size, double least, bool bold,
		       double width)
{
	for (; size > least; size -= 0.5) {
		double w;
		lbl_measure(cr, text, size, bold, &w, NULL);
		if (w <= width)
			break;
	}
	return size;
}

static void tile(pdoc *p, const char *key, const mval *row, double x, double y, double w)
{
	cairo_t *cr = p->cr;
	char label[128], val[64], before[64], ch[64], *s;
	cairo_set_source_rgb(cr, 0.96, 0.97, 0.98);
	cairo_rectangle(cr, x + 2, y + 2, w - 4, TILE_H - 4);
	cairo_fill(cr);
	pal_rgb c = tile_texts(p, key, row, label, val, before, ch, sizeof val);
	/* a figure that rests on few cases: in grey, its change without a
	 * verdict and flagged with its number of cases; one not yet
	 * comparable with last week: its change flagged so */
	bool none = changes_no_spend(row, "this_week"); /* its "—" rests on nothing */
	bool few = changes_few(row) && !none;
	char *flag = none ? NULL : changes_flag_text(row);
	ci_rgb(cr, PAL_MUTED);
	s = lbl_fit(cr, label, 7.5, false, w - 16);
	ci_text(cr, s, x + 8, y + 7, 7.5, false, CHART_LEFT);
	free(s);
	ci_rgb(cr, few ? PAL_MUTED : PAL_TEXT);
	double vsize = fit_size(cr, val, 14, 9, true, w - 16);
	s = lbl_fit(cr, val, vsize, true, w - 16);
	ci_text(cr, s, x + 8, y + 19 + (14 - vsize) * 0.75, vsize, true, CHART_LEFT);
	free(s);
	if (flag) {
		char *t = xasprintf("%s \xC2\xB7 %s", ch, flag);
		snprintf(ch, sizeof ch, "%s", t);
		free(t);
		c = PAL_MUTED;
	}
	/* a judged change in bold, a flagged one plain and a size smaller,
	 * which leaves its flag room in the tile */
	double size = flag ? 7 : 7.5;
	bool bold = !flag;
	g_free(flag);
	ci_rgb(cr, c);
	s = lbl_fit(cr, ch, size, bold, w - 16);
	ci_text(cr, s, x + 8, y + 39, size, bold, CHART_LEFT);
	free(s);
	char *lw = xasprintf("last week %s", before);
	ci_rgb(cr, PAL_MUTED);
	s = lbl_fit(cr, lw, 7, false, w - 16);
	ci_text(cr, s, x + 8, y + 50, 7, false, CHART_LEFT);
	free(s);
	free(lw);
	sparkline(p, key, (chart_box){x + 8, y + 63, w - 18, 12});
}

/* The height of a subheading (subheading()). */
#define SUBHEADING_H 18.0

static void tiles(pdoc *p)
{
	if (!p->lp->headline)
		return;
	double w = pd_cw(p) / TILES_PER_ROW;
	int k = 0;
	bool dash = false, no_spend = false;
	const mval *rows[64] = {0};
	for (char **key = p->lp->headline; *key; key++) {
		const mval *row = summary_row(p, *key);
		if (!row)
			continue;
		dash = dash || changes_has_dash(row);
		no_spend = no_spend || changes_no_spend_either(row);
		if (k < 64)
			rows[k] = row;
		k++;
	}
	char *young = changes_young_note(rows, k < 64 ? (size_t)k : 64);
	char *few = changes_few_note(p->root, rows, k < 64 ? (size_t)k : 64);
	char *rej = changes_rejects_note(p->root);
	char *deals = changes_deals_note(p->root);
	char *note =
	    k ? g_strdup_printf(
		    "Change against the week before: rates in percentage points (pp), "
		    "other figures in percent, each from the unrounded figures; green "
		    "is better, red worse. Lines: the last 13 weeks.%s%s%s%s%s%s%s%s%s%s%s%s",
		    young ? " " : "", young ? young : "", few ? " " : "", few ? few : "",
		    dash ? " " : "", dash ? changes_dash_text : "", no_spend ? " " : "",
		    no_spend ? changes_no_spend_text : "", deals ? " " : "", deals ? deals : "",
		    rej ? " " : "", rej ? rej : "")
	      : NULL;
	g_free(rej);
	g_free(deals);
	double h = TILE_H * ((k + TILES_PER_ROW - 1) / TILES_PER_ROW) + 4;
	/* the tiles and their note together, below a long banner or on the next page */
	pd_room(
	    p, h + (note ? chart_text_wrap_height(p->cr, note, pd_cw(p), 7.5, false, 100) + 4 : 0));
	k = 0;
	for (char **key = p->lp->headline; *key; key++) {
		const mval *row = summary_row(p, *key);
		if (!row)
			continue;
		tile(p, *key, row, p->m + w * (k % TILES_PER_ROW),
		     p->y + TILE_H * (k / TILES_PER_ROW), w);
		k++;
	}
	p->y += h;
	if (note)
		pd_note(p, note, 7.5);
	g_free(note);
	g_free(young);
	g_free(few);
	p->y += 8;
}

static void subheading(pdoc *p, const char *t)
{
	ci_rgb(p->cr, PAL_DARK);
	p->y += ci_text(p->cr, t, p->m, p->y, 11, true, CHART_LEFT) + 4;
}

/* "What changed": the largest movements against the last 13 weeks, in the
 * sentences the workbook and the e-mail use (changes.h). */
static void what_changed(pdoc *p)
{
	char **lines = changes_sentences(p->root, CHANGES_MAX);
	/* the week in one sentence first, under the heading: usual or not; the
	 * section is there when it or a sentence is */
	char *verdict = changes_verdict(p->root);
	bool any = lines && lines[0];
	if (!any && !verdict) {
		g_strfreev(lines);
		return;
	}
	double vh =
	    verdict ? chart_text_wrap_height(p->cr, verdict, pd_cw(p), 8.5, true, 4) + 4 : 0;
	char *first = any ? xasprintf("\xE2\x80\xA2 %s", lines[0]) : NULL;
	double h1 = first ? chart_text_wrap_height(p->cr, first, pd_cw(p), 8.5, false, 4) + 3 : 0;
	free(first);
	pd_room(p, SUBHEADING_H + vh + h1);
	subheading(p, "What changed");
	if (verdict) {
		ci_rgb(p->cr, PAL_TEXT);
		p->y += chart_text_wrap(p->cr, verdict, p->m, p->y, pd_cw(p), 8.5, true, CHART_LEFT,
					4) +
			4;
	}
	for (char **t = lines; any && *t; t++) {
		char *line = xasprintf("\xE2\x80\xA2 %s", *t);
		double h = chart_text_wrap_height(p->cr, line, pd_cw(p), 8.5, false, 4) + 3;
		if (t != lines && pd_room(p, h))
			subheading(p, "What changed (continued)");
		ci_rgb(p->cr, PAL_TEXT);
		p->y +=
		    chart_text_wrap(p->cr, line, p->m, p->y, pd_cw(p), 8.5, false, CHART_LEFT, 4) +
		    3;
		free(line);
	}
	g_free(verdict);
	g_strfreev(lines);
	p->y += 8;
}

#define CONTENTS_PT	 9.0
#define CONTENTS_PAGE_W	 22.0 /* the page number's column */
#define CONTENTS_LINES	 3    /* a title wraps to at most so many lines */
#define CONTENTS_GAP	 3.0  /* between two entries */
#define CONTENTS_LINE	 15.0 /* a one-line entry's height, as ci_text draws 9 points */
#define CONTENTS_COL_GAP 20.0

/* Section i's title as the contents name it. */
static const char *contents_title(const pdoc *p, size_t i)
{
	const layout_section *s = &p->lp->sections[i];
	return s->title ? s->title : s->path;
}

/* The height of entry i in a column w wide: its title wrapped, not cut. */
static double contents_entry_height(pdoc *p, size_t i, double w)
{
	return chart_text_wrap_height(p->cr, contents_title(p, i), w - CONTENTS_PAGE_W, CONTENTS_PT,
				      false, CONTENTS_LINES) +
	       CONTENTS_GAP;
}

/* One entry of the contents: the section's title as a link to it, wrapped
 * in its column at word boundaries rather than shortened, its page
 * right-aligned at x + w on its first line. Returns the entry's height. */
static double contents_entry(pdoc *p, size_t i, double x, double w)
{
	char dest[32], pg[16];
	pd_dest(i, dest, sizeof dest);
	if (p->sec_page[i])
		snprintf(pg, sizeof pg, "%d", p->sec_page[i]);
	else
		snprintf(pg, sizeof pg, "?");
	char *a = xasprintf("dest='%s'", dest);
	cairo_tag_begin(p->cr, CAIRO_TAG_LINK, a);
	ci_rgb(p->cr, PAL_BLUE);
	double h = chart_text_wrap(p->cr, contents_title(p, i), x, p->y, w - CONTENTS_PAGE_W,
				   CONTENTS_PT, false, CHART_LEFT, CONTENTS_LINES);
	ci_rgb(p->cr, PAL_TEXT);
	ci_text(p->cr, pg, x + w, p->y, CONTENTS_PT, false, CHART_RIGHT);
	cairo_tag_end(p->cr, CAIRO_TAG_LINK);
	free(a);
	return h + CONTENTS_GAP;
}

static void contents(pdoc *p)
{
	size_t n = p->lp->nsections;
	pd_room(p, SUBHEADING_H + CONTENTS_LINE);
	subheading(p, "Contents");
	/* the entries that do not fit under it in one column go in two, side
	 * by side, rather than two of them alone on a page of their own; a
	 * title too long for its column wraps there */
	double room = pd_bottom(p) - p->y, one = 0, left = 0, right = 0;
	double w = (pd_cw(p) - CONTENTS_COL_GAP) / 2;
	size_t half = (n + 1) / 2;
	for (size_t i = 0; i < n; i++) {
		one += contents_entry_height(p, i, pd_cw(p));
		*(i < half ? &left : &right) += contents_entry_height(p, i, w);
	}
	if (one > room && fmax(left, right) <= room) {
		double top = p->y, low = top;
		for (size_t i = 0; i < n; i++) {
			if (i == half)
				p->y = top;
			p->y +=
			    contents_entry(p, i, i < half ? p->m : p->m + w + CONTENTS_COL_GAP, w);
			low = p->y > low ? p->y : low;
		}
		p->y = low;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (pd_room(p, contents_entry_height(p, i, pd_cw(p))))
			subheading(p, "Contents (continued)");
		p->y += contents_entry(p, i, p->m, pd_cw(p));
	}
}

/* "Qualification": which way the score's threshold errs (changes.h). */
static void qualification(pdoc *p)
{
	char *q = changes_qualification(p->root);
	if (!q)
		return;
	pd_room(p, SUBHEADING_H + chart_text_wrap_height(p->cr, q, pd_cw(p), 8.5, false, 4));
	subheading(p, "Qualification");
	ci_rgb(p->cr, PAL_TEXT);
	p->y += chart_text_wrap(p->cr, q, p->m, p->y, pd_cw(p), 8.5, false, CHART_LEFT, 4) + 11;
	g_free(q);
}

void pd_summary(pdoc *p)
{
	title(p);
	health_banner(p);
	tiles(p);
	what_changed(p);
	qualification(p);
	contents(p);
}
