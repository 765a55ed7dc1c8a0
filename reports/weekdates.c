/* weekdates.c — the report week's dates as words (weekdates.h).
 *
 * It only formats what `report` holds (week, as_of, timezone); it must not
 * decide which week is reported (metrics/ does). */
#include "weekdates.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* rep's time zone and its name ("UTC" when the report names none, or a
 * name GLib does not know). The caller unrefs the zone. */
static GTimeZone *report_zone(const mval *rep, const char **name)
{
	const char *tzname = mv_str_of(mv_get(rep, "timezone"));
	if (!tzname || !*tzname)
		tzname = "UTC";
	GTimeZone *tz = g_time_zone_new_identifier(tzname);
	if (!tz) {
		tz = g_time_zone_new_utc();
		tzname = "UTC";
	}
	*name = tzname;
	return tz;
}

bool report_in_utc(const mval *rep)
{
	const char *name;
	GTimeZone *tz = report_zone(rep, &name);
	g_time_zone_unref(tz);
	return strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0;
}

void report_week_dates(const mval *rep, char *longer, char *shorter, size_t n, bool year)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	ts_ms as_of = mv_time_of(mv_get(rep, "as_of"));
	const char *tzname;
	GTimeZone *tz = report_zone(rep, &tzname);
	GDateTime *utc = g_date_time_new_from_unix_utc(as_of == TS_NONE ? 0 : as_of / 1000);
	GDateTime *end = g_date_time_to_timezone(utc, tz);
	GDateTime *last = g_date_time_add_days(end, -1), *first = g_date_time_add_days(end, -7);
	int m1 = g_date_time_get_month(first) - 1, m2 = g_date_time_get_month(last) - 1;
	int d1 = g_date_time_get_day_of_month(first), d2 = g_date_time_get_day_of_month(last);
	int y1 = g_date_time_get_year(first), y2 = g_date_time_get_year(last);
	char y[16] = "";
	if (year || y1 != y2)
		snprintf(y, sizeof y, " %d", y2);
	if (y1 != y2) { /* a week across the year's end has both years */
		if (longer)
			snprintf(longer, n, "Mon %d %s %d – Sun %d %s %d", d1, mon[m1], y1, d2,
				 mon[m2], y2);
		if (shorter)
			snprintf(shorter, n, "%d %s %d – %d %s %d", d1, mon[m1], y1, d2, mon[m2],
				 y2);
	} else if (m1 == m2) {
		if (longer)
			snprintf(longer, n, "Mon %d – Sun %d %s%s", d1, d2, mon[m2], y);
		if (shorter)
			snprintf(shorter, n, "%d–%d %s%s", d1, d2, mon[m2], y);
	} else {
		if (longer)
			snprintf(longer, n, "Mon %d %s – Sun %d %s%s", d1, mon[m1], d2, mon[m2], y);
		if (shorter)
			snprintf(shorter, n, "%d %s – %d %s%s", d1, mon[m1], d2, mon[m2], y);
	}
	g_date_time_unref(first);
	g_date_time_unref(last);
	g_date_time_unref(end);
	g_date_time_unref(utc);
	g_time_zone_unref(tz);
}

void report_weeks_dates(const mval *rep, int weeks, char *buf, size_t n)
{
	ts_ms as_of = mv_time_of(mv_get(rep, "as_of"));
	const char *tzname;
	GTimeZone *tz = report_zone(rep, &tzname);
	GDateTime *utc = g_date_time_new_from_unix_utc(as_of == TS_NONE ? 0 : as_of / 1000);
	GDateTime *end = g_date_time_to_timezone(utc, tz);
	GDateTime *last = g_date_time_add_days(end, -1);
	GDateTime *first = g_date_time_add_days(end, -7 * weeks);
	bool one_year = g_date_time_get_year(first) == g_date_time_get_year(last);
	char *a = g_date_time_format(first, one_year ? "%-d %b" : "%-d %b %Y");
	char *b = g_date_time_format(last, "%-d %b %Y");
	snprintf(buf, n, "%s \xE2\x80\x93 %s", a ? a : "?", b ? b : "?");
	g_free(a);
	g_free(b);
	g_date_time_unref(first);
	g_date_time_unref(last);
	g_date_time_unref(end);
	g_date_time_unref(utc);
	g_time_zone_unref(tz);
}

void report_local_time(const mval *rep, ts_ms t, char *buf, size_t n)
{
	if (t == TS_NONE) {
		snprintf(buf, n, "\xE2\x80\x94");
		return;
	}
	const char *tzname;
	GTimeZone *tz = report_zone(rep, &tzname);
	GDateTime *utc = g_date_time_new_from_unix_utc(t / 1000);
	GDateTime *local = utc ? g_date_time_to_timezone(utc, tz) : NULL;
	char *s = local ? g_date_time_format(local, "%a %-d %b %Y %H:%M") : NULL;
	snprintf(buf, n, "%s %s", s ? s : "?", tzname);
	g_free(s);
	if (local)
		g_date_time_unref(local);
	if (utc)
		g_date_time_unref(utc);
	g_time_zone_unref(tz);
}

int report_week_number(const mval *rep)
{
	const char *week = mv_str_of(mv_get(rep, "week"));
	const char *w = week ? strchr(week, 'W') : NULL;
	return w ? atoi(w + 1) : 0;
}
