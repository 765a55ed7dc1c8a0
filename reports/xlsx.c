/* xlsx.c — the executive workbook (SPEC §7) with libxlsxwriter. */
#include "xlsx.h"

#include <ctype.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <xlsxwriter.h>

#include "afile.h"
#include "grid.h"
#include "json.h"
#include "layout.h"
#include "numfmt.h"
#include "reports.h"

#define MAX_CELL_TEXT 32767 /* Excel's limit on a cell's characters */
#define NFMT	      (MF_SCORE + 1)

typedef struct xctx {
	lxw_workbook *wb;
	const mval *root;
	const char *currency;
	lxw_format *num[NFMT][2]; /* [mv_fmt][integral] */
	lxw_format *header, *title, *subtitle, *block_title, *datetime, *good, *bad;
	char **names; /* sheet names in use */
	size_t nnames;
	lxw_error lerr; /* the first libxlsxwriter error */
	const char *lerr_what;
} xctx;

/* remember the first error of a libxlsxwriter call */
static void xcheck(xctx *x, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR && x->lerr == LXW_NO_ERROR) {
		x->lerr = e;
		x->lerr_what = what;
	}
}

const char *xlsx_num_format(mv_fmt f, bool integral, const char *currency, char *buf, size_t n)
{
	switch (f) {
	case MF_COUNT:
		return integral ? "#,##0" : "#,##0.00";
	case MF_MONEY: {
		const char *sym = numfmt_currency_symbol(currency);
		if (sym) {
			snprintf(buf, n, "\"%s\"#,##0.00", sym);
			return buf;
		}
		/* an unknown code follows the number; only letters reach the format */
		char code[9] = {0};
		size_t k = 0;
		for (const char *c = currency ? currency : ""; *c && k < 8; c++)
			if (isalpha((unsigned char)*c))
				code[k++] = (char)toupper((unsigned char)*c);
		if (k == 0)
			return "#,##0.00";
		snprintf(buf, n, "#,##0.00 \"%s\"", code);
		return buf;
	}
	case MF_RATE:
		return "0.0%";
	case MF_CHANGE:
		return "+0.0%;-0.0%;0.0%";
	case MF_DAYS:
		return "0.0 \"d\"";
	case MF_MINUTES:
		return "0.0 \"min\"";
	case MF_RATIO:
		return "0.00";
	case MF_SCORE:
		return integral ? "0" : "0.0";
	case MF_PLAIN:
	default:
		return NULL;
	}
}

static void make_formats(xctx *x)
{
	for (int f = 0; f < NFMT; f++) {
		for (int integral = 0; integral < 2; integral++) {
			char buf[64];
			const char *nf =
			    xlsx_num_format((mv_fmt)f, integral, x->currency, buf, sizeof buf);
			if (!nf)
				continue;
			lxw_format *fm = workbook_add_format(x->wb);
			format_set_num_format(fm, nf);
			x->num[f][integral] = fm;
		}
	}
	x->header = workbook_add_format(x->wb);
	format_set_bold(x->header);
	format_set_bottom(x->header, LXW_BORDER_THIN);
	format_set_bg_color(x->header, 0xDDE4EE);
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 14);
	x->subtitle = workbook_add_format(x->wb);
	format_set_font_color(x->subtitle, 0x555555);
	x->block_title = workbook_add_format(x->wb);
	format_set_bold(x->block_title);
	format_set_font_size(x->block_title, 12);
	x->datetime = workbook_add_format(x->wb);
	format_set_num_format(x->datetime, "yyyy-mm-dd hh:mm:ss \"UTC\"");
	x->good = workbook_add_format(x->wb);
	format_set_font_color(x->good, 0x006100);
	format_set_bg_color(x->good, 0xC6EFCE);
	x->bad = workbook_add_format(x->wb);
	format_set_font_color(x->bad, 0x9C0006);
	format_set_bg_color(x->bad, 0xFFC7CE);
}

/* Text fit for a cell: valid UTF-8, at most Excel's length. Caller frees. */
static char *cell_text(const char *s)
{
	char *valid = g_utf8_make_valid(s, -1);
	if (g_utf8_strlen(valid, -1) > MAX_CELL_TEXT) {
		char *end = g_utf8_offset_to_pointer(valid, MAX_CELL_TEXT);
		*end = '\0';
	}
	char *out = xstrdup(valid);
	g_free(valid);
	return out;
}

