/* xlsx_tables.c — the workbook's detail sheets: every block of a part of the
 * tree as an Excel table (filter buttons, banded rows, headers from the
 * catalogue), frozen header, fitted widths, a native chart above it, heat
 * maps and a marked row where the template asks; and the attribution sheet.
 * A change's unit is left out where the change's number format shows it.
 *
 * Renders only: rows may be ordered for reading, never computed. */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "palette.h"
#include "shown.h"
#include "numfmt.h"
#include "xlsx_int.h"

#define CHART_ROWS 20 /* rows left above a table for its chart */

typedef struct sort_ctx {
	const grid *g;
	long col;
	long name; /* the campaign or channel column, or -1 */
} sort_ctx;

/* Row r's campaign or channel (column name), or NULL. */
static const char *name_of_row(const grid *g, long name, size_t r)
{
	const grid_cell *c = name >= 0 ? grid_at(g, r, (size_t)name) : NULL;
	return c && c->v ? mv_str_of(c->v) : c ? c->text : NULL;
}

/* Row r's name is the bucket of rows without one ("unknown"): no campaign
 * or channel, so not ranked among them (the PDF's ranking leaves it last). */
static bool unknown_row(const grid *g, long name, size_t r)
{
	return catalog_is_unknown(name_of_row(g, name, r));
}

static double cell_num(const grid *g, size_t r, long c)
{
	const grid_cell *cell = grid_at(g, r, (size_t)c);
	double d = cell->v ? mv_num_of(cell->v) : NAN;
	return isnan(d) ? -INFINITY : d;
}

static int by_col_desc(const void *a, const void *b, void *ctx)
{
	const sort_ctx *s = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const char *gx = s->g->group[x], *gy = s->g->group[y];
	if (gx != gy) /* groups stay in tree order: they are contiguous */
		return x < y ? -1 : 1;
	bool nx = unknown_row(s->g, s->name, x), ny = unknown_row(s->g, s->name, y);
	if (nx != ny)
		return nx ? 1 : -1;
	double u = cell_num(s->g, x, s->col), v = cell_num(s->g, y, s->col);
	if (u != v)
		return u > v ? -1 : 1;
	int by_name = s->name >= 0 ? shown_name_cmp(name_of_row(s->g, s->name, x),
						    name_of_row(s->g, s->name, y))
				   : 0;
	return by_name ? by_name : x < y ? -1 : x > y;
}

/* What a block's column needs per cell, looked up once: whether its texts
 * are names shown in words (window keys, metric names), the catalogue entry
 * of its key, and the last name and its words. */
typedef struct colinfo {
	bool names;
	const cat_entry *e;
	const char *name, *words;
} colinfo;

static void col_infos(const grid *g, colinfo *ci)
{
	for (size_t c = 0; c < g->ncols; c++) {
		const char *col = g->cols[c];
		ci[c] = (colinfo){.names = strcmp(col, "metric") == 0 || strcmp(col, "kpi") == 0 ||
					   strcmp(col, "window") == 0 ||
					   strcmp(col, "group") == 0 || strcmp(col, "type") == 0,
				  .e = catalog_find(col)};
	}
}

/* The text of a label cell: window keys, metric names and event types in
 * words ("page_visit" as "Page visit", as Data quality names unknown ones),
 * and so a column's values that are keys (a channel: "Paid search"). */
static const char *label_text(colinfo *ci, const grid_cell *cell)
{
	const char *t = cell->v ? mv_str_of(cell->v) : cell->text;
	if (!ci->names || !t)
		return catalog_words(ci->e, t);
	if (!ci->name || strcmp(ci->name, t) != 0) {
		ci->name = t;
		ci->words = catalog_label(t);
	}
	return ci->words;
}

typedef struct placed {
	const char *sheet;
	lxw_row_t header, first, last;
	size_t *order;
	size_t shown; /* the rows written: order[0 .. shown) */
} placed;

/* The entry a value cell is written with: in a block of metric rows, the
 * row's metric for every value; in a block of KPI rows (the week-on-week
 * tables), the row's KPI for the columns that hold the KPI itself (this
 * week, last week, the 13-week mean and deviation: text in the catalogue),
 * the column's own for the rest (a change, a distance). */
static const cat_entry *cell_entry(const colinfo *ci, const cat_entry *row, bool kpi_rows)
{
	if (!row || (kpi_rows && ci->e && ci->e->format != CF_TEXT))
		return ci->e;
	return row;
}

/* A change in percentage points (what_changed's rows whose change_unit is
 * "pp"): the number is in points, not a fraction to show as percent. */
static bool in_points(const grid *g, size_t r, long unit)
{
	const grid_cell *u = unit >= 0 ? grid_at(g, r, (size_t)unit) : NULL;
	const char *t = u ? (u->v ? mv_str_of(u->v) : u->text) : NULL;
	return t && strcmp(t, "pp") == 0;
}

/* The column a sheet leaves out of a block: a change's unit ("pp" or "%"
 * beside a change), which the change's own number format shows already
 * ("+18.9% %" read twice); -1: none. metrics.json keeps it. */
static long unit_col(const grid *g)
{
	return grid_col(g, "change") >= 0 ? grid_col(g, "change_unit") : -1;
}

/* Whether the sheet leaves the block's column c out (part_grids marks
 * them). */
static bool left_out(const grid *g, long c)
{
	return g->hidden && g->hidden[c];
}

/* Mark column c of g as left out of the sheet (c < 0: none). */
static void leave_out(grid *g, long c)
{
	if (c < 0)
		return;
	if (!g->hidden)
		g->hidden = xcalloc(g->ncols, sizeof *g->hidden);
	g->hidden[c] = true;
}

/* The sheet column of the block's column c: those right of columns left
 * out as many further left; -1 for those columns (and for c < 0). */
static long sheet_col(const grid *g, long c)
{
	if (c < 0 || left_out(g, c))
		return -1;
	long at = c;
	for (long k = 0; k < c; k++)
		at -= left_out(g, k);
	return at;
}

/* How many of the block's columns the sheet shows. */
static size_t shown_cols(const grid *g)
{
	size_t n = 0;
	for (size_t c = 0; c < g->ncols; c++)
		n += !left_out(g, (long)c);
	return n;
}

/* Whether the block's row r has low_sample true. */
static bool few_row_of(const grid *g, long few, size_t r)
{
	const grid_cell *fc = few >= 0 ? grid_at(g, r, (size_t)few) : NULL;
	return fc && fc->v && mv_kind_of(fc->v) == MV_BOOL && mv_bool_of(fc->v);
}

