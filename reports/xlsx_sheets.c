/* xlsx_sheets.c — the workbook's drill-down sheets (this week's MQLs, SQLs
 * and wins, one row per lead), the Data quality sheet in plain words and
 * the Glossary (the catalogue's definitions and the report's settings).
 *
 * Renders only: what a row holds comes from the tree and the catalogue. */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "weekdates.h"
#include "xlsx_int.h"

/* The widest a drill-down's column gets: a longer name (a campaign's, a
 * job title) wraps in it. */
#define DRILL_COL_MAX 40.0

/* Row `row`'s value of column c (rows usually hold the columns in the
 * template's order: no search then). */
static const mval *row_value(const mval *row, char **cols, size_t c)
{
	const char *k = c < mv_len(row) ? mv_key(row, c) : NULL;
	return k && strcmp(k, cols[c]) == 0 ? mv_at(row, c) : mv_get(row, cols[c]);
}

/* The first `shown` rows' cells below header row hr, read from the table
 * (an array, or rows kept outside the tree), widening widths to theirs;
 * seen, when not NULL, gets the kinds of each column's values. ws NULL:
 * only measured, nothing written. wrap_at > 0: each row written is first
 * made as tall as its longest name wraps into in a column that wide (a
 * streamed sheet takes a row's height before its cells). */
static void table_cells(xctx *x, lxw_worksheet *ws, lxw_row_t hr, const mval *rows, size_t shown,
			char **cols, size_t nc, const cat_entry **e, double *widths,
			unsigned char *seen, double wrap_at)
{
	mv_cursor cur = mv_cursor_of(rows);
	for (size_t r = 0; r < shown; r++) {
		const mval *row = mv_next(&cur);
		lxw_row_t at = hr + 1 + (lxw_row_t)r;
		long lines = 1;
		for (size_t c = 0; ws && wrap_at > 0 && c < nc; c++) {
			const mval *v = row_value(row, cols, c);
			if (v && mv_kind_of(v) == MV_STR)
				lines = MAX(
				    lines, xname_lines(catalog_words(e[c], mv_str_of(v)), wrap_at));
		}
		if (ws)
			xname_rows(x, ws, at, lines);
		for (size_t c = 0; c < nc; c++) {
			const mval *v = row_value(row, cols, c);
			double w = v ? xvalue_e(x, ws, at, (lxw_col_t)c, v, e[c], widths[c]) : 0;
			widths[c] = fmax(widths[c], w);
			if (seen)
				xcount_kind(v, c, seen);
		}
	}
	mv_cursor_close(&cur);
}

/* Rows of objects as one Excel table at row hr, columns cols; returns the
 * row after the table. types_left: event types the rows already leave out
 * (the cap), said under the table with the rows the sheet has no room for. */
static lxw_row_t rows_table(xctx *x, lxw_worksheet *ws, lxw_row_t hr, const mval *rows, char **cols,
			    size_t nc, double *widths, size_t types_left)
{
	char **headers = xheaders(cols, nc);
	for (size_t c = 0; c < nc; c++) {
		widths[c] = fmax(widths[c], xheader_width(headers[c]));
	}
	size_t shown = xrows_fit(hr + 1, mv_len(rows), x->last_row);
	const cat_entry **e = xcalloc(nc, sizeof *e);
	unsigned char *seen = xcalloc(nc, sizeof *seen);
	for (size_t c = 0; c < nc; c++)
		e[c] = catalog_find(cols[c]);
	table_cells(x, ws, hr, rows, shown, cols, nc, e, widths, seen, 0);
	free(e);
	lxw_row_t last = hr + (lxw_row_t)shown;
	xseen_declared(cols, nc, seen);
	xtable(x, ws, hr, last, 0, headers, nc, seen);
	free(seen);
	g_strfreev(headers);
	xleft left = {.rows = mv_len(rows) - shown, .full = shown < mv_len(rows)};
	if (types_left)
		xleft_types(&left, types_left, NULL);
	if (left.rows) {
		xrows_left_out(x, ws, last + 1, &left);
		return last + 3;
	}
	return (last > hr ? last : hr + 1) + 2;
}

/* Whether a column holds words (left-aligned) by the catalogue's unit; a
 * column the catalogue lacks counts as words. */
static bool words_column(const char *key)
{
	const cat_entry *e = catalog_find(key);
	return !e || !e->unit || strcmp(e->unit, "text") == 0;
}

