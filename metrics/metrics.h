/* metrics.h — the funnel metrics of SPEC §6 as one tree of tables.
 *
 * Pure: no I/O, no time-zone files. The caller (cmd/) resolves the report
 * week into instants and passes them in; the result is an mval tree whose
 * keys are SPEC §8's, which every renderer walks. */
#ifndef MQL_METRICS_H
#define MQL_METRICS_H

#include "dataset.h"
#include "mval.h"
#include "score.h"

#define TREND_WEEKS 13

enum mql_source {
	MQL_AUTO,
	MQL_EXPORT,
	MQL_SCORE,
	MQL_STATUS /* the export's, from the lead status */
};

enum attr_model {
	ATTR_FIRST_TOUCH,
	ATTR_LAST_TOUCH,
	ATTR_LINEAR,
	ATTR_U_SHAPED,
	ATTR_W_SHAPED,
	ATTR_TIME_DECAY,
	ATTR_COUNT
};
extern const char *const attr_model_name[ATTR_COUNT]; /* "first_touch", … */

/* The names of one data set's pool as another's: an engine's chunk of
 * leads adds to tables whose rows are named in the run's data set. NULL
 * where a table is added to from the data set that names its rows. */
typedef struct sym_xlat {
	sym (*fn)(void *ctx, sym s);
	void *ctx;
} sym_xlat;

static inline sym sym_xlat_of(const sym_xlat *x, sym s)
{
	return x ? x->fn(x->ctx, s) : s;
}

typedef struct metrics_params {
	ts_ms as_of; /* end of the report week */
	/* When the run happens, by the clock (not SOURCE_DATE_EPOCH, which only
	 * stamps the outputs): a week that ends after it is still going on
	 * (health.h, week_unfinished). TS_NONE: not known, taken as ended. */
	ts_ms now;
	ts_ms week_start[TREND_WEEKS + 1]; /* local Mondays 00:00, oldest first; [13] == as_of */
	char week_label[TREND_WEEKS][10];  /* ISO weeks of those Mondays: "2026-W47" */
	enum mql_source mql_source;
	enum attr_model attribution;	/* drives revenue and roi in breakdowns */
	double gross_margin;		/* default 0.8 */
	double expected_lifetime_years; /* default 3 */
	int low_sample_min;		/* default 30 */
	const score_model *model;
	/* Scores replayed elsewhere, one per lead of the data set (the engine
	 * path replays each lead with all its events, then keeps fewer events);
	 * NULL: the view replays them itself. Not owned. */
	const lead_score *scores;
	/* The view keeps each lead's points by category too (`score`'s CSV);
	 * only when it replays the scores itself. */
	bool score_cats;
	const struct health_params *health; /* policies and limits; NULL: the defaults */
	/* Per source, what its configuration says of amounts and dates
	 * (decimal = comma; date_format: 0 not set, 1 us, 2 dmy, 3 mdy, with
	 * DATES_BY_PRESET added where the preset reads them, not a setting), so
	 * that a hint on values it could not read does not ask for a setting
	 * already made. */
	bool decimal_comma[SRC_COUNT];
	uint8_t date_style[SRC_COUNT];
#define DATES_BY_PRESET 4
	/* The calibration's population, added lead by lead by the caller
	 * (calibration.h: the engine adds each chunk's leads); NULL: the
	 * calibration adds the data set's leads itself. Not owned; the tables
	 * merge what it holds buffered. */
	struct cal_acc *calibration;
	/* The tables that read every lead one by one, added by the caller
	 * data set by data set (sums.h: the engine adds each chunk); NULL:
	 * they read the data set's leads themselves. Not owned; its tables
	 * are built from it once. */
	struct lead_sums *sums;
} metrics_params;

/* Whether the MQL moments are the score's (SPEC §4): mql_source = score,
 * or auto without an mql_at column in the leads export. */
static inline bool metrics_mql_from_score(enum mql_source s, bool leads_have_mql)
{
	return s == MQL_SCORE || (s == MQL_AUTO && !leads_have_mql);
}

/* Where the MQL moments come from, as metrics.json names it: "score",
 * "export" (the leads' mql_at) or "status" (the lead status). */
static inline const char *metrics_mql_source_name(enum mql_source s, bool leads_have_mql)
{
	return metrics_mql_from_score(s, leads_have_mql) ? "score"
	       : s == MQL_STATUS			 ? "status"
							 : "export";
}

/* Defaults of SPEC §5-§6 for everything but the instants and the model. */
void metrics_params_default(metrics_params *p);

/* Compute every table of SPEC §8 except `report` (which the caller adds):
 * windows, by_channel, by_campaign, trend, cohorts, engagement, score_bands,
 * threshold_sweep, calibration, lifecycle, data_quality, plus `summary`
 * (the report week's KPIs beside the week before, for the workbook and the
 * e-mail). Needs dataset_index(). Returns a new tree owned by the caller. */
mval *metrics_compute(const dataset *ds, const metrics_params *p);

#endif
