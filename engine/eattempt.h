/* eattempt.h — the attempts of a load: each named in `attempts` before its
 * first row is written, and those of one source file that never reached
 * `loads` (a load killed or failed half-way) dropped from every node. */
#ifndef MQL_EATTEMPT_H
#define MQL_EATTEMPT_H

#include "dataset.h"
#include "engine.h"

/* What a sweep removed and what it could not reach. */
typedef struct eattempt_swept {
	long long attempts;  /* unfinished attempts of the file whose partitions were dropped */
	long long rows_left; /* their rows still readable afterwards: on nodes not listed */
} eattempt_swept;

/* Name attempt as one of source s of the file load_id (its SHA-256). */
int eattempt_register(const engine_cfg *c, const char *load_id, int s, const char *attempt,
		      mq_err *err);

/* Drop, on every node (c->nodes, or c->url alone), the partitions of the
 * attempts of this file and source that `loads` does not name in the
 * source's table and `rejects`; count what is still readable of them
 * through the Distributed tables (out->rows_left: rows on nodes not
 * listed) and, only when nothing is, drop their names from `attempts`
 * too. Another file's attempts, and an attempt recorded in `loads`, are
 * never touched. 0, or -1 with err. */
int eattempt_sweep(const engine_cfg *c, const char *load_id, int s, eattempt_swept *out,
		   mq_err *err);

#endif