/* A drill-down sheet has a row per lead of the week, as many as the week
 * has: it is streamed (xsheet_streamed), so that the workbook's memory does
 * not grow with them. Its rows are read twice, once to measure the columns
 * and once to write the cells in order; the header row gets the formats
 * an Excel table's would, and a filter. */
void xlsx_drilldown(xctx *x, const layout_sheet *ls)
{
	char **cols = ls->columns; /* the template's (layout.c requires them) */
	const size_t nc = g_strv_length(cols);
	lxw_worksheet *ws = xsheet_streamed(x, ls->title);
	if (!ws)
		return;
	const mval *rows = mv_path(x->root, ls->path);
	const lxw_row_t hr = 3;
	char **headers = xheaders(cols, nc);
	double *widths = xcalloc(nc, sizeof *widths);
	for (size_t c = 0; c < nc; c++)
		widths[c] = xheader_width(headers[c]);
	const cat_entry **e = xcalloc(nc, sizeof *e);
	unsigned char *seen = xcalloc(nc, sizeof *seen);
	for (size_t c = 0; c < nc; c++)
		e[c] = catalog_find(cols[c]);
	size_t shown = xrows_fit(hr + 1, mv_len(rows), x->last_row);
	table_cells(x, NULL, hr, rows, shown, cols, nc, e, widths, seen, 0);
	xseen_declared(cols, nc, seen);
	/* a column of longer names (a campaign's of 80 characters) is as wide
	 * as a column gets here and wraps them */
	bool *wrap = xcalloc(nc, sizeof *wrap);
	for (size_t c = 0; c < nc; c++)
		if (widths[c] + 1 > DRILL_COL_MAX) { /* xname_lines()'s test, padding and all */
			widths[c] = DRILL_COL_MAX;
			wrap[c] = true;
		}

	double total;
	xwidths(x, ws, widths, nc, &total);
	/* a name after a right-aligned time or count indented, clear of it
	 * ("2026-11-12 21:35 UTC webinar" read as one value), and its header
	 * with it ("Company size (employees)Industry") */
	bool *clear = xcalloc(nc, sizeof *clear);
	for (size_t i = 0; i < nc; i++) {
		lxw_col_t c = (lxw_col_t)i;
		clear[i] = i > 0 && words_column(cols[i]) && !words_column(cols[i - 1]);
		if (!clear[i] && !wrap[i])
			continue;
		double w = xcol_width(widths[c]) + (clear[i] ? 1 : 0);
		lxw_format *f = wrap[i] ? xname_wrap(x, clear[i]) : x->text_clear;
		xcheck(x, worksheet_set_column(ws, c, c, w, f), "set_column");
		total += clear[i] ? 1 : 0;
	}
	/* over pages across, the lead id repeats on every page: the title and
	 * its lines right of it, else a page across shows a slice of them;
	 * decided on the widths xprint() is given, the clear columns' too */
	lxw_col_t at = xprints_across(x, total) ? 1 : 0;
	char *t = xasprintf("%s: %zu lead%s, %s", ls->title, mv_len(rows),
			    mv_len(rows) == 1 ? "" : "s", x->week_short);
	xtext(x, ws, 0, at, t, x->title);
	free(t);
	xtext(x, ws, 1, at,
	      "The leads behind the Overview's count, one row each; times in UTC. "
	      "Back to the Overview: the first sheet.",
	      x->subtitle);
	xtext(x, ws, 2, at,
	      "Score, fit and engagement as of the week's end: an MQL's may be under the "
	      "threshold, decayed since, or its MQL moment the CRM's.",
	      x->subtitle);
	xheader_height(x, ws, hr, headers, nc);
	for (size_t c = 0; c < nc; c++)
		xtext(x, ws, hr, (lxw_col_t)c, headers[c],
		      clear[c]			? x->header_clear
		      : seen[c] == XSEEN_NUMBER ? x->header_num
		      : seen[c] == XSEEN_YESNO	? x->header_mid
						: x->header);
	table_cells(x, ws, hr, rows, shown, cols, nc, e, widths, NULL, DRILL_COL_MAX);
	lxw_row_t last = hr + (lxw_row_t)shown;
	xcheck(x, worksheet_autofilter(ws, hr, 0, last, (lxw_col_t)(nc - 1)), "autofilter");
	xleft left = {.rows = mv_len(rows) - shown, .full = shown < mv_len(rows)};
	if (left.rows)
		xrows_left_out(x, ws, last + 1, &left);
	worksheet_freeze_panes(ws, 4, 1);
	xprint(x, ws, total, 3, 3, 1);
	free(clear);
	free(wrap);
	free(seen);
	free(e);
	free(widths);
	g_strfreev(headers);
}

