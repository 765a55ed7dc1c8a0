/* score.h — the lead-scoring model of SPEC §5 and its replay (SPEC §4).
 *
 * Pure: the model is a plain struct (filled from defaults, then from the
 * configuration by cmd/), the inputs are the data set and an instant. */
#ifndef MQL_SCORE_H
#define MQL_SCORE_H

#include "dataset.h"

enum score_cat {
	SC_NONE = -1, /* scores 0 (product_signup, trial_activity, sales_touch, unknown) */
	SC_CONTENT,
	SC_WEB,
	SC_EMAIL,
	SC_SOCIAL,
	SC_INTENT,
	SC_NEGATIVE,
	SC_COUNT
};
extern const char *const score_cat_name[SC_COUNT]; /* "content", "web", … */

typedef struct size_band {
	int64_t min, max; /* employees, inclusive; max < 0 means no upper bound */
	double points;
} size_band;

/* Points for a normalised value: a title phrase (lower-case words joined by
 * single spaces: "vice president"), an industry like "it_services", a
 * country like "US". */
typedef struct named_points {
	char *name;
	double points;
} named_points;

typedef struct score_model {
	double threshold;      /* an MQL when score >= threshold */
	double half_life_days; /* 0: no decay */

	named_points *titles;
	size_t ntitles;
	double other_title_points; /* a non-empty title that matches no rule */
	size_band *sizes;
	size_t nsizes;
	named_points *industries;
	size_t nindustries;
	named_points *countries;
	size_t ncountries;

	double event_points[EV_COUNT]; /* per known event kind */
	int event_cat[EV_COUNT];       /* enum score_cat, SC_NONE for no category */
	double cap[SC_COUNT];	       /* a category's cap; < 0 means none */
} score_model;

/* Fill m with SPEC §5's defaults. The model owns its arrays afterwards:
 * release them with score_model_clear(). */
void score_model_default(score_model *m);
void score_model_clear(score_model *m);

/* One lead's score at an instant: what the report's tables read, one per
 * lead while they are built, so it holds no category breakdown. */
typedef struct lead_score {
	double fit;	   /* demographic points */
	double engagement; /* behavioural points, caps and decay applied */
	ts_ms mql_at; /* first checkpoint before as_of with score >= threshold; TS_NONE if none */
} lead_score;

/* A lead's behavioural points by category, after caps: they add up to its
 * engagement in category order. Only `score`'s CSV and explanation show them. */
typedef struct score_cats {
	double cat[SC_COUNT];
} score_cats;

/* Demographic points of a lead (title + company size + industry + country). */
double score_fit(const score_model *m, const dataset *ds, const lead *l);

/* Replay every lead's events before as_of (needs dataset_index()): out[i]
 * receives lead i's score as of as_of and its MQL moment from the score,
 * and cats[i], unless cats is NULL, its points by category. Both have
 * ds->nleads elements, owned by the caller. Leads created at or after as_of
 * get a zero score and no MQL moment. */
void score_replay(const score_model *m, const dataset *ds, ts_ms as_of, lead_score *out,
		  score_cats *cats);

/* The words of a job title or a rule: runs of letters and digits, lower-cased,
 * joined by single spaces ("Vice President, Sales" → "vice president sales").
 * Returns a new string (free()). */
char *score_title_words(const char *s);
/* Job-title points of a trimmed title: the highest rule it matches, where a
 * longer rule takes the words it covers ("president" right after "vice" is
 * the phrase "vice president"); other_title_points for any other non-empty
 * title; 0 for an empty one. */
double score_title(const score_model *m, const char *title);

/* How one lead's score came about, point by point (`score --explain`). */
typedef struct score_fit_part {
	const char *field; /* "job_title", "company_size", "industry", "country" */
	bool matched;	   /* a rule matched (for a title: the title is not empty) */
	char rule[128]; /* the rule: "vice president", "any other title", "51-200", "saas", "US" */
	double points;
} score_fit_part;

typedef struct score_event_part {
	size_t event;  /* index into ds->events */
	int cat;       /* enum score_cat; SC_NONE scores 0 */
	double raw;    /* points before decay */
	double factor; /* decay to as_of: 0.5^(age / half-life); 1 without decay */
	double points; /* raw * factor */
} score_event_part;

typedef struct score_explanation {
	score_fit_part fit[4];	  /* title, company size, industry, country */
	score_event_part *events; /* the lead's events before as_of, in time order; owned */
	size_t nevents;
	double cat_sum[SC_COUNT]; /* decayed category sums before caps */
	lead_score score;	  /* the same as score_replay()'s for this lead */
	score_cats cats;	  /* and its categories, as score_replay()'s */
} score_explanation;

/* Explain lead i's score as of as_of (needs dataset_index()). The points of
 * fit[] add up to score.fit; each category's capped cat_sum is cats.cat[c].
 * Release with score_explanation_clear(). For a lead created at or after
 * as_of only fit[] is filled; its score stays zero and it has no events. */
void score_explain(const score_model *m, const dataset *ds, size_t i, ts_ms as_of,
		   score_explanation *x);
void score_explanation_clear(score_explanation *x);

#endif