/* What the figures in grey are, for the sheet's note: a rate or a ROI of
 * a row of few MQLs (a channel's, a campaign's, a cohort's low_sample), or
 * a figure of few cases of its own (a KPI's this week, a window's metric,
 * a channel's close rate on few closed deals). */
enum { FEW_RATE = 1, FEW_RATIO = 2, FEW_CASES = 4, FEW_YOUNG = 8 };

/* How a block's figures are found to rest on few cases. */
typedef struct fewinfo {
	long low_sample;	/* the column of each row's low_sample, or -1 */
	long this_week, change; /* KPI rows: the columns of this week's figure and its change */
	long judged[3];		/* KPI rows: z_score, unusual, move_ratio: judgements of the week */
	long min;		/* low_sample_min; 0 or less: not known */
	/* metric rows with counts of cases (the Windows sheet): the row of
	 * each metric's "<metric>_n", by the metric's name */
	GHashTable *n_row;
	/* rows of figures (a channel's): the column of each column's own
	 * count of cases ("close_rate_n" of close_rate and its bounds), or -1 */
	long *n_col;
} fewinfo;

/* key without a "_ci_low" or "_ci_high": the statistic a bound is of.
 * Caller frees. */
static char *bound_base(const char *key)
{
	static const char *const bound[] = {"_ci_low", "_ci_high"};
	char *base = g_strdup(key);
	for (size_t i = 0; i < 2; i++)
		if (g_str_has_suffix(base, bound[i]))
			base[strlen(base) - strlen(bound[i])] = '\0';
	return base;
}

static fewinfo few_info(xctx *x, const grid *g, long metric, bool kpi_rows)
{
	fewinfo f = {.low_sample = grid_col(g, "low_sample"),
		     .this_week = -1,
		     .min = changes_low_sample_min(x->root)};
	if (kpi_rows) {
		f.this_week = grid_col(g, "this_week");
		f.change = grid_col(g, "change");
		f.judged[0] = grid_col(g, "z_score");
		f.judged[1] = grid_col(g, "unusual");
		f.judged[2] = grid_col(g, "move_ratio");
	} else if (metric < 0 && f.min > 0) {
		f.n_col = xcalloc(g->ncols + 1, sizeof *f.n_col);
		for (size_t c = 0; c < g->ncols; c++) {
			char *base = bound_base(g->cols[c]);
			char *n = g_strdup_printf("%s_n", base);
			f.n_col[c] = grid_col(g, n);
			g_free(n);
			g_free(base);
		}
	} else if (metric >= 0 && f.low_sample < 0 && f.min > 0) {
		f.n_row = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		for (size_t r = 0; r < g->nrows; r++) {
			const grid_cell *m = grid_at(g, r, (size_t)metric);
			size_t len = m->text ? strlen(m->text) : 0;
			if (len > 2 && strcmp(m->text + len - 2, "_n") == 0)
				g_hash_table_insert(f.n_row, g_strndup(m->text, len - 2),
						    GSIZE_TO_POINTER(r + 1));
		}
	}
	return f;
}

/* Whether n, the count of cases of a figure that is there, is under min:
 * few of them, or none at all (a ROI with spend and no deal won, −100%,
 * measures nothing yet). */
static bool few_or_none(const mval *n, long min)
{
	if (changes_few_cases(n, min))
		return true;
	return n && !mv_is_null(n) && mv_kind_of(n) != MV_STR && min > 0 && mv_num_of(n) == 0;
}

/* The count of cases of metric mk's figure in column c of a block of
 * metric rows, or NULL when it has none. */
static const mval *cases_of(const fewinfo *f, const grid *g, const char *mk, size_t c)
{
	if (!f->n_row || !mk)
		return NULL;
	char *base = bound_base(mk);
	size_t at = GPOINTER_TO_SIZE(g_hash_table_lookup(f->n_row, base));
	g_free(base);
	return at ? grid_at(g, at - 1, c)->v : NULL;
}

/* Whether metric mk's figure in column c of a block of metric rows rests
 * on few cases: on its own count of them, or, without one, on any of the
 * counts of the statistics the catalogue derives it from (its cases: a
 * CLV on the deals behind the average deal size). */
static bool few_by_rows(const fewinfo *f, const grid *g, const char *mk, size_t c)
{
	if (!mk)
		return false;
	char *base = bound_base(mk);
	bool own = g_hash_table_contains(f->n_row, base);
	const cat_entry *e = own ? NULL : catalog_find(base);
	g_free(base);
	if (own)
		return few_or_none(cases_of(f, g, mk, c), f->min);
	for (char **k = e ? e->cases : NULL; k && *k; k++)
		if (changes_few_cases(cases_of(f, g, *k, c), f->min))
			return true;
	return false;
}

/* Whether the figure of entry e in row r, column c of a block of rows of
 * figures rests on few cases by the counts of the statistics it is
 * derived from (e's cases), where it has no count of its own. */
static bool few_by_derived(const fewinfo *f, const grid *g, size_t r, const cat_entry *e)
{
	for (char **k = e ? e->cases : NULL; k && *k; k++) {
		char *n = g_strdup_printf("%s_n", *k);
		long nc = grid_col(g, n);
		g_free(n);
		if (nc >= 0 && changes_few_cases(grid_at(g, r, (size_t)nc)->v, f->min))
			return true;
	}
	return false;
}

/* The FEW_ bit of the figure of entry e in row r, column c (metric mk on
 * a block of metric rows), when it rests on few cases; else 0. */
static unsigned few_cell(const fewinfo *f, const grid *g, size_t r, size_t c, const char *mk,
			 const cat_entry *e)
{
	if (f->this_week >= 0) { /* KPI rows */
		bool week = (long)c == f->this_week || (long)c == f->change;
		bool judged = false;
		for (int k = 0; k < 3; k++)
			judged |= (long)c == f->judged[k];
		/* a cohort still converting: this week's figure, its change and
		 * how unusual it looks are not comparable with earlier weeks' */
		const cat_entry *me = mk ? catalog_find(mk) : NULL;
		if (me && me->young && (week || judged))
			return FEW_YOUNG;
		/* this week's figure and its change, on the row's cases */
		return week && few_row_of(g, f->low_sample, r) ? FEW_CASES : 0;
	}
	if (f->n_row)
		return few_by_rows(f, g, mk, c) ? FEW_CASES : 0;
	unsigned kind = !e					   ? 0
			: e->unit && strcmp(e->unit, "ratio") == 0 ? FEW_RATIO
			: e->is_rate				   ? FEW_RATE
								   : 0;
	if (kind && few_row_of(g, f->low_sample, r))
		return kind;
	/* a figure on its own few cases: a rate, a median */
	if (f->n_col && f->n_col[c] < 0)
		return few_by_derived(f, g, r, e) ? FEW_CASES : 0;
	const mval *n = f->n_col && f->n_col[c] >= 0 ? grid_at(g, r, (size_t)f->n_col[c])->v : NULL;
	return few_or_none(n, f->min) ? FEW_CASES : 0;
}