/* A copy of a scalar of the tree (a health row's value or limit). */
static mval *scalar_copy(const mval *v)
{
	switch (mv_kind_of(v)) {
	case MV_BOOL:
		return mv_bool(mv_bool_of(v));
	case MV_INT:
		return mv_int(mv_int_of(v), mv_fmt_of(v));
	case MV_NUM:
		return mv_num(mv_num_of(v), mv_fmt_of(v));
	case MV_STR:
		return mv_str(mv_str_of(v));
	case MV_TIME:
		return mv_time(mv_time_of(v));
	default:
		return mv_null();
	}
}

/* The health checks as the sheet shows them: each check in the reader's
 * words with the [health] key an operator sets after it, "Out-of-date
 * export (source_stale)", as the banners name it. */
static mval *health_rows(const mval *health, const char *const *cols, size_t nc)
{
	mval *rows = mv_arr();
	for (size_t i = 0; i < mv_len(health); i++) {
		const mval *h = mv_at(health, i);
		mval *r = mv_push(rows, mv_obj());
		for (size_t c = 0; c < nc; c++) {
			const mval *v = mv_get(h, cols[c]);
			if (!v)
				continue; /* absent, as in the tree: no cell */
			if (strcmp(cols[c], "policy") == 0 && mv_str_of(v)) {
				/* what a trip does, in words: a column of bare "fail"
				 * beside "pass" read as every check failing; and when
				 * it trips, as a value and a limit do not say ("No lead
				 * can be an MQL", 819 against 1) */
				const char *p = mv_str_of(v);
				const char *does = !strcmp(p, "fail")	? "stops the run"
						   : !strcmp(p, "warn") ? "adds a banner"
						   : !strcmp(p, "off")	? "not checked"
									: p;
				const char *trips =
				    catalog_check_trips(mv_str_of(mv_get(h, "check")));
				char *t = trips && strcmp(p, "off") != 0
					      ? g_strdup_printf("%s %s", does, trips)
					      : g_strdup(does);
				mv_set(r, "policy", mv_str(t));
				g_free(t);
				continue;
			}
			if (strcmp(cols[c], "check") != 0 || !mv_str_of(v)) {
				mv_set(r, cols[c], scalar_copy(v));
				continue;
			}
			const char *label = catalog_check_label(mv_str_of(v));
			char *t = label ? g_strdup_printf("%s (%s)", label, mv_str_of(v))
					: g_strdup(mv_str_of(v));
			mv_set(r, "check", mv_str(t));
			g_free(t);
		}
	}
	return rows;
}

/* One row per (source, kind, reason) of the sources' nested counts; a
 * field whose values could not be read named by its label and key. */
static mval *reason_rows(const mval *sources)
{
	static const char *const maps[] = {"rejected_by_reason", "warnings_by_field"};
	static const char *const kinds[] = {"Rejected row", "Unreadable value, left empty"};
	mval *rows = mv_arr();
	for (size_t i = 0; i < mv_len(sources); i++) {
		const mval *s = mv_at(sources, i);
		for (int m = 0; m < 2; m++) {
			const mval *obj = mv_get(s, maps[m]);
			for (size_t k = 0; k < mv_len(obj); k++) {
				mval *r = mv_push(rows, mv_obj());
				mv_set(r, "source", mv_str(mv_str_of(mv_get(s, "source"))));
				mv_set(r, "status", mv_str(kinds[m]));
				/* a field by its label and its key, as the health
				 * checks' messages name it: "MQL moment (mql_at)" */
				const char *key = mv_key(obj, k), *label = catalog_label(key);
				char *t = m == 1 && strcmp(label, key) != 0
					      ? g_strdup_printf("%s (%s)", label, key)
					      : g_strdup(label);
				mv_set(r, "reason", mv_str(t));
				g_free(t);
				mv_set(r, "rows", mv_int(mv_int_of(mv_at(obj, k)), MF_COUNT));
			}
		}
	}
	return rows;
}

/* The counts of data_quality (and their breakdowns) as metric/value rows;
 * of the unknown event types by type the first XLSX_TYPE_ROWS, the others
 * counted in *types_left; then a report's title and footer lines skipped,
 * per source (*skipped: some were). */
