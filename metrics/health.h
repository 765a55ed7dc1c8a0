/* health.h — the data-health checks: is this week's data fit to report?
 *
 * Each check measures one thing from the view and the tables already
 * computed (data quality, the report week's window, the channel table) and
 * compares it with a limit. What a tripped check means is its policy,
 * passed in by the caller (metrics reads no configuration): fail stops the
 * run (cmd/ decides that), warn shows a banner on every output, off skips
 * the check. */
#ifndef MQL_HEALTH_H
#define MQL_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "dataset.h"
#include "metrics.h"
#include "mval.h"

typedef struct view view;
struct metrics_params;

enum health_policy { HEALTH_OFF, HEALTH_WARN, HEALTH_FAIL };
extern const char *const health_policy_name[3]; /* "off", "warn", "fail" */

enum health_check {
	HC_SOURCE_STALE,	/* a required source's rows do not reach into the report week */
	HC_SOURCE_LAG,		/* leads or events end days before the report week does */
	HC_SOURCE_EMPTY,	/* a required source, or a given opportunities one, has no rows */
	HC_SOURCE_TRUNCATED,	/* a source's file ends inside a row: it was cut off */
	HC_NONE_ACCEPTED,	/* a source has rows but none was accepted */
	HC_REJECTED_SHARE,	/* a source's rejected share is above the limit */
	HC_UNPARSEABLE_SHARE,	/* a field's unreadable values, as a share of the rows, above it */
	HC_UNPARSEABLE_FIELD,	/* most of a field's written values unreadable, however few */
	HC_ORPHANED_EVENTS,	/* the orphaned share of the events is above the limit */
	HC_ORPHANED_OPPS,	/* the orphaned share of the opportunities is above it */
	HC_MQL_UNREACHABLE,	/* no lead can be an MQL: by the score, or by the export's column */
	HC_SPEND_WITHOUT_LEADS, /* spend on a channel without a lead in the 13 weeks */
	HC_LEADS_WITHOUT_SPEND, /* report-week leads on a paid channel without spend that week */
	HC_NO_LEADS,		/* no lead created in the report week */
	HC_WEEK_UNFINISHED,	/* the report week ends after the run: its counts are partial */
	HC_SPEND_REPEATED,	/* spend rows that repeat another exactly: summed twice */
	HC_AMOUNT_NOTATION,	/* amounts read as written, perhaps not as meant */
	HC_DEALS_UNDECIDED,	/* no deal closed, none of the closed won, or no win's amount */
	HC_WEEK_PARTIAL_DATA,	/* the data begin days into one of the 13 weeks: part of a week */
	HC_WEEK_WITHOUT_DATA,	/* a week of the 13 without a lead, an event or spend, amid data */
	HC_COUNT
};
/* The checks' names, as [health] keys and metrics.json's `check` show them. */
extern const char *const health_check_name[HC_COUNT];

typedef struct health_params {
	enum health_policy policy[HC_COUNT];
	double max_rejected_share;    /* 0..1; default 0.05 */
	double max_orphaned_share;    /* 0..1; default 0.05 */
	double max_unparseable_share; /* 0..1; default 0.05 */
	double max_lag_days;	      /* 0..7; default 3 */
} health_params;

/* The documented defaults (docs/operations.md). */
void health_params_default(health_params *hp);

/* What the checks read from the leads and events themselves; everything
 * else they read from the finished tables. */
typedef struct health_facts {
	int64_t events_before;	  /* events dated before as_of */
	int64_t events_linked;	  /* of those, the ones of a lead that exists */
	bool kind_seen[EV_COUNT]; /* the kinds of the linked events */
	double max_fit;		  /* the largest fit of a lead that exists; -INFINITY: none */
	bool leads_have_mql;	  /* the leads export has an mql_at column */
	int64_t leads_exist;	  /* leads created before as_of */
	int64_t export_mqls;	  /* of those, the ones whose export mql_at is before as_of */
	int64_t opps_linked;	  /* opportunities created before as_of of a lead that exists */
	int64_t opps_unnamed;	  /* those created before as_of that name no lead of their own
				     (joined through the leads' converted opportunity id) and
				     that no lead's converted opportunity id names */
	/* the values read of the optional fields, over every lead and
	 * opportunity kept: beside the values left empty as unreadable, how
	 * much of a field its writer filled */
	int64_t lead_times[LT_COUNT], lead_amounts, lead_sizes;
	int64_t opp_closed, opp_amounts, opp_won, opp_closed_flags;
	/* of opps_linked: closed by as_of, of those won (SPEC §3), of those
	 * with an amount; and those created 13 weeks or more before as_of, and
	 * of those the ones closed by as_of */
	int64_t deals_closed, deals_won, deals_won_amount, deals_old, deals_old_closed;
	size_t spend_files;  /* spend summed from this many files ([source.spend.NAME]); 0: one */
	char spend_only[64]; /* the NAME of the one file of spend, a [source.spend.NAME]; "" else */
	char amount_unread[SRC_COUNT][32]; /* each source's first amount left empty as
					      unreadable, as written; "" when none */
	/* where the data begin: the earliest moment of those that make a week
	 * of kpi_trend one with data (weekly.h): the created_at, mql_at, sql_at
	 * or won_at of a lead that exists, a day of spend with an amount;
	 * TS_NONE: none */
	ts_ms data_begin;
	/* per week of the 13: a lead created, an event of a lead that exists or
	 * a spend row in it */
	bool week_data[TREND_WEEKS];
} health_facts;

/* No lead, no event. */
void health_facts_init(health_facts *f);
/* Add the leads and events of a view. A view of part of the data (the
 * engine's chunks of leads, each with its events) adds its part; events
 * of no lead in any part are then the caller's to count. */
void health_facts_add(health_facts *f, const view *v);
/* Add the days of spend of ds (health_facts_add() adds its view's: a
 * caller whose leads come in parts without the spend adds the spend so,
 * once). */
void health_facts_add_spend(health_facts *f, const dataset *ds, const struct metrics_params *p);
/* Add t, a moment that makes a week of kpi_trend one with data (a lead
 * created, an MQL, an SQL, a win, a day of spend with an amount), to where
 * the data begin; one at or after as_of is none. For a caller that holds
 * part of the spend: the earliest day of the rest. */
void health_facts_begin(health_facts *f, ts_ms as_of, ts_ms t);

/* The `data_quality.health` table: one row per check (per source for the
 * per-source checks) {check, source, status, policy, value, limit,
 * message}; status is "pass", "warn", "fail" or "off". Reads f, and root's
 * `data_quality`, `windows.1w` and `by_channel`, so a caller that changes
 * those counts afterwards (the engine path) computes the table again;
 * p->health NULL means the default policies. New tree owned by the caller. */
mval *health_table(const health_facts *f, const mval *root, const struct metrics_params *p);

/* The rows of a health table whose status is `status` ("fail", "warn"). */
size_t health_count(const mval *health, const char *status);
/* "check (message); check (message)" of those rows, or NULL when none.
 * Caller frees. */
char *health_summary(const mval *health, const char *status);

#endif