/* Write the block's rows; *muted gets the FEW_ bits of the figures in
 * grey. */
/* Whether row r of a table of KPI rows holds a cost per unit (kpi mk) of
 * 0 in this_week or last_week: one without spend, which does not apply
 * (its cells' format shows "—"), so that no change from or to it is
 * written. */
static bool no_spend_row(const grid *g, size_t r, const char *mk)
{
	static const char *const weeks[] = {"this_week", "last_week"};
	for (size_t i = 0; i < 2; i++) {
		long c = grid_col(g, weeks[i]);
		if (c >= 0 && changes_no_spend_value(mk, grid_at(g, r, (size_t)c)->v))
			return true;
	}
	return false;
}

static void write_block(xctx *x, lxw_worksheet *ws, const grid *g, placed *p, double *widths,
			unsigned *muted)
{
	size_t ns = shown_cols(g);
	long *at = xcalloc(g->ncols, sizeof *at); /* each column's on the sheet, once */
	char **keys = xcalloc(ns + 1, sizeof *keys);
	for (size_t c = 0; c < g->ncols; c++)
		if ((at[c] = sheet_col(g, (long)c)) >= 0)
			keys[at[c]] = g->cols[c];
	char **headers = xheaders(keys, ns);
	long metric = grid_col(g, "metric"); /* metric rows: the row names the value's key */
	bool kpi_rows = metric < 0 && (metric = grid_col(g, "kpi")) >= 0;
	long unit = grid_col(g, "change_unit"), change = grid_col(g, "change");
	/* a KPI row's small-sample flag where it rests on no case at all: not
	 * applicable ("—"), not "no" beside "Cases 0"; "yes" where the figure
	 * is there all the same (a ROI without a won deal) */
	long flag = kpi_rows ? grid_col(g, "low_sample") : -1, cases = grid_col(g, "n");
	/* whether a move is outside the usual range where no spread says so
	 * (a z-score of null: too few weeks, or none apart): not applicable
	 * ("—"), not "no" */
	long unusual = kpi_rows ? grid_col(g, "unusual") : -1, z = grid_col(g, "z_score");
	for (size_t c = 0; c < ns; c++) {
		double w = xheader_width(headers[c]); /* a long header on two lines */
		if (w > widths[c])
			widths[c] = w;
	}
	colinfo *ci = xcalloc(g->ncols, sizeof *ci);
	unsigned char *seen = xcalloc(ns, sizeof *seen);
	col_infos(g, ci);
	fewinfo few = few_info(x, g, metric, kpi_rows);
	for (size_t k = 0; k < p->shown; k++) {
		size_t r = p->order[k];
		lxw_row_t row = p->first + (lxw_row_t)k;
		const grid_cell *m = metric >= 0 ? grid_at(g, r, (size_t)metric) : NULL;
		const char *mk = !m		    ? NULL
				 : m->text	    ? m->text
				 : kpi_rows && m->v ? mv_str_of(m->v)
						    : NULL;
		const cat_entry *me = mk ? catalog_find(mk) : NULL;
		long lines = 1; /* a name wider than a column can be wraps there */
		for (size_t c = 0; c < g->ncols; c++) {
			if (at[c] < 0)
				continue;
			lxw_col_t sc = (lxw_col_t)at[c];
			const grid_cell *cell = grid_at(g, r, c);
			const char *t = label_text(&ci[c], cell);
			/* a metric row's text value in words ("loose" of the
			 * threshold's lean: the catalogue's [lean:loose]) */
			if (mk && (long)c != metric && !ci[c].names)
				t = catalog_value_label(mk, t);
			double w;
			const grid_cell *nc =
			    (long)c == flag && cases >= 0 ? grid_at(g, r, (size_t)cases) : NULL;
			const grid_cell *zc =
			    (long)c == unusual && z >= 0 ? grid_at(g, r, (size_t)z) : NULL;
			if ((nc && nc->v && mv_kind_of(nc->v) != MV_NULL && mv_num_of(nc->v) == 0 &&
			     !few_row_of(g, flag, r)) ||
			    ((long)c == unusual && z >= 0 &&
			     (!zc || !zc->v || mv_kind_of(zc->v) == MV_NULL))) {
				xtext(x, ws, row, sc, "\xE2\x80\x94", x->yesno);
				w = 2;
				seen[sc] |= XSEEN_YESNO;
				continue;
			}
			if (t && (!cell->v || mv_kind_of(cell->v) == MV_STR)) {
				xtext(x, ws, row, sc, t, NULL);
				w = xtext_width(t) + 1;
				lines = MAX(lines, xname_lines(t, XLSX_COL_MAX));
				seen[sc] |= XSEEN_TEXT;
			} else if (cell->v && (long)c == change && kpi_rows &&
				   no_spend_row(g, r, mk)) {
				xtext(x, ws, row, sc, "\xE2\x80\x94", x->dash);
				w = 2;
			} else if (cell->v && (long)c == change && mv_kind_of(cell->v) != MV_NULL) {
				/* in points or relative, with a decimal as the
				 * Overview, the PDF and the e-mail write it */
				unsigned grey = few_cell(&few, g, r, c, mk, NULL);
				double v = mv_num_of(cell->v);
				xcheck(x,
				       worksheet_write_number(
					   ws, row, sc, v,
					   xchange_format(x, v, in_points(g, r, unit), grey)),
				       "write_number");
				*muted |= grey;
				w = 12;
			} else if (cell->v && mv_kind_of(cell->v) != MV_NULL && kpi_rows &&
				   ci[c].e && ci[c].e->averaged && me && me->format == CF_COUNT) {
				unsigned grey = few_cell(&few, g, r, c, mk, me);
				xcheck(x,
				       worksheet_write_number(ws, row, sc, mv_num_of(cell->v),
							      x->count_avg[grey ? 1 : 0]),
				       "write_number");
				*muted |= grey;
				w = 10;
			} else {
				const cat_entry *e = cell_entry(&ci[c], me, kpi_rows);
				unsigned grey = cell->v && mv_kind_of(cell->v) != MV_NULL
						    ? few_cell(&few, g, r, c, mk, e)
						    : 0;
				x->look = grey ? XLOOK_MUTED : XLOOK_PLAIN;
				w = cell->v ? xvalue_e(x, ws, row, sc, cell->v, e, widths[sc]) : 0;
				x->look = XLOOK_PLAIN;
				*muted |= grey;
			}
			if (!t || (cell->v && mv_kind_of(cell->v) != MV_STR))
				xcount_kind(cell->v, sc, seen);
			if (w > widths[sc])
				widths[sc] = w;
		}
		xname_rows(x, ws, row, lines);
	}
	if (few.n_row)
		g_hash_table_destroy(few.n_row);
	free(few.n_col);
	free(ci);
	free(at);
	xseen_declared(keys, ns, seen);
	free(keys);
	xtable(x, ws, p->header, p->last, 0, headers, ns, seen);
	free(seen);
	g_strfreev(headers);
}

