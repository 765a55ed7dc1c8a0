/* xlsx_overview.c — the workbook's first sheet: the week's title, the
 * data-health banner, the KPI tiles (this week, last week, change in the
 * metric's unit and colour, a 13-week trend chart beside each), the native
 * charts and the "What changed" sentences; the data behind the charts is
 * written below them, visible.
 *
 * Renders only: numbers come from what_changed, kpi_trend, by_channel and
 * by_campaign as they are; choosing the rows a chart shows, and whether a
 * tile's amounts show cents (numfmt's rule, shared with the PDF and the
 * e-mail), is all it does. */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banner.h"
#include "changes.h"
#include "numfmt.h"
#include "palette.h"
#include "xlsx_int.h"

#define TILE_ROW	     4	/* the tiles' header row */
#define DATA_ROW	     40 /* the data behind the charts */
#define CHART_COL	     6	/* column G */
#define SPARK_COL	     4	/* column E */
#define TREND_ROWS	     13 /* kpi_trend's weeks, the report week last */
#define RATE_COL	     8	/* column I: each channel's close rate in a column of its own */
#define TOP_CAMPAIGNS	     8	/* the campaigns of the top by ROI */
#define CAMPAIGN_LABEL_CHARS 28 /* a campaign's name on that chart's axis, at most */
/* a bar of few cases: light (the top campaigns'); a close rate's in its
 * channel's colour, faded as the PDF fades it, under black whiskers that
 * show over both */
#define RATE_LIGHT  PALETTE_LIGHT
#define RATE_FADE   0.65	 /* the share of white: the PDF's 35% opacity on white */
#define WHISKER_INK 0x111111	 /* not 0: libxlsxwriter reads 0 as no colour */
#define LINE_PT	    XLSX_LINE_PT /* a line of the sheet's 11-point text */
#define ROW_MAX_PT  XLSX_ROW_MAX_PT

/* The least widths of columns A to F, which hold the tiles and the text
 * merged across them under the tiles. E holds the trend charts, which
 * reach into F, the gap before the charts' column. Each column is wider
 * where a figure in it (a tile's, or one of the data below) needs it as its
 * number format shows it: "1,762,175,000 VND" showed as ### in 13. */
static const double text_widths[CHART_COL] = {30, 13, 13, 11, 15, 13};
#define CHART_COL_WIDTH 9   /* the least width of the charts' columns, G on */
#define CHARTS_PX	600 /* the charts' width from column G: two of 300 pixels */

typedef struct ov {
	xctx *x;
	lxw_worksheet *ws;
	const char *name;
	lxw_row_t trend_hr;	    /* header row of the 13-week series */
	lxw_row_t chan_hr, camp_hr; /* header rows of the channel and campaign data */
	size_t nchan, ncamp;	    /* ncamp: the rows of the top campaigns, a gap row included */
	size_t *chan_ord; /* the channels' rows of by_channel.13w in the charts' order: by this
			     week's MQLs, most first (a ranking, ordered), unknown last */
	bool camp_few[TOP_CAMPAIGNS + 1]; /* the rows whose ROI rests on few MQLs */
	bool camp_gap;			  /* an empty row parts those from the others */
	double camp_roi_max;		  /* the largest ROI shown; 0 when none is positive */
	double camp_roi_min;		  /* the smallest ROI shown; 0 when none is negative */
	double *want;			  /* the width each column's widest figure needs */
	size_t nwant, used;		  /* want's room, and the columns with a figure */
	double widths[CHART_COL];	  /* columns A to F as set (set_widths) */
} ov;

/* Column c holds a figure that needs w characters of width. */
static void want_width(ov *o, lxw_col_t c, double w)
{
	if (c >= o->nwant) {
		size_t n = (size_t)c + 16;
		o->want = xrealloc(o->want, n * sizeof *o->want);
		for (size_t i = o->nwant; i < n; i++)
			o->want[i] = 0;
		o->nwant = n;
	}
	if (w > o->want[c])
		o->want[c] = w;
	if (c >= o->used)
		o->used = (size_t)c + 1;
}

/* A tree value under key at (r, c), in grey when muted, its column made
 * as wide as a number of it needs (a name's width is not asked for: column
 * A keeps its width, the Overview's names are cut on the charts). */
static void figure(ov *o, lxw_row_t r, lxw_col_t c, const mval *v, const char *key, bool muted)
{
	double w =
	    muted ? xvalue_muted(o->x, o->ws, r, c, v, key) : xvalue(o->x, o->ws, r, c, v, key);
	if (mv_kind_of(v) == MV_INT || mv_kind_of(v) == MV_NUM)
		want_width(o, c, w);
}

/* name itself when it has at most max characters, else its start and end
 * with "…" between, max characters in all: a chart's axis keeps its plot
 * and every label ("Webinar: Forecas…ution & ROI"). Caller g_free()s. */
static char *middle_cut(const char *name, glong max)
{
	if (!name)
		return g_strdup("");
	glong n = g_utf8_strlen(name, -1);
	if (n <= max)
		return g_strdup(name);
	glong head = (max - 1) / 2 + (max - 1) % 2, tail = max - 1 - head;
	char *a = g_utf8_substring(name, 0, head), *b = g_utf8_substring(name, n - tail, n);
	char *out = g_strdup_printf("%s\xE2\x80\xA6%s", a, b);
	g_free(a);
	g_free(b);
	return out;
}

/* The columns of the 13-week series are the keys of kpi_trend's rows, in
 * their order ("week", then one per KPI): the renderer lists no KPI itself.
 * A KPI's count of cases ("<kpi>_n") is no series, nor is a yes/no flag of
 * the week (before_data, whose week's cells are blank): left out. */
static const mval *trend_row(const ov *o)
{
	return mv_at(mv_get(o->x->root, "kpi_trend"), 0);
}

static bool trend_series_key(const mval *row, size_t i)
{
	return !g_str_has_suffix(mv_key(row, i), "_n") && mv_kind_of(mv_at(row, i)) != MV_BOOL;
}

static long trend_col(const ov *o, const char *kpi)
{
	const mval *row = trend_row(o);
	long at = 0;
	for (size_t i = 0; i < mv_len(row); i++) {
		if (!trend_series_key(row, i))
			continue;
		if (strcmp(mv_key(row, i), kpi) == 0)
			return at;
		at++;
	}
	return -1;
}

/* A series of column c of the 13-week series, by week. */
static lxw_chart_series *trend_series(const ov *o, lxw_chart *ch, long c)
{
	lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
	chart_series_set_values(s, o->name, o->trend_hr + 1, (lxw_col_t)c, o->trend_hr + TREND_ROWS,
				(lxw_col_t)c);
	chart_series_set_categories(s, o->name, o->trend_hr + 1, 0, o->trend_hr + TREND_ROWS, 0);
	return s;
}

