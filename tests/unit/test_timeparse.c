/* test_timeparse.c — every timestamp form of SPEC §2, DST gaps and
 * overlaps, days, ISO weeks. Expected instants are worked out by hand:
 * 2026-01-01 is day 20454 since 1970 (56 years, 14 leap days), so
 * 2026-03-04 is day 20516 = 1772582400 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "timeparse.h"

typedef struct ts_case {
	const char *in;
	const char *tz; /* NULL: UTC */
	bool us;
	bool ok;
	ts_ms want;
} ts_case;

static const ts_case ts_cases[] = {
    /* 10:11:12 = 36672 s after 1772582400 */
    {"2026-03-04T10:11:12Z", NULL, false, true, 1772619072000LL},
    {"2026-03-04T10:11:12z", NULL, false, true, 1772619072000LL},
    {"2026-03-04 10:11:12Z", NULL, false, true, 1772619072000LL},
    /* +02:00 → 08:11:12.250Z */
    {"2026-03-04T10:11:12.250+02:00", NULL, false, true, 1772611872250LL},
    {"2026-03-04T10:11:12.250+0200", NULL, false, true, 1772611872250LL},
    {"2026-03-04T10:11:12.250+02", NULL, false, true, 1772611872250LL},
    {"2026-03-04T10:11:12.25+02", NULL, false, true, 1772611872250LL},
    {"2026-03-04T10:11:12.250999+02", NULL, false, true, 1772611872250LL},
    /* -05:30 → 15:41:12Z = 1772582400 + 56472 */
    {"2026-03-04T10:11:12-05:30", NULL, false, true, 1772638872000LL},
    {"2026-03-04T10:11Z", NULL, false, true, 1772619060000LL},
    {"2026-03-04 10:11", NULL, false, true, 1772619060000LL},
    {"2026-03-04T10:11:12", NULL, false, true, 1772619072000LL},
    {"2026-03-04", NULL, false, true, 1772582400000LL},
    {"1772619072000", NULL, false, true, 1772619072000LL},
    {"1772619072", NULL, false, true, 1772619072000LL},
    /* 2024-02-29 is day 19723 + 59 = 19782 */
    {"2024-02-29", NULL, false, true, 1709164800000LL},
    /* Berlin is +01:00 in March: midnight is 23:00Z the day before */
    {"2026-03-04", "Europe/Berlin", false, true, 1772578800000LL},
    {"2026-03-04T10:11:12Z", "Europe/Berlin", false, true, 1772619072000LL},
    /* New York, summer (EDT, -4): 12:00 → 16:00Z */
    {"2026-07-01 12:00", "America/New_York", false, true, 1782921600000LL},
    /* 2026-03-08 02:30 does not exist in New York: EST (-5) → 07:30Z */
    {"2026-03-08 02:30", "America/New_York", false, true, 1772955000000LL},
    /* 2026-11-01 01:30 happens twice: EDT (-4), the first → 05:30Z */
    {"2026-11-01 01:30", "America/New_York", false, true, 1793511000000LL},
    /* two changes four days apart: −1:00 until 1 Sep 1939 01:00Z, −0:40 until
     * 5 Sep 00:40Z, −1:00 again; 00:50 on 3 Sep is 01:30Z */
    {"1939-09-03 00:50", "Africa/Freetown", false, true, -957133800000LL},
    {"1939-09-03 12:00", "Africa/Freetown", false, true, -957093600000LL},
    /* US forms */
    {"3/4/2026", NULL, true, true, 1772582400000LL},
    {"03/04/2026", NULL, true, true, 1772582400000LL},
    {"3/4/2026 10:11 AM", NULL, true, true, 1772619060000LL},
    {"3/4/2026 10:11:12 am", NULL, true, true, 1772619072000LL},
    {"3/4/2026 12:00 AM", NULL, true, true, 1772582400000LL},
    /* 12:30 PM = 45000 s */
    {"3/4/2026 12:30 PM", NULL, true, true, 1772627400000LL},
    {"3/4/2026 1:05 PM", NULL, true, true, 1772629500000LL},
    {"3/4/2026 10:11 PM", "America/New_York", true, true, 1772680260000LL},
    /* rejected */
    {"3/4/2026", NULL, false, false, 0},
    {"13/4/2026", NULL, true, false, 0},
    {"2/30/2026", NULL, true, false, 0},
    {"3/4/2026 13:00 PM", NULL, true, false, 0},
    {"3/4/2026 10:11", NULL, true, false, 0},
    {"2026-02-30", NULL, false, false, 0},
    {"2025-02-29", NULL, false, false, 0},
    {"2026-13-01", NULL, false, false, 0},
    {"2026-00-10", NULL, false, false, 0},
    {"2026-03-04T24:00:00Z", NULL, false, false, 0},
    {"2026-03-04T10:60Z", NULL, false, false, 0},
    {"2026-03-04T10:11:61Z", NULL, false, false, 0},
    {"2026-03-04T10:11:12+2", NULL, false, false, 0},
    {"2026-03-04T10:11:12+02:0", NULL, false, false, 0},
    {"2026-03-04T10:11:12+24:00", NULL, false, false, 0},
    {"2026-03-04T10:11:12.Z", NULL, false, false, 0},
    {"2026-03-04T10:11:12 Z", NULL, false, false, 0},
    {"2026-03-04X10:11", NULL, false, false, 0},
    {"2026-3-4", NULL, false, false, 0},
    {"177261907200", NULL, false, false, 0},
    {"17726190720", NULL, false, false, 0},
    {"-1772619072", NULL, false, false, 0},
    {"", NULL, false, false, 0},
    {" 2026-03-04", NULL, false, false, 0},
    {"yesterday", NULL, true, false, 0},
    {"2026-03-04T10:11:12Zjunk", NULL, false, false, 0},
};