static lxw_chart *add_chart(xctx *x, const layout_sheet *ls, const grid *g, const placed *p);

/* The heat map's columns under one colour scale: the same share is the
 * same colour in every column (one rule over all of them, not a rule a
 * column with its own minimum and maximum). A row of few cases is left
 * unshaded, its figures in grey (write_block), as the PDF's heat map. */
static void heatmap(xctx *x, lxw_worksheet *ws, const layout_sheet *ls, const grid *g,
		    const placed *p)
{
	GString *ranges = g_string_new(NULL);
	long first = -1, few = grid_col(g, "low_sample");
	for (char **h = ls->heatmap; h && *h && p->last >= p->first; h++) {
		long c = sheet_col(g, grid_col(g, *h));
		if (c < 0)
			continue;
		for (size_t k = 0; k < p->shown;) { /* runs of rows not of few cases */
			size_t end = k;
			while (end < p->shown && !few_row_of(g, few, p->order[end]))
				end++;
			if (end > k) {
				char r[32];
				lxw_rowcol_to_range(r, p->first + (lxw_row_t)k, (lxw_col_t)c,
						    p->first + (lxw_row_t)end - 1, (lxw_col_t)c);
				g_string_append_printf(ranges, "%s%s", ranges->len ? " " : "", r);
				if (first < 0)
					first = c;
			}
			k = end + 1;
		}
	}
	if (first >= 0) {
		lxw_conditional_format cf = {.type = LXW_CONDITIONAL_3_COLOR_SCALE,
					     .min_color = 0xF7FBFF,
					     .mid_color = 0x9ECAE1,
					     .max_color = 0x2171B5,
					     .multi_range = ranges->str};
		xcheck(x,
		       worksheet_conditional_format_range(ws, p->first, (lxw_col_t)first, p->last,
							  (lxw_col_t)first, &cf),
		       "heatmap");
	}
	g_string_free(ranges, TRUE);
}

/* A part's title, and, when its rows hold the marked column, which row is
 * marked and why: "Threshold sweep (highlighted: MQL threshold, 60)". Said
 * in the title, on the first printed page, not beside the row, which a
 * sheet printed over pages across put on its last page. Caller frees. */
static char *mark_title(xctx *x, const layout_sheet *ls, const grid_set *set, const char *title)
{
	const mval *want = ls->mark ? mv_get(mv_get(x->root, "report"), ls->mark_key) : NULL;
	if (!want || mv_is_null(want) || !set->n || grid_col(&set->blocks[0], ls->mark) < 0)
		return xasprintf("%s", title);
	/* with decay, a lead's score at the week's end is below the one it
	 * became an MQL at: the highlighted row counts fewer than the MQLs */
	double hl = mv_num_of(mv_get(mv_get(x->root, "report"), "score_half_life_days"));
	return xasprintf("%s (highlighted: %s, %g%s)", title, catalog_label(ls->mark_key),
			 mv_num_of(want),
			 isfinite(hl) && hl > 0
			     ? "; scores as of the week's end, decayed since, so fewer leads than "
			       "became MQLs"
			     : "");
}

/* The row whose column ls->mark equals report.<mark_key> (the current threshold). */
static void mark_row(xctx *x, lxw_worksheet *ws, const layout_sheet *ls, const grid *g,
		     const placed *p)
{
	const mval *want = mv_get(mv_get(x->root, "report"), ls->mark_key);
	long c = grid_col(g, ls->mark);
	if (!want || c < 0)
		return;
	for (size_t k = 0; k < p->shown; k++) {
		const grid_cell *cell = grid_at(g, p->order[k], (size_t)c);
		if (cell->v && mv_num_of(cell->v) == mv_num_of(want)) {
			lxw_row_t r = p->first + (lxw_row_t)k;
			lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_NO_ERRORS,
						     .format = x->mark};
			xcheck(x,
			       worksheet_conditional_format_range(
				   ws, r, 0, r, (lxw_col_t)(shown_cols(g) - 1), &cf),
			       "mark");
		}
	}
}

static void block_order(const layout_sheet *ls, const grid *g, size_t *order)
{
	for (size_t r = 0; r < g->nrows; r++)
		order[r] = r;
	long sc = ls->sort ? grid_col(g, ls->sort) : -1;
	if (sc >= 0 && g->nrows > 1) {
		long name = grid_col(g, "campaign");
		sort_ctx s = {g, sc, name >= 0 ? name : grid_col(g, "channel")};
		qsort_r(order, g->nrows, sizeof *order, by_col_desc, &s);
	}
}

/* Keep at most XLSX_TYPE_ROWS of each group's rows in order (groups are
 * contiguous in it), counting the rest in left; returns the rows kept. */
static size_t cap_types(const grid *g, size_t *order, xleft *left)
{
	size_t kept = 0;
	for (size_t k = 0; k < g->nrows;) {
		const char *grp = g->group[order[k]];
		size_t end = k;
		while (end < g->nrows && g->group[order[end]] == grp)
			end++;
		size_t n = end - k < XLSX_TYPE_ROWS ? end - k : XLSX_TYPE_ROWS;
		memmove(order + kept, order + k, n * sizeof *order);
		kept += n;
		if (end - k > n)
			xleft_types(left, end - k - n, grp ? catalog_label(grp) : NULL);
		k = end;
	}
	return kept;
}

/* The columns that tell a block's rows apart, frozen on screen and
 * repeated on paper: its first, and the group's before it (the window of a
 * per-window table) when it has one. */
static lxw_col_t key_columns(const grid *g)
{
	return g->nrows && g->group[0] ? 2 : 1;
}

/* One part's blocks from row; returns the next free row. Rows past the
 * sheet's last row (or the event-type cap) are counted in *left, not
 * written. The first block's chart, where the template asks for one, is
 * made into *chart, for the caller to place once the widths are known. */
