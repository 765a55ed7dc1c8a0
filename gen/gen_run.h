/* gen_run.h — one generation run: the state its parts share, and the parts.
 *
 * A run writes leads.csv, events.csv, spend.csv and opportunities.csv into
 * one folder. Leads are simulated one at a time (lead.c, with profile.c,
 * engagement.c and sales.c), written by rows.c and forgotten; spend.c writes
 * the spend; bad.c injects the --bad-rows defects; timeorder.c holds the
 * events back for --events-order time or random; run.c opens, drives and commits. */
#ifndef MQL_GEN_RUN_H
#define MQL_GEN_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base.h"
#include "dataset.h"
#include "gen_csvout.h"
#include "gen_model.h"
#include "gen_rng.h"

/* Everything one generation run shares. */
typedef struct gen {
	uint64_t seed;
	uint64_t nleads;
	int weeks;
	int bad;	  /* --bad-rows K: K rows of each defect */
	ts_ms start, end; /* [start, end): the generated weeks; end = as_of */
	double *hour_cum; /* cumulative lead intensity per hour of the period */
	size_t nhours;
	size_t hour_pos; /* monotone cursor into hour_cum */
	gev *ev;	 /* the current lead's events */
	size_t nev, ev_cap;
	gev *scratch; /* for sorting them */
	size_t scratch_cap;
	uint64_t next_opp;
	uint64_t next_bad_opp;
	obuf out[SRC_COUNT];
	char *last_opp_row;   /* the last opportunity row, for a duplicate */
	int pending_opp_dups; /* duplicates due before any opportunity was written */
	char lead_row[2048];  /* the last good lead row, for a duplicate */
	size_t lead_row_len;
	bool force;	   /* --force: replace files of the same names in the folder */
	bool time_order;   /* --events-order time or random: events go through the buckets */
	bool random_order; /* --events-order random: a seeded shuffle instead of time order */
	int id_style;	   /* --id-style: enum gen_id_style */
	int vendor;	   /* --vendor: enum gen_vendor */
	FILE **bucket;	   /* time order: one temporary file of events per week */
	size_t nbuckets;
	ts_ms bucket0; /* the first bucket's start */
	bool bucket_failed;
} gen;

/* run.c: generate every file into dir. Returns 0, or -1 with err
 * (MQ_CANTCREAT). gen_free() releases what a run allocated. */
int gen_run(gen *g, const char *dir, mq_err *err);
void gen_free(gen *g);

/* arrivals.c: when leads arrive. */
void gen_arrivals_init(gen *g);
ts_ms gen_arrival_at(gen *g, double q);
double gen_day_share(const gen *g, size_t d);

/* lead.c: simulate lead `num` and write it with its events and deals. */
void gen_lead(gen *g, uint64_t num);

/* profile.c: the demographic profile of lead l, created at l->t[LT_CREATED]. */
void gen_draw_profile(rng *r, glead *l);

/* engagement.c: the current lead's events in g->ev. */
gev *gen_ev_add(gen *g, ts_ms at, int type, const char *channel, const char *campaign);
void gen_draw_engagement(gen *g, rng *r, glead *l, double engagement, double intent);
void gen_ev_settle(gen *g);
ts_ms gen_score_crossing(const gen *g, const glead *l, double threshold);
ts_ms gen_first_event(const gen *g, int type, ts_ms after);

/* sales.c: the sales side of a lead, and its time stamps. */
bool gen_stamp(const gen *g, glead *l, int f, ts_ms t);
void gen_draw_sales(gen *g, rng *r, glead *l, double intent);

/* rows.c: the rows of each file. */
extern const char *const gen_file_name[SRC_COUNT];
extern const char *const gen_header[SRC_COUNT];
void gen_write_lead(obuf *b, const glead *l, uint64_t num, const char *created_text,
		    const char *mql_text, bool break_title);
void gen_write_event(obuf *b, uint64_t num, const gev *e, int off_min, const char *type_text);
void gen_write_opp(gen *g, const gopp *o, uint64_t lead_num, const char *created_text);

/* vendor.c: --vendor, the rows in a vendor's layout. */
enum gen_vendor { VENDOR_NONE, VENDOR_HUBSPOT, VENDOR_SALESFORCE, VENDOR_MARKETO, VENDOR_COUNT };
int gen_vendor_parse(const char *text); /* -1 when unknown */
const char *gen_vendor_header(int vendor, int s);
void gen_vendor_file(const gen *g, int s, char *buf, size_t size);
int gen_vendor_ts_style(int vendor, int s);
const char *const *gen_vendor_types(int vendor, int s);
void gen_vendor_preamble(const gen *g, obuf *b, int s);
void gen_vendor_footer(const gen *g, obuf *b, int s);

/* bad.c: the --bad-rows defects, at seeded places after leads or days. */
typedef struct bad_plan bad_plan;
bad_plan *gen_bad_plan_new(const gen *g, bool spend);
void gen_bad_plan_free(bad_plan *p);
void gen_bad_after_lead(gen *g, bad_plan *p, uint64_t num);
void gen_bad_after_day(gen *g, bad_plan *p, size_t d, ts_ms day);

/* spend.c: spend.csv, with the spend plan's bad rows. */
void gen_spend(gen *g, bad_plan *bad);

/* timeorder.c: events.csv in time order through weekly temporary files. */
int gen_buckets_open(gen *g, const char *dir, mq_err *err);
void gen_bucket_put(gen *g, uint64_t num, const gev *e, int off_min);
void gen_buckets_drain(gen *g);
void gen_buckets_close(gen *g);

#endif
