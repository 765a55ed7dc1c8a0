/* eread.h — `run --engine clickhouse`: the data set that metrics/ computes
 * from, read from the engine lead by lead in bounded chunks.
 *
 * The engine applies the as_of filter, picks the winning row of a
 * duplicated lead, orders each lead's events and sends only the leads that
 * exist at as_of. Each chunk of leads is replayed and classified here with
 * metrics/'s own code (score, lifecycle, negative durations, engagement
 * counts, calibration) and added to the tables that read every lead
 * (sums.h); only the leads of the report week's drill-down are kept,
 * without events. What needs every row (data quality) is counted by SQL. */
#ifndef MQL_EREAD_H
#define MQL_EREAD_H

#include <glib.h>

#include "dataset.h"
#include "engagement.h"
#include "engine.h"
#include "health.h"
#include "lifecycle.h"
#include "metrics.h"
#include "calibration.h"
#include "sums.h"

enum { ET_LOADS, ET_LEADS, ET_EVENTS, ET_SPEND, ET_OPPS, ET_COUNT };
extern const char *const eread_table_name[ET_COUNT]; /* "loads", "leads", … */

/* A (type, channel, campaign) of the events before as_of, under its
 * cityHash64 as the engine computes it: the chunks' events name it by that
 * number instead of its three strings. */
typedef struct ev_triple {
	uint64_t h;
	char *type, *channel, *campaign;
} ev_triple;

/* What the report needs beyond the kept data set. */
/* What the reading of one loaded file found worth a warning, as its load
 * recorded it: counts, not lines (a run says it again: cmd/notes.c). */
typedef struct eload_seen {
	int source;
	char *location;		    /* the file, as the load's configuration named it */
	kvcounts warnings_by_field; /* optional values left empty as unreadable */
	int64_t sign_other;	    /* amounts with another currency's sign */
	int64_t thousandths;	    /* file_thousandths() of its amounts, in the run's currency */
	char amount_unread[32];	    /* the first amount left empty, as written */
} eload_seen;

typedef struct eread_result {
	int64_t lifecycle[LC_COUNT]; /* over every lead that exists at as_of */
	int64_t neg[3];		     /* created_to_mql, mql_to_sql, mql_to_won */
	int64_t after_as_of[SRC_COUNT];
	ts_ms newest[SRC_COUNT];
	int64_t orphaned_events, orphaned_opps, unknown;
	int64_t repeated_spend;		/* spend rows that repeat an earlier one, over every
					   spend row of the loads read */
	kvcounts unknown_by;		/* by type, in name order */
	long long table_rows[ET_COUNT]; /* rows of the loads read, per table */
	long long chunks, leads_streamed, events_streamed;
	int shards;		      /* nodes whose own tables the chunks were read from, at
					 once; 0: through the Distributed tables */
	char *shards_why;	      /* with [engine] nodes, why they were not read
					 directly; NULL otherwise */
	health_facts health;	      /* over every lead and event, for the health checks */
	eng_counts *eng;	      /* the engagement counts of every lead's events */
	lead_sums *sums;	      /* the tables of every lead: p->sums */
	cal_acc *cal;		      /* the calibration's population: p->calibration */
	GString *attempts[SRC_COUNT]; /* "'a','b'": the attempts read; NULL: none */
	GString *order[SRC_COUNT];    /* "['a','b']": their order, oldest first */
	ev_triple *triples;	      /* every triple of the events before as_of */
	size_t ntriples, triples_cap;
	uint32_t *triple_slot; /* open addressing by a triple's hash (its low bits):
				  i + 1 of triples[i], 0 empty; NULL: two triples
				  share a hash, and the chunks' events carry strings */
	uint32_t triple_mask;  /* slots - 1, a power of two less one */
	eload_seen *seen;      /* each load read, in the order of the loads' query */
	size_t nseen;
	kvcounts industries, countries; /* each value's leads, over every lead */
} eread_result;

/* i + 1 of the triple whose hash is h, 0 when none (r->triple_slot set). */
static inline size_t eread_triple_of(const eread_result *r, uint64_t h)
{
	for (uint32_t k = (uint32_t)h & r->triple_mask;; k = (k + 1) & r->triple_mask) {
		uint32_t at = r->triple_slot[k];
		if (!at || r->triples[at - 1].h == h)
			return at;
	}
}

/* Fill ds (from dataset_new()) from the engine for the report of p. On
 * success ds is indexed, holds the rejected rows of the loads read (as an
 * embedded run has them: erejects.h) and the spend of the 13 weeks, and
 * r->sums and r->cal are set for p->sums and p->calibration (the data set
 * holds no lead: the sums hold every table of the leads). Returns 0, or
 * -1 with err (MQ_NOINPUT when no leads were loaded, MQ_UNAVAILABLE when
 * the engine failed). */
int eread_dataset(const engine_cfg *c, const metrics_params *p, dataset *ds, eread_result *r,
		  mq_err *err);

/* Every recorded load of each source, oldest first: r->attempts and
 * r->order, the sources' statistics in ds and the rows per table. Returns
 * 0, or -1 with err (MQ_NOINPUT when no leads or no events were loaded).
 * Called by eread_dataset. */
int eread_loads(const engine_cfg *c, dataset *ds, eread_result *r, mq_err *err);

/* The counts over every row: data quality by SQL. Called by eread_dataset. */
int eread_quality(const engine_cfg *c, const metrics_params *p, eread_result *r, mq_err *err);

/* One pass over the events before as_of, before the chunks: the orphaned
 * ones, those of an unknown type, and every (type, channel, campaign) with
 * its hash (r->triples). Called by eread_dataset. */
int eread_census(const engine_cfg *c, const metrics_params *p, eread_result *r, mq_err *err);

/* Put into the computed tree what the run's data set cannot know: the
 * lifecycle, the engagement table and the data-quality counts over every
 * row; then compute the health table again from those counts and
 * r->health (p->health: the policies, as for metrics_compute). */
void eread_patch(const eread_result *r, const metrics_params *p, mval *root);

/* Once the tree is computed and patched: free what only the metrics read
 * (the spend, the tables' sums, the calibration's population, the
 * engagement counts) and give
 * the memory back, so that the outputs are written beside the tree alone.
 * *ds is replaced by a data set holding only what rejects.csv and the
 * manifest read (the sources' statistics and the rejected rows).
 * p->sums and p->calibration must not be read afterwards; the tree's
 * drill-down holds its own reference to its rows. */
void eread_release(eread_result *r, dataset **ds);

void eread_result_clear(eread_result *r);

#endif