static lxw_row_t write_part(xctx *x, lxw_worksheet *ws, const char *sheet, const layout_sheet *ls,
			    const grid_set *set, lxw_row_t row, double *widths, bool first,
			    xleft *left, lxw_chart **chart, unsigned *muted)
{
	for (size_t i = 0; i < set->n; i++) {
		const grid *g = &set->blocks[i];
		if (row + (g->title ? 1 : 0) >= x->last_row) {
			left->rows += g->nrows; /* no room for its header */
			left->full = true;
			continue;
		}
		if (g->title)
			xtext(x, ws, row++, 0, catalog_label(g->title), x->block_title);
		placed p = {.sheet = sheet, .header = row, .first = row + 1};
		p.order = xcalloc(g->nrows + 1, sizeof *p.order);
		block_order(ls, g, p.order);
		size_t n = ls->event_types ? cap_types(g, p.order, left) : g->nrows;
		p.shown = xrows_fit(p.first, n, x->last_row);
		left->rows += n - p.shown;
		left->full |= p.shown < n;
		p.last = p.first + (lxw_row_t)p.shown - 1;
		write_block(x, ws, g, &p, widths, muted);
		if (first && i == 0) {
			worksheet_freeze_panes(ws, p.header + 1, key_columns(g));
			if (ls->chart)
				*chart = add_chart(x, ls, g, &p);
		}
		if (ls->heatmap)
			heatmap(x, ws, ls, g, &p);
		if (ls->mark)
			mark_row(x, ws, ls, g, &p);
		free(p.order);
		row = (p.shown ? p.last : p.first) + 2;
	}
	return row;
}

/* The grids of the sheet's parts: path's, then each of paths' (NULL where
 * the tree lacks it); *nw gets the widest block's columns, plus one. */
static grid_set **part_grids(xctx *x, const layout_sheet *ls, size_t *nparts, size_t *nw)
{
	size_t n = 1 + (ls->paths ? g_strv_length(ls->paths) : 0);
	grid_set **sets = xcalloc(n, sizeof *sets);
	*nw = 1;
	for (size_t i = 0; i < n; i++) {
		const mval *v = mv_path(x->root, i == 0 ? ls->path : ls->paths[i - 1]);
		if (!v)
			continue;
		sets[i] = grid_build(v, i == 0 && ls->group_column ? ls->group_column : "group");
		for (size_t b = 0; b < sets[i]->n; b++) {
			/* a change's unit, and the columns the sheet's hide names */
			grid *g = &sets[i]->blocks[b];
			leave_out(g, unit_col(g));
			for (char **h = ls->hide; h && *h; h++)
				leave_out(g, grid_col(g, *h));
			if (g->ncols + 1 > *nw)
				*nw = g->ncols + 1;
		}
	}
	*nparts = n;
	return sets;
}

/* What the grey figures of a sheet are (the FEW_ bits of muted), in a
 * sentence or two; whole: with why they are grey. unit: what a row's
 * low_sample counts (the sheet's sample). Caller frees. */
static char *few_note_text(xctx *x, unsigned muted, bool whole, const char *unit)
{
	long min = changes_low_sample_min(x->root);
	GString *note = g_string_new(NULL);
	unsigned kinds = muted & (FEW_RATE | FEW_RATIO);
	if (kinds) {
		const char *what = kinds == FEW_RATE	? "rates"
				   : kinds == FEW_RATIO ? "ROI"
							: "rates and ROI";
		if (min == 1)
			g_string_append_printf(note, "Grey %s: no %s", what, unit);
		else if (min > 0)
			g_string_append_printf(note, "Grey %s: fewer than %ld %s", what, min, unit);
		else
			g_string_append_printf(note, "Grey %s: few %s", what, unit);
		g_string_append(note,
				whole ? " (Small sample); one case more or less moves them a lot."
				      : " (Small sample).");
	}
	if (muted & FEW_CASES) {
		if (note->len)
			g_string_append_c(note, ' ');
		if (min > 0)
			g_string_append_printf(note, "Grey: a figure on fewer than %ld cases", min);
		else
			g_string_append(note, "Grey: a figure on few cases");
		g_string_append(note, whole ? "; one case more or less moves it a lot." : ".");
	}
	if (muted & FEW_YOUNG) {
		if (note->len)
			g_string_append_c(note, ' ');
		g_string_append(note, "Grey in a row of a cohort still converting: this week's "
				      "figure, its change and how unusual it looks are not yet "
				      "comparable with earlier weeks'");
		g_string_append(note, whole ? " (see the Glossary's note on the KPI)." : ".");
	}
	return g_string_free(note, FALSE);
}

/* True when the part's tables credit revenue to channels or campaigns
 * (a revenue or ROI column beside one of them): what the attribution
 * model decides. */
static bool attributed_part(const grid_set *set)
{
	for (size_t b = 0; set && b < set->n; b++) {
		const grid *g = &set->blocks[b];
		bool by = grid_col(g, "channel") >= 0 || grid_col(g, "campaign") >= 0;
		if (by && (grid_col(g, "revenue") >= 0 || grid_col(g, "roi") >= 0))
			return true;
	}
	return false;
}

/* What the sheet's title says beside it: which attribution model its
 * revenue follows (REPORTS.md: wherever revenue and ROI appear), then what
 * its grey figures are. NULL when neither applies. Caller frees. */
static char *title_note(xctx *x, const layout_sheet *ls, unsigned muted, bool attributed)
{
	GString *say = g_string_new(NULL);
	if (attributed) {
		const char *model = mv_str_of(mv_path(x->root, "report.attribution"));
		char *words = catalog_model_words(model);
		g_string_append_printf(say, "Revenue and ROI by %s attribution.", words);
		g_free(words);
	}
	if (muted) {
		char *few = few_note_text(x, muted, true, ls->sample ? ls->sample : "MQLs");
		g_string_append_printf(say, "%s%s", say->len ? " " : "", few);
		free(few);
	}
	/* weeks before the exports begin: blank, not zero, and said why */
	const mval *rows = mv_path(x->root, ls->path);
	size_t before = 0;
	for (size_t i = 0; i < mv_len(rows); i++)
		before += mv_bool_of(mv_get(mv_at(rows, i), "before_data"));
	if (before)
		g_string_append_printf(say,
				       "%sBlank week%s: before the exports begin (no lead, spend, "
				       "MQL, SQL or win yet).",
				       say->len ? " " : "", before == 1 ? "" : "s");
	if (!say->len) {
		g_string_free(say, TRUE);
		return NULL;
	}
	return g_string_free(say, FALSE);
}

/* The sheet's title and its chart, over the rows above the tables. On a
 * sheet that prints over pages across, whose key columns repeat on every
 * page, both start right of them (a page across would show a slice of
 * each), and the chart ends where the first page does; elsewhere from
 * column A, at most as wide as the page. */