/* The header row of a drill-down sheet's link, for the counts that have one. */
static const char *drill_id(const char *kpi)
{
	return strcmp(kpi, "mqls") == 0	  ? "drill_mqls"
	       : strcmp(kpi, "sqls") == 0 ? "drill_sqls"
	       : strcmp(kpi, "wins") == 0 ? "drill_wins"
					  : NULL;
}

static void tile_change(ov *o, lxw_row_t r, const mval *row, const char *kpi)
{
	xctx *x = o->x;
	const mval *ch = mv_get(row, "change");
	bool pp = g_strcmp0(mv_str_of(mv_get(row, "change_unit")), "pp") == 0;
	/* a cost without spend in either week does not apply: no change */
	if (mv_is_null(ch) || changes_no_spend_either(row)) {
		xtext(x, o->ws, r, 3, "\xE2\x80\x94", x->dash);
		return;
	}
	double v = mv_num_of(ch);
	xcheck(x, worksheet_write_number(o->ws, r, 3, v, xchange_format(x, v, pp, false)),
	       "write_number");
	const cat_entry *e = catalog_find(kpi);
	/* young: not yet comparable; few: too few cases to call it either way */
	if (!e || e->direction == CD_NONE || e->young || changes_few(row))
		return;
	lxw_conditional_format up = {.type = LXW_CONDITIONAL_TYPE_CELL,
				     .criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN,
				     .value = 0,
				     .format = e->direction == CD_UP ? x->good : x->bad};
	lxw_conditional_format down = up;
	down.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN;
	down.format = e->direction == CD_UP ? x->bad : x->good;
	xcheck(x, worksheet_conditional_format_cell(o->ws, r, 3, &up), "conditional_format");
	xcheck(x, worksheet_conditional_format_cell(o->ws, r, 3, &down), "conditional_format");
}

/* What an empty tile or a change's "—" means: the workbook's words for
 * the PDF's dash (changes_dash_text), since a null figure is an empty
 * cell here. */
static const char empty_text[] =
    "An empty figure has nothing to measure: a rate, cost or time whose week had none of what "
    "it counts (no closed deal among the week's MQLs for a close rate, which follows the week's "
    "MQLs and not the week's wins; no MQL for a cost per MQL; no SQL for a time to SQL); a "
    "change shows \xE2\x80\x94 from a week at zero or without the figure.";

/* A tile's figure of a week in column c (in grey when muted: on few
 * cases); without one an empty cell, as every null of the workbook is
 * (SPEC §7), which the note under the tiles explains. */
static void tile_figure(ov *o, lxw_row_t r, lxw_col_t c, const mval *v, const char *kpi, bool muted)
{
	figure(o, r, c, v, kpi, muted);
}

/* A word-sized line chart of the KPI's 13 weeks: no axes, no legend. */
static void sparkline(ov *o, lxw_row_t r, const char *kpi)
{
	long c = trend_col(o, kpi);
	lxw_chart *ch = c < 0 ? NULL : workbook_add_chart(o->x->wb, LXW_CHART_LINE);
	if (!ch)
		return;
	lxw_chart_series *s = trend_series(o, ch, c);
	lxw_chart_line line = {.color = PALETTE_DARK, .width = 1.25};
	chart_series_set_line(s, &line);
	chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
	chart_axis_off(ch->x_axis);
	chart_axis_off(ch->y_axis);
	chart_axis_major_gridlines_set_visible(ch->y_axis, LXW_FALSE);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	lxw_chart_line none = {.none = LXW_TRUE};
	chart_chartarea_set_line(ch, &none);
	lxw_chart_options opt = {.x_offset = 2,
				 .y_offset = 1,
				 .x_scale = 170.0 / 480,
				 .y_scale = 30.0 / 288,
				 .object_position = LXW_OBJECT_MOVE_AND_SIZE};
	xcheck(o->x, worksheet_insert_chart_opt(o->ws, r, SPARK_COL, ch, &opt), "insert_chart");
}

/* The label of a KPI whose figure rests on few cases or is not yet
 * comparable, flagged: "Median time to SQL (days)" and, on a line of its
 * own, smaller and grey, "(only 3 cases)" or "(not yet comparable)"
 * (beside it, column A cut it to "(only 3 ca"). */
static void flagged_label(ov *o, lxw_row_t r, const mval *row, const char *kpi)
{
	xctx *x = o->x;
	char *cases = changes_flag_text(row);
	char *flag = g_strdup_printf("\n(%s)", cases);
	lxw_rich_string_tuple label = {.format = x->tile_label,
				       .string = (char *)catalog_label(kpi)};
	lxw_rich_string_tuple note = {.format = xfew_note(x), .string = flag};
	lxw_rich_string_tuple *parts[] = {&label, &note, NULL};
	if (!x->tile_label_wrap) {
		x->tile_label_wrap = workbook_add_format(x->wb);
		format_set_bold(x->tile_label_wrap);
		format_set_text_wrap(x->tile_label_wrap);
		format_set_align(x->tile_label_wrap, LXW_ALIGN_VERTICAL_CENTER);
	}
	xcheck(x, worksheet_set_row(o->ws, r, 30, NULL), "set_row");
	xcheck(x, worksheet_write_rich_string(o->ws, r, 0, parts, x->tile_label_wrap),
	       "write_rich_string");
	g_free(flag);
	g_free(cases);
}

