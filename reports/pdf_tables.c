/* pdf_tables.c — the tables of the campaign-ROI PDF: rows in the
 * template's order (largest first by its sort column), at most its `top`
 * with a line saying how many more the workbook holds, paginated with the
 * header repeated, numbers right-aligned, "—" where a value does not apply.
 *
 * Renders only: it shortens nothing but over-long names (wrapped first)
 * and computes no figure. */
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

#define CELL_PT	   7.0
#define HEAD_PT	   7.0
#define NAME_LINES 3

typedef struct tcols {
	const char **key;
	size_t n;
	double *x, *w;
	bool *right;
	double *largest; /* the largest magnitude of each column's shown values */
} tcols;

static void cell_text(const pdoc *p, const mval *row, const char *key, double largest, char *buf,
		      size_t n);

/* Whether a column of amounts leaves its currency to its header: a code
 * ("CHF", "KWD") is written once there, "Revenue, CHF", not in every cell;
 * a sign ("$") stays before each amount. */
static bool code_in_header(const pdoc *p, const char *key)
{
	const cat_entry *e = catalog_find(key);
	return e && e->format == CF_MONEY && !numfmt_currency_symbol(p->currency);
}

/* A column's header: its label, with the currency after it where the
 * column's cells leave it out (code_in_header). */
static void head_label(pdoc *p, const char *key, char *buf, size_t n)
{
	pd_label(p, key, buf, n);
	if (code_in_header(p, key)) {
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, ", %s", p->currency);
	}
}

/* The largest magnitude among a column's shown numbers: the column's values
 * share one precision (money's cents). */
static double col_largest(const char *key, const mval *rows, const size_t *ord, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++) {
		const mval *v = mv_get(mv_at(rows, ord[i]), key);
		mv_kind k = mv_kind_of(v);
		if ((k == MV_NUM || k == MV_INT) && isfinite(mv_num_of(v)))
			m = fmax(m, fabs(mv_num_of(v)));
	}
	return m;
}