static void title_and_chart(xctx *x, lxw_worksheet *ws, const layout_sheet *ls,
			    const double *widths, size_t nw, lxw_col_t keys, lxw_chart *chart,
			    unsigned muted, bool attributed)
{
	bool across;
	double page = xfirst_page_width(x, widths, nw, &across);
	lxw_col_t at = across ? keys : 0;
	for (lxw_col_t c = 0; c < at; c++)
		page -= xcol_width(widths[c]);
	char *t = xasprintf("%s, %s", ls->title, x->week_short);
	char *say = title_note(x, ls, muted, attributed);
	if (say) { /* the model and what the grey figures below say, beside the title */
		/* the title at 14 points takes about 1.4 widths of a character
		 * each, the note at 9 about 0.85: wider than the first page, the
		 * note goes under the title in cells merged to the page's edge
		 * (beside it, a page across printed its end) */
		double need =
		    1.4 * (double)g_utf8_strlen(t, -1) + 0.85 * (double)g_utf8_strlen(say, -1);
		bool under = need > page;
		char *note = xasprintf(under ? "\n%s" : "    %s", say);
		free(say);
		lxw_rich_string_tuple title = {.format = x->title, .string = t};
		lxw_rich_string_tuple small = {.format = xfew_note(x), .string = note};
		lxw_rich_string_tuple *parts[] = {&title, &small, NULL};
		lxw_format *cell = NULL;
		if (under) {
			lxw_col_t last = at;
			double used = 0;
			for (size_t c = at; c < nw && used + xcol_width(widths[c]) <= page; c++) {
				used += xcol_width(widths[c]);
				last = (lxw_col_t)c;
			}
			cell = x->wrap;
			if (last > at)
				xcheck(x, worksheet_merge_range(ws, 0, at, 0, last, "", cell),
				       "merge_range");
			long lines = xwrapped_lines(note + 1, (long)(used / 0.85));
			xcheck(x, worksheet_set_row(ws, 0, 20 + 12 * (double)lines, NULL),
			       "set_row");
		}
		xcheck(x, worksheet_write_rich_string(ws, 0, at, parts, cell), "write_rich_string");
		free(note);
	} else {
		xtext(x, ws, 0, at, t, x->title);
	}
	free(t);
	if (!chart)
		return;
	/* a character of width is 7 pixels and more (each column has 5 of
	 * padding); the chart is 480 pixels wide unscaled */
	double scale = (page * 7 - 8) / 480;
	lxw_chart_options opt = {
	    .x_offset = 4, .y_offset = 4, .x_scale = scale < 1.6 ? scale : 1.6, .y_scale = 1.3};
	xcheck(x, worksheet_insert_chart_opt(ws, 1, at, chart, &opt), "insert_chart");
}

void xlsx_table_sheet(xctx *x, const layout_sheet *ls)
{
	const char *name;
	lxw_worksheet *ws = xsheet(x, ls->title, &name);
	if (!ws)
		return;
	size_t nparts, nw;
	grid_set **sets = part_grids(x, ls, &nparts, &nw);
	double *widths = xcalloc(nw + 1, sizeof *widths);
	lxw_row_t row = ls->chart ? CHART_ROWS + 2 : 2;
	lxw_row_t header = row;
	lxw_col_t keys = 1;
	for (size_t i = 0; i < nparts; i++)
		if (sets[i] &&
		    sets[i]->n) { /* the first block written, as write_part() freezes it */
			keys = key_columns(&sets[i]->blocks[0]);
			break;
		}
	bool first = true, attributed = false;
	unsigned muted = 0;
	size_t nblocks = 0;
	lxw_chart *chart = NULL;
	xleft left = {0};
	for (size_t i = 0; i < nparts; i++) {
		if (!sets[i])
			continue;
		if (i > 0 && !first && row < x->last_row) { /* a part below another: its title */
			char *t = mark_title(x, ls, sets[i], catalog_label(ls->paths[i - 1]));
			xtext(x, ws, row++, 0, t, x->block_title);
			free(t);
		}
		nblocks += sets[i]->n;
		attributed = attributed || attributed_part(sets[i]);
		row =
		    write_part(x, ws, name, ls, sets[i], row, widths, first, &left, &chart, &muted);
		first = false;
		grid_set_free(sets[i]);
	}
	free(sets);
	xrows_left_out(x, ws, row, &left);
	/* the print's width is that of the columns written: nw counted the
	 * blocks' columns that the sheet leaves out too, and those beyond the
	 * last written one would print as empty width */
	while (nw > 1 && widths[nw - 1] == 0)
		nw--;
	double total;
	xwidths(x, ws, widths, nw, &total);
	/* a column of names wider than a column can be (long campaign names)
	 * wraps them, each row as tall as its name's lines (write_block) */
	for (size_t c = 0; c < nw; c++)
		if (widths[c] > XLSX_COL_MAX)
			xcheck(x,
			       worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, XLSX_COL_MAX,
						    xname_wrap(x, false)),
			       "set_column");
	title_and_chart(x, ws, ls, widths, nw, keys, chart, muted, attributed);
	if (muted) { /* the note on every printed page, where the title is not */
		char *say = few_note_text(x, muted, false, ls->sample ? ls->sample : "MQLs");
		xfooter(x, ws, say);
		free(say);
	}
	/* the header row repeats on every printed page only where the sheet
	 * holds one table: on a sheet of several, a later page would show the
	 * first table's header over another table's rows */
	if (nblocks == 1)
		xprint(x, ws, total, header, header, keys);
	else
		xprint(x, ws, total, 1, 0, keys);
	free(widths);
}

/* The number format of key's values on a chart's axis (xlsx_int.h). */
const char *xaxis_format(xctx *x, const char *key, char *buf, size_t n)
{
	const cat_entry *e = key ? catalog_find(key) : NULL;
	switch (e ? e->format : CF_TEXT) {
	case CF_MONEY: {
		const char *m = xmoney_format(x, false, buf, n);
		if (m != buf) /* the bare digits of a currency without a code */
			snprintf(buf, n, "%s", m);
		return buf;
	}
	case CF_COUNT:
		return "#,##0";
	case CF_PERCENT:
	case CF_PERCENT0:
		return "#,##0%";
	default:
		return NULL;
	}
}

/* What a chart of the values columns of rows [r0, r1) (in written order)
 * draws: the largest magnitude, whether any value is other than 0, and
 * whether any is there at all (not null), for its axis and title. */
typedef struct drawn {
	double top;
	bool moved, any;
} drawn;

static drawn chart_drawn(const layout_sheet *ls, const grid *g, const placed *p, size_t r0,
			 size_t r1)
{
	drawn d = {0};
	for (char **v = ls->chart_values; *v; v++) {
		long col = grid_col(g, *v);
		for (size_t k = r0; col >= 0 && k < r1; k++) {
			const grid_cell *cell = grid_at(g, p->order[k], (size_t)col);
			double n = cell->v ? mv_num_of(cell->v) : NAN;
			if (!isfinite(n))
				continue;
			d.any = true;
			d.moved = d.moved || n != 0;
			d.top = fmax(d.top, fabs(n));
		}
	}
	return d;
}

