/* config_health.c — the [health] group of the configuration:
 *
 *   [health]
 *   <check> = fail | warn | off      (the names of metrics/health.h)
 *   max_rejected_share = 0.05        (a proportion, 0 to 1)
 *   max_orphaned_share = 0.05
 *   max_unparseable_share = 0.05
 *   max_lag_days = 3                 (days, 0 to 7)
 *
 * It only reads and checks settings; it measures nothing (metrics/health.c
 * does) and decides no exit status (run.c and check.c do). An unknown key
 * is an error naming the file and line. */
#include "config_health.h"

#include <stdlib.h>
#include <string.h>

#include "cfgval.h"

#define GROUP "health"

const char *const config_health_limits[5] = {"max_rejected_share", "max_orphaned_share",
					     "max_unparseable_share", "max_lag_days", NULL};

bool config_health_owns(const char *group)
{
	return strcmp(group, GROUP) == 0;
}

static int read_policy(const cfgfile *f, const char *key, enum health_policy *dst)
{
	char *v = cfg_value(f, GROUP, key);
	if (!v)
		return 0;
	int rc = -1;
	for (int p = 0; p < 3; p++) {
		if (strcmp(v, health_policy_name[p]) == 0) {
			*dst = (enum health_policy)p;
			rc = 0;
		}
	}
	if (rc != 0)
		rc = cfg_bad(f, GROUP, key, "\"%.200s\" is not fail, warn or off", v);
	free(v);
	return rc;
}

int config_health(GKeyFile *kf, const char *path, health_params *hp, mq_err *err)
{
	cfgfile f = {.kf = kf, .path = path, .err = err};
	if (!g_key_file_has_group(kf, GROUP))
		return 0;
	const char *known[HC_COUNT + G_N_ELEMENTS(config_health_limits)];
	for (int c = 0; c < HC_COUNT; c++)
		known[c] = health_check_name[c];
	for (size_t k = 0; k < G_N_ELEMENTS(config_health_limits); k++)
		known[HC_COUNT + k] = config_health_limits[k];
	if (cfg_check_keys(&f, GROUP, known) != 0)
		return -1;
	for (int c = 0; c < HC_COUNT; c++)
		if (read_policy(&f, health_check_name[c], &hp->policy[c]) != 0)
			return -1;
	if (cfg_number(&f, GROUP, "max_rejected_share", &hp->max_rejected_share, 0, 1) ||
	    cfg_number(&f, GROUP, "max_orphaned_share", &hp->max_orphaned_share, 0, 1) ||
	    cfg_number(&f, GROUP, "max_unparseable_share", &hp->max_unparseable_share, 0, 1) ||
	    cfg_number(&f, GROUP, "max_lag_days", &hp->max_lag_days, 0, 7))
		return -1;
	return 0;
}
