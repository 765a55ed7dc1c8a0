/* config_health.h — the [health] group: the policy (fail, warn or off) of
 * each data-health check and the limits of the share checks
 * (config_health.c; the checks themselves are metrics/health.c). */
#ifndef MQL_CONFIG_HEALTH_H
#define MQL_CONFIG_HEALTH_H

#include <glib.h>

#include "base.h"
#include "health.h"

/* The keys of [health] besides the checks' names (health_check_name[]):
 * the limits, NULL-terminated. */
extern const char *const config_health_limits[5];
/* Read the [health] group of kf (path is for messages) over hp, which
 * holds the defaults (health_params_default). Returns 0, or -1 with err
 * (MQ_CONFIG naming the file, line and key). */
int config_health(GKeyFile *kf, const char *path, health_params *hp, mq_err *err);
/* True for the group config_health() reads. */
bool config_health_owns(const char *group);

#endif
