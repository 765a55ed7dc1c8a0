/* xlsx_int.h — what the workbook's sheet writers share (xlsx.c holds the
 * formats, cells and print setup; xlsx_overview.c, xlsx_tables.c and
 * xlsx_sheets.c one kind of sheet each). Internal to reports/. */
#ifndef MQL_XLSX_INT_H
#define MQL_XLSX_INT_H

#include <xlsxwriter.h>

#include "catalog.h"
#include "grid.h"
#include "layout.h"
#include "mval.h"
#include "reports.h"

/* A look of numbers beside their format: at the top of a tall cell (beside
 * wrapped text), or in grey (a figure that rests on few cases). */
enum xlook { XLOOK_PLAIN, XLOOK_TOP, XLOOK_MUTED };

typedef struct xctx {
	lxw_workbook *wb;
	lxw_worksheet *streamed[8]; /* the sheets of xsheet_streamed(), checked at the close */
	size_t nstreamed;
	const mval *root;
	const xlsx_opts *opts;
	const char *currency;
	char *week_title; /* "Week 47, Mon 16 – Sun 22 Nov 2026 (Europe/Berlin)" */
	char *week_short; /* "week 47 (16–22 Nov 2026)" */
	lxw_format *cat[CF_COUNT_OF_FORMATS][2]; /* [cat_format][integral] */
	/* how the numbers written now look besides their format (enum xlook),
	 * and cat's formats in each look, made when first asked */
	int look;
	lxw_format *cat_look[2][CF_COUNT_OF_FORMATS][2];
	/* amounts written now without cents ("$61,200"): figures shown together
	 * whose largest is 10,000 or more (numfmt_money_cents), and their
	 * formats in each look (per_unit: a cost per unit's), made when asked */
	bool whole_money;
	lxw_format *money_whole[2][3]; /* [per_unit][look] */
	lxw_format *pp, *rel, *rel1;   /* a change in points, a relative change (rel1: under 10%) */
	lxw_format *rel_muted, *rel1_muted; /* rel and rel1 in grey, on few cases */
	lxw_format *pp_muted;		    /* pp in grey, on few cases */
	lxw_format *pp0, *pp0_muted; /* pp of 100 points or more: no decimal (xpp_format()) */
	lxw_format *count_avg[2];    /* a mean or spread of counts, plain and grey: 3.4 */
	lxw_format *per_unit; /* a cost per lead, MQL or win: money, and "—" for 0 (no spend) */
	lxw_format *per_unit_muted; /* the same in grey: a CAC on few wins */
	lxw_format *header_num;	  /* the header of a column of numbers: right-aligned as they are */
	lxw_format *header_mid;	  /* the header of a column of yes/no: centred as they are */
	lxw_format *header_clear; /* the header of an indented column of names (text_clear) */
	lxw_format *dash;	  /* "—" for no figure, right-aligned where the figures are */
	lxw_format *header, *title, *subtitle, *block_title, *good, *bad, *warn, *link, *wrap,
	    *mark, *tile_label;
	lxw_format *yesno;	     /* a yes/no cell: centred, clear of a number before it */
	lxw_format *yesno_muted;     /* the same in grey, a judgement not to be made yet */
	lxw_format *yesno_top;	     /* the same at the top of a tall row (XLOOK_TOP) */
	lxw_format *link_top;	     /* a link at the top of a row of wrapped text */
	lxw_format *verdict;	     /* the week in one sentence: bold, wrapped, at the top */
	lxw_format *text_clear;	     /* text indented one step, clear of a number before it */
	lxw_format *few_note;	     /* a note on few cases: xfew_note() */
	lxw_format *tile_label_wrap; /* such a label's cell, on two lines: made when first asked */
	lxw_format *name_wrap, *clear_wrap; /* xname_wrap()'s formats */
	char **names;			    /* sheet names in use, in the workbook's order */
	const char **abouts;		    /* each one's sentence for the contents (borrowed) */
	size_t nnames;
	const char *about;	 /* the sentence of the sheet written next */
	lxw_worksheet *contents; /* the contents sheet, filled once every sheet is made */
	const char *contents_name;
	lxw_error lerr; /* the first libxlsxwriter error */
	const char *lerr_what;
	int ntables;	    /* Excel table names: Table1, Table2, … */
	lxw_row_t last_row; /* the last row a sheet may use (Excel's, or a test's) */
} xctx;

void xcheck(xctx *x, lxw_error e, const char *what);
/* A new sheet with its print setup (paper, header/footer with the week). */
lxw_worksheet *xsheet(xctx *x, const char *title, const char **name_out);
/* A sheet written row after row straight to a temporary file, whatever its
 * number of rows (libxlsxwriter's constant memory, for this sheet alone):
 * every cell must be written in order, row by row and left to right within
 * a row, and it cannot hold an Excel table (a filter can). */