/* Month first with a 24-hour clock (date_format = mdy, Excel's US layout),
 * and the same instants day first (dmy); 13:05 is 47100 s after midnight. */
static void test_ts_parse_mdy(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int dfmt;
		bool ok;
		ts_ms want;
	} cases[] = {
	    {"3/4/2026", TS_DATES_MDY, true, 1772582400000LL},
	    {"3/4/2026 0:00", TS_DATES_MDY, true, 1772582400000LL},
	    {"3/4/2026 10:11", TS_DATES_MDY, true, 1772619060000LL},
	    {"03/04/2026 10:11:12", TS_DATES_MDY, true, 1772619072000LL},
	    {"3/4/2026 13:05", TS_DATES_MDY, true, 1772629500000LL},
	    {"4/3/2026 13:05", TS_DATES_DMY, true, 1772629500000LL},
	    {"3/4/2026 13:05", TS_DATES_US, false, 0},
	    {"3/4/2026 1:05 PM", TS_DATES_MDY, false, 0},
	    {"3/4/2026 24:00", TS_DATES_MDY, false, 0},
	    {"13/4/2026 10:00", TS_DATES_MDY, false, 0},
	    {"3.4.2026", TS_DATES_MDY, false, 0},
	    {"2026-03-04 13:05", TS_DATES_MDY, true, 1772629500000LL},
	    /* day first with a 12-hour clock, as day-first locales that use
	     * AM/PM write it (Salesforce en_AU, en_NZ, en_IN) */
	    {"4/3/2026 1:05 PM", TS_DATES_DMY, true, 1772629500000LL},
	    {"4/3/2026 1:05PM", TS_DATES_DMY, true, 1772629500000LL},
	    {"04/03/2026 1:05:00 pm", TS_DATES_DMY, true, 1772629500000LL},
	    {"4.3.2026 1:05 PM", TS_DATES_DMY, true, 1772629500000LL},
	    {"4/3/2026 12:00 AM", TS_DATES_DMY, true, 1772582400000LL},
	    {"4/3/2026 12:30 PM", TS_DATES_DMY, true, 1772627400000LL},
	    {"4/3/2026 10:11 AM", TS_DATES_DMY, true, 1772619060000LL},
	    /* 16 November 2026 (day 20773) 9:04 AM */
	    {"16/11/2026 9:04 AM", TS_DATES_DMY, true, 1794819840000LL},
	    {"16/11/2026 9:04 AM", TS_DATES_US, false, 0},
	    {"4/3/2026 13:05 PM", TS_DATES_DMY, false, 0},
	    {"4/3/2026 0:30 AM", TS_DATES_DMY, false, 0},
	    {"4/3/2026 1:05 XM", TS_DATES_DMY, false, 0},
	    {"4/3/2026 1:05 P", TS_DATES_DMY, false, 0},
	    {"4/3/2026 1:05 PM x", TS_DATES_DMY, false, 0},
	    {"4/3/2026 1:05 ", TS_DATES_DMY, false, 0},
	    {"4/3/2026 AM", TS_DATES_DMY, false, 0},
	};
	GTimeZone *utc = g_time_zone_new_utc();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ts_ms got = 0;
		bool ok = ts_parse(cases[i].in, strlen(cases[i].in), utc, cases[i].dfmt, &got);
		if (ok != cases[i].ok || (ok && got != cases[i].want))
			fail_msg("\"%s\" (form %d): ok %d got %lld, want ok %d %lld", cases[i].in,
				 cases[i].dfmt, ok, (long long)got, cases[i].ok,
				 (long long)cases[i].want);
	}
	ts_ms day = 0;
	assert_true(ts_parse_day("3/4/2026", 8, utc, TS_DATES_MDY, &day));
	assert_int_equal(day, 1772582400000LL);
	g_time_zone_unref(utc);
}