static mval *check_rows(const mval *dq, size_t *types_left, bool *skipped)
{
	mval *rows = mv_arr();
	*types_left = 0;
	*skipped = false;
	for (size_t i = 0; i < mv_len(dq); i++) {
		const char *k = mv_key(dq, i);
		const mval *v = mv_at(dq, i);
		if (strcmp(k, "sources") == 0 || strcmp(k, "health") == 0)
			continue;
		if (mv_kind_of(v) == MV_OBJ) {
			size_t n = mv_len(v);
			if (strcmp(k, "unknown_event_types_by_type") == 0 && n > XLSX_TYPE_ROWS) {
				*types_left = n - XLSX_TYPE_ROWS;
				n = XLSX_TYPE_ROWS;
			}
			for (size_t j = 0; j < n; j++) {
				mval *r = mv_push(rows, mv_obj());
				char *m = xasprintf("%s: %s", catalog_label(k),
						    catalog_label(mv_key(v, j)));
				mv_set(r, "check", mv_str(m));
				free(m);
				mv_set(r, "rows", mv_int(mv_int_of(mv_at(v, j)), MF_COUNT));
			}
			continue;
		}
		mval *r = mv_push(rows, mv_obj());
		mv_set(r, "check", mv_str(catalog_label(k)));
		mv_set(r, "rows", mv_int(mv_int_of(v), MF_COUNT));
	}
	/* a report's title and footer lines, skipped: not rows, but what
	 * check prints beside them, so that the sheet accounts for every line */
	const mval *src = mv_get(dq, "sources");
	static const char *const lines[] = {"preamble_lines", "footer_lines"};
	for (size_t i = 0; i < mv_len(src); i++)
		for (size_t k = 0; k < 2; k++) {
			int64_t n = mv_int_of(mv_get(mv_at(src, i), lines[k]));
			if (n <= 0)
				continue;
			*skipped = true;
			mval *r = mv_push(rows, mv_obj());
			char *m =
			    xasprintf("%s: %s", catalog_label(lines[k]),
				      catalog_label(mv_str_of(mv_get(mv_at(src, i), "source"))));
			mv_set(r, "check", mv_str(m));
			free(m);
			mv_set(r, "rows", mv_int(n, MF_COUNT)); /* lines, in the one column */
		}
	return rows;
}

/* The Data quality sheet's column widths: fixed, long texts wrapped, so
 * that it prints one page wide in landscape with each check's message
 * beside its status (the widths the cells asked for made 190 characters,
 * printed over three pages across). */
static const double quality_widths[7] = {24, 16, 22, 42, 28, 22, 20};

/* Each data row of a table written at header row hr as tall as its longest
 * wrapped text needs (a spreadsheet does not grow a row for wrapped text
 * written into it). */
static void quality_heights(xctx *x, lxw_worksheet *ws, lxw_row_t hr, const mval *rows,
			    const char *const *cols, size_t nc)
{
	size_t shown = xrows_fit(hr + 1, mv_len(rows), x->last_row);
	for (size_t r = 0; r < shown; r++) {
		long lines = 1;
		for (size_t c = 0; c < nc; c++) {
			const char *s = mv_str_of(mv_get(mv_at(rows, r), cols[c]));
			long need =
			    xwrapped_lines(s, (long)(quality_widths[c] * XLSX_CHARS_PER_UNIT));
			lines = need > lines ? need : lines;
		}
		if (lines > 1)
			xcheck(x,
			       worksheet_set_row(ws, hr + 1 + (lxw_row_t)r, 15.0 * (double)lines,
						 NULL),
			       "set_row");
	}
}

