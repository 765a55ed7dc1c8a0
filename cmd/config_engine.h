/* config_engine.h — the [engine] group: where the events live (the
 * embedded data set, or a ClickHouse cluster) (config_engine.c). */
#ifndef MQL_CONFIG_ENGINE_H
#define MQL_CONFIG_ENGINE_H

#include "cfgval.h"
#include "engine.h"

/* The keys of [engine], NULL-terminated: all that config_engine() accepts. */
extern const char *const config_engine_keys[];
/* Read [engine] of f into e when the group exists. Returns 0, or -1 with
 * f->err (MQ_CONFIG naming the file, line and key). */
int config_engine(const cfgfile *f, engine_cfg *e);

#endif
