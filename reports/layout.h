/* layout.h — what goes on which workbook sheet and which PDF page.
 *
 * The templates (templates/workbook.ini, templates/report_pdf.ini) are
 * compiled into the binary; they choose sheet order, titles, the tree path
 * each sheet or section shows, columns and charts. Anything of the tree the
 * workbook template does not mention still gets a sheet of its own.
 *
 * Ownership: the parse functions return a layout owned by the caller, freed
 * with the matching _free (NULL is a no-op). Strings are owned by it. */
#ifndef MQL_LAYOUT_H
#define MQL_LAYOUT_H

#include <stddef.h>

#include "base.h"

/* The templates' text, as embedded at build time (NUL-terminated). */
extern const char layout_tpl_workbook[];
extern const char layout_tpl_pdf[];

typedef struct layout_sheet {
	char *id;		/* the template group */
	char *title;		/* sheet name */
	char *path;		/* tree path shown (mv_path) */
	char *group_column;	/* key column of an object of tables ("window"); NULL: "group" */
	bool banner;		/* report title lines above the table */
	char *highlight;	/* column coloured green (better) / red (worse) by sign */
	char *highlight_key;	/* column naming the row's metric */
	char *highlight_now;	/* with highlight_before: better/worse compares these two columns */
	char *highlight_before; /* (not the change's sign, which a negative base flips) */
	char **lower_is_better; /* metrics whose rise is bad (NULL-terminated) */
	char **neutral;		/* metrics not coloured */
	char *chart;		/* "column", "bar", "line" or NULL */
	char *chart_title;
	char *chart_group;	/* rows of this group only ("13w"); NULL: all rows */
	char *chart_category;	/* column of the category labels */
	char **chart_values;	/* columns of the series (NULL-terminated) */
	char *chart_num_format; /* value axis format, e.g. "0%" */
	char *sample;		/* what a row's low_sample counts ("leads"); NULL: "MQLs" */
	char *kind;   /* overview, table, attribution, drilldown, quality, glossary; NULL: table */
	char **paths; /* table: more parts shown below the first (NULL-terminated) */
	/* parts whose every value the sheet's tables show already under
	 * another key: no table of their own here, and no sheet of their own */
	char **covers;
	char *sort;	/* table: rows ordered by this column, largest first, within a group */
	char **heatmap; /* table: columns coloured as a heat map */
	char **hide;	/* table: columns left out of the sheet; they still set a figure's tone */
	char **columns; /* drilldown: the columns shown, in order (NULL-terminated) */
	char *about;	/* what the sheet shows, in a sentence, for the contents */
	char *mark;	/* table: column whose row equal to report.<mark_key> is marked */
	char *mark_key;
	long chart_rows;  /* at most this many rows charted (0: all) */
	bool event_types; /* table: its rows are event types, capped per group (xlsx_int.h) */
} layout_sheet;

typedef struct layout_workbook {
	layout_sheet *sheets;
	size_t nsheets;
} layout_workbook;

enum layout_kind {
	LK_TABLE,
	LK_BAR,
	LK_LINE,
	LK_RANKING,	/* campaign ROI ranking: values revenue;spend;roi */
	LK_SCATTER,	/* values x;y;size (spend;revenue;mqls) */
	LK_CHANNELS,	/* a rate with its interval, then the funnel: values rate;stage1..4 */
	LK_TREND,	/* small multiples, one panel per value */
	LK_ATTRIBUTION, /* side-by-side bars, one column per value */
	LK_HEATMAP,	/* values are the columns; `size` the row's count */
};

typedef struct layout_section {
	char *id;
	enum layout_kind kind;
	char *title;
	char *path;		 /* a table (array of objects) in the tree */
	char *category;		 /* charts: the label column */
	char **values;		 /* charts: the series columns */
	char **columns;		 /* tables: the columns shown; NULL: all scalar columns */
	bool interval;		 /* bar charts: <value>_ci_low/_ci_high as error bars */
	bool new_page;		 /* start on a new page */
	char *subtitle;		 /* a line under the title */
	char *subtitle_no_chart; /* instead, when the chart has nothing to draw; NULL: subtitle */
	char *subtitle_all;	 /* instead, when no more rows than `top` (every one drawn); NULL:
				    subtitle */
	char *sort;		 /* tables, ranking, scatter: rows by this column, largest first */
	char *then; /* rows of the same `sort` by this column, largest first; NULL: by name */
	long top;   /* at most this many rows drawn (0: all) */
	char *size; /* heat map: the column counted beside a row's label */
	char *note; /* a sentence under the chart */
} layout_section;

typedef struct layout_pdf {
	char *title;
	char *headline_path;	/* object whose metrics form the headline (windows.1w) */
	char **headline;	/* its keys shown (NULL-terminated) */
	char *change_path;	/* summary table giving each headline's change; may be NULL */
	char *trend_path;	/* weekly rows whose columns give the headlines' sparklines */
	char **lower_is_better; /* headlines whose rise is bad (red) */
	char **neutral;		/* headlines whose change is not coloured */
	char **percent;		/* ratios shown as a percent (roi), changed in pp */
	layout_section *sections;
	size_t nsections;
	char **label_keys, **label_texts; /* [labels]: display names of keys */
	size_t nlabels;
} layout_pdf;

/* Parse a template's text. `name` is for messages. Returns NULL with err
 * (MQ_SOFTWARE: the template is part of the program) on a malformed one. */
layout_workbook *layout_workbook_parse(const char *text, const char *name, mq_err *err);
void layout_workbook_free(layout_workbook *w);
layout_pdf *layout_pdf_parse(const char *text, const char *name, mq_err *err);
void layout_pdf_free(layout_pdf *p);

/* The display name of a key: the [labels] entry, else the key with '_' as
 * spaces and a capital first letter. Returns buf. */
const char *layout_label(const layout_pdf *p, const char *key, char *buf, size_t n);

#endif
