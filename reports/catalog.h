/* catalog.h — the metric catalogue: how every key of the report tree is
 * presented (templates/metrics.ini, compiled in).
 *
 * The workbook, the PDF and the e-mail ask here for a key's label, unit,
 * number format, direction (is a rise good?) and one-line definition, so
 * that no output shows a raw key. Keys ending in _ci_low / _ci_high are
 * derived from their rate's entry by a rule, and keys ending in _n (how
 * many cases a statistic rests on) from their statistic's.
 *
 * Ownership: every pointer returned lives as long as the program (the
 * catalogue is parsed once, on first use, and never freed). Thread-safe. */
#ifndef MQL_CATALOG_H
#define MQL_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum cat_format {
	CF_TEXT,
	CF_COUNT,    /* whole numbers: "1,234" */
	CF_MONEY,    /* the report currency: "€1,234.50" */
	CF_PERCENT,  /* a rate 0..1 with one decimal: "12.3%" */
	CF_PERCENT0, /* a ratio shown as a whole percent (ROI): "21%" */
	CF_CHANGE,   /* a relative change: "+18.9%" */
	CF_DAYS,     /* "3.5 d" */
	CF_HOURS,    /* a value in minutes shown in hours ("46.6 h"): display = value / 60 */
	CF_RATIO,    /* "0.88" */
	CF_SCORE,    /* "62.5" */
	CF_DATETIME, /* a UTC instant */
	CF_BOOL,
	CF_COUNT_OF_FORMATS
} cat_format;

typedef enum cat_direction { CD_NONE, CD_UP, CD_DOWN } cat_direction;

typedef struct cat_entry {
	const char *key;
	const char *label;	 /* "Cost per MQL" */
	const char *short_label; /* for tiles and axes; the label when not given */
	const char
	    *unit; /* count, money, rate, days, minutes, ratio, score, text, time, bool, bytes */
	const char *definition;
	cat_format format;
	cat_direction direction;
	double scale;	      /* shown value = tree value × scale (1, or 1/60 for hours) */
	bool is_rate;	      /* a proportion: its change is in percentage points */
	bool averaged;	      /* a mean or spread of a row's metric: a count's has a decimal */
	const char *trips;    /* a data-health check's: when it trips, against its limit */
	const char *young;    /* why this week's value is not yet comparable (a cohort still
				 converting), said beside its change; NULL: it is */
	const char *no_cases; /* what a figure defined on no case lacks ("no deal won"),
				 said beside it in place of its count; NULL: "no case" */
	char **cases;	      /* the statistics whose counts of cases (their "_n") a figure
				 derived from them rests on, for one of its own (clv on
				 deal_size_mean's); NULL: none */
	bool in_words;	      /* its text values are keys, shown in words (catalog_words) */
	char **spelling;      /* words written so whatever their case in a key ("LinkedIn") */
} cat_entry;

/* The entry of key (a derived one for <rate>_ci_low/_ci_high and <stat>_n), or NULL when
 * the catalogue has none. */
const cat_entry *catalog_find(const char *key);

/* The label of key; a key without an entry gets its words capitalised
 * ("chat_started" → "Chat started") so that nothing shows raw. */
const char *catalog_label(const char *key);
const char *catalog_short_label(const char *key);

/* A text value of key in the reader's words: the label of the catalogue's
 * [<key>:<value>] ("The leads export's MQL date" for mql_source export),
 * or the value itself when it has none. */
const char *catalog_value_label(const char *key, const char *value);

/* A text value of e's in words when e's values are keys (in_words: a
 * channel "paid_search" reads "Paid search", "linkedin_ads" "LinkedIn ads"
 * by the entry's spelling); the value itself otherwise, and when it already
 * has a space or a capital (then it is not a key). Distinct keys stay
 * distinct. The text lives as long as the catalogue. */
const char *catalog_words(const cat_entry *e, const char *value);

/* An attribution model's name as a reader knows it ("W-shaped" for
 * w_shaped): the short label of its revenue column (revenue_<model>); the
 * key's words when the catalogue has no such column. */
const char *catalog_model_label(const char *model);

/* The model's name inside a sentence ("first touch", "W-shaped"):
 * catalog_model_label() through catalog_in_sentence(), first touch when
 * model is NULL (a report that does not say). Returns a new string
 * (g_free). */
char *catalog_model_words(const char *model);

/* A label as it reads inside a sentence: its first letter lowered when it
 * starts a plain word ("First touch" → "first touch"; "W-shaped", "MQLs"
 * and "ROI" stay). Returns a new string (g_free). */
char *catalog_in_sentence(const char *label);

/* True for "unknown", SPEC's bucket of leads, events and spend without a
 * channel or campaign: the outputs show it in the tables, draw it in the
 * "other" grey and never rank or name it among the real ones. */
bool catalog_is_unknown(const char *name);
/* Whether the figure of key is a cost per unit, spend over a count
 * (cost_per_lead, cost_per_mql, cac): 0 only without spend, shown "—". */
bool catalog_is_per_unit(const char *key);

/* The reader's words for a data-health check ("Out-of-date export" for
 * source_stale: the catalogue's [check:<key>]), or NULL when it has none. */
const char *catalog_check_label(const char *check);
/* When the check trips, against its limit ("when the value is above the
 * limit": the catalogue's trips of [check:<key>]), or NULL when it has none. */
const char *catalog_check_trips(const char *check);

/* The unit a reader sees the key's figures in: its unit, but "hours" for
 * minutes shown as hours. */
const char *catalog_unit_shown(const cat_entry *e);

/* The entries in the template's order (derived ones not included). */
size_t catalog_count(void);
const cat_entry *catalog_at(size_t i);

/* The text of a number as the key's format shows it ("€259.81", "12.3%",
 * "46.6 h"); NaN gives "—". currency is the report's code. Returns buf. */
const char *catalog_format_number(const cat_entry *e, double v, const char *currency, char *buf,
				  size_t n);
/* The same for a value shown with others (a column, a tile's two weeks):
 * largest is the largest magnitude among them, so that they share one
 * precision (money's cents, numfmt_money_cents()). */
const char *catalog_format_among(const cat_entry *e, double v, double largest, const char *currency,
				 char *buf, size_t n);
/* A KPI's two weeks (NaN: none) in one precision, into now_buf and
 * last_buf, n bytes each: "$17,500" beside "$0", not "$0.00". */
void catalog_format_weeks(const cat_entry *e, double now, double last, const char *currency,
			  char *now_buf, char *last_buf, size_t n);

/* The change from last to now in the key's unit: percentage points for rates
 * and ROI ("+2.1 pp"), a relative percent otherwise ("−6%"). Sets *delta to
 * the signed change (pp as a fraction, or relative), *good to +1 (better),
 * −1 (worse) or 0 (neutral, no change, or a `young` metric not yet
 * comparable with last week). Returns buf; "—" when undefined. */
const char *catalog_format_change(const cat_entry *e, double now, double last, char *buf, size_t n,
				  double *delta, int *good);

/* The embedded template text. */
extern const char catalog_tpl_metrics[];

#endif