static void write_text(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		       lxw_format *fm)
{
	char *t = cell_text(s);
	xcheck(x, worksheet_write_string(ws, r, c, t, fm), "write_string");
	free(t);
}

/* Write one cell; returns the width its text wants (characters). */
static double write_cell(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
			 const grid_cell *cell)
{
	char shown[256];
	if (!cell->v) {
		if (cell->text) {
			write_text(x, ws, r, c, cell->text, NULL);
			return (double)g_utf8_strlen(cell->text, -1);
		}
		return 0;
	}
	const mval *v = cell->v;
	mv_fmt f = mv_fmt_of(v);
	if (f >= NFMT)
		f = MF_PLAIN;
	switch (mv_kind_of(v)) {
	case MV_NULL:
		/* an empty cell that still carries the column's format */
		if (x->num[f][0])
			xcheck(x, worksheet_write_blank(ws, r, c, x->num[f][0]), "write_blank");
		return 0;
	case MV_BOOL:
		xcheck(x, worksheet_write_boolean(ws, r, c, mv_bool_of(v), NULL), "write_boolean");
		return 5;
	case MV_INT:
	case MV_NUM: {
		bool integral = mv_kind_of(v) == MV_INT;
		xcheck(x, worksheet_write_number(ws, r, c, mv_num_of(v), x->num[f][integral]),
		       "write_number");
		numfmt_value(v, x->currency, shown, sizeof shown);
		return (double)g_utf8_strlen(shown, -1) + 1;
	}
	case MV_STR:
		write_text(x, ws, r, c, mv_str_of(v), NULL);
		return (double)g_utf8_strlen(mv_str_of(v), -1);
	case MV_TIME: {
		ts_ms t = mv_time_of(v);
		time_t secs = (time_t)(t / 1000 - (t % 1000 < 0 ? 1 : 0));
		struct tm tm;
		if (!gmtime_r(&secs, &tm))
			return 0;
		lxw_datetime dt = {.year = tm.tm_year + 1900,
				   .month = tm.tm_mon + 1,
				   .day = tm.tm_mday,
				   .hour = tm.tm_hour,
				   .min = tm.tm_min,
				   .sec = tm.tm_sec};
		xcheck(x, worksheet_write_datetime(ws, r, c, &dt, x->datetime), "write_datetime");
		return 24;
	}
	default: {
		char *s = json_compact(v);
		write_text(x, ws, r, c, s, NULL);
		double w = (double)g_utf8_strlen(s, -1);
		g_free(s);
		return w;
	}
	}
}

typedef struct placed {
	lxw_row_t header;      /* row of the header */
	lxw_row_t first, last; /* data rows; last < first when none */
} placed;

/* The last row a sheet has (Excel's limit, 0-based). */
#define XLSX_LAST_ROW (LXW_ROW_MAX - 1)

/* Write a block at row; returns the next free row. widths has ncols entries.
 * Rows past the sheet's last row are left out, and the last row says how
 * many (metrics.json has them all). */
static lxw_row_t write_grid(xctx *x, lxw_worksheet *ws, const grid *g, lxw_row_t row,
			    double *widths, placed *pos)
{
	*pos = (placed){.header = row, .first = row, .last = row - 1};
	if (row + 3 > XLSX_LAST_ROW)
		return row; /* no room for a title, a header and the note */
	if (g->title) {
		write_text(x, ws, row, 0, g->title, x->block_title);
		row++;
	}
	pos->header = row;
	for (size_t c = 0; c < g->ncols; c++) {
		write_text(x, ws, row, (lxw_col_t)c, g->cols[c], x->header);
		double w =
		    (double)g_utf8_strlen(g->cols[c], -1) + 3; /* room for the filter button */
		if (w > widths[c])
			widths[c] = w;
	}
	row++;
	pos->first = row;
	size_t room = XLSX_LAST_ROW - row; /* rows left, the note's kept apart */
	size_t shown = g->nrows <= room + 1 ? g->nrows : room;
	for (size_t r = 0; r < shown; r++, row++) {
		for (size_t c = 0; c < g->ncols; c++) {
			double w = write_cell(x, ws, row, (lxw_col_t)c, grid_at(g, r, c)) + 2;
			if (w > widths[c])
				widths[c] = w;
		}
	}
	pos->last = row - 1;
	if (shown < g->nrows) {
		char *note =
		    xasprintf("… and %zu more rows: the sheet is full (metrics.json has all)",
			      g->nrows - shown);
		write_text(x, ws, row++, 0, note, NULL);
		free(note);
	}
	return row;
}