/* The form YYYY-MM-DDTHH:MM:SSZ has a path of its own; the same text with
 * "+00:00" for its Z takes the general one. Each of the time's characters
 * replaced by every byte, and a few dates and times at their bounds: the
 * two paths accept the same texts and give the same instants. */
static void test_utc_seconds_form(void **state)
{
	(void)state;
	GTimeZone *ny = g_time_zone_new_identifier("America/New_York");
	assert_non_null(ny);
	static const char *const bases[] = {
	    "2026-03-04T10:11:12Z", "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z",
	    "1969-12-31T23:59:59Z", "2026-12-31T19:09:50Z", "2025-02-29T10:11:12Z",
	    "2026-03-04T24:00:00Z", "2026-03-04T09:60:00Z", "2026-03-04T09:00:60Z",
	};
	size_t checked = 0, accepted = 0;
	for (size_t b = 0; b < sizeof bases / sizeof *bases; b++)
		for (int at = -1; at < 19; at++) /* -1: the text as it is */
			for (int byte = at < 0 ? 255 : 0; byte < 256; byte++) {
				char z[21], off[26];
				memcpy(z, bases[b], 21);
				if (at >= 0)
					z[at] = (char)byte;
				memcpy(off, z, 19);
				memcpy(off + 19, "+00:00", 7);
				if (at >= 0 && byte == 0)
					continue; /* a NUL would end the second text early */
				ts_ms tz = 0, to = 0;
				bool okz = ts_parse(z, 20, ny, TS_DATES_ISO, &tz);
				bool oko = ts_parse(off, 25, ny, TS_DATES_ISO, &to);
				if (okz != oko || (okz && tz != to))
					fail_msg(
					    "\"%.20s\": ok %d at %lld; with +00:00: ok %d at %lld",
					    z, okz, (long long)tz, oko, (long long)to);
				checked++;
				accepted += okz;
			}
	/* both ways happened: many texts read, most changes rejected */
	assert_true(accepted > 100 && accepted < checked / 4);
	ts_ms t = 0;
	assert_true(ts_parse("2026-03-04T10:11:12Z", 20, ny, TS_DATES_ISO, &t));
	assert_int_equal(t, 1772619072000LL);
	g_time_zone_unref(ny);
}

static void test_ts_parse(void **state)
{
	(void)state;
	/* the Freetown cases need the zone's own 1939 history (Debian's tzdata
	 * has it; a build that links Africa/Freetown to Africa/Abidjan has not) */
	GTimeZone *fr = g_time_zone_new_identifier("Africa/Freetown");
	if (!fr || g_time_zone_get_offset(fr, g_time_zone_find_interval(fr, G_TIME_TYPE_UNIVERSAL,
									-957100000)) != -2400)
		fail_msg(
		    "Africa/Freetown lacks its 1939 offset of -0:40: the system's time-zone data "
		    "is not the full history the setup installs (tzdata)");
	g_time_zone_unref(fr);
	for (size_t i = 0; i < sizeof ts_cases / sizeof *ts_cases; i++) {
		const ts_case *c = &ts_cases[i];
		GTimeZone *tz = g_time_zone_new_identifier(c->tz ? c->tz : "UTC");
		assert_non_null(tz);
		ts_ms got = 0;
		bool ok = ts_parse(c->in, strlen(c->in), tz, c->us, &got);
		if (ok != c->ok || (ok && got != c->want))
			fail_msg("\"%s\" (%s): ok %d got %lld, want ok %d %lld", c->in,
				 c->tz ? c->tz : "UTC", ok, (long long)got, c->ok,
				 (long long)c->want);
		g_time_zone_unref(tz);
	}
}