/* Whether a figure of grid column col in rows [r0, r1) has no figure
 * beside it, where a line chart draws no line to it. */
static bool lone_point(const grid *g, const placed *p, long col, size_t r0, size_t r1)
{
	if (col < 0)
		return false;
	for (size_t k = r0; k < r1; k++) {
		bool here = false, near = false;
		for (size_t j = k > r0 ? k - 1 : k; j <= k + 1 && j < r1; j++) {
			const grid_cell *cell = grid_at(g, p->order[j], (size_t)col);
			bool is = cell->v && isfinite(mv_num_of(cell->v));
			if (j == k)
				here = is;
			else
				near = near || is;
		}
		if (here && !near)
			return true;
	}
	return false;
}

static lxw_chart *add_chart(xctx *x, const layout_sheet *ls, const grid *g, const placed *p)
{
	long cat = sheet_col(g, grid_col(g, ls->chart_category));
	if (cat < 0 || p->shown == 0)
		return NULL;
	size_t r0 = 0, r1 = p->shown; /* rows [r0, r1) in written order */
	if (ls->chart_group && g->group[0]) {
		while (r0 < p->shown && strcmp(g->group[p->order[r0]], ls->chart_group) != 0)
			r0++;
		r1 = r0;
		while (r1 < p->shown && strcmp(g->group[p->order[r1]], ls->chart_group) == 0)
			r1++;
	}
	if (ls->chart_rows > 0 && r1 - r0 > (size_t)ls->chart_rows)
		r1 = r0 + (size_t)ls->chart_rows;
	if (r0 >= r1)
		return NULL;
	uint8_t type = strcmp(ls->chart, "line") == 0  ? LXW_CHART_LINE
		       : strcmp(ls->chart, "bar") == 0 ? LXW_CHART_BAR
						       : LXW_CHART_COLUMN;
	lxw_chart *ch = workbook_add_chart(x->wb, type);
	int n = 0;
	static const uint32_t ink[] = {PALETTE_DARK, PALETTE_GREY, 0x0072B2, 0xE69F00};
	/* rates only (a share of 0 to 100%): their axis ends at 100%, and the bar
	 * of a row of few cases (its low_sample) is light, as its figures in the
	 * table are grey */
	bool rates = ls->chart_values[0] != NULL;
	for (char **v = ls->chart_values; *v; v++) {
		const cat_entry *e = catalog_find(*v);
		rates = rates && e && e->format == CF_PERCENT;
	}
	/* counts only: their axis in whole steps */
	bool counts = ls->chart_values[0] != NULL;
	for (char **v = ls->chart_values; *v; v++) {
		const cat_entry *e = catalog_find(*v);
		counts = counts && e && e->format == CF_COUNT;
	}
	long few = type == LXW_CHART_LINE || !rates ? -1 : grid_col(g, "low_sample");
	/* one measure by channel: each bar in its channel's colour, as on the
	 * Overview and in the PDF */
	long chan = type != LXW_CHART_LINE && ls->chart_values[0] && !ls->chart_values[1] &&
			    ls->chart_category && strcmp(ls->chart_category, "channel") == 0
			? grid_col(g, "channel")
			: -1;
	size_t npt = r1 - r0, nlight = 0;
	lxw_chart_fill *fills = xcalloc(npt, sizeof *fills);
	lxw_chart_line *edges = xcalloc(npt, sizeof *edges);
	lxw_chart_point *pts = xcalloc(npt, sizeof *pts);
	lxw_chart_point **pp = xcalloc(npt + 1, sizeof *pp);
	for (char **v = ls->chart_values; ch && *v; v++) {
		long col = sheet_col(g, grid_col(g, *v));
		lxw_chart_series *s = col < 0 ? NULL : chart_add_series(ch, NULL, NULL);
		if (!s)
			continue;
		lxw_row_t a = p->first + (lxw_row_t)r0, b = p->first + (lxw_row_t)(r1 - 1);
		chart_series_set_categories(s, p->sheet, a, (lxw_col_t)cat, b, (lxw_col_t)cat);
		chart_series_set_values(s, p->sheet, a, (lxw_col_t)col, b, (lxw_col_t)col);
		chart_series_set_name(s, catalog_label(*v));
		lxw_chart_fill fill = {.color = ink[n % 4]};
		lxw_chart_line line = {.color = ink[n % 4], .width = 2};
		if (type == LXW_CHART_LINE && lone_point(g, p, grid_col(g, *v), r0, r1)) {
			/* a line of a point between blanks (the one week of data after
			 * weeks before the exports) is invisible: the series is dotted */
			chart_series_set_line(s, &line);
			chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
			chart_series_set_marker_size(s, 7);
			chart_series_set_marker_fill(s, &fill);
			chart_series_set_marker_line(s, &line);
		} else if (type == LXW_CHART_LINE) {
			chart_series_set_line(s, &line);
			chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
		} else {
			chart_series_set_fill(s, &fill);
		}
		if (few >= 0 || chan >= 0) {
			nlight = 0;
			for (size_t k = 0; k < npt; k++) {
				size_t r = p->order[r0 + k];
				bool light = few >= 0 && few_row_of(g, few, r);
				const grid_cell *name =
				    chan >= 0 ? grid_at(g, r, (size_t)chan) : NULL;
				const char *t = !name	  ? NULL
						: name->v ? mv_str_of(name->v)
							  : name->text;
				fills[k].color = light ? PALETTE_LIGHT
						 : t   ? palette_channel_colour(x->root, t)
						       : ink[n % 4];
				pts[k] = (lxw_chart_point){.fill = &fills[k]};
				uint32_t edge = palette_edge(fills[k].color);
				if (edge != PALETTE_NO_EDGE) {
					edges[k] = (lxw_chart_line){.color = edge, .width = 0.75};
					pts[k].line = &edges[k];
				}
				pp[k] = &pts[k];
				nlight += light;
			}
			if (nlight || chan >= 0)
				chart_series_set_points(s, pp);
		}
		n++;
	}
	free(pp);
	free(pts);
	free(edges);
	free(fills);
	if (!ch || n == 0)
		return NULL;
	const char *title = ls->chart_title ? ls->chart_title : ls->title;
	char *with_few = NULL;
	drawn d = chart_drawn(ls, g, p, r0, r1);
	if (!d.moved) /* no bar or line off the axis: said, not left to be guessed */
		title = with_few = xasprintf("%s (nothing to show: %s)", title,
					     d.any ? "every figure is 0" : "no figures");
	else if (nlight)
		title = with_few =
		    xasprintf("%s (light: under %ld %s)", title, changes_low_sample_min(x->root),
			      ls->sample ? ls->sample : "MQLs");
	chart_title_set_name(ch, title);
	free(with_few);
	lxw_chart_font tf = {.size = 11, .bold = LXW_TRUE};
	chart_title_set_name_font(ch, &tf);
	char axis[64];
	const char *nf = ls->chart_num_format
			     ? ls->chart_num_format
			     : xaxis_format(x, ls->chart_values[0], axis, sizeof axis);
	lxw_chart_axis *value_axis = type == LXW_CHART_BAR ? ch->x_axis : ch->y_axis;
	if (nf)
		chart_axis_set_num_format(value_axis, nf);
	if (rates) { /* no tick past 100% (a spreadsheet's own scale went to 120%) */
		chart_axis_set_min(value_axis, 0);
		chart_axis_set_max(value_axis, 1);
	} else if (!d.moved) {
		/* nothing off the axis: a fixed 0 to 1, whose own scale of halves
		 * read "$0 $1 $1" or "0 1 1" in whole numbers */
		chart_axis_set_min(value_axis, 0);
		chart_axis_set_max(value_axis, 1);
		chart_axis_set_major_unit(value_axis, 1);
	} else if (counts && d.top < 10) {
		/* counts in whole steps: a spreadsheet's own are halves ("0.5 SQLs") */
		chart_axis_set_major_unit(value_axis, 1);
	}
	if (type == LXW_CHART_BAR) {
		chart_axis_set_reverse(ch->y_axis); /* the largest on top */
		/* every bar named, in a size that lets a dozen names fit */
		chart_axis_set_interval_unit(ch->y_axis, 1);
		lxw_chart_font small = {.size = 8};
		chart_axis_set_num_font(ch->y_axis, &small);
	}
	chart_legend_set_position(ch, n > 1 ? LXW_CHART_LEGEND_TOP : LXW_CHART_LEGEND_NONE);
	return ch;
}