static void tiles(ov *o, const layout_workbook *lw)
{
	xctx *x = o->x;
	const mval *rows = mv_get(x->root, "what_changed");
	static const char *const hdr[] = {"KPI", "This week", "Last week", "Change",
					  "13-week trend"};
	/* the figures' headers right-aligned over them; the trend's indented,
	 * clear of the change's ("Change13-week trend" read as one) */
	for (int c = 0; c < 5; c++)
		xtext(x, o->ws, TILE_ROW, (lxw_col_t)c, hdr[c],
		      c >= 1 && c <= 3 ? x->header_num
		      : c == 4	       ? x->header_clear
				       : x->header);
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *row = mv_at(rows, i);
		const char *kpi = mv_str_of(mv_get(row, "kpi"));
		lxw_row_t r = TILE_ROW + 1 + (lxw_row_t)i;
		worksheet_set_row(o->ws, r, 24, NULL);
		const char *drill = drill_id(kpi) ? xlsx_sheet_title(lw, drill_id(kpi)) : NULL;
		if (drill) {
			char *url = xasprintf("internal:'%s'!A1", drill);
			xcheck(x, worksheet_write_url(o->ws, r, 0, url, x->link), "write_url");
			xtext(x, o->ws, r, 0, catalog_label(kpi), x->link);
			free(url);
		} else if (changes_few(row) || changes_young(row)) {
			flagged_label(o, r, row, kpi);
		} else {
			xtext(x, o->ws, r, 0, catalog_label(kpi), x->tile_label);
		}
		/* the two weeks' amounts share one precision, as the PDF's and
		 * the e-mail's: cents only when both are under 10,000 */
		double now = mv_num_of(mv_get(row, "this_week")),
		       last = mv_num_of(mv_get(row, "last_week"));
		double largest = fmax(isnan(now) ? 0 : fabs(now), isnan(last) ? 0 : fabs(last));
		x->whole_money = !numfmt_money_cents(largest);
		tile_figure(o, r, 1, mv_get(row, "this_week"), kpi, changes_few(row));
		tile_figure(o, r, 2, mv_get(row, "last_week"), kpi, false);
		x->whole_money = false;
		tile_change(o, r, row, kpi);
		sparkline(o, r, kpi);
		/* a defined name for each headline figure: =MQLs, =Cost_per_MQL … */
		char name[64], ref[96];
		/* each run of other characters one underscore, none at the end:
		 * "MQL → SQL rate" is MQL_SQL_rate, not MQL_____SQL_rate */
		size_t k = 0;
		for (const char *p = catalog_short_label(kpi); *p && k + 1 < sizeof name; p++)
			if (g_ascii_isalnum(*p))
				name[k++] = *p;
			else if (k && name[k - 1] != '_')
				name[k++] = '_';
		while (k && name[k - 1] == '_')
			k--;
		name[k] = '\0';
		snprintf(ref, sizeof ref, "='%s'!$B$%u", o->name, (unsigned)r + 1);
		if (g_ascii_isalpha(name[0]))
			workbook_define_name(x->wb, name, ref);
	}
}

/* The height of a row whose text s is merged across columns A to F: a
 * spreadsheet does not grow a merged row to its text, so as many lines as
 * s wraps into at their width (XLSX_CHARS_PER_UNIT characters a unit,
 * bold ones a tenth fewer: about 95 and 85), at least two, so that no line
 * is cut or printed over the row below; at most the tallest row. */
static double merged_height(const ov *o, const char *s, bool bold)
{
	double units = 0;
	for (int c = 0; c < CHART_COL; c++)
		units += o->widths[c];
	long per = (long)(units * XLSX_CHARS_PER_UNIT * (bold ? 0.9 : 1.0));
	long lines = xwrapped_lines(s, per);
	return fmin(LINE_PT * (double)(lines < 2 ? 2 : lines), ROW_MAX_PT);
}

/* The data-health warnings (banner.c), before any figure: left of the
 * charts, which float over columns G on from the first row, as tall as
 * its wrapped lines of bold text need. */
static void health_banner(ov *o)
{
	char *msg = report_health_text(o->x->root, " · ");
	if (*msg) {
		worksheet_set_row(o->ws, 2, fmin(merged_height(o, msg, true) + 3, ROW_MAX_PT),
				  NULL);
		xmerge(o->x, o->ws, 2, 0, CHART_COL - 1, msg, o->x->warn);
	}
	free(msg);
}

/* A channel's interval about its close rate, as formulas over the columns
 * D (rate), E (low) and F (high) of its data row with their results
 * stored (the whiskers' lengths below and above the rate: drawing geometry,
 * not a metric), and its rate once more in the chart's own column of it
 * (I on: one column per channel, a series of the chart each). */
static void interval_pieces(ov *o, lxw_row_t rr, size_t i, const mval *row)
{
	const mval *rate = mv_get(row, "close_rate"), *lo = mv_get(row, "close_rate_ci_low"),
		   *hi = mv_get(row, "close_rate_ci_high");
	if (mv_is_null(rate))
		return;
	char f[64];
	lxw_format *pct = o->x->cat[CF_PERCENT][0];
	snprintf(f, sizeof f, "=D%u", (unsigned)rr + 1);
	worksheet_write_formula_num(o->ws, rr, (lxw_col_t)(RATE_COL + i), f, pct, mv_num_of(rate));
	if (mv_is_null(lo) || mv_is_null(hi))
		return;
	snprintf(f, sizeof f, "=D%u-E%u", (unsigned)rr + 1, (unsigned)rr + 1);
	worksheet_write_formula_num(o->ws, rr, 6, f, pct, mv_num_of(rate) - mv_num_of(lo));
	snprintf(f, sizeof f, "=F%u-D%u", (unsigned)rr + 1, (unsigned)rr + 1);
	worksheet_write_formula_num(o->ws, rr, 7, f, pct, mv_num_of(hi) - mv_num_of(rate));
}

/* a and b as one text whose spaces are no-break spaces: a chart's name
 * on one line, which a spreadsheet wraps at its spaces onto two or three
 * and then skips every other name as crowded. Caller g_free()s. */
static char *one_line(const char *a, const char *b)
{
	char *both = g_strconcat(a, b, NULL);
	GString *t = g_string_new(NULL);
	for (const char *p = both; *p; p++)
		if (*p == ' ')
			g_string_append(t, "\xC2\xA0");
		else
			g_string_append_c(t, *p);
	g_free(both);
	return g_string_free(t, FALSE);
}

/* The cost chart's name of a channel, in the column after the close
 * rates': a channel whose cost per MQL is not applicable says why, as it
 * has no bar ("Direct (no spend)": a cost per unit is 0 only without spend;
 * "Email (no MQLs)": null), not to be read as $0. */
static void cost_label(ov *o, lxw_row_t rr, const char *name, const mval *now)
{
	lxw_col_t c = (lxw_col_t)(RATE_COL + o->nchan);
	const mval *cost = now ? mv_get(now, "cost_per_mql") : NULL;
	const char *why = !now || (!mv_is_null(cost) && mv_num_of(cost) == 0) ? " (no spend)"
			  : mv_is_null(cost)				      ? " (no MQLs)"
									      : "";
	char *cut = middle_cut(name ? catalog_words(catalog_find("channel"), name) : "",
			       CAMPAIGN_LABEL_CHARS);
	char *t = one_line(cut, why);
	xtext(o->x, o->ws, rr, c, t, NULL);
	g_free(t);
	g_free(cut);
}

/* The row of channel `name` among this week's channels c1, or NULL (no
 * lead, MQL or spend of it this week). */
static const mval *channel_now(const mval *c1, const char *name)
{
	for (size_t j = 0; j < mv_len(c1); j++)
		if (g_strcmp0(mv_str_of(mv_get(mv_at(c1, j), "channel")), name) == 0)
			return mv_at(c1, j);
	return NULL;
}

/* A channel of the charts' ranking: its row of the 13 weeks and its MQLs
 * this week. */