/* Dates in a scattered order, some sharing a slot of the parser's date
 * cache (years eight apart, and 2018 with 2020): each one's instant is the
 * day count worked out from its parts, whatever was parsed before it, and
 * an invalid date is refused even after a valid one in its slot. */
static void test_dates_any_order(void **state)
{
	(void)state;
	GTimeZone *utc = g_time_zone_new_identifier("UTC");
	for (int round = 0; round < 3; round++) {
		for (unsigned k = 0; k < 12 * 366 * 7; k++) {
			/* a walk that jumps about the years 2017 to 2028 */
			unsigned v = (k * 7919u + (unsigned)round * 104729u) % (12 * 12 * 31);
			int y = 2017 + (int)(v / (12 * 31)), m = 1 + (int)(v / 31 % 12),
			    d = 1 + (int)(v % 31);
			char in[32];
			snprintf(in, sizeof in, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
				 (int)(k % 24), (int)(k % 60), (int)(k * 7 % 60));
			static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
			bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
			bool valid = d <= dim[m - 1] + (m == 2 && leap);
			ts_ms got = 0;
			bool ok = ts_parse(in, strlen(in), utc, false, &got);
			if (ok != valid)
				fail_msg("%s: ok %d, want %d", in, ok, valid);
			ts_ms want =
			    (ts_days_from_civil(y, m, d) * 86400 + (int64_t)(k % 24) * 3600 +
			     (int64_t)(k % 60) * 60 + (int64_t)(k * 7 % 60)) *
			    1000;
			if (ok && got != want)
				fail_msg("%s: %lld, want %lld", in, (long long)got,
					 (long long)want);
		}
	}
	ts_ms t;
	assert_true(ts_parse("2020-02-29", 10, utc, false, &t));
	assert_false(ts_parse("2018-02-29", 10, utc, false, &t));
	assert_true(ts_parse("2028-02-29T00:00:00Z", 20, utc, false, &t));
	assert_int_equal(t, ts_days_from_civil(2028, 2, 29) * 86400000LL);
	assert_false(ts_parse("2020-02-30", 10, utc, false, &t));
	g_time_zone_unref(utc);
}

/* The same zone object after another zone was freed: the offset cache is
 * per zone. */
static void test_zone_switch(void **state)
{
	(void)state;
	const char *zones[] = {"Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"};
	/* midnight 2026-07-01 (day 20635 = 1782864000 s): Berlin +2, New York -4, Kolkata +5:30 */
	const ts_ms want[] = {1782856800000LL, 1782878400000LL, 1782864000000LL, 1782844200000LL};
	for (int round = 0; round < 3; round++) {
		for (int z = 0; z < 4; z++) {
			GTimeZone *tz = g_time_zone_new_identifier(zones[z]);
			ts_ms t;
			assert_true(ts_parse_day("2026-07-01", 10, tz, false, &t));
			assert_int_equal(t, want[z]);
			g_time_zone_unref(tz);
		}
	}
}

static void test_parse_day(void **state)
{
	(void)state;
	GTimeZone *utc = g_time_zone_new_utc();
	ts_ms t = 0;
	assert_true(ts_parse_day("2026-03-04", 10, utc, false, &t));
	assert_int_equal(t, 1772582400000LL);
	assert_true(ts_parse_day("3/4/2026", 8, utc, true, &t));
	assert_int_equal(t, 1772582400000LL);
	assert_false(ts_parse_day("3/4/2026", 8, utc, false, &t));
	assert_false(ts_parse_day("2026-03-04T00:00:00Z", 20, utc, false, &t));
	assert_false(ts_parse_day("2026-02-29", 10, utc, false, &t));
	assert_false(ts_parse_day("", 0, utc, false, &t));
	g_time_zone_unref(utc);
}

static void test_format(void **state)
{
	(void)state;
	char b[32];
	ts_format_utc(1772611872250LL, b, sizeof b);
	assert_string_equal(b, "2026-03-04T08:11:12Z");
	ts_format_utc(0, b, sizeof b);
	assert_string_equal(b, "1970-01-01T00:00:00Z");
	ts_format_utc(-1, b, sizeof b);
	assert_string_equal(b, "1969-12-31T23:59:59Z");
	ts_format_utc(1709164800000LL, b, sizeof b);
	assert_string_equal(b, "2024-02-29T00:00:00Z");
}

