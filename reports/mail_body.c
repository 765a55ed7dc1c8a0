/* mail_body.c — the blocks of the weekly e-mail (mail_body.h): words and
 * markup for figures the report tree already holds.
 *
 * It formats through the metric catalogue and changes.c; it must not
 * compute a metric, rank movements itself or fetch anything: the HTML is a
 * single column of tables with inline styles and no remote resource. */
#include "mail_body.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banner.h"
#include "catalog.h"
#include "changes.h"
#include "health.h"
#include "numfmt.h"
#include "weekdates.h"
#include "palette.h"
#include "shown.h"
#include "weekdates.h"

#define MAX_KPIS 64

static const char *currency_of(const mval *root)
{
	const char *c = mv_str_of(mv_path(root, "report.currency"));
	return c ? c : "USD";
}

static void esc(GString *b, const char *s)
{
	char *valid = shown_text(s, SIZE_MAX); /* as the PDF and the workbook show it */
	char *e = g_markup_escape_text(valid, -1);
	g_string_append(b, e);
	g_free(e);
	g_free(valid);
}

static char *headline_item(const mval *row, const char *currency)
{
	const char *kpi = mv_str_of(mv_get(row, "kpi"));
	const cat_entry *e = catalog_find(kpi);
	char now[64], ch[80];
	int good;
	/* in the precision of the body's sentence of the same row, the
	 * largest of this week, last week and the 13-week average deciding
	 * ("spend $0" above "Spend fell 100% to $0", not "$0.00") */
	double t = mv_num_of(mv_get(row, "this_week")), largest = 0;
	static const char *const weeks[] = {"this_week", "last_week", "mean_13w"};
	for (size_t i = 0; i < G_N_ELEMENTS(weeks); i++) {
		double v = mv_num_of(mv_get(row, weeks[i]));
		largest = isfinite(v) && fabs(v) > largest ? fabs(v) : largest;
	}
	catalog_format_among(e, t, largest, currency, now, sizeof now);
	changes_text(row, ch, sizeof ch, &good);
	char *label = catalog_in_sentence(e ? e->label : kpi);
	size_t ll = strlen(label);
	/* "1 MQL", "1 win": a count's plural label of one thing */
	if (e && e->format == CF_COUNT && mv_num_of(mv_get(row, "this_week")) == 1 && ll > 1 &&
	    label[ll - 1] == 's' && !strchr(label, ' '))
		label[ll - 1] = '\0';
	bool has = !mv_is_null(mv_get(row, "change"));
	/* a rise from a week at zero has no relative change: "(from $0)" */
	if (!has && changes_moved(row)) {
		char last[64];
		/* at the figure's precision: "from $0", not "from $0.00" */
		catalog_format_among(e, mv_num_of(mv_get(row, "last_week")), largest, currency,
				     last, sizeof last);
		snprintf(ch, sizeof ch, "from %s", last);
		has = true;
	}
	char *item = e && e->format == CF_COUNT
			 ? g_strdup_printf("%s %s%s%s%s", now, label, has ? " (" : "",
					   has ? ch : "", has ? ")" : "")
			 : g_strdup_printf("%s %s%s%s%s", label, now, has ? " (" : "",
					   has ? ch : "", has ? ")" : "");
	g_free(label);
	return item;
}

static const mval *what_changed_row(const mval *root, const char *kpi)
{
	const mval *rows = mv_get(root, "what_changed");
	for (size_t i = 0; i < mv_len(rows); i++)
		if (g_strcmp0(mv_str_of(mv_get(mv_at(rows, i), "kpi")), kpi) == 0)
			return mv_at(rows, i);
	return NULL;
}

/* What separates the headline's next item from what b holds: nothing at
 * its start or after the warnings' "; ", else ", ". */
static const char *after(const GString *b)
{
	return b->len == 0 || g_str_has_suffix(b->str, "; ") ? "" : ", ";
}