typedef struct chan_rank {
	size_t at;
	int64_t mqls;
	const char *name;
} chan_rank;

static int by_mqls(const void *a, const void *b)
{
	const chan_rank *x = a, *y = b;
	bool ux = catalog_is_unknown(x->name), uy = catalog_is_unknown(y->name);
	if (ux != uy)
		return ux ? 1 : -1;
	if (x->mqls != y->mqls)
		return x->mqls > y->mqls ? -1 : 1;
	return g_strcmp0(x->name, y->name);
}

/* The rows of c13 in the order the channel charts rank them: by this week's
 * MQLs (c1), most first, then by name; unknown last. Caller frees. */
static size_t *channel_order(const mval *c13, const mval *c1)
{
	size_t n = mv_len(c13);
	chan_rank *r = xcalloc(n ? n : 1, sizeof *r);
	for (size_t i = 0; i < n; i++) {
		const char *name = mv_str_of(mv_get(mv_at(c13, i), "channel"));
		r[i] = (chan_rank){i, mv_int_of(mv_get(channel_now(c1, name), "mqls")), name};
	}
	qsort(r, n, sizeof *r, by_mqls);
	size_t *ord = xcalloc(n ? n : 1, sizeof *ord);
	for (size_t i = 0; i < n; i++)
		ord[i] = r[i].at;
	free(r);
	return ord;
}

/* The 13-week series, this week's channels and the top campaigns by ROI,
 * visible below the charts they feed. */
static void chart_data(ov *o)
{
	xctx *x = o->x;
	lxw_row_t r = DATA_ROW;
	xtext(x, o->ws, r++, 0, "Data behind the charts", x->block_title);
	o->trend_hr = r;
	const mval *trend = mv_get(x->root, "kpi_trend"), *row0 = trend_row(o);
	for (size_t c = 0, at = 0; c < mv_len(row0); c++) {
		const char *key = mv_key(row0, c);
		if (!trend_series_key(row0, c))
			continue;
		xtext(x, o->ws, r, (lxw_col_t)at, catalog_short_label(key),
		      at ? x->header_num : x->header);
		for (size_t w = 0; w < mv_len(trend); w++)
			figure(o, r + 1 + (lxw_row_t)w, (lxw_col_t)at, mv_get(mv_at(trend, w), key),
			       key, false);
		at++;
	}
	r += 15;
	static const char *const chan[] = {"channel",		"mqls",
					   "cost_per_mql",	"close_rate",
					   "close_rate_ci_low", "close_rate_ci_high"};
	o->chan_hr = r;
	xtext(x, o->ws, r, 0, "Channel", x->header);
	xtext(x, o->ws, r, 1, "MQLs (this week)", x->header_num);
	xtext(x, o->ws, r, 2, "Cost per MQL (this week)", x->header_num);
	xtext(x, o->ws, r, 3, "Close rate (13 weeks)", x->header_num);
	xtext(x, o->ws, r, 4, "Close rate, low", x->header_num);
	xtext(x, o->ws, r, 5, "Close rate, high", x->header_num);
	xtext(x, o->ws, r, 6, "Interval below the rate", x->header_num);
	xtext(x, o->ws, r, 7, "Interval above the rate", x->header_num);
	const mval *c13 = mv_path(x->root, "by_channel.13w"),
		   *c1 = mv_path(x->root, "by_channel.1w");
	o->nchan = mv_len(c13);
	o->chan_ord = channel_order(c13, c1);
	for (size_t i = 0; i < o->nchan; i++) {
		const mval *row = mv_at(c13, o->chan_ord[i]);
		const char *name = mv_str_of(mv_get(row, "channel"));
		const mval *now = channel_now(c1, name);
		lxw_row_t rr = r + 1 + (lxw_row_t)i;
		xvalue(x, o->ws, rr, 0, mv_get(row, "channel"), "channel");
		for (int c = 1; c < 6; c++)
			figure(o, rr, (lxw_col_t)c, mv_get(c < 3 ? now : row, chan[c]), chan[c],
			       false);
		interval_pieces(o, rr, i, row);
		char *h = xasprintf("Close rate: %s",
				    name ? catalog_words(catalog_find("channel"), name) : "");
		xtext(x, o->ws, r, (lxw_col_t)(RATE_COL + i), h, x->header_num);
		free(h);
		cost_label(o, rr, name, now);
	}
	if (o->nchan)
		xtext(x, o->ws, r, (lxw_col_t)(RATE_COL + o->nchan), "Channel (cost per MQL chart)",
		      x->header);
	r += (lxw_row_t)o->nchan + 3;
	o->camp_hr = r;
	xtext(x, o->ws, r, 0, "Campaign (top by ROI, 13 weeks, with spend)", x->header);
	xtext(x, o->ws, r, 1, "ROI", x->header_num);
	xtext(x, o->ws, r, 2, "Campaign, as the chart names it", x->header);
	const mval *camps = mv_path(x->root, "by_campaign.13w");
	size_t n = mv_len(camps), *idx = xcalloc(n + 1, sizeof *idx), k = 0;
	/* ranked: the campaigns with a ROI, not the leads and spend without a
	 * campaign ("unknown"); those whose ROI rests on enough MQLs first, then
	 * those one deal moves a lot (low_sample), drawn light */
	for (size_t i = 0; i < n; i++) {
		const mval *c = mv_at(camps, i);
		if (!mv_is_null(mv_get(c, "roi")) &&
		    !catalog_is_unknown(mv_str_of(mv_get(c, "campaign"))))
			idx[k++] = i;
	}
	/* selection of the best: k stays small */
	for (size_t a = 0; a < k && a < TOP_CAMPAIGNS; a++)
		for (size_t b = a + 1; b < k; b++) {
			const mval *x1 = mv_at(camps, idx[a]), *x2 = mv_at(camps, idx[b]);
			bool f1 = mv_bool_of(mv_get(x1, "low_sample"));
			bool f2 = mv_bool_of(mv_get(x2, "low_sample"));
			if (f2 < f1 || (f2 == f1 && mv_num_of(mv_get(x2, "roi")) >
							mv_num_of(mv_get(x1, "roi")))) {
				size_t t = idx[a];
				idx[a] = idx[b];
				idx[b] = t;
			}
		}
	size_t top = k < TOP_CAMPAIGNS ? k : TOP_CAMPAIGNS, firm = 0;
	while (firm < top && !mv_bool_of(mv_get(mv_at(camps, idx[firm]), "low_sample")))
		firm++;
	/* the two rankings one after the other: an empty category between them
	 * is a gap in the chart, so that a light 5742% below a dark 1778% reads
	 * as a second list, not a wrong order */
	o->camp_gap = firm > 0 && firm < top;
	o->ncamp = top + o->camp_gap;
	for (size_t i = 0, at = 0; i < top; i++, at++) {
		if (o->camp_gap && i == firm)
			o->camp_few[at++] = false;
		const mval *row = mv_at(camps, idx[i]);
		o->camp_few[at] = mv_bool_of(mv_get(row, "low_sample"));
		double roi = mv_num_of(mv_get(row, "roi"));
		if (isfinite(roi) && roi > o->camp_roi_max)
			o->camp_roi_max = roi;
		if (isfinite(roi) && roi < o->camp_roi_min)
			o->camp_roi_min = roi;
		xvalue(x, o->ws, r + 1 + (lxw_row_t)at, 0, mv_get(row, "campaign"), "campaign");
		figure(o, r + 1 + (lxw_row_t)at, 1, mv_get(row, "roi"), "roi", false);
		char *shown = middle_cut(mv_str_of(mv_get(row, "campaign")), CAMPAIGN_LABEL_CHARS);
		xtext(x, o->ws, r + 1 + (lxw_row_t)at, 2, shown, NULL);
		g_free(shown);
	}
	free(idx);
}