static void test_weeks(void **state)
{
	(void)state;
	int y = 0, w = 0;
	assert_true(week_parse("2026-W47", &y, &w));
	assert_int_equal(y, 2026);
	assert_int_equal(w, 47);
	/* 2026 starts on a Thursday: it has a week 53; 2025 (Wednesday, not leap) has not */
	assert_true(week_parse("2026-W53", &y, &w));
	assert_false(week_parse("2025-W53", &y, &w));
	assert_true(week_parse("2020-W53", &y, &w)); /* leap year starting on Wednesday */
	assert_false(week_parse("2026-W00", &y, &w));
	assert_false(week_parse("2026-47", &y, &w));
	assert_false(week_parse("2026-W4", &y, &w));
	assert_false(week_parse("2026-W470", &y, &w));
	assert_false(week_parse("last", &y, &w));

	GTimeZone *utc = g_time_zone_new_utc();
	GTimeZone *ny = g_time_zone_new_identifier("America/New_York");
	/* week 1 of 2026 starts Monday 2025-12-29 (day 20451); week 47 is 46 weeks later: day 20773
	 */
	assert_int_equal(week_start(utc, 2026, 47), 1794787200000LL);
	assert_int_equal(week_start(ny, 2026, 47), 1794805200000LL); /* EST: 05:00Z */

	/* 2026-11-27T04:56Z is in W48: the last complete week is W47 */
	week_last(utc, 1795755360000LL, &y, &w);
	assert_int_equal(y, 2026);
	assert_int_equal(w, 47);
	/* exactly Monday 2026-11-23 00:00Z: W47 has just ended */
	week_last(utc, 1795392000000LL, &y, &w);
	assert_int_equal(w, 47);
	week_last(utc, 1795392000000LL - 1000, &y, &w);
	assert_int_equal(w, 46);
	/* 2026-11-23 02:00Z is still Sunday evening in New York: W46 */
	week_last(ny, 1795392000000LL + 7200000, &y, &w);
	assert_int_equal(w, 46);
	/* …where W47 ends three hours later, at 05:00Z; in UTC W48 has begun */
	assert_int_equal(week_end_after(ny, 1795392000000LL + 7200000), 1795410000000LL);
	assert_int_equal(week_end_after(utc, 1795392000000LL + 7200000), 1795996800000LL);
	assert_int_equal(week_end_after(utc, 1795392000000LL - 1000), 1795392000000LL);
	/* 2026-01-05 (Monday of 2026-W02) at noon: last complete week 2026-W01 */
	week_last(utc, (20454LL + 4) * 86400000LL + 43200000, &y, &w);
	assert_int_equal(y, 2026);
	assert_int_equal(w, 1);

	ts_ms starts[14];
	char labels[13][10];
	week_series(utc, 2026, 47, starts, labels);
	assert_string_equal(labels[0], "2026-W35");
	assert_string_equal(labels[12], "2026-W47");
	assert_int_equal(starts[12], 1794787200000LL);
	assert_int_equal(starts[13], 1795392000000LL);
	assert_int_equal(starts[0], 1794787200000LL - 12 * MS_PER_WEEK);

	/* across a year end: 2026-W02 back 12 weeks is 2025-W42 (2025 has 52 weeks) */
	week_series(utc, 2026, 2, starts, labels);
	assert_string_equal(labels[0], "2025-W42");
	assert_string_equal(labels[10], "2025-W52");
	assert_string_equal(labels[11], "2026-W01");

	/* New York 2026-W45 (Nov 2) follows the fall-back: W44 is 169 hours long */
	week_series(ny, 2026, 45, starts, labels);
	assert_int_equal(starts[12] - starts[11], MS_PER_WEEK + 3600000);
	g_time_zone_unref(utc);
	g_time_zone_unref(ny);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ts_parse),	    cmocka_unit_test(test_ts_parse_mdy),
	    cmocka_unit_test(test_dates_any_order), cmocka_unit_test(test_zone_switch),
	    cmocka_unit_test(test_parse_day),	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_weeks),	    cmocka_unit_test(test_utc_seconds_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
