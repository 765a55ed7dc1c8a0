/* fuzz_timeparse.c — timestamps and days on any text, in a few zones, with
 * and without US dates. A parsed instant formats and, when it has a
 * four-digit year, parses back to the same second. */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static GTimeZone *zones[3];
	if (!zones[0]) {
		zones[0] = g_time_zone_new_utc();
		zones[1] = g_time_zone_new_identifier("America/New_York");
		zones[2] = g_time_zone_new_identifier("Australia/Lord_Howe"); /* a 30-minute DST */
	}
	if (size == 0)
		return 0;
	GTimeZone *tz = zones[data[0] % 3];
	bool us = data[0] & 4;
	const char *s = (const char *)data + 1;
	size_t len = size - 1;
	ts_ms t;
	if (ts_parse(s, len, tz, us, &t)) {
		char buf[40];
		ts_format_utc(t, buf, sizeof buf);
		ts_ms back;
		if (strlen(buf) == 20 && ts_parse(buf, 20, tz, false, &back)) {
			ts_ms sec = t >= 0 ? t / 1000 * 1000 : -((-t + 999) / 1000 * 1000);
			if (back != sec)
				abort();
		}
	}
	(void)ts_parse_day(s, len, tz, us, &t);
	int y, w;
	char *z = strndup(s, len);
	if (z && week_parse(z, &y, &w)) {
		ts_ms starts[14];
		char labels[13][10];
		week_series(tz, y, w, starts, labels);
		for (int i = 0; i < 13; i++)
			if (starts[i + 1] <= starts[i])
				abort();
	}
	free(z);
	return 0;
}