static lxw_chart *small_chart(ov *o, uint8_t type, const char *title)
{
	lxw_chart *ch = workbook_add_chart(o->x->wb, type);
	if (!ch)
		return NULL;
	chart_title_set_name(ch, title);
	lxw_chart_font tf = {.size = 9, .bold = LXW_TRUE};
	chart_title_set_name_font(ch, &tf);
	lxw_chart_font af = {.size = 8};
	chart_axis_set_num_font(ch->x_axis, &af);
	chart_axis_set_num_font(ch->y_axis, &af);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	return ch;
}

static void place(ov *o, lxw_chart *ch, lxw_row_t r, int dx, int dy, int w, int h)
{
	lxw_chart_options opt = {
	    .x_offset = dx, .y_offset = dy, .x_scale = w / 480.0, .y_scale = h / 288.0};
	xcheck(o->x, worksheet_insert_chart_opt(o->ws, r, CHART_COL, ch, &opt), "insert_chart");
}

/* The height of a horizontal bar chart of n categories in pixels: room for
 * every name (LibreOffice skips the labels that do not fit). */
static int bars_height(size_t n)
{
	int h = 70 + 18 * (int)n;
	return h < 200 ? 200 : h > 330 ? 330 : h;
}

/* The largest value of key over the rows at path of the tree (0 when none). */
static double largest(const mval *root, const char *path, const char *key)
{
	const mval *rows = mv_path(root, path);
	double m = 0;
	for (size_t i = 0; i < mv_len(rows); i++) {
		double v = mv_num_of(mv_get(mv_at(rows, i), key));
		if (v > m)
			m = v;
	}
	return m;
}

/* A count's axis in whole steps: on small counts a spreadsheet's own steps
 * are halves ("0.5 SQLs"). */
static void count_axis(lxw_chart_axis *ax, double largest_value)
{
	if (largest_value < 10)
		chart_axis_set_major_unit(ax, 1);
	chart_axis_set_num_format(ax, "#,##0");
}

/* The weeks of the 13-week series by their numbers, first and last, for a
 * title (", W35\u2013W47": thirteen weeks in a row, the year goes without
 * saying), into buf; "" when the tree has no such series. */
static void trend_span(const ov *o, char *buf, size_t n)
{
	const mval *trend = mv_get(o->x->root, "kpi_trend");
	size_t len = mv_len(trend);
	const char *a = len ? mv_str_of(mv_get(mv_at(trend, 0), "week")) : NULL;
	const char *b = len ? mv_str_of(mv_get(mv_at(trend, len - 1), "week")) : NULL;
	const char *wa = a ? strrchr(a, 'W') : NULL, *wb = b ? strrchr(b, 'W') : NULL;
	if (wa && wb)
		snprintf(buf, n, ", %s\xE2\x80\x93%s", wa, wb);
	else
		buf[0] = '\0';
}

/* Leads, MQLs, SQLs and wins as small multiples, each on its own scale,
 * the weeks they span in their titles (their axis of weeks is left off). */
static void funnel_multiples(ov *o)
{
	static const char *const k[] = {"leads", "mqls", "sqls", "wins"};
	char span[48];
	trend_span(o, span, sizeof span);
	for (int i = 0; i < 4; i++) {
		long c = trend_col(o, k[i]);
		if (c < 0)
			continue; /* no 13-week series of it in the tree */
		/* "Weekly leads, W35–W47": "Leads per week, W35–W47" is a line too long */
		char *lower = catalog_in_sentence(catalog_short_label(k[i]));
		char *t = xasprintf("Weekly %s%s", lower, span);
		g_free(lower);
		lxw_chart *ch = small_chart(o, LXW_CHART_COLUMN, t);
		free(t);
		if (!ch)
			return;
		/* a point smaller than the other charts' titles: the weeks fit
		 * on the line of a chart 150 pixels wide */
		lxw_chart_font tf = {.size = 8, .bold = LXW_TRUE};
		chart_title_set_name_font(ch, &tf);
		lxw_chart_series *s = trend_series(o, ch, c);
		/* the report week dark, the 12 before it grey (IBCS: this period
		 * solid and dark, the comparison grey) */
		lxw_chart_fill grey = {.color = PALETTE_GREY}, dark = {.color = PALETTE_DARK};
		lxw_chart_point pts[TREND_ROWS];
		lxw_chart_point *pp[TREND_ROWS + 1];
		for (int w = 0; w < TREND_ROWS; w++) {
			pts[w] = (lxw_chart_point){.fill = w == TREND_ROWS - 1 ? &dark : &grey};
			pp[w] = &pts[w];
		}
		pp[TREND_ROWS] = NULL;
		chart_series_set_points(s, pp);
		chart_axis_off(ch->x_axis);
		chart_axis_set_min(ch->y_axis, 0);
		count_axis(ch->y_axis, largest(o->x->root, "kpi_trend", k[i]));
		place(o, ch, 0, i * 150, 0, 150, 150);
	}
}

/* One bar per channel in its own colour, named from column cat; counts
 * (count_max, their largest, 0 or more) on an axis of whole steps. */
static long long low_sample_min(const ov *o);

/* light_few: a channel whose figure rests on fewer than low_sample_min of
 * this week's MQLs (a cost per MQL of 2) in a lighter shade of its colour,
 * and the title says so. */