void xlsx_quality(xctx *x, const layout_sheet *ls)
{
	static const char *const src_cols[] = {"source",
					       "rows_read",
					       "rows_accepted",
					       "rows_rejected",
					       "timestamps_after_as_of",
					       "newest_timestamp",
					       "stale"};
	static const char *const reason_cols[] = {"source", "status", "reason", "rows"};
	static const char *const check_cols[] = {"check", "rows"};
	/* the message beside the status, on the printed page that shows it */
	static const char *const health_cols[] = {"check",  "source", "status", "message",
						  "policy", "value",  "limit"};
	lxw_worksheet *ws = xsheet(x, ls->title, NULL);
	const mval *dq = mv_path(x->root, ls->path);
	if (!ws)
		return;
	char *t = xasprintf("Data quality of the inputs, %s", x->week_short);
	xtext(x, ws, 0, 0, t, x->title);
	free(t);
	double widths[8] = {0};
	lxw_row_t row = 2;
	mval *health = health_rows(mv_get(dq, "health"), health_cols, 7);
	/* a wrapped message or name is read from the top: every figure beside
	 * its first line, in every table of the sheet (a count at a two-line
	 * row's foot sat beside the next row's name) */
	x->look = XLOOK_TOP;
	if (mv_len(health)) {
		xtext(x, ws, row++, 0, "Data health checks", x->block_title);
		quality_heights(x, ws, row, health, health_cols, 7);
		row = rows_table(x, ws, row, health, (char **)health_cols, 7, widths, 0);
	}
	mv_free(health);
	xtext(x, ws, row++, 0, "Rows per source", x->block_title);
	row = rows_table(x, ws, row, mv_get(dq, "sources"), (char **)src_cols, 7, widths, 0);
	mval *reasons = reason_rows(mv_get(dq, "sources"));
	xtext(x, ws, row++, 0, "Rejected rows and unreadable values, by reason", x->block_title);
	quality_heights(x, ws, row, reasons, reason_cols, 4);
	row = rows_table(x, ws, row, reasons, (char **)reason_cols, 4, widths, 0);
	mv_free(reasons);
	size_t types_left;
	bool skipped;
	mval *checks = check_rows(dq, &types_left, &skipped);
	xtext(x, ws, row++, 0,
	      skipped ? "Duplicates, orphans, unknown types, stages out of order and report lines "
			"skipped"
		      : "Duplicates, orphans, unknown types and stages out of order",
	      x->block_title);
	quality_heights(x, ws, row, checks, check_cols, 2);
	rows_table(x, ws, row, checks, (char **)check_cols, 2, widths, types_left);
	x->look = XLOOK_PLAIN;
	mv_free(checks);
	worksheet_freeze_panes(ws, 2, 1);
	double total = 0;
	for (lxw_col_t c = 0; c < 7; c++) {
		xcheck(x, worksheet_set_column(ws, c, c, quality_widths[c], x->wrap), "set_column");
		total += quality_widths[c];
	}
	/* four tables, each with its own header: no one header row is repeated
	 * on the pages after the first, where it would head another table */
	xprint(x, ws, total, 1, 0, 1);
}

/* Label/value lines of the report's settings. */
/* A moment among the settings, as the sentences beside it read: in the
 * report's time zone, and in UTC too when that is another ("Mon 23 Nov
 * 2026 00:00 UTC"); text, so that it starts where the other settings do. */
static void setting_time(xctx *x, lxw_worksheet *ws, lxw_row_t row, const mval *rep, const mval *v)
{
	char local[96], utc[48];
	report_local_time(rep, mv_time_of(v), local, sizeof local);
	numfmt_value(v, NULL, utc, sizeof utc);
	char *t = report_in_utc(rep) ? g_strdup(local) : g_strdup_printf("%s (%s)", local, utc);
	xtext(x, ws, row, 1, t, NULL);
	g_free(t);
}

