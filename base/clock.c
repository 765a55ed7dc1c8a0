/* clock.c — monotonic and wall clocks (see clock.h).
 *
 * Reads the environment only for SOURCE_DATE_EPOCH; keeps no state. */
#include "clock.h"

#include <glib.h>
#include <stdlib.h>

double mq_mono_s(void)
{
	return (double)g_get_monotonic_time() / 1e6;
}

time_t mq_wall_time(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (!*end && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

void mq_utc_now(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void mq_sleep_s(double s)
{
	if (s > 0)
		g_usleep((gulong)(s * G_USEC_PER_SEC));
}