static void channel_bars(ov *o, lxw_col_t col, lxw_col_t cat, const char *title, const char *fmt,
			 double count_max, int dx, lxw_row_t row, bool light_few)
{
	char *full = light_few ? xasprintf("%s (light: under %lld MQLs)", title, low_sample_min(o))
			       : xstrdup(title);
	lxw_chart *ch = small_chart(o, LXW_CHART_BAR, full);
	free(full);
	if (!ch || o->nchan == 0)
		return;
	lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
	chart_series_set_values(s, o->name, o->chan_hr + 1, col, o->chan_hr + (lxw_row_t)o->nchan,
				col);
	chart_series_set_categories(s, o->name, o->chan_hr + 1, cat,
				    o->chan_hr + (lxw_row_t)o->nchan, cat);
	lxw_chart_fill *fills = xcalloc(o->nchan, sizeof *fills);
	lxw_chart_line *edges = xcalloc(o->nchan, sizeof *edges);
	lxw_chart_point *pts = xcalloc(o->nchan, sizeof *pts);
	lxw_chart_point **pp = xcalloc(o->nchan + 1, sizeof *pp);
	const mval *c13 = mv_path(o->x->root, "by_channel.13w"),
		   *c1 = mv_path(o->x->root, "by_channel.1w");
	for (size_t i = 0; i < o->nchan; i++) {
		const char *name = mv_str_of(mv_get(mv_at(c13, o->chan_ord[i]), "channel"));
		fills[i].color = palette_channel_colour(o->x->root, name);
		int64_t mqls = light_few ? mv_int_of(mv_get(channel_now(c1, name), "mqls")) : 0;
		if (light_few && mqls > 0 && mqls < low_sample_min(o))
			fills[i].color = palette_lighten(fills[i].color, 0.5);
		pts[i].fill = &fills[i];
		uint32_t edge = palette_edge(fills[i].color);
		if (edge != PALETTE_NO_EDGE) {
			edges[i] = (lxw_chart_line){.color = edge, .width = 0.75};
			pts[i].line = &edges[i];
		}
		pp[i] = &pts[i];
	}
	chart_series_set_points(s, pp);
	/* every channel named, "(no MQLs)" and all: a spreadsheet skips every
	 * other name it thinks crowded, and a bar without its name is no one's */
	chart_axis_set_interval_unit(ch->y_axis, 1);
	lxw_chart_font names = {.size = 7};
	chart_axis_set_num_font(ch->y_axis, &names);
	/* the first channel on top, the value axis still below the bars */
	chart_axis_set_reverse(ch->y_axis);
	chart_axis_set_crossing_max(ch->y_axis);
	chart_set_series_gap(ch, 60);
	chart_axis_set_num_format(ch->x_axis, fmt);
	if (count_max >= 0)
		count_axis(ch->x_axis, count_max);
	chart_axis_set_min(ch->x_axis, 0);
	place(o, ch, row, dx, 0, 300, bars_height(o->nchan));
	free(pp);
	free(pts);
	free(edges);
	free(fills);
}

/* The report's low-sample minimum, for the charts' legends (the
 * default's 30 when the tree does not say). */
static long long low_sample_min(const ov *o)
{
	long min = changes_low_sample_min(o->x->root);
	return min >= 0 ? min : 30;
}

#define CLOSE_RATE_MAX	100 /* channels drawn on the close rate chart */
#define CLOSE_RATE_STEP 0.2 /* the close rate axis' step: six labels, upright */

/* Close rate by channel with its 95% interval: a bar from zero to the rate
 * and whiskers from the interval's low to its high end; the bar of a rate
 * that rests on few closed deals (or, without their count, few MQLs)
 * light. libxlsxwriter draws no error bars of a value per point, only one
 * per series: each channel is
 * a series of its own (its column from I on holds its rate only), overlapped
 * in one place per category, the bar with its whisker below the rate and an
 * unfilled twin with the one above (the interval is not symmetric). */
static void close_rate_interval(ov *o, lxw_row_t row, int dx, int dy)
{
	const mval *c13 = mv_path(o->x->root, "by_channel.13w");
	size_t rated = 0;
	for (size_t i = 0; i < o->nchan; i++)
		rated += !mv_is_null(mv_get(mv_at(c13, i), "close_rate"));
	if (rated == 0)
		return; /* no channel has a rate: no chart (one needs a series) */
	/* two series a channel: Excel draws at most 255 in a chart */
	/* a rate rests on its closed deals (close_rate_n, as the PDF and the
	 * Channels sheet read it) where the rows have them, else on the MQLs */
	bool by_deals = o->nchan && mv_get(mv_at(c13, 0), "close_rate_n");
	const char *unit = by_deals ? "closed deals" : "MQLs";
	char *title = rated > CLOSE_RATE_MAX
			  ? xasprintf("Close rate by channel, 13 weeks, with its 95%% interval "
				      "(light: under %lld %s; the first %d of %zu channels)",
				      low_sample_min(o), unit, CLOSE_RATE_MAX, rated)
			  : xasprintf("Close rate by channel, 13 weeks, with its 95%% interval "
				      "(light: under %lld %s)",
				      low_sample_min(o), unit);
	lxw_chart *ch = small_chart(o, LXW_CHART_BAR, title);
	free(title);
	if (!ch)
		return;
	lxw_row_t a = o->chan_hr + 1, b = o->chan_hr + (lxw_row_t)o->nchan;
	size_t nser = 0;
	for (size_t i = 0; i < o->nchan && nser < 2 * CLOSE_RATE_MAX; i++) {
		const mval *r = mv_at(c13, o->chan_ord[i]);
		const mval *rate = mv_get(r, "close_rate"), *lo = mv_get(r, "close_rate_ci_low"),
			   *hi = mv_get(r, "close_rate_ci_high");
		if (mv_is_null(rate))
			continue; /* no SQL: no rate, no bar */
		bool few = by_deals
			       ? mv_num_of(mv_get(r, "close_rate_n")) < (double)low_sample_min(o)
			       : mv_bool_of(mv_get(r, "low_sample"));
		lxw_col_t col = (lxw_col_t)(RATE_COL + i);
		uint32_t ink = palette_channel_colour(o->x->root, mv_str_of(mv_get(r, "channel")));
		if (few)
			ink = palette_lighten(ink, RATE_FADE);
		for (int twin = 0; twin < 2; twin++) {
			lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
			nser++;
			chart_series_set_values(s, o->name, a, col, b, col);
			chart_series_set_categories(s, o->name, a, 0, b, 0);
			lxw_chart_fill fill = {.color = ink, .none = twin == 1};
			uint32_t edge = palette_edge(ink);
			lxw_chart_line line = {.none = LXW_TRUE};
			if (twin == 0 && edge != PALETTE_NO_EDGE)
				line = (lxw_chart_line){.color = edge, .width = 0.75};
			chart_series_set_fill(s, &fill);
			chart_series_set_line(s, &line);
			if (mv_is_null(lo) || mv_is_null(hi))
				continue;
			double len = twin == 0 ? mv_num_of(rate) - mv_num_of(lo)
					       : mv_num_of(hi) - mv_num_of(rate);
			lxw_series_error_bars *eb =
			    chart_series_get_error_bars(s, LXW_CHART_ERROR_BAR_AXIS_X);
			chart_series_set_error_bars(eb, LXW_CHART_ERROR_BAR_TYPE_FIXED, len);
			chart_series_set_error_bars_direction(
			    eb, twin == 0 ? LXW_CHART_ERROR_BAR_DIR_MINUS
					  : LXW_CHART_ERROR_BAR_DIR_PLUS);
			lxw_chart_line whisker = {.color = WHISKER_INK, .width = 1.25};
			chart_series_set_error_bars_line(eb, &whisker);
		}
	}
	/* every channel's series in its category's one place */
	chart_set_series_overlap(ch, 100);
	chart_set_series_gap(ch, 60);
	/* every channel named, as on the charts above: told to skip none and
	 * with the rates in steps of 20%, as a spreadsheet's own steps of 10%
	 * tilt their labels, which then take the height the names needed and
	 * every other name is skipped all the same */
	chart_axis_set_interval_unit(ch->y_axis, 1);
	lxw_chart_font names = {.size = 7};
	chart_axis_set_num_font(ch->y_axis, &names);
	chart_axis_set_reverse(ch->y_axis);
	chart_axis_set_crossing_max(ch->y_axis);
	chart_axis_set_num_format(ch->x_axis, "0%");
	chart_axis_set_min(ch->x_axis, 0);
	chart_axis_set_max(ch->x_axis, 1);
	chart_axis_set_major_unit(ch->x_axis, CLOSE_RATE_STEP);
	place(o, ch, row, dx, dy, 300, bars_height(o->nchan > o->ncamp ? o->nchan : o->ncamp));
}

