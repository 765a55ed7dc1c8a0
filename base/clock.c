/* clock.c — monotonic and wall clocks (see clock.h).
 *
 * Reads the environment only for SOURCE_DATE_EPOCH; keeps no state. */
#include "clock.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>

double mq_mono_s(void)
{
	return (double)g_get_monotonic_time() / 1e6;
}

/* Up to the last second of 9999: a stamp an output can write. */
#define SDE_MAX 253402300799LL

bool mq_source_date_epoch(long long *v)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (!sde || !*sde)
		return false;
	char *end;
	errno = 0;
	long long x = strtoll(sde, &end, 10);
	if (*end || errno || x < 0 || x > SDE_MAX || !g_ascii_isdigit(sde[0]))
		return false;
	*v = x;
	return true;
}

const char *mq_source_date_epoch_problem(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long v;
	if (!sde || !*sde || mq_source_date_epoch(&v))
		return NULL;
	return "is not a whole number of seconds since 1970 from 0 to 253402300799 (the end of "
	       "9999)";
}

time_t mq_wall_time(void)
{
	long long v;
	return mq_source_date_epoch(&v) ? (time_t)v : time(NULL);
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
