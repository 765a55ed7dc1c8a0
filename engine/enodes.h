/* enodes.h — whether the nodes answer, before `load` writes or `run`
 * reads: the node of [engine] url and every node of [engine] nodes, each
 * asked one small question within a short time of its own, so that a
 * node that is hung, overloaded or gone is named at once instead of
 * holding a query through the Distributed tables for timeout_s. */
#ifndef MQL_ENODES_H
#define MQL_ENODES_H

#include <stdbool.h>

#include "engine.h"

/* Ask c->url, then each node of c->nodes (url once, also when listed
 * there), one after another, for the names of c->database's tables, each
 * within engine_probe()'s time (ENGINE_PROBE_S, or timeout_s when
 * smaller) and without a retry. 0 when every node answered and holds each
 * of `tables` (NULL-ended; NULL: none are looked for). Otherwise -1 with
 * err naming the node and what to do: MQ_UNAVAILABLE for a node that
 * refused the connection or took it and sent no answer in time, MQ_CONFIG
 * for one that lacks some of the tables (named), or the status of the
 * error the node answered with. `undone` ("nothing was loaded") ends the
 * first line of the message. With refused_passes (a run), a node of nodes
 * other than url's that refuses the connection is no error: no query
 * waits on it, and the run reads around it through the Distributed
 * tables, which turn to a shard's other replica or fail at once (a node
 * that takes the connection and does not answer would hold them). */
/* Every table of config/clickhouse/schema.sql, the Distributed ones and
 * each node's own (NULL-ended): what a load writes and a run reads. */
extern const char *const enodes_tables[];

int enodes_ready(const engine_cfg *c, const char *const *tables, const char *undone,
		 bool refused_passes, mq_err *err);

#endif
