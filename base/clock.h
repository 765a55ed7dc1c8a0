/* clock.h — the two clocks every stage reads: a monotonic one for
 * durations and the wall clock, which SOURCE_DATE_EPOCH can pin so that a
 * rerun on the same inputs writes the same bytes. */
#ifndef MQL_CLOCK_H
#define MQL_CLOCK_H

#include <stdbool.h>
#include <time.h>

/* Seconds on the monotonic clock: only differences mean anything. */
double mq_mono_s(void);

/* The wall clock in seconds since the epoch, or SOURCE_DATE_EPOCH when the
 * environment sets it to a whole number of seconds from 0 to the end of
 * 9999. */
time_t mq_wall_time(void);

/* SOURCE_DATE_EPOCH into *v when it is set and such a number. */
bool mq_source_date_epoch(long long *v);

/* What is wrong with SOURCE_DATE_EPOCH when it is set but not such a
 * number (it is then ignored), for a warning; NULL otherwise. */
const char *mq_source_date_epoch_problem(void);

/* The current time as "2026-11-20T09:30:00Z" in buf (n bytes; 21 are
 * enough). The real clock, never SOURCE_DATE_EPOCH: it records when
 * something happened (a lock taken, a message accepted, a run's start). */
void mq_utc_now(char *buf, size_t n);

/* Sleep for s seconds (nothing for s <= 0). */
void mq_sleep_s(double s);

#endif