lxw_worksheet *xsheet_streamed(xctx *x, const char *title);
/* The printed pages' footer: the report's name, centre (NULL: none) and the
 * page's number; centre holds no "&". */
void xfooter(xctx *x, lxw_worksheet *ws, const char *centre);
/* Print: landscape when wide, one page wide only where the scale stays >= 70%,
 * rows [first, last] repeated on every page, and the first `keys` columns
 * (those frozen on screen) too when the sheet prints over pages across.
 * width_chars is the sum of the column widths. */
void xprint(xctx *x, lxw_worksheet *ws, double width_chars, lxw_row_t repeat_first,
	    lxw_row_t repeat_last, lxw_col_t keys);
void xtext(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f);
/* Text in the merged cells r × [c0, c1], made fit for a cell as xtext's. */
void xmerge(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, const char *s,
	    lxw_format *f);
/* A tree value under column key: formatted by the catalogue (scaled for
 * hours); returns the width its text wants. */
double xvalue(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const mval *v, const char *key);
/* xvalue with the key's catalogue entry looked up already (NULL: none);
 * a width that cannot pass have is not measured (0 returned). ws NULL:
 * the width only, nothing written. */
double xvalue_e(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const mval *v,
		const cat_entry *e, double have);
/* A number under key in grey, a figure that rests on few cases: formatted
 * and scaled as xvalue() does, the width its text wants returned; a null
 * stays an empty cell. */
double xvalue_muted(xctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const mval *v,
		    const char *key);
/* The format of a change v (in points when pp, else a fraction), as every
 * output writes it: one decimal under 100 points or under 10%, none from
 * there ("−1,286 pp", "+19%", "+6.2%"); in grey when muted. */
lxw_format *xchange_format(xctx *x, double v, bool pp, bool muted);
/* The small grey text of a note on few cases ("(only 3 cases)"). */
lxw_format *xfew_note(xctx *x);
lxw_format *xformat_of(xctx *x, const char *key, const mval *v);
lxw_format *xformat_e(xctx *x, const cat_entry *e, const mval *v);
/* The Excel number format text of a catalogue entry (for chart axes). */
const char *xnum_format(xctx *x, cat_format f, char *buf, size_t n);
/* The number format of an amount in the report's currency: with every
 * decimal of the currency (cents), or whole ("#,##0 \"KWD\"", not a format
 * cut from "#,##0.000 \"KWD\""), into buf or a constant. */
const char *xmoney_format(const xctx *x, bool cents, char *buf, size_t n);
/* A chart's value axis, as key's values read but whole: money with its
 * currency and thousands ("$150,000"), counts with thousands, rates as
 * percents; NULL: the chart's own. */
const char *xaxis_format(xctx *x, const char *key, char *buf, size_t n);
/* Header labels of a table, unique as Excel tables need (owned by the caller: g_strfreev). */
char **xheaders(char **keys, size_t n);
/* The widest a column gets, in characters: a column of longer names is
 * this wide and wraps them (xname_wrap()). */
#define XLSX_COL_MAX 48.0
/* The height of a line of the sheets' 11-point text, and of the tallest
 * row a spreadsheet takes, in points. */
#define XLSX_LINE_PT	15.0
#define XLSX_ROW_MAX_PT 409.0
/* A column's width as xwidths() sets it: between 8 and XLSX_COL_MAX characters. */
double xcol_width(double w);
/* The width of text s in characters of column width: a Chinese or Japanese
 * letter, or an emoji, takes two. */
double xtext_width(const char *s);
/* How many lines a name s takes in a column of names cap characters wide
 * that wraps them: 1 when it fits (with the cell's padding), else as many
 * as it wraps into there. */
long xname_lines(const char *s, double cap);
/* The format of a column of names wider than its cap, which wraps them at
 * the column's edge, their last line at the row's foot beside the row's
 * figures (clear: indented one step as text_clear); made when first asked.
 * Cells written without a format take it from their column. */
lxw_format *xname_wrap(xctx *x, bool clear);
/* Row r as tall as `lines` lines of wrapped names (a spreadsheet does not
 * grow a row to a wrapped cell when it opens the file); nothing for one
 * line. On a streamed sheet, before the row's cells. */
void xname_rows(xctx *x, lxw_worksheet *ws, lxw_row_t r, long lines);
/* The width a column asks for its header: the header on one line, or, past
 * 24 characters' room, on two lines split at the space nearest its middle
 * ("SQL within 2" over "weeks (95% low)", not "low)" alone under the rest);
 * at most 24. */
double xheader_width(const char *header);
/* A header row at row as tall as two lines when one of its n headers is
 * on two (xheader_width()): a spreadsheet does not grow a row for wrapped
 * text, and the second line rose over the row above. Before the row's
 * cells, as a streamed sheet needs. */