static lxw_row_t settings(xctx *x, lxw_worksheet *ws, lxw_row_t row)
{
	const mval *rep = mv_get(x->root, "report");
	static const char *const keys[] = {"week",
					   "timezone",
					   "currency",
					   "attribution",
					   "mql_source",
					   "mql_threshold",
					   "score_half_life_days",
					   "as_of",
					   "generated_at",
					   "program_version"};
	xtext(x, ws, row, 0, "Report week", x->tile_label);
	xtext(x, ws, row++, 1, x->week_title, NULL);
	for (size_t i = 1; i < sizeof keys / sizeof keys[0]; i++) {
		const mval *v = mv_get(rep, keys[i]);
		if (!v)
			continue;
		xtext(x, ws, row, 0, catalog_label(keys[i]), x->tile_label);
		if (strcmp(keys[i], "attribution") == 0)
			xtext(x, ws, row, 1, catalog_model_label(mv_str_of(v)), NULL);
		else if (strcmp(keys[i], "score_half_life_days") == 0 && mv_num_of(v) == 0)
			xtext(x, ws, row, 1, "none: points do not decay", NULL); /* not "0.0 d" */
		else if (strcmp(keys[i], "score_half_life_days") == 0 ||
			 strcmp(keys[i], "mql_threshold") == 0) {
			/* words beside words, as the PDF says them: "60", "14 days" */
			double d = mv_num_of(v);
			char *t = strcmp(keys[i], "mql_threshold") == 0
				      ? g_strdup_printf("%g", d)
				      : g_strdup_printf("%g day%s (behavioural points)", d,
							d == 1 ? "" : "s");
			xtext(x, ws, row, 1, t, NULL);
			g_free(t);
		} else if (mv_kind_of(v) == MV_TIME) {
			setting_time(x, ws, row, rep, v);
		} else if (mv_kind_of(v) == MV_STR)
			xtext(x, ws, row, 1, catalog_value_label(keys[i], mv_str_of(v)), NULL);
		else
			xvalue(x, ws, row, 1, v, keys[i]);
		row++;
	}
	xtext(x, ws, row, 0, "Windows", x->tile_label);
	xtext(x, ws, row++, 1,
	      "This week; the last 4 weeks; the last 13 weeks — all ending with the report week",
	      NULL);
	const mval *src = mv_path(x->root, "data_quality.sources");
	for (size_t i = 0; i < mv_len(src); i++) {
		const mval *s = mv_at(src, i);
		char *l = xasprintf("Source: %s, newest data", mv_str_of(mv_get(s, "source")));
		xtext(x, ws, row, 0, l, x->tile_label);
		free(l);
		const mval *t = mv_get(s, "newest_timestamp");
		if (mv_kind_of(t) == MV_TIME)
			setting_time(x, ws, row, rep, t);
		row++;
	}
	return row + 1;
}

/* The Glossary's printed page: the rows of a page at most this many points
 * tall, under what a landscape A4 or Letter page holds under its repeated
 * header (about 455; the heights are the ones set, so a little room is
 * enough), and at most this many breaks. */
#define GLOSSARY_PAGE_PT 430.0
#define GLOSSARY_BREAKS	 64

void xlsx_glossary(xctx *x, const layout_sheet *ls)
{
	lxw_worksheet *ws = xsheet(x, ls->title, NULL);
	if (!ws)
		return;
	xtext(x, ws, 0, 0, "Glossary: what every figure means", x->title);
	/* the report's settings are on Contents: above this table they would
	 * stay frozen with its header and leave a screen a few terms */
	lxw_row_t row = 2;
	mval *rows = mv_arr();
	/* a label once: entries that share it (the window "This week" and the
	 * column) have the first's definition (templates/metrics.ini) */
	GHashTable *listed = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < catalog_count(); i++) {
		const cat_entry *e = catalog_at(i);
		if (!g_hash_table_add(listed, (gpointer)e->label))
			continue;
		mval *r = mv_push(rows, mv_obj());
		mv_set(r, "metric", mv_str(e->label));
		mv_set(r, "message", mv_str(e->definition));
		mv_set(r, "unit", mv_str(catalog_unit_shown(e)));
	}
	g_hash_table_destroy(listed);
	static const char *const cols[] = {"metric", "message", "unit"};
	lxw_row_t hr = row;
	double widths[3] = {0};
	char **headers = g_new0(char *, 4);
	headers[0] = g_strdup("Term");
	headers[1] = g_strdup("Definition");
	headers[2] = g_strdup("Unit");
	lxw_row_t breaks[GLOSSARY_BREAKS + 1];
	size_t nbreaks = 0;
	double page_used = 15.0 * (double)(hr + 1) + 10; /* the settings above the table */
	for (size_t r = 0; r < mv_len(rows); r++) {
		for (size_t c = 0; c < 3; c++)
			xvalue(x, ws, hr + 1 + (lxw_row_t)r, (lxw_col_t)c,
			       mv_get(mv_at(rows, r), cols[c]), cols[c]);
		/* each row as tall as its wrapped definition (90 wide): heights
		 * set here, not guessed by the spreadsheet, so that its page
		 * breaks fall where it prints rows (LibreOffice's own guess left
		 * a blank last page) */
		const char *d = mv_str_of(mv_get(mv_at(rows, r), "message"));
		const char *term = mv_str_of(mv_get(mv_at(rows, r), "metric"));
		long lines = xwrapped_lines(d, (long)(90 * XLSX_CHARS_PER_UNIT));
		/* a term wraps too in its column of 34 (a character or two
		 * spare, as the spreadsheet's font may need them) */
		long tl = xwrapped_lines(term, (long)(32 * XLSX_CHARS_PER_UNIT));
		lines = tl > lines ? tl : lines;
		xcheck(x, worksheet_set_row(ws, hr + 1 + (lxw_row_t)r, 15.0 * (double)lines, NULL),
		       "set_row");
		/* a page of at most GLOSSARY_PAGE_PT of rows: a page the rows
		 * fill to its foot printed a blank page after the last one */
		page_used += 15.0 * (double)lines;
		if (page_used > GLOSSARY_PAGE_PT && nbreaks < GLOSSARY_BREAKS) {
			breaks[nbreaks++] = hr + 1 + (lxw_row_t)r;
			page_used = 15.0 * (double)lines;
		}
	}
	breaks[nbreaks] = 0;
	if (nbreaks)
		xcheck(x, worksheet_set_h_pagebreaks(ws, breaks), "set_h_pagebreaks");
	lxw_row_t nrows = (lxw_row_t)mv_len(rows);
	xtable(x, ws, hr, hr + nrows, 0, headers, 3, NULL);
	g_strfreev(headers);
	mv_free(rows);
	widths[0] = 34;
	widths[1] = 90;
	widths[2] = 10;
	double total;
	xwidths(x, ws, widths, 3, &total);
	/* every cell of a row from its top, as the wrapped definition reads: a
	 * term or unit at the foot sat beside the next row's definition */
	worksheet_set_column(ws, 0, 0, xcol_width(widths[0]), x->wrap);
	worksheet_set_column(ws, 1, 1, 90, x->wrap);
	worksheet_set_column(ws, 2, 2, xcol_width(widths[2]), x->wrap);
	total += 90 - 48; /* the definitions are 90 wide; xwidths() counted its cap, 48 */
	worksheet_freeze_panes(ws, hr + 1, 1);
	xprint(x, ws, total, hr, hr, 1);
}

