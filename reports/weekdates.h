/* weekdates.h — the report week as its dates in the report's time zone,
 * shared by the workbook's titles and the e-mail's subject and heading. */
#ifndef MQL_WEEKDATES_H
#define MQL_WEEKDATES_H

#include <stdbool.h>
#include <stddef.h>

#include "mval.h"

/* Of the week ending at rep's as_of (rep is the tree's `report`):
 * longer "Mon 16 – Sun 22 Nov 2026", shorter "16–22 Nov 2026" (without
 * " 2026" when year is false); across months "Mon 30 Nov – Sun 6 Dec 2026"
 * and "30 Nov – 6 Dec 2026"; across a year's end both years, whatever
 * `year` says: "Mon 29 Dec 2025 – Sun 4 Jan 2026". Either buffer may be
 * NULL. */
void report_week_dates(const mval *rep, char *longer, char *shorter, size_t n, bool year);

/* The dates of the `weeks` weeks ending at rep's as_of, in its time
 * zone: "24 Aug – 22 Nov 2026", or "29 Dec 2025 – 22 Mar 2026" across a
 * year's end. */
void report_weeks_dates(const mval *rep, int weeks, char *buf, size_t n);

/* The instant t in rep's time zone, named: "Mon 23 Nov 2026 00:00
 * Europe/Berlin" ("… UTC" for UTC); "—" for no instant. */
void report_local_time(const mval *rep, ts_ms t, char *buf, size_t n);

/* Whether rep's time zone is UTC itself (named "UTC" or "Etc/UTC", or
 * none named): a time in it needs no second reading in UTC. */
bool report_in_utc(const mval *rep);

/* The week's number of rep's ISO week ("2026-W47" → 47), 0 when unknown. */
int report_week_number(const mval *rep);

#endif