void xheader_height(xctx *x, lxw_worksheet *ws, lxw_row_t row, char *const *headers, size_t n);
void xwidths(xctx *x, lxw_worksheet *ws, const double *w, size_t n, double *total);
/* Of a sheet whose columns want widths w[0 .. n) (as xwidths() sets them),
 * the width in characters from column A that its first printed page holds
 * (with xprint()'s scale): the whole columns that fit when it prints over
 * pages across (*across set), else the page's or the fitted sheet's. */
double xfirst_page_width(const xctx *x, const double *w, size_t n, bool *across);
/* Whether a sheet whose columns are width_chars wide in all prints over
 * pages across (xprint()'s choice for the same width). */
bool xprints_across(const xctx *x, double width_chars);
/* What the cells of a table's column hold: bits of seen[c], per column. */
enum { XSEEN_NUMBER = 1, XSEEN_TEXT = 2, XSEEN_YESNO = 4 };
/* An Excel table over [r0, r1] × [c0, c0 + n) with the given headers; the
 * header of a column that holds numbers only (seen[c] is XSEEN_NUMBER)
 * right-aligned over them, of one that holds yes/no only centred over
 * them as they are (seen NULL: every header left-aligned). */
void xtable(xctx *x, lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, lxw_col_t c0, char **headers,
	    size_t n, const unsigned char *seen);
/* The kind of the value v written in column c of a table (NULL or null:
 * none) added to seen[c]. */
void xcount_kind(const mval *v, size_t c, unsigned char *seen);
/* A column of keys[c] that holds no value (seen[c] 0: all null) gets the
 * kind its key's declared format says, for its header's alignment: number
 * for a number format or the row's metric's (unit "the metric's"), yes/no
 * for a bool; text otherwise. A header over an empty column of numbers
 * left-aligned ran into the next ("Spend Cost per MQL"). */
void xseen_declared(char *const *keys, size_t n, unsigned char *seen);

/* How many lines s takes wrapped at spaces into lines of per characters
 * (a word longer than a line takes lines of its own; a newline ends one):
 * the height a row needs, which a spreadsheet does not work out for a cell
 * of wrapped text on its own. At least 1. */
long xwrapped_lines(const char *s, long per);
/* A unit of column width holds at least this many characters of running
 * text (words are narrower than the digit '0' a unit is measured by, but
 * LibreOffice wraps a definition 90 units wide after 100 of them: an
 * estimate of more lets a wrapped cell's last line print over the next row). */
#define XLSX_CHARS_PER_UNIT 1.0

/* How many of n data rows from row first a sheet whose last row is last
 * holds: all when they fit above the last row, else those that do; the last
 * row stays free for xrows_left_out's note. */
size_t xrows_fit(lxw_row_t first, size_t n, lxw_row_t last);

/* Event types are a taxonomy of tens: a table of them (Engagement per
 * window, Data quality's unknown types by type) shows at most this many
 * rows per group, in metrics.json's order, and says how many more there are. */
#define XLSX_TYPE_ROWS 10000

/* What a sheet's tables left out, for the note under them. */
typedef struct xleft {
	size_t rows; /* every row left out */
	bool full;   /* some of them because the sheet ended */
	size_t ncut; /* groups the event-type cap cut: their counts and labels */
	size_t *cut_rows;
	const char **cut_group; /* borrowed; NULL: a table without groups */
} xleft;
/* n more event types of group (NULL: none) left out by the cap. */
void xleft_types(xleft *l, size_t n, const char *group);
/* The note at row r of what l counts (nothing when it counts no row):
 * "… and N more rows: the sheet is full (metrics.json has them all)" when the
 * sheet ended, else "… and N more event types[ in <group>, M in <group> …]:
 * metrics.json has them all". Frees what l holds. */
void xrows_left_out(xctx *x, lxw_worksheet *ws, lxw_row_t r, xleft *l);

/* The sheet kinds (one file each). */
void xlsx_overview(xctx *x, const layout_sheet *ls, const layout_workbook *lw);
void xlsx_table_sheet(xctx *x, const layout_sheet *ls);
void xlsx_attribution(xctx *x, const layout_sheet *ls);
/* The contents: the sheet is made in its place, and filled by
 * xlsx_contents_fill() once every sheet is (its links need their names). */
void xlsx_contents(xctx *x, const layout_sheet *ls);
void xlsx_contents_fill(xctx *x);
void xlsx_drilldown(xctx *x, const layout_sheet *ls);
void xlsx_quality(xctx *x, const layout_sheet *ls);
void xlsx_glossary(xctx *x, const layout_sheet *ls);
/* The title of the sheet a workbook.ini group gets (for internal links). */
const char *xlsx_sheet_title(const layout_workbook *lw, const char *id);

#endif