void xlsx_contents(xctx *x, const layout_sheet *ls)
{
	x->contents = xsheet(x, ls->title, &x->contents_name);
}

/* A link to a sheet: its name quoted, a quote in it doubled. Caller frees. */
static char *sheet_link(const char *name)
{
	GString *u = g_string_new("internal:'");
	for (const char *c = name; *c; c++) {
		if (*c == '\'')
			g_string_append_c(u, '\'');
		g_string_append_c(u, *c);
	}
	g_string_append(u, "'!A1");
	return g_string_free(u, FALSE);
}

void xlsx_contents_fill(xctx *x)
{
	lxw_worksheet *ws = x->contents;
	if (!ws)
		return;
	static const double widths[2] = {32, 96};
	char *t = xasprintf("Contents, %s", x->week_short);
	xtext(x, ws, 0, 0, t, x->title);
	free(t);
	xtext(x, ws, 1, 0,
	      "Every sheet of the workbook in order; a sheet's name is a link to it. Below: how "
	      "this report was made.",
	      x->subtitle);
	const lxw_row_t hr = 3;
	lxw_row_t r = hr;
	for (size_t i = 0; i < x->nnames; i++) {
		if (x->names[i] == x->contents_name)
			continue;
		r++;
		char *url = sheet_link(x->names[i]);
		xcheck(x, worksheet_write_url(ws, r, 0, url, x->link_top), "write_url");
		xtext(x, ws, r, 0, x->names[i], x->link_top);
		free(url);
		const char *about = x->abouts[i] ? x->abouts[i] : "";
		xtext(x, ws, r, 1, about, x->wrap);
		long lines = xwrapped_lines(about, (long)(widths[1] * XLSX_CHARS_PER_UNIT));
		if (lines > 1)
			xcheck(x, worksheet_set_row(ws, r, 15.0 * (double)lines, NULL), "set_row");
	}
	char *headers[] = {"Sheet", "What it shows"};
	xtable(x, ws, hr, r, 0, headers, 2, NULL);
	worksheet_freeze_panes(ws, hr + 1, 0);
	/* what the report was made with, below the index: the workbook's cover */
	xtext(x, ws, r + 2, 0, "How this report was made", x->block_title);
	settings(x, ws, r + 3);
	for (lxw_col_t c = 0; c < 2; c++)
		xcheck(x, worksheet_set_column(ws, c, c, widths[c], NULL), "set_column");
	/* no header repeated: a second page holds the settings, not sheets */
	xprint(x, ws, widths[0] + widths[1], 1, 0, 0);
}