/* Revenue by channel under all six attribution models side by side, each
 * figure with a bar in its cell on one scale for the whole table (the
 * PDF's grid of bars, and Few's table with bars in it): the configured
 * model's bars the darker grey, the others light (IBCS: what the report
 * uses darker; channels keep their own colours elsewhere, so the models do
 * not take them), both light enough for the figure over them to be read.
 * Six series of a clustered chart could not be told apart. */
#define ATTR_SCALE     2.4 /* the bars' scale: up to this times the largest revenue */
#define ATTR_BAR_USED  0x9E9E9E
#define ATTR_BAR_OTHER 0xDADADA
void xlsx_attribution(xctx *x, const layout_sheet *ls)
{
	static const char *const cols[] = {
	    "channel",		"revenue_first_touch", "revenue_last_touch", "revenue_linear",
	    "revenue_u_shaped", "revenue_w_shaped",    "revenue_time_decay"};
	const size_t nc = sizeof cols / sizeof cols[0];
	lxw_worksheet *ws = xsheet(x, ls->title, NULL);
	const mval *rows = mv_path(x->root, ls->path);
	if (!ws)
		return;
	const char *model = mv_str_of(mv_get(mv_get(x->root, "report"), "attribution"));
	char *words = catalog_model_words(model);
	char *t = xasprintf("Revenue by channel under each attribution model, last 13 weeks "
			    "(the report uses %s)",
			    words);
	xtext(x, ws, 0, 0, t, x->title);
	free(t);
	t = xasprintf("Every bar on one scale, the largest revenue of the table reaching close to "
		      "half its cell, left of its figure; %s, the report's model, in the darker "
		      "grey.",
		      words);
	xtext(x, ws, 1, 0, t, x->subtitle);
	free(t);
	g_free(words);
	lxw_row_t hr = 3;
	double widths[7] = {0}, largest = 0, figure = 0; /* figure: the widest revenue's */
	unsigned char seen[7] = {0};
	char **headers = xheaders((char **)cols, nc);
	for (size_t r = 0; r < mv_len(rows); r++)
		for (size_t c = 0; c < nc; c++) {
			const mval *v = mv_get(mv_at(rows, r), cols[c]);
			double w = xvalue(x, ws, hr + 1 + (lxw_row_t)r, (lxw_col_t)c, v, cols[c]);
			widths[c] = w > widths[c] ? w : widths[c];
			if (c > 0)
				figure = fmax(figure, w);
			xcount_kind(v, c, seen);
			double d = c > 0 ? mv_num_of(v) : NAN;
			largest = isfinite(d) && d > largest ? d : largest;
		}
	double model_w = 0; /* one width for the six: a bar is a share of its cell */
	for (size_t c = 0; c < nc; c++)
		widths[c] = fmax(widths[c], 0.9 * (double)g_utf8_strlen(headers[c], -1) + 3);
	for (size_t c = 1; c < nc; c++)
		model_w = fmax(model_w, widths[c]);
	/* the bars end at under half the cell (their scale ends at
	 * ATTR_SCALE times the largest revenue), and the widest figure takes
	 * under half of it, right-aligned: no bar runs under a figure's digits */
	model_w = fmax(model_w, 2.2 * figure + 2);
	for (size_t c = 1; c < nc; c++)
		widths[c] = model_w;
	lxw_row_t last = hr + (lxw_row_t)mv_len(rows);
	xseen_declared((char **)cols, nc, seen);
	xtable(x, ws, hr, last, 0, headers, nc, seen);
	g_strfreev(headers);
	worksheet_freeze_panes(ws, hr + 1, 1);
	for (size_t c = 1; c < nc && mv_len(rows) && largest > 0; c++) {
		/* without the setting in the tree, first touch, as the title says */
		bool used =
		    strcmp(cols[c] + strlen("revenue_"), model ? model : "first_touch") == 0;
		lxw_conditional_format bar = {.type = LXW_CONDITIONAL_DATA_BAR,
					      .bar_color = used ? ATTR_BAR_USED : ATTR_BAR_OTHER,
					      .bar_solid = LXW_TRUE,
					      .bar_no_border = LXW_TRUE,
					      .min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
					      .min_value = 0,
					      .max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
					      .max_value = ATTR_SCALE * largest};
		xcheck(x,
		       worksheet_conditional_format_range(ws, hr + 1, (lxw_col_t)c, last,
							  (lxw_col_t)c, &bar),
		       "conditional_format");
	}
	double total;
	xwidths(x, ws, widths, nc, &total);
	xprint(x, ws, total, hr, hr, 1);
}