/* The share of the ROI chart's value axis that a label written beyond a
 * negative bar's end needs before the names at the axis' low end: "−100%"
 * in 7 points is a fifth of the plot beside names of 28 characters, and a
 * little more keeps a gap (the names and the label ran together). */
#define ROI_LABEL_ROOM 0.22

/* The ROI chart's value axis: room past the longest bar for its label
 * ("37,489%"), at most four steps, whose labels ran together at a chart's
 * width when they were more, and of those the nice step that ends the axis
 * soonest: with at most three, a top bar of 5,742% drew on an axis to
 * 10,000%. With a negative ROI, the axis reaches below it by
 * ROI_LABEL_ROOM of its length (which that room lengthens), for its
 * "−100%" before the names, in steps of the same size, five in all at
 * most; of those the shortest axis. Without a positive ROI the axis ends
 * at 0, without a negative one it starts there. */
static void roi_axis(const ov *o, lxw_chart_axis *ax)
{
	double top = o->camp_roi_max * 1.35, low = -o->camp_roi_min;
	if (top <= 0 && low <= 0)
		return;
	double mag = pow(10, floor(log10(fmax(top, low / (1 - ROI_LABEL_ROOM)) / 4)));
	static const double nice[] = {1, 2, 2.5, 5, 10, 20};
	double best_step = 0, best_max = 0, best_min = 0, best_len = INFINITY;
	for (size_t k = 0; k < sizeof nice / sizeof nice[0]; k++) {
		double step = nice[k] * mag, end = ceil(top / step - 1e-9) * step, start = 0;
		if (low > 0)
			start = -ceil((low + ROI_LABEL_ROOM * end) / (1 - ROI_LABEL_ROOM) / step -
				      1e-9) *
				step;
		if (end / step > 4 + 1e-9 || (end - start) / step > 5 + 1e-9)
			continue;
		if (end - start < best_len) {
			best_step = step;
			best_max = end;
			best_min = start;
			best_len = end - start;
		}
	}
	if (!isfinite(best_len))
		return;
	chart_axis_set_major_unit(ax, best_step);
	chart_axis_set_max(ax, best_max);
	chart_axis_set_min(ax, best_min);
}