/* A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique
 * (case-insensitively) in the workbook. Returns a name owned by x. */
static const char *sheet_name(xctx *x, const char *want)
{
	char base[128];
	snprintf(base, sizeof base, "%s", want && *want ? want : "Sheet");
	for (char *c = base; *c; c++)
		if (strchr("[]:*?/\\", *c))
			*c = '_';
	if (base[0] == '\'')
		base[0] = '_';
	char *valid = g_utf8_make_valid(base, -1);
	for (int n = 1;; n++) {
		char suffix[16] = "";
		if (n > 1)
			snprintf(suffix, sizeof suffix, " %d", n);
		glong room = 31 - (glong)strlen(suffix);
		char *cut = g_utf8_substring(valid, 0, MIN(g_utf8_strlen(valid, -1), room));
		char *name = xasprintf("%s%s", cut, suffix);
		g_free(cut);
		size_t len = strlen(name);
		while (len && name[len - 1] == '\'')
			name[--len] = '\0';
		bool taken = false;
		for (size_t i = 0; i < x->nnames; i++)
			if (strcasecmp(x->names[i], name) == 0)
				taken = true;
		if (!taken) {
			g_free(valid);
			x->names = xrealloc(x->names, (x->nnames + 1) * sizeof *x->names);
			x->names[x->nnames++] = name;
			return name;
		}
		free(name);
	}
}

static bool in_list(char **list, const char *s)
{
	for (char **p = list; p && *p && s; p++)
		if (strcmp(*p, s) == 0)
			return true;
	return false;
}

/* The change column: green where the metric got better, red where worse. */
static void highlight(xctx *x, lxw_worksheet *ws, const layout_sheet *ls, const grid *g,
		      const placed *pos)
{
	long hc = grid_col(g, ls->highlight);
	long kc = ls->highlight_key ? grid_col(g, ls->highlight_key) : -1;
	long nc = ls->highlight_now ? grid_col(g, ls->highlight_now) : -1;
	long bc = ls->highlight_before ? grid_col(g, ls->highlight_before) : -1;
	if (hc < 0)
		return;
	for (size_t r = 0; r < g->nrows && pos->first + r <= pos->last; r++) {
		const char *key = NULL;
		if (kc >= 0) {
			const grid_cell *k = grid_at(g, r, (size_t)kc);
			key = k->v ? mv_str_of(k->v) : k->text;
		}
		if (in_list(ls->neutral, key))
			continue;
		bool lower = in_list(ls->lower_is_better, key);
		lxw_conditional_format up = {.type = LXW_CONDITIONAL_TYPE_CELL,
					     .criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN,
					     .value = 0,
					     .format = lower ? x->bad : x->good};
		lxw_conditional_format down = up;
		down.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN;
		down.format = lower ? x->good : x->bad;
		lxw_row_t row = pos->first + (lxw_row_t)r;
		char rise[160], fall[160];
		if (nc >= 0 && bc >= 0) {
			/* up or down is now against before, both numbers */
			char now[16], before[16];
			lxw_rowcol_to_cell_abs(now, row, (lxw_col_t)nc, 0, 1);
			lxw_rowcol_to_cell_abs(before, row, (lxw_col_t)bc, 0, 1);
			snprintf(rise, sizeof rise, "=AND(ISNUMBER(%s),ISNUMBER(%s),%s>%s)", now,
				 before, now, before);
			snprintf(fall, sizeof fall, "=AND(ISNUMBER(%s),ISNUMBER(%s),%s<%s)", now,
				 before, now, before);
			up.type = down.type = LXW_CONDITIONAL_TYPE_FORMULA;
			up.criteria = down.criteria = LXW_CONDITIONAL_CRITERIA_NONE;
			up.value_string = rise;
			down.value_string = fall;
		}
		xcheck(x, worksheet_conditional_format_cell(ws, row, (lxw_col_t)hc, &up),
		       "conditional_format");
		xcheck(x, worksheet_conditional_format_cell(ws, row, (lxw_col_t)hc, &down),
		       "conditional_format");
	}
}

