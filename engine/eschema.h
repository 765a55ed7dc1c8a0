/* eschema.h — whether the engine's database has the tables and columns of
 * config/clickhouse/schema.sql that this version writes and reads, checked
 * before a load or a run; a database created by an older schema.sql is
 * told how to catch up rather than failing on a missing column half-way. */
#ifndef MQL_ESCHEMA_H
#define MQL_ESCHEMA_H

#include "engine.h"

/* 0 when the `loads` table of c->database has every column this version
 * records; else -1 with err (MQ_CONFIG) naming what to apply on every
 * node: schema.sql when there is no `loads` table, the upgrade file of
 * the columns it lacks otherwise; MQ_UNAVAILABLE when the engine failed. */
int eschema_check(const engine_cfg *c, mq_err *err);

#endif