static void top_roi(ov *o, lxw_row_t row, int dx, int dy)
{
	if (o->ncamp == 0)
		return; /* a chart without a series stops the workbook */
	char *title =
	    o->camp_gap
		? xasprintf("Top campaigns by ROI, 13 weeks: %lld MQLs or more, then fewer (light)",
			    low_sample_min(o))
		: xasprintf("Top campaigns by ROI, 13 weeks (light: under %lld MQLs)",
			    low_sample_min(o));
	lxw_chart *ch = small_chart(o, LXW_CHART_BAR, title);
	free(title);
	if (!ch)
		return;
	lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
	lxw_row_t a = o->camp_hr + 1, b = o->camp_hr + (lxw_row_t)o->ncamp;
	chart_series_set_values(s, o->name, a, 1, b, 1);
	/* the names as shortened for the axis, every one of them shown (a
	 * spreadsheet skips every other label it thinks crowded) */
	chart_series_set_categories(s, o->name, a, 2, b, 2);
	chart_axis_set_interval_unit(ch->y_axis, 1);
	lxw_chart_font names = {.size = 7};
	chart_axis_set_num_font(ch->y_axis, &names);
	lxw_chart_fill dark = {.color = PALETTE_DARK}, light = {.color = RATE_LIGHT};
	lxw_chart_point pts[TOP_CAMPAIGNS + 1];
	lxw_chart_point *pp[TOP_CAMPAIGNS + 2];
	for (size_t i = 0; i < o->ncamp; i++) {
		pts[i] = (lxw_chart_point){.fill = o->camp_few[i] ? &light : &dark};
		pp[i] = &pts[i];
	}
	pp[o->ncamp] = NULL;
	chart_series_set_fill(s, &dark);
	chart_series_set_points(s, pp);
	/* each bar's ROI written at its end: the ranking puts the campaigns of
	 * few MQLs last, so a light bar may outrun the dark ones above it */
	chart_series_set_labels(s);
	chart_series_set_labels_position(s, LXW_CHART_LABEL_POSITION_OUTSIDE_END);
	chart_series_set_labels_num_format(s, "#,##0%;\"\xE2\x88\x92\"#,##0%");
	lxw_chart_font lf = {.size = 7};
	chart_series_set_labels_font(s, &lf);
	/* on white: a grid line runs through no label ("−100%" reaches past
	 * the next step below zero) */
	lxw_chart_fill paper = {.color = 0xFFFFFF};
	chart_series_set_labels_fill(s, &paper);
	chart_axis_set_reverse(ch->y_axis);
	chart_axis_set_crossing_max(ch->y_axis);
	/* the names at the chart's left edge, clear of a negative bar and of
	 * its "−100%" written beyond it */
	chart_axis_set_label_position(ch->y_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
	chart_axis_set_num_format(ch->x_axis, "#,##0%;\"\xE2\x88\x92\"#,##0%");
	roi_axis(o, ch->x_axis);
	place(o, ch, row, dx, dy, 300, bars_height(o->nchan > o->ncamp ? o->nchan : o->ncamp));
}

static void what_changed(ov *o, lxw_row_t r)
{
	xctx *x = o->x;
	xtext(x, o->ws, r++, 0, "What changed", x->block_title);
	/* the week in one sentence first: usual or not, and what moved; each
	 * row as tall as its text's lines */
	char *verdict = changes_verdict(x->root);
	if (verdict) {
		worksheet_set_row(o->ws, r, merged_height(o, verdict, true), NULL);
		xmerge(x, o->ws, r++, 0, CHART_COL - 1, verdict, x->verdict);
		g_free(verdict);
	}
	char **s = changes_sentences(x->root, CHANGES_MAX);
	for (char **p = s; *p; p++, r++) {
		worksheet_set_row(o->ws, r, merged_height(o, *p, false), NULL);
		xmerge(x, o->ws, r, 0, CHART_COL - 1, *p, x->wrap);
	}
	g_strfreev(s);
	char *q = changes_qualification(x->root);
	if (q) {
		xtext(x, o->ws, r++, 0, "Qualification", x->block_title);
		worksheet_set_row(o->ws, r, merged_height(o, q, false), NULL);
		xmerge(x, o->ws, r, 0, CHART_COL - 1, q, x->wrap);
		r++;
		g_free(q);
	}
	const char *model = mv_str_of(mv_path(x->root, "report.attribution"));
	const mval *tiles = mv_get(x->root, "what_changed");
	size_t nt = mv_len(tiles) < 64 ? mv_len(tiles) : 64;
	const mval *rows[64] = {0};
	bool dash = false; /* a tile shows "—": the note says why one can */
	bool no_spend = false;
	for (size_t i = 0; i < nt; i++) {
		rows[i] = mv_at(tiles, i);
		dash = dash || changes_has_dash(rows[i]);
		no_spend = no_spend || changes_no_spend_either(rows[i]);
	}
	char *young = changes_young_note(rows, nt);
	char *few = changes_few_note(x->root, rows, nt);
	char *deals = changes_deals_note(x->root);
	char *words = catalog_model_words(model);
	char *note =
	    xasprintf("Revenue and ROI by channel and campaign follow the %s attribution "
		      "model. Definitions: the Glossary sheet.%s%s%s%s%s%s%s%s%s%s",
		      words, young ? " " : "", young ? young : "", few ? " " : "", few ? few : "",
		      dash ? " " : "", dash ? empty_text : "", no_spend ? " " : "",
		      no_spend ? changes_no_spend_text : "", deals ? " " : "", deals ? deals : "");
	g_free(deals);
	g_free(words);
	worksheet_set_row(o->ws, r, merged_height(o, note, false), NULL);
	g_free(young);
	g_free(few);
	xmerge(x, o->ws, r, 0, CHART_COL - 1, note, x->wrap);
	free(note);
}

/* A column's width in pixels as a spreadsheet draws it: 7 a character
 * and 5 of padding (libxlsxwriter places the charts by the same). */
static double column_px(double w)
{
	return floor(w * 7 + 0.5) + 5;
}

/* Every column as wide as its widest figure needs (o->want), A to F at
 * least text_widths and the charts' columns from G CHART_COL_WIDTH;
 * returns the last column the charts reach into, where the print ends
 * (the data below may widen the charts' columns). */
static lxw_col_t set_widths(ov *o)
{
	for (lxw_col_t c = 0; c < CHART_COL; c++) {
		o->widths[c] = fmax(text_widths[c], c < o->nwant ? o->want[c] : 0);
		xcheck(o->x, worksheet_set_column(o->ws, c, c, o->widths[c], NULL), "set_column");
	}
	lxw_col_t last = CHART_COL;
	double px = 0;
	for (lxw_col_t c = CHART_COL; c < o->used || px < CHARTS_PX; c++) {
		double w = fmax(CHART_COL_WIDTH, c < o->nwant ? o->want[c] : 0);
		if (px < CHARTS_PX)
			last = c;
		px += column_px(w);
		xcheck(o->x, worksheet_set_column(o->ws, c, c, w, NULL), "set_column");
	}
	return last;
}

void xlsx_overview(xctx *x, const layout_sheet *ls, const layout_workbook *lw)
{
	ov o = {.x = x};
	o.ws = xsheet(x, ls->title, &o.name);
	if (!o.ws)
		return;
	char *t = xasprintf("MQL report — %s", x->week_title);
	xtext(x, o.ws, 0, 0, t, x->title);
	free(t);
	t = xasprintf("Amounts in %s. This week against last week; the trend shows the last 13 "
		      "weeks. Click MQLs, SQLs or Wins for the leads.",
		      x->currency);
	xtext(x, o.ws, 1, 0, t, x->subtitle);
	free(t);
	chart_data(&o);
	tiles(&o, lw);
	/* the widths first: the merged texts' rows are as tall as their lines
	 * at them */
	lxw_col_t last = set_widths(&o);
	health_banner(&o);
	funnel_multiples(&o);
	channel_bars(&o, 1, 0, "MQLs by channel, this week", "0",
		     largest(x->root, "by_channel.1w", "mqls"), 0, 8, false);
	char money[64];
	const char *mf = xaxis_format(x, "cost_per_mql", money, sizeof money);
	channel_bars(&o, 2, (lxw_col_t)(RATE_COL + o.nchan), "Cost per MQL by channel, this week",
		     mf ? mf : "#,##0", -1, 300, 8, true);
	/* the second row of charts under the channel bars, whatever the rows' heights */
	int dy = bars_height(o.nchan) + 8;
	close_rate_interval(&o, 8, 0, dy);
	top_roi(&o, 8, 300, dy);
	/* the sentences a row below the last tile, however many tiles */
	lxw_row_t changed_at = TILE_ROW + 2 + (lxw_row_t)mv_len(mv_get(x->root, "what_changed"));
	what_changed(&o, changed_at);
	worksheet_gridlines(o.ws, LXW_HIDE_ALL_GRIDLINES);
	worksheet_activate(o.ws);
	xprint(x, o.ws, 200, 1, 0, 0);
	worksheet_fit_to_pages(o.ws, 1, 1);
	worksheet_set_landscape(o.ws);
	/* the tiles, the sentences and both rows of charts; not the data below */
	worksheet_print_area(o.ws, 0, 0, changed_at + 13, last);
	free(o.chan_ord);
	free(o.want);
}