/* A native chart of the first block, to the right of it. */
static void add_chart(xctx *x, lxw_worksheet *ws, const char *sheet, const layout_sheet *ls,
		      const grid *g, const placed *pos)
{
	long cat = grid_col(g, ls->chart_category);
	if (cat < 0 || g->nrows == 0)
		return;
	size_t r0 = 0, r1 = g->nrows; /* rows [r0, r1) of the grid */
	bool grouped = g->nrows && g->group[0];
	if (ls->chart_group && grouped) {
		size_t r = 0;
		while (r < g->nrows && (!g->group[r] || strcmp(g->group[r], ls->chart_group) != 0))
			r++;
		r0 = r;
		while (r < g->nrows && g->group[r] && strcmp(g->group[r], ls->chart_group) == 0)
			r++;
		r1 = r;
	}
	if (r1 > (size_t)(pos->last + 1 - pos->first))
		r1 = (size_t)(pos->last + 1 - pos->first); /* the rows the sheet holds */
	if (r0 >= r1)
		return;
	uint8_t type = strcmp(ls->chart, "line") == 0  ? LXW_CHART_LINE
		       : strcmp(ls->chart, "bar") == 0 ? LXW_CHART_BAR
						       : LXW_CHART_COLUMN;
	lxw_chart *ch = NULL;
	int nseries = 0;
	for (char **v = ls->chart_values; *v; v++) {
		long col = grid_col(g, *v);
		if (col < 0)
			continue;
		if (!ch)
			ch = workbook_add_chart(x->wb, type);
		if (!ch) {
			xcheck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add_chart");
			return;
		}
		lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
		if (!s) {
			xcheck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "chart_add_series");
			return;
		}
		lxw_row_t a = pos->first + (lxw_row_t)r0, b = pos->first + (lxw_row_t)(r1 - 1);
		chart_series_set_categories(s, sheet, a, (lxw_col_t)cat, b, (lxw_col_t)cat);
		chart_series_set_values(s, sheet, a, (lxw_col_t)col, b, (lxw_col_t)col);
		chart_series_set_name_range(s, sheet, pos->header, (lxw_col_t)col);
		if (type == LXW_CHART_LINE)
			chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
		nseries++;
	}
	if (!ch)
		return;
	if (ls->chart_title)
		chart_title_set_name(ch, ls->chart_title);
	if (ls->chart_num_format)
		chart_axis_set_num_format(type == LXW_CHART_BAR ? ch->x_axis : ch->y_axis,
					  ls->chart_num_format);
	chart_legend_set_position(ch,
				  nseries > 1 ? LXW_CHART_LEGEND_BOTTOM : LXW_CHART_LEGEND_NONE);
	lxw_chart_options opt = {.x_offset = 10, .y_offset = 0, .x_scale = 1.5, .y_scale = 1.4};
	xcheck(x, worksheet_insert_chart_opt(ws, pos->header, (lxw_col_t)(g->ncols + 1), ch, &opt),
	       "insert_chart");
}

/* Week, time zone, currency and instants of the report, above the table. */
static lxw_row_t banner(xctx *x, lxw_worksheet *ws)
{
	const mval *rep = mv_get(x->root, "report");
	const char *week = mv_str_of(mv_get(rep, "week"));
	const char *tz = mv_str_of(mv_get(rep, "timezone"));
	char asof[64];
	numfmt_value(mv_get(rep, "as_of"), NULL, asof, sizeof asof);
	char *t = xasprintf("Marketing funnel report, week %s", week ? week : "?");
	write_text(x, ws, 0, 0, t, x->title);
	free(t);
	/* not generated_at: the banner stays the same for the same week */
	t = xasprintf("Time zone %s · currency %s · as of %s", tz ? tz : "UTC", x->currency, asof);
	write_text(x, ws, 1, 0, t, x->subtitle);
	free(t);
	return 3;
}

static void write_sheet(xctx *x, const mval *v, const layout_sheet *ls, const char *title,
			const char *group_col)
{
	const char *name = sheet_name(x, title);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws) {
		xcheck(x, LXW_ERROR_SHEETNAME_ALREADY_USED, "add_worksheet");
		return;
	}
	/* printed: landscape, every column on one page wide */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	grid_set *set = grid_build(v, group_col);
	size_t maxcols = 1;
	for (size_t i = 0; i < set->n; i++)
		if (set->blocks[i].ncols > maxcols)
			maxcols = set->blocks[i].ncols;
	double *widths = xcalloc(maxcols, sizeof *widths);
	lxw_row_t row = ls && ls->banner ? banner(x, ws) : 0;
	for (size_t i = 0; i < set->n; i++) {
		const grid *g = &set->blocks[i];
		placed pos;
		row = write_grid(x, ws, g, row, widths, &pos) + 1;
		if (i > 0)
			continue;
		/* the first block's header stays in view and filters */
		worksheet_freeze_panes(ws, pos.header + 1, g->is_table ? 0 : 1);
		if (g->ncols && pos.last >= pos.first)
			xcheck(x,
			       worksheet_autofilter(ws, pos.header, 0, pos.last,
						    (lxw_col_t)(g->ncols - 1)),
			       "autofilter");
		if (ls && ls->highlight)
			highlight(x, ws, ls, g, &pos);
		if (ls && ls->chart)
			add_chart(x, ws, name, ls, g, &pos);
	}
	for (size_t c = 0; c < maxcols; c++) {
		double w = widths[c] < 8 ? 8 : widths[c] > 60 ? 60 : widths[c];
		xcheck(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL),
		       "set_column");
	}
	free(widths);
	grid_set_free(set);
}