/* The widest of a column's header words and cells, in points. */
static double col_need(pdoc *p, const char *key, double largest, const mval *rows,
		       const size_t *ord, size_t n)
{
	char label[128], buf[128];
	head_label(p, key, label, sizeof label);
	double need = 0, w;
	lbl_measure(p->cr, label, HEAD_PT, true, &w, NULL);
	need = w / 2 + 6; /* two lines hold the header */
	/* strtok_r: the workbook is written on another thread meanwhile */
	char *save = NULL;
	for (char *tok = strtok_r(label, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		lbl_measure(p->cr, tok, HEAD_PT, true, &w, NULL);
		need = fmax(need, w);
	}
	for (size_t i = 0; i < n; i++) {
		cell_text(p, mv_at(rows, ord[i]), key, largest, buf, sizeof buf);
		lbl_measure(p->cr, buf, CELL_PT, false, &w, NULL);
		need = fmax(need, w);
	}
	return need + 8;
}

/* The width the first column (names) needs to show its widest name on one
 * line, and its header. */
static double names_need(pdoc *p, const mval *rows, const size_t *ord, size_t n, const char *key)
{
	char buf[512];
	double need, w;
	head_label(p, key, buf, sizeof buf);
	lbl_measure(p->cr, buf, HEAD_PT, true, &need, NULL);
	for (size_t i = 0; i < n; i++) {
		cell_text(p, mv_at(rows, ord[i]), key, 0, buf, sizeof buf);
		lbl_measure(p->cr, buf, CELL_PT, false, &w, NULL);
		need = fmax(need, w);
	}
	return need + 8;
}

/* Columns: the numbers as wide as they need, the first (names) the rest. */
static void tcols_init(tcols *t, pdoc *p, const layout_section *s, const mval *rows,
		       const size_t *ord, size_t shown)
{
	const mval *first = mv_at(rows, 0);
	size_t cap = 0;
	for (char **k = s->columns; k && *k; k++)
		cap++;
	t->key = xcalloc(cap + 1, sizeof *t->key);
	t->x = xcalloc(cap + 1, sizeof *t->x);
	t->w = xcalloc(cap + 1, sizeof *t->w);
	t->right = xcalloc(cap + 1, sizeof *t->right);
	t->largest = xcalloc(cap + 1, sizeof *t->largest);
	t->n = 0;
	for (char **k = s->columns; k && *k; k++)
		if (mv_get(first, *k))
			t->key[t->n++] = *k;
	double used = 0;
	for (size_t c = 1; c < t->n; c++) {
		t->largest[c] = col_largest(t->key[c], rows, ord, shown);
		used += t->w[c] = col_need(p, t->key[c], t->largest[c], rows, ord, shown);
	}
	/* numbers that need more than 70% of the width take what the names
	 * leave them, and share it evenly only when that is too little */
	double avail = fmax(pd_cw(p) * 0.7, pd_cw(p) - names_need(p, rows, ord, shown, t->key[0]));
	for (size_t c = 1; used > avail && c < t->n; c++)
		t->w[c] = avail / (double)(t->n - 1);
	used = fmin(used, avail);
	t->w[0] = pd_cw(p) - used;
	double x = p->m;
	for (size_t c = 0; c < t->n; c++) {
		t->x[c] = x;
		x += t->w[c];
		t->right[c] = mv_kind_of(mv_get(first, t->key[c])) != MV_STR;
	}
}

static void tcols_free(tcols *t)
{
	free(t->key);
	free(t->x);
	free(t->w);
	free(t->right);
	free(t->largest);
}

static void header(pdoc *p, const tcols *t)
{
	double h = 0;
	char label[128];
	for (size_t c = 0; c < t->n; c++) {
		head_label(p, t->key[c], label, sizeof label);
		h = fmax(h, chart_text_wrap_height(p->cr, label, t->w[c] - 6, HEAD_PT, true, 3));
	}
	cairo_set_source_rgb(p->cr, 0.89, 0.91, 0.94);
	cairo_rectangle(p->cr, p->m, p->y, pd_cw(p), h + 6);
	cairo_fill(p->cr);
	ci_rgb(p->cr, PAL_TEXT);
	for (size_t c = 0; c < t->n; c++) {
		head_label(p, t->key[c], label, sizeof label);
		chart_text_wrap(p->cr, label, t->x[c] + 3, p->y + 3, t->w[c] - 6, HEAD_PT, true,
				t->right[c] ? CHART_RIGHT : CHART_LEFT, 3);
	}
	p->y += h + 6;
}

/* A cell's text: "—" for null, and for a cost per unit without spend
 * (not applicable rather than free); an amount without its currency
 * where the header gives it (code_in_header). */
static void cell_text(const pdoc *p, const mval *row, const char *key, double largest, char *buf,
		      size_t n)
{
	const mval *v = mv_get(row, key);
	const mval *spend = mv_get(row, "spend");
	bool per_unit = catalog_is_per_unit(key);
	const cat_entry *e = catalog_find(key);
	mv_kind k = mv_kind_of(v);
	if (per_unit && spend && !(mv_num_of(spend) > 0))
		snprintf(buf, n, "\xE2\x80\x94");
	else if (code_in_header(p, key) && (k == MV_NUM || k == MV_INT))
		numfmt_amount(mv_num_of(v), numfmt_money_cents(fmax(fabs(mv_num_of(v)), largest)),
			      p->currency, buf, n);
	else if (e && e->format == CF_MONEY && (k == MV_NUM || k == MV_INT))
		catalog_format_among(e, mv_num_of(v), largest, p->currency, buf, n);
	else
		pd_value(p, key, v, buf, n);
}

static double row_height(pdoc *p, const tcols *t, const mval *row)
{
	char buf[512];
	cell_text(p, row, t->key[0], t->largest[0], buf, sizeof buf);
	return chart_text_wrap_height(p->cr, buf, t->w[0] - 6, CELL_PT, false, NAME_LINES) + 4;
}

/* Whether the row's figure under key rests on its own few cases: the row
 * holds "<key>_n" (close_rate_n for a close rate) from 1 to under min. */
static bool few_own(const mval *row, const char *key, long min)
{
	char n[96];
	snprintf(n, sizeof n, "%s_n", key);
	return changes_few_cases(mv_get(row, n), min);
}

static void draw_row(pdoc *p, const tcols *t, const mval *row, double h, bool shade)
{
	if (shade) {
		cairo_set_source_rgb(p->cr, 0.965, 0.965, 0.965);
		cairo_rectangle(p->cr, p->m, p->y, pd_cw(p), h);
		cairo_fill(p->cr);
	}
	bool low = mv_bool_of(mv_get(row, "low_sample"));
	/* the bucket without a campaign or channel: its rates and ROI are no
	 * campaign's, in grey */
	bool none = catalog_is_unknown(mv_str_of(mv_get(row, t->key[0])));
	long min = changes_low_sample_min(p->root);
	for (size_t c = 0; c < t->n; c++) {
		char buf[512];
		cell_text(p, row, t->key[c], t->largest[c], buf, sizeof buf);
		/* rates and ROI of few cases move a lot with one deal: muted */
		bool rate = strstr(t->key[c], "rate") != NULL || pd_is_percent(p, t->key[c]);
		bool own = rate && few_own(row, t->key[c], min);
		ci_rgb(p->cr, ((low || none) && rate) || own ? PAL_MUTED : PAL_TEXT);
		if (c == 0) {
			chart_text_wrap(p->cr, buf, t->x[c] + 3, p->y + 2, t->w[c] - 6, CELL_PT,
					false, CHART_LEFT, NAME_LINES);
			continue;
		}
		char *s = lbl_fit(p->cr, buf, CELL_PT, false, t->w[c] - 6);
		chart_text(p->cr, s, t->right[c] ? t->x[c] + t->w[c] - 3 : t->x[c] + 3, p->y + 2, 0,
			   CELL_PT, false, t->right[c] ? CHART_RIGHT : CHART_LEFT);
		free(s);
	}
	p->y += h;
}

#define NO_SPEND "\xE2\x80\x94 in ROI and costs: no spend, so they do not apply."

/* Why the cell of key shows "—", in the words of the note under the table:
 * ROI and costs without spend do not apply; a cost per unit with spend but
 * no units has nothing to divide it by; a rate of MQLs has no MQLs; a close
 * rate has no closed deal.
 * Caller frees. */
static char *dash_reason(const pdoc *p, const mval *row, const char *key)
{
	const mval *spend = mv_get(row, "spend");
	bool per_unit = catalog_is_per_unit(key);
	bool no_spend = spend && !mv_is_null(spend) && !(mv_num_of(spend) > 0);
	if ((per_unit || strcmp(key, "roi") == 0) && no_spend)
		return xstrdup(NO_SPEND);
	char label[128];
	pd_label(p, key, label, sizeof label);
	char *what = catalog_in_sentence(label), *why;
	if (per_unit) { /* cost_per_mql: spend over MQLs; cac: over wins */
		char unit[64], units[128];
		if (strcmp(key, "cac") == 0)
			snprintf(unit, sizeof unit, "wins");
		else
			snprintf(unit, sizeof unit, "%ss", key + 9);
		pd_label(p, unit, units, sizeof units);
		char *of = catalog_in_sentence(units);
		why = xasprintf("\xE2\x80\x94 as %s: spend but no %s to divide it by.", what, of);
		g_free(of);
	} else if (strcmp(key, "close_rate") == 0) {
		why = xasprintf("\xE2\x80\x94 as %s: no closed deal yet, so no rate.", what);
	} else if (strstr(key, "_to_") && g_str_has_suffix(key, "_rate")) {
		/* mql_to_sql_rate: a share of the MQLs */
		char unit[64], units[128];
		snprintf(unit, sizeof unit, "%.*ss", (int)(strstr(key, "_to_") - key), key);
		pd_label(p, unit, units, sizeof units);
		char *of = catalog_in_sentence(units);
		why = xasprintf("\xE2\x80\x94 as %s: no %s to take a share of.", what, of);
		g_free(of);
	} else {
		why = xasprintf("\xE2\x80\x94 as %s: nothing to measure it on.", what);
	}
	g_free(what);
	return why;
}

/* Adds each reason of a "—" that row shows to reasons, once. */
static void dash_reasons(const pdoc *p, const tcols *t, const mval *row, GPtrArray *reasons)
{
	for (size_t c = 1; c < t->n; c++) {
		char buf[128];
		cell_text(p, row, t->key[c], t->largest[c], buf, sizeof buf);
		if (strcmp(buf, "\xE2\x80\x94") != 0)
			continue;
		char *why = dash_reason(p, row, t->key[c]);
		bool seen = false;
		for (guint i = 0; i < reasons->len && !seen; i++)
			seen = strcmp(g_ptr_array_index(reasons, i), why) == 0;
		if (seen)
			free(why);
		else
			g_ptr_array_add(reasons, why);
	}
}

static void continued(pdoc *p, const layout_section *s, const tcols *t)
{
	pd_new_page(p);
	char *title = xasprintf("%s (continued)", s->title ? s->title : s->path);
	pd_heading(p, title, NULL);
	free(title);
	p->y += 4;
	header(p, t);
}

void pd_table(pdoc *p, const layout_section *s, const mval *rows)
{
	size_t n = mv_len(rows), *ord = pd_order(rows, s->sort, s->then, s->category);
	/* the bucket without a campaign or channel is not ranked among them:
	 * after the rows listed, however many are */
	size_t ranked = s->category ? pd_unknown_last(rows, s->category, ord, n) : n;
	size_t listed = s->top > 0 && (size_t)s->top < ranked ? (size_t)s->top : ranked;
	memmove(ord + listed, ord + ranked, (n - ranked) * sizeof *ord);
	size_t shown = listed + (n - ranked);
	tcols t;
	tcols_init(&t, p, s, rows, ord, shown);
	if (listed < ranked) {
		char lab[64], all[32], what[64];
		pd_label(p, s->sort ? s->sort : "value", lab, sizeof lab);
		lab[0] = (char)g_ascii_tolower(lab[0]);
		pd_label(p, s->category ? s->category : "row", what, sizeof what);
		what[0] = (char)g_ascii_tolower(what[0]);
		numfmt_number((double)ranked, true, MF_COUNT, NULL, all, sizeof all);
		/* which of equal revenue are listed: those that spent most */
		char *ties = pd_ties_text(p, s);
		char *note = xasprintf("The %zu of %s %ss with the most %s%s are listed here; the "
				       "workbook lists all %s.",
				       listed, all, what, lab, ties, all);
		free(ties);
		pd_note(p, note, 8);
		free(note);
		p->y += 4;
	}
	header(p, &t);
	bool unknown = false, attributed = false;
	bool wins = false, close = false; /* side by side they count different leads */
	GPtrArray *reasons = g_ptr_array_new_with_free_func(free);
	for (size_t c = 0; c < t.n; c++) {
		attributed |= !strcmp(t.key[c], "revenue") || !strcmp(t.key[c], "roi");
		wins |= strcmp(t.key[c], "wins") == 0;
		close |= strcmp(t.key[c], "close_rate") == 0;
	}
	for (size_t i = 0; i < shown; i++) {
		const mval *row = mv_at(rows, ord[i]);
		unknown = unknown || catalog_is_unknown(mv_str_of(mv_get(row, t.key[0])));
		dash_reasons(p, &t, row, reasons);
		double h = row_height(p, &t, row);
		if (p->y + h > pd_bottom(p))
			continued(p, s, &t);
		draw_row(p, &t, row, h, i % 2 == 1);
	}
	p->y += 8;
	/* the notes under the table: two lines each at most, above the footer */
	const double note_h = 24;
	if (mv_get(mv_at(rows, 0), "low_sample")) {
		pd_room(p, note_h);
		pd_few_note(p, "Grey rates and ROI: low sample (",
			    " in the 13 weeks); one deal moves them a lot.");
	}
	long min = changes_low_sample_min(p->root);
	bool own = false;
	for (size_t c = 0; c < t.n && !own; c++)
		for (size_t i = 0; i < shown && !own; i++)
			own = few_own(mv_at(rows, ord[i]), t.key[c], min);
	if (own) {
		pd_room(p, note_h);
		char *fewer = pd_few_text(p, "closed deals");
		char *note = xasprintf("A grey close rate rests on %s.", fewer);
		pd_note(p, note, 7.5);
		free(note);
		free(fewer);
	}
	if (wins && close) { /* wins and a close rate count different leads: say how */
		pd_room(p, note_h);
		pd_note(p,
			"Wins: the leads won in the 13 weeks, whenever they became MQLs. "
			"Close rate: of the MQLs of the 13 weeks whose deal has closed, the share "
			"won, so a row may show wins beside a close rate of 0.0%.",
			7.5);
	}
	if (attributed || reasons->len) { /* what the revenue follows, and why a "—" */
		GString *note = g_string_new(NULL);
		if (attributed)
			g_string_append_printf(note, "Revenue and ROI by %s attribution.",
					       p->model);
		for (guint i = 0; i < reasons->len; i++)
			g_string_append_printf(note, "%s%s", note->len ? " " : "",
					       (const char *)g_ptr_array_index(reasons, i));
		pd_room(p, fmax(note_h, chart_text_wrap_height(p->cr, note->str, pd_cw(p), 7.5,
							       false, 100) +
					    4));
		pd_note(p, note->str, 7.5);
		g_string_free(note, TRUE);
	}
	g_ptr_array_free(reasons, TRUE);
	if (unknown) {
		pd_room(p, note_h);
		char what[64];
		pd_label(p, t.key[0], what, sizeof what);
		what[0] = (char)g_ascii_tolower(what[0]);
		char *note = xasprintf("\"unknown\" holds the leads and spend without a %s: its "
				       "rates and ROI, in grey, are no %s's.",
				       what, what);
		pd_note(p, note, 7.5);
		free(note);
	}
	tcols_free(&t);
	free(ord);
}
