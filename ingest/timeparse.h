/* timeparse.h — SPEC §2's time semantics: timestamps, days, ISO weeks.
 *
 * Time zones are GLib's GTimeZone (IANA names from the system's tzdata).
 * A local time that a DST change skips or repeats is read with the offset in
 * force before the change. */
#ifndef MQL_TIMEPARSE_H
#define MQL_TIMEPARSE_H

#include <glib.h>
#include <stdbool.h>

#include "base.h"

/* The local date forms a source may declare beside ISO (a bool true is US). */
enum { TS_DATES_ISO = 0, TS_DATES_US = 1, TS_DATES_DMY = 2, TS_DATES_MDY = 3 };

/* Parse one timestamp of any form SPEC §2 accepts into a UTC instant. `tz`
 * reads forms without an offset; dfmt TS_DATES_US also accepts
 * M/D/YYYY[ h:mm[:ss] AM|PM], TS_DATES_DMY D.M.YYYY or D/M/YYYY[ H:MM[:SS]]
 * (a 24-hour clock) or [ h:mm[:ss] AM|PM] (a 12-hour clock, as day-first
 * locales such as en_AU write it), TS_DATES_MDY M/D/YYYY[ H:MM[:SS]] (a 24-hour clock, as
 * Excel writes dates in a US locale). The text is taken as is (the caller trims). Returns
 * false for anything else, impossible dates included. */
bool ts_parse(const char *s, size_t len, GTimeZone *tz, int dfmt, ts_ms *out);

/* Parse a day (YYYY-MM-DD, or the US or day-first form of dfmt) into the
 * instant of its local midnight in tz. */
bool ts_parse_day(const char *s, size_t len, GTimeZone *tz, int dfmt, ts_ms *out);

/* "2026-11-22T19:01:53Z" (whole seconds, a fraction cut off). buf >= 21 bytes. */
void ts_format_utc(ts_ms t, char *buf, size_t size);

/* The proleptic Gregorian calendar in days since 1970-01-01. */
int64_t ts_days_from_civil(int64_t y, int m, int d);
void ts_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
int ts_iso_weekday(int64_t days);			 /* 0 Monday … 6 Sunday */
void ts_iso_week_of(int64_t days, int *year, int *week); /* the ISO week holding a day */

/* "2026-W47" → year 2026, week 47. False when malformed or the year has no
 * such week. */
bool week_parse(const char *s, int *year, int *week);
/* The last complete ISO week at instant `now` in tz. */
void week_last(GTimeZone *tz, ts_ms now, int *year, int *week);
/* The end of the ISO week in progress at instant `now` in tz: its next
 * Monday 00:00 there. */
ts_ms week_end_after(GTimeZone *tz, ts_ms now);
/* Local Monday 00:00 of ISO week (year, week) in tz. */
ts_ms week_start(GTimeZone *tz, int year, int week);
/* Fill the 13 trend weeks ending with (year, week): starts[0..12] are their
 * Mondays, starts[13] the next Monday (as_of); labels "2026-W47". */
void week_series(GTimeZone *tz, int year, int week, ts_ms starts[14], char labels[13][10]);

#endif