/* True when a template sheet shows the top-level key (or a part of it). */
static bool covered(const layout_workbook *lw, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; i < lw->nsheets; i++) {
		const char *p = lw->sheets[i].path;
		if (strncmp(p, key, n) == 0 && (p[n] == '\0' || p[n] == '.'))
			return true;
	}
	return false;
}

/* Document properties: the same report gives the same bytes, so the
 * creation time is as_of, never the clock. */
static void set_properties(xctx *x, const mval *rep)
{
	ts_ms created = mv_time_of(mv_get(rep, "as_of"));
	const char *week = mv_str_of(mv_get(rep, "week"));
	char *doc_title = xasprintf("Marketing funnel report %s", week ? week : "");
	lxw_doc_properties props = {
	    .title = doc_title,
	    .subject = "Marketing funnel metrics",
	    .created = created == TS_NONE ? 1 : (time_t)(created / 1000),
	};
	xcheck(x, workbook_set_properties(x->wb, &props), "set_properties");
	free(doc_title);
}

/* The template's sheets, then the rest of the tree, each part on a sheet
 * named after its key ("fit_bands" → "Fit bands"), in tree order. */
static void write_sheets(xctx *x, const layout_workbook *lw)
{
	const mval *root = x->root;
	for (size_t i = 0; i < lw->nsheets; i++) {
		const layout_sheet *ls = &lw->sheets[i];
		const mval *v = mv_path(root, ls->path);
		if (v)
			write_sheet(x, v, ls, ls->title, ls->group_column);
	}
	for (size_t i = 0; i < mv_len(root); i++) {
		const char *key = mv_key(root, i);
		if (!key || covered(lw, key))
			continue;
		char *title = xstrdup(key);
		for (char *c = title; *c; c++)
			if (*c == '_')
				*c = ' ';
		title[0] = (char)toupper((unsigned char)title[0]);
		write_sheet(x, mv_at(root, i), NULL, title, "group");
		free(title);
	}
}

static void xctx_clear(xctx *x)
{
	if (x->wb)
		workbook_close(x->wb);
	x->wb = NULL;
	for (size_t i = 0; i < x->nnames; i++)
		free(x->names[i]);
	free(x->names);
}

int report_xlsx_write(const mval *root, const char *path, mq_err *err)
{
	xctx x = {.root = root};
	layout_workbook *lw = layout_workbook_parse(layout_tpl_workbook, "workbook.ini", err);
	if (!lw)
		return -1;
	x.currency = mv_str_of(mv_get(mv_get(root, "report"), "currency"));
	if (!x.currency)
		x.currency = "USD";
	afile *af = afile_open(path, err);
	if (!af)
		goto fail;
	x.wb = workbook_new(afile_temp_path(af));
	if (!x.wb) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot create the workbook", path);
		goto fail;
	}
	set_properties(&x, mv_get(root, "report"));
	make_formats(&x);
	write_sheets(&x, lw);
	lxw_error close_rc = workbook_close(x.wb);
	x.wb = NULL;
	if (x.lerr != LXW_NO_ERROR) {
		mq_err_set(err, MQ_CANTCREAT, "%s: %s: %s", path, x.lerr_what,
			   lxw_strerror(x.lerr));
		goto fail;
	}
	if (close_rc != LXW_NO_ERROR) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write the workbook: %s", path,
			   lxw_strerror(close_rc));
		goto fail;
	}
	xctx_clear(&x);
	layout_workbook_free(lw);
	return afile_commit(af, err);
fail:
	xctx_clear(&x);
	afile_abort(af);
	layout_workbook_free(lw);
	return -1;
}