char *mail_headline(const mval *root, size_t max_items, size_t max_chars)
{
	const char *cur = currency_of(root);
	GString *b = g_string_new(NULL);
	/* a report that goes out with a data-health warning says so first:
	 * the subject is what a reader sees before opening it */
	size_t warns = health_count(mv_path(root, "data_quality.health"), "warn");
	if (warns)
		g_string_append_printf(b, "%zu data warning%s; ", warns, warns == 1 ? "" : "s");
	/* a week of no unusual movement says so, before the MQLs: the inbox
	 * answers whether to open it now (the body's verdict, in brief); not
	 * over data a check warns of (stale exports, no leads, a week not
	 * over), whose figures say nothing of the funnel's week */
	if (warns == 0 && changes_unusual_count(root) == 0)
		g_string_append(b, "a usual week");
	const mval *mqls = what_changed_row(root, "mqls");
	size_t items = 0;
	if (mqls && max_items > 0) {
		char *it = headline_item(mqls, cur);
		g_string_append_printf(b, "%s%s", after(b), it);
		g_free(it);
		items++;
	}
	const mval *ranked[MAX_KPIS];
	size_t n = changes_ranked(root, ranked, MAX_KPIS);
	for (size_t i = 0; i < n && items < max_items; i++) {
		/* a change not yet comparable with last week, or resting on
		 * few cases, is no headline; nor one within the usual range
		 * of the 13 weeks, which the body calls so (a subject of
		 * "revenue −67%" above "within the usual range" alarms for
		 * nothing). A cost without spend is none of the ranked: it did
		 * not move (changes_moved) */
		if (ranked[i] == mqls || changes_young(ranked[i]) || changes_few(ranked[i]) ||
		    !mv_bool_of(mv_get(ranked[i], "unusual")))
			continue;
		char *it = headline_item(ranked[i], cur);
		if (b->len &&
		    g_utf8_strlen(b->str, -1) + 2 + g_utf8_strlen(it, -1) > (glong)max_chars) {
			g_free(it);
			break;
		}
		g_string_append_printf(b, "%s%s", after(b), it);
		g_free(it);
		items++;
	}
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

char *mail_week_title(const mval *root, bool long_form)
{
	const mval *rep = mv_get(root, "report");
	char longer[96], shorter[96];
	report_week_dates(rep, longer, shorter, sizeof longer, long_form);
	const char *tz = mv_str_of(mv_get(rep, "timezone"));
	int w = report_week_number(rep);
	if (long_form)
		return xasprintf("Week %d, %s (%s)", w, longer, tz ? tz : "UTC");
	return xasprintf("week %d (%s)", w, shorter);
}

/* One paragraph: a styled <p> in HTML; in text, wrapped at 72 columns
 * after `bullet`, continued under it. */
static void put_paragraph(GString *b, const char *text, bool html, const char *style,
			  const char *bullet)
{
	if (html) {
		g_string_append_printf(b, "<p style=\"%s\">", style);
		esc(b, text);
		g_string_append(b, "</p>\n");
	} else {
		char *w = mail_wrap(text, 72, bullet, bullet[0] ? "  " : "");
		g_string_append_printf(b, "%s\n", w);
		free(w);
	}
}

char *mail_basis_block(const mval *root, bool html)
{
	const mval *rep = mv_get(root, "report");
	char asof[96];
	report_local_time(rep, mv_time_of(mv_get(rep, "as_of")), asof, sizeof asof);
	char *basis = changes_mql_basis(root);
	/* two lines, so that the cut-off's time never breaks from its zone */
	char *rule = g_strdup_printf("%s.", basis);
	char *cut = g_strdup_printf("Data before %s.", asof);
	g_free(basis);
	GString *b = g_string_new(NULL);
	put_paragraph(b, rule, html, "margin:4px 0 0 0;font-size:12px;color:#666666;", "");
	put_paragraph(b, cut, html, "margin:0;font-size:12px;color:#666666;", "");
	g_free(rule);
	g_free(cut);
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

char *mail_health_block(const mval *root, bool html)
{
	char **lines = report_health_lines(root);
	if (!lines)
		return xstrdup("");
	GString *b = g_string_new(NULL);
	if (html)
		g_string_append_printf(
		    b,
		    "<tr><td style=\"padding:10px 12px;background:#%06X;color:#%06X;"
		    "font-weight:bold;font-size:14px;line-height:1.4;\">\n",
		    PALETTE_WARN_BG, PALETTE_WARN_INK);
	for (size_t i = 0; lines[i]; i++)
		put_paragraph(b, lines[i], html, "margin:0 0 4px 0;", "! ");
	g_string_append(b, html ? "</td></tr>\n<tr><td style=\"height:12px;\"></td></tr>\n" : "\n");
	g_strfreev(lines);
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

/* One summary row as displayed: label, this week, last week, change. */
typedef struct kpi_cells {
	const char *label;
	char now[64], last[64], change[64];
	int good;
	double delta;
	bool few;   /* this week's value rests on few cases: its figure in grey */
	char *flag; /* "only 3 cases", "not yet comparable" (changes_flag_text); else NULL */
} kpi_cells;

static void kpi_row(const mval *row, const char *cur, kpi_cells *c)
{
	const char *kpi = mv_str_of(mv_get(row, "kpi"));
	const cat_entry *e = catalog_find(kpi);
	c->label = e ? e->label : catalog_label(kpi ? kpi : "?");
	double now = mv_is_null(mv_get(row, "this_week")) || changes_no_spend(row, "this_week")
			 ? NAN
			 : mv_num_of(mv_get(row, "this_week"));
	double last = mv_is_null(mv_get(row, "last_week")) || changes_no_spend(row, "last_week")
			  ? NAN
			  : mv_num_of(mv_get(row, "last_week"));
	if (e && e->format == CF_MONEY && !numfmt_currency_symbol(cur)) {
		/* a code is written once, in the table's header (kpi_unit) */
		bool cents = numfmt_money_cents(
		    fmax(isnan(now) ? 0 : fabs(now), isnan(last) ? 0 : fabs(last)));
		numfmt_amount(now, cents, cur, c->now, sizeof c->now);
		numfmt_amount(last, cents, cur, c->last, sizeof c->last);
	} else {
		catalog_format_weeks(e, now, last, cur, c->now, c->last, sizeof c->now);
	}
	catalog_format_change(e, now, last, c->change, sizeof c->change, &c->delta, &c->good);
	if (changes_few(row)) {
		c->few = true;
		c->good = 0; /* too few cases to call it better or worse */
	}
	/* a figure not yet comparable says so on its row, not only in the
	 * note under the table: its change is large and unjudged */
	c->flag = changes_flag_text(row);
}

static void pad(GString *b, const char *s, size_t width, bool right)
{
	size_t n = (size_t)g_utf8_strlen(s, -1);
	if (right)
		for (size_t i = n; i < width; i++)
			g_string_append_c(b, ' ');
	g_string_append(b, s);
	if (!right)
		for (size_t i = n; i < width; i++)
			g_string_append_c(b, ' ');
}

#define TEXT_WIDTH 78 /* the plain text's longest line */
#define LABEL_MIN  12 /* the narrowest the labels are wrapped to beside the figures */

/* The plain-text table: the labels, then three columns, then the
 * judgement. The columns are one space wider than their widest figure or
 * heading, all three as wide as the widest where that fits 78 characters
 * beside labels of at least LABEL_MIN (a row with the longest label,
 * figures of up to nine characters and "not yet comparable" fits), else
 * each as wide as its own; a label that would push its row past 78
 * characters is wrapped, its figures on its last line. Where even that
 * leaves the labels under LABEL_MIN (figures of twenty characters and
 * more), each label has a line of its own and its figures the next,
 * indented. `unit` ("Amounts in CHF", or "") heads the labels. */
static void kpi_text(GString *b, const kpi_cells *c, size_t n, const char *unit)
{
	size_t lw = MAX((size_t)4, (size_t)g_utf8_strlen(unit, -1));
	size_t cw[3] = {strlen("This week"), strlen("Last week"), strlen("Change")};
	size_t jw = strlen("  better"); /* the widest judgement or flag */
	for (size_t i = 0; i < n; i++) {
		lw = MAX(lw, (size_t)g_utf8_strlen(c[i].label, -1));
		cw[0] = MAX(cw[0], (size_t)g_utf8_strlen(c[i].now, -1));
		cw[1] = MAX(cw[1], (size_t)g_utf8_strlen(c[i].last, -1));
		cw[2] = MAX(cw[2], (size_t)g_utf8_strlen(c[i].change, -1));
		if (c[i].flag)
			jw = MAX(jw, 2 + (size_t)g_utf8_strlen(c[i].flag, -1));
	}
	size_t same = MAX(cw[0], MAX(cw[1], cw[2])) + 1;
	for (int k = 0; k < 3; k++)
		cw[k] = 3 * same + jw + LABEL_MIN <= TEXT_WIDTH ? same : cw[k] + 1;
	size_t figures = cw[0] + cw[1] + cw[2] + jw;
	bool own_line = figures + LABEL_MIN > TEXT_WIDTH;
	if (own_line) { /* the unit on a line of its own, the figures indented */
		if (unit[0])
			g_string_append_printf(b, "%s\n", unit);
		lw = 2;
	} else if (lw + figures > TEXT_WIDTH) {
		lw = TEXT_WIDTH - figures;
	}
	pad(b, own_line ? "" : unit, lw, false);
	pad(b, "This week", cw[0], true);
	pad(b, "Last week", cw[1], true);
	pad(b, "Change", cw[2], true);
	g_string_append_c(b, '\n');
	for (size_t i = 0; i < n; i++) {
		char *label =
		    own_line ? xasprintf("%s\n", c[i].label) : mail_wrap(c[i].label, lw, "", "  ");
		char *last = strrchr(label, '\n');
		if (last) { /* the wrapped lines, then the last beside the figures */
			g_string_append_len(b, label, last + 1 - label);
			pad(b, last + 1, lw, false);
		} else {
			pad(b, label, lw, false);
		}
		free(label);
		pad(b, c[i].now, cw[0], true);
		pad(b, c[i].last, cw[1], true);
		pad(b, c[i].change, cw[2], true);
		if (c[i].flag)
			g_string_append_printf(b, "  %s\n", c[i].flag);
		else
			g_string_append(b, c[i].good > 0   ? "  better\n"
					   : c[i].good < 0 ? "  worse\n"
							   : "\n");
	}
}

/* A row's arrow before its change: up, down, or none for no change. */
static const char *arrow_of(const kpi_cells *c)
{
	return !(c->delta != 0) || isnan(c->delta) ? "" : c->delta > 0 ? "▲&nbsp;" : "▼&nbsp;";
}

/* The ink of a row's change: green when better, red when worse. */
static uint32_t ink_of(const kpi_cells *c)
{
	return c->good > 0 ? PALETTE_GOOD : c->good < 0 ? PALETTE_BAD : 0x666666;
}

/* A row's label, its flag beside it in small grey. */
static void label_html(GString *b, const kpi_cells *c)
{
	esc(b, c->label);
	if (c->flag) {
		g_string_append_printf(b, " <span style=\"font-size:11px;color:#%06X;\">(",
				       PALETTE_MUTED);
		esc(b, c->flag);
		g_string_append(b, ")</span>");
	}
}

/* The style of this week's figure: bold, or grey on few cases. */
static void now_style(GString *b, const kpi_cells *c)
{
	if (c->few)
		g_string_append_printf(b, "color:#%06X;", PALETTE_MUTED);
	else
		g_string_append(b, "font-weight:bold;");
}

#define HTML_FIGURES 29 /* characters of a row's three figures that fit beside its label */

/* Whether the figures are too long for a phone beside their labels: the
 * widest this week, last week and change (with its arrow) together run
 * past HTML_FIGURES characters, as in 13 digits of dong or billions; the
 * four columns then take more than the 351 px of a 375 px screen. */
static bool kpi_html_stacked(const kpi_cells *c, size_t n)
{
	size_t w[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		w[0] = MAX(w[0], (size_t)g_utf8_strlen(c[i].now, -1));
		w[1] = MAX(w[1], (size_t)g_utf8_strlen(c[i].last, -1));
		w[2] = MAX(w[2],
			   (size_t)g_utf8_strlen(c[i].change, -1) + (arrow_of(&c[i])[0] ? 2 : 0));
	}
	return w[0] + w[1] + w[2] > HTML_FIGURES;
}

/* The KPI table in four columns: label, this week, last week, change. */
static void kpi_html_columns(GString *b, const kpi_cells *c, size_t n, const char *unit)
{
	static const char *th = "padding:6px 3px;border-bottom:2px solid #333333;font-size:12px;"
				"color:#555555;font-weight:normal;";
	g_string_append_printf(
	    b,
	    "<tr><th align=\"left\" style=\"%s\">KPI%s%s</th><th align=\"right\" "
	    "style=\"%s\">This week</th><th align=\"right\" style=\"%s\">Last "
	    "week</th><th align=\"right\" style=\"%s\">Change</th></tr>\n",
	    th, unit[0] ? " \xC2\xB7 " : "", unit, th, th, th);
	static const char *td = "padding:5px 3px;border-bottom:1px solid #E5E5E5;";
	for (size_t i = 0; i < n; i++) {
		g_string_append_printf(b, "<tr><td style=\"%s\">", td);
		label_html(b, &c[i]);
		g_string_append_printf(b, "</td><td align=\"right\" style=\"%s", td);
		now_style(b, &c[i]);
		g_string_append(b, "white-space:nowrap;\">");
		esc(b, c[i].now);
		g_string_append_printf(b,
				       "</td><td align=\"right\" style=\"%scolor:#666666;"
				       "white-space:nowrap;\">",
				       td);
		esc(b, c[i].last);
		g_string_append_printf(b,
				       "</td><td align=\"right\" style=\"%scolor:#%06X;"
				       "white-space:nowrap;\">%s",
				       td, ink_of(&c[i]), arrow_of(&c[i]));
		esc(b, c[i].change);
		g_string_append(b, "</td></tr>\n");
	}
}

/* The KPI table in two columns for long figures: each KPI's label and this
 * week on one line, last week and the change under them, so that no
 * figure is wider than half a phone's screen. */
static void kpi_html_stacked_rows(GString *b, const kpi_cells *c, size_t n, const char *unit)
{
	static const char *th = "padding:6px 3px;border-bottom:2px solid #333333;font-size:12px;"
				"color:#555555;font-weight:normal;";
	g_string_append_printf(b,
			       "<tr><th align=\"left\" valign=\"bottom\" style=\"%s\">KPI%s%s</th>"
			       "<th align=\"right\" style=\"%s\">This week<br>Change</th></tr>\n",
			       th, unit[0] ? " \xC2\xB7 " : "", unit, th);
	static const char *top = "padding:5px 3px 0 3px;";
	static const char *under = "padding:1px 3px 5px 3px;border-bottom:1px solid #E5E5E5;";
	for (size_t i = 0; i < n; i++) {
		g_string_append_printf(b, "<tr><td style=\"%s\">", top);
		label_html(b, &c[i]);
		g_string_append_printf(b, "</td><td align=\"right\" valign=\"top\" style=\"%s",
				       top);
		now_style(b, &c[i]);
		g_string_append(b, "white-space:nowrap;\">");
		esc(b, c[i].now);
		g_string_append_printf(b,
				       "</td></tr>\n<tr><td style=\"%scolor:#666666;\">Last "
				       "week <span style=\"white-space:nowrap;\">",
				       under);
		esc(b, c[i].last);
		g_string_append_printf(b,
				       "</span></td><td align=\"right\" valign=\"bottom\" "
				       "style=\"%scolor:#%06X;white-space:nowrap;\">%s",
				       under, ink_of(&c[i]), arrow_of(&c[i]));
		esc(b, c[i].change);
		g_string_append(b, "</td></tr>\n");
	}
}

/* The KPI table in HTML: four columns, or two for figures too long for a
 * phone in four (kpi_html_stacked). */
static void kpi_html(GString *b, const kpi_cells *c, size_t n, const char *unit)
{
	g_string_append(b,
			"<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" "
			"cellspacing=\"0\" style=\"border-collapse:collapse;font-size:13px;\">\n");
	if (kpi_html_stacked(c, n))
		kpi_html_stacked_rows(b, c, n, unit);
	else
		kpi_html_columns(b, c, n, unit);
	g_string_append(b, "</table>\n");
}

/* The amounts' currency where a code gives it, once for the table ("Amounts
 * in CHF"; the cells then hold the numbers alone), else "". g_free(). */
static char *kpi_unit(const mval *rows, size_t n, const char *cur)
{
	for (size_t i = 0; i < n && !numfmt_currency_symbol(cur); i++) {
		const cat_entry *e = catalog_find(mv_str_of(mv_get(mv_at(rows, i), "kpi")));
		if (e && e->format == CF_MONEY)
			return g_strdup_printf("Amounts in %s", cur);
	}
	return g_strdup("");
}

char *mail_kpi_table(const mval *root, bool html)
{
	const mval *rows = mv_get(root, "summary");
	size_t n = MIN(mv_len(rows), (size_t)MAX_KPIS);
	kpi_cells *c = g_new0(kpi_cells, n ? n : 1);
	for (size_t i = 0; i < n; i++)
		kpi_row(mv_at(rows, i), currency_of(root), &c[i]);
	char *unit = kpi_unit(rows, n, currency_of(root));
	GString *b = g_string_new(NULL);
	if (html)
		kpi_html(b, c, n, unit);
	else
		kpi_text(b, c, n, unit);
	g_free(unit);
	for (size_t i = 0; i < n; i++)
		g_free(c[i].flag);
	g_free(c);
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

/* One note under the KPI table: a paragraph in HTML, wrapped lines in text. */
static void kpi_note(GString *b, const char *text, bool html)
{
	if (html) {
		g_string_append(b, "<p style=\"margin:4px 0 0 0;font-size:12px;color:#666666;\">");
		esc(b, text);
		g_string_append(b, "</p>");
		return;
	}
	char *w = mail_wrap(text, 72, "", "");
	g_string_append_printf(b, "%s\n", w);
	free(w);
}

/* The reports a message carries, by its `reports` variable's words. */
unsigned mail_carried(const char *reports)
{
	if (!reports)
		return MAIL_WORKBOOK | MAIL_PDF;
	unsigned c = 0;
	char **w = g_strsplit(reports, " ", -1);
	for (char **k = w; *k; k++) {
		if (!strcmp(*k, "workbook"))
			c |= MAIL_WORKBOOK;
		else if (!strcmp(*k, "pdf"))
			c |= MAIL_PDF;
	}
	g_strfreev(w);
	return c;
}

/* Where the model's split of revenue is, in the reports the message
 * carries: "in the attached reports", "… workbook", "… campaign-ROI report",
 * or "in the reports" when neither is attached (left out for size). */
static const char *reports_carried(unsigned carries)
{
	switch (carries & (MAIL_WORKBOOK | MAIL_PDF)) {
	case MAIL_WORKBOOK | MAIL_PDF:
		return "in the attached reports";
	case MAIL_WORKBOOK:
		return "in the attached workbook";
	case MAIL_PDF:
		return "in the attached campaign-ROI report";
	default:
		return "in the reports";
	}
}

char *mail_kpi_notes(const mval *root, bool html, unsigned carries)
{
	const mval *rows = mv_get(root, "summary");
	size_t n = MIN(mv_len(rows), (size_t)MAX_KPIS);
	const char *kpis[MAX_KPIS];
	const mval *shown[MAX_KPIS];
	bool dash = false;
	bool no_spend = false;
	for (size_t i = 0; i < n; i++) {
		shown[i] = mv_at(rows, i);
		dash = dash || changes_has_dash(shown[i]);
		no_spend = no_spend || changes_no_spend(shown[i], "this_week") ||
			   changes_no_spend(shown[i], "last_week");
		kpis[i] = mv_str_of(mv_get(shown[i], "kpi"));
	}
	GString *b = g_string_new(NULL);
	char *young = changes_young_note(shown, n);
	if (young)
		kpi_note(b, young, html);
	g_free(young);
	char *few = changes_few_note(root, shown, n);
	if (few)
		kpi_note(b, few, html);
	g_free(few);
	if (dash)
		kpi_note(b, changes_dash_text, html);
	if (no_spend)
		kpi_note(b, changes_no_spend_text, html);
	char *deals = changes_deals_note(root);
	if (deals)
		kpi_note(b, deals, html);
	g_free(deals);
	/* why and which rows: the workbook's Data quality sheet and the
	 * folder's rejects.csv, which a message of the PDF alone does not
	 * reach */
	char *rejects = carries & MAIL_WORKBOOK ? changes_rejects_note(root)
						: changes_rejects_note_where(root, NULL);
	if (rejects)
		kpi_note(b, rejects, html);
	g_free(rejects);
	/* REPORTS.md: the attribution model is stated wherever revenue and ROI
	 * appear; these totals do not depend on it, the reports' splits do */
	bool money = false;
	for (size_t i = 0; i < n; i++)
		money = money || !g_strcmp0(kpis[i], "revenue") || !g_strcmp0(kpis[i], "roi");
	const char *model = mv_str_of(mv_path(root, "report.attribution"));
	if (money && model) {
		char *name = catalog_model_words(model);
		char *t = g_strdup_printf(
		    "Revenue and ROI here count each won deal once, whatever the attribution "
		    "model; by channel and campaign, %s, they follow the %s model.",
		    reports_carried(carries), name);
		kpi_note(b, t, html);
		g_free(t);
		g_free(name);
	}
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

char *mail_changes_block(const mval *root, size_t max, bool html)
{
	char **s = changes_sentences(root, max);
	GString *b = g_string_new(NULL);
	/* the week in one sentence first: usual or not, and what moved; the
	 * section is there when it or a sentence is */
	char *verdict = changes_verdict(root);
	bool any = s[0] || verdict;
	if (any)
		g_string_append(b,
				html ? "<tr><td style=\"padding:16px 0 0 0;\"><h2 style=\"margin:0 "
				       "0 6px 0;font-size:17px;\">What changed</h2>\n"
				     : "WHAT CHANGED\n\n");
	if (verdict) {
		put_paragraph(b, verdict, html,
			      "margin:0 0 8px 0;font-size:14px;line-height:1.45;font-weight:bold;",
			      "");
		if (!html)
			g_string_append_c(b, '\n');
	}
	g_free(verdict);
	for (size_t i = 0; s[i]; i++)
		put_paragraph(b, s[i], html, "margin:0 0 8px 0;font-size:14px;line-height:1.45;",
			      "- ");
	if (any)
		g_string_append(b, html ? "</td></tr>\n" : "\n");
	g_strfreev(s);
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

char *mail_qualification_block(const mval *root, bool html)
{
	char *q = changes_qualification(root);
	if (!q)
		return xstrdup("");
	GString *b = g_string_new(html ? "<tr><td style=\"padding:16px 0 0 0;\"><h2 "
					 "style=\"margin:0 0 6px 0;font-size:17px;\">"
					 "Qualification</h2>\n"
				       : "QUALIFICATION\n\n");
	put_paragraph(b, q, html, "margin:0 0 8px 0;font-size:14px;line-height:1.45;", "");
	g_string_append(b, html ? "</td></tr>\n" : "\n");
	g_free(q);
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

char *mail_image_block(const char *cid, const char *alt, bool html)
{
	if (!html || !cid || !cid[0])
		return xstrdup("");
	GString *b = g_string_new("<tr><td style=\"padding:16px 0 0 0;\"><h2 style=\"margin:0 0 "
				  "6px 0;font-size:17px;\">The last 13 weeks</h2>\n");
	g_string_append(b, "<img src=\"cid:");
	esc(b, cid);
	g_string_append(b, "\" alt=\"");
	esc(b, alt ? alt : "");
	g_string_append(b, "\" width=\"560\" style=\"display:block;width:100%;max-width:560px;"
			   "height:auto;border:0;\"></td></tr>\n");
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

char *mail_files_block(const char *attached, const char *note, bool html)
{
	GString *b = g_string_new(NULL);
	const char *p = html ? "<p style=\"margin:0 0 6px 0;font-size:13px;color:#444444;\">" : "";
	const char *what = attached && attached[0] ? attached : "nothing";
	if (html) {
		g_string_append_printf(b, "%sAttached: ", p);
		esc(b, what);
		g_string_append(b, ".</p>\n");
	} else {
		char *line = g_strdup_printf("Attached: %s.", what);
		char *w = mail_wrap(line, 72, "", "  ");
		g_string_append_printf(b, "%s\n", w);
		free(w);
		g_free(line);
	}
	if (note && note[0]) {
		if (html) {
			g_string_append_printf(b, "%sLeft out for size: ", p);
			esc(b, note);
			g_string_append(b, "</p>\n");
		} else {
			char *w = mail_wrap(note, 72, "", "");
			g_string_append_printf(b, "Left out for size:\n%s\n", w);
			free(w);
		}
	}
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}

char *mail_wrap(const char *s, size_t width, const char *first, const char *indent)
{
	GString *b = g_string_new(first);
	size_t col = (size_t)g_utf8_strlen(first, -1), start = col;
	char **words = g_strsplit(s ? s : "", " ", -1);
	for (size_t i = 0; words[i]; i++) {
		if (!words[i][0])
			continue;
		size_t n = (size_t)g_utf8_strlen(words[i], -1);
		if (col > start && col + 1 + n > width) {
			g_string_append_printf(b, "\n%s", indent);
			col = start = (size_t)g_utf8_strlen(indent, -1);
		} else if (col > start) {
			g_string_append_c(b, ' ');
			col++;
		}
		g_string_append(b, words[i]);
		col += n;
	}
	g_strfreev(words);
	char *out = xstrdup(b->str);
	g_string_free(b, TRUE);
	return out;
}
