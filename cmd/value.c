/* value.c — the one parser of numbers, currency codes, time zones and weeks
 * for the command line and the configuration file (see value.h).
 *
 * It only says whether a text is a valid value: it must not know options,
 * groups or keys, print, or decide an exit status (its callers do). */
#include "value.h"

#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "timeparse.h"

/* The text as a message may show it: at most 60 bytes, control bytes as '?'
 * (a value must not write escape sequences to the operator's terminal). */
static const char *shown(const char *s, char buf[64])
{
	size_t n = 0;
	for (; s[n] && n < 60; n++)
		buf[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
	if (s[n])
		buf[n - 1] = '.', buf[n - 2] = '.', buf[n - 3] = '.';
	buf[n] = '\0';
	return buf;
}

/* A range's bound as the docs write it: 10,000,000 rather than 1e+07. */
static const char *bound(double d, char b[32])
{
	if (d != floor(d) || fabs(d) >= 1e15) {
		snprintf(b, 32, "%g", d);
		return b;
	}
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%.0f", fabs(d));
	char *o = b;
	if (d < 0)
		*o++ = '-';
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			*o++ = ',';
		*o++ = digits[i];
	}
	*o = '\0';
	return b;
}

bool val_number(const char *s, double min, double max, double *out, char why[VAL_WHY])
{
	char b[64];
	/* a share of 0 to 1 (a margin, a limit of rejected rows) may be
	 * written in percent, as people say it: "80%" is 0.8 */
	bool fraction = min >= 0 && max <= 1;
	size_t len = strlen(s);
	bool percent = fraction && len > 1 && s[len - 1] == '%';
	/* only what a decimal number is written with: no "0x", "nan", "inf",
	 * blanks or units; g_ascii_strtod then must read every byte */
	bool ok = *s && strspn(s, "0123456789.+-eE") == len - percent;
	char *end = NULL;
	errno = 0;
	double d = ok ? g_ascii_strtod(s, &end) : 0;
	if (!ok || end == s || end != s + len - percent) {
		snprintf(why, VAL_WHY, "\"%s\" is not a number (%s)", shown(s, b),
			 fraction ? "a fraction such as 0.8, or 80%"
				  : "a decimal such as 60 or 0.5");
		return false;
	}
	if (percent)
		d /= 100;
	if (errno == ERANGE || !isfinite(d)) {
		snprintf(why, VAL_WHY, "%s is too large or too small to hold", shown(s, b));
		return false;
	}
	if (d < min || d > max) {
		char lo[32], hi[32],
		    hint[128] = ""; /* a value shown (60 characters) and its fraction */
		/* 60 for a share of 0 to 1: meant in percent, most likely */
		if (fraction && !percent && d > max && d <= 100)
			snprintf(hint, sizeof hint, "; as a fraction %g, or %s%%", d / 100,
				 shown(s, b));
		snprintf(why, VAL_WHY, "%s is out of range (%s to %s%s)", shown(s, b),
			 bound(min, lo), bound(max, hi), hint);
		return false;
	}
	*out = d;
	return true;
}

bool val_currency(const char *s, char out[4], char why[VAL_WHY])
{
	char b[64];
	if (strlen(s) != 3 || !g_ascii_isalpha(s[0]) || !g_ascii_isalpha(s[1]) ||
	    !g_ascii_isalpha(s[2])) {
		snprintf(why, VAL_WHY,
			 "\"%s\" is not a currency code (three letters of ISO 4217, such as EUR)",
			 shown(s, b));
		return false;
	}
	for (int i = 0; i < 3; i++)
		out[i] = g_ascii_toupper(s[i]);
	out[3] = '\0';
	return true;
}

/* "UTC+5", "GMT-03:00": a POSIX-looking offset. *east gets the hours east
 * of Greenwich the writer most likely meant (ISO 8601's sign), *minutes the
 * minutes. False when s does not look like one. */
static bool offset_like(const char *s, int *east, int *minutes)
{
	if (g_ascii_strncasecmp(s, "UTC", 3) != 0 && g_ascii_strncasecmp(s, "GMT", 3) != 0)
		return false;
	const char *p = s + 3;
	if (*p != '+' && *p != '-')
		return false;
	int sign = *p++ == '+' ? 1 : -1, h = 0, m = 0, nd = 0;
	for (; g_ascii_isdigit(*p) && nd < 2; p++, nd++)
		h = h * 10 + (*p - '0');
	if (nd == 0)
		return false;
	if (*p == ':')
		p++;
	if (g_ascii_isdigit(p[0]) && g_ascii_isdigit(p[1]))
		m = (p[0] - '0') * 10 + (p[1] - '0'), p += 2;
	if (*p)
		return false;
	*east = sign * h;
	*minutes = m;
	return true;
}

/* A place whose zone is UTC+east all year (no daylight saving), for the
 * hint; NULL when none is listed. */
static const char *place_at(int east)
{
	static const struct {
		int east;
		const char *zone;
	} places[] = {
	    {-10, "Pacific/Honolulu"},	{-7, "America/Phoenix"},   {-5, "America/Bogota"},
	    {-4, "America/La_Paz"},	{-3, "America/Sao_Paulo"}, {1, "Africa/Lagos"},
	    {2, "Africa/Johannesburg"}, {3, "Asia/Riyadh"},	   {4, "Asia/Dubai"},
	    {5, "Asia/Karachi"},	{6, "Asia/Dhaka"},	   {7, "Asia/Bangkok"},
	    {8, "Asia/Singapore"},	{9, "Asia/Tokyo"},	   {10, "Australia/Brisbane"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(places); i++)
		if (places[i].east == east)
			return places[i].zone;
	return NULL;
}

static bool posix_hint(const char *s, char why[VAL_WHY])
{
	int east, min;
	if (!offset_like(s, &east, &min))
		return false;
	char b[64];
	if (min == 0 && east >= -12 && east <= 14 && east != 0)
		/* the Etc names keep POSIX's sign: Etc/GMT-5 is five hours east */
		snprintf(
		    why, VAL_WHY,
		    "\"%s\" is a POSIX TZ string, which reads the offset inverted (as UTC%+d); "
		    "for UTC%+d write Etc/GMT%+d (the Etc names invert the sign too), or the zone "
		    "of the place, which also keeps its daylight-saving changes%s%s%s",
		    shown(s, b), -east, east, -east, place_at(east) ? " (" : "",
		    place_at(east) ? place_at(east) : "",
		    place_at(east) ? ", for one, is at that offset all year)" : "");
	else if (min == 0 && east == 0)
		snprintf(why, VAL_WHY, "\"%s\" is a POSIX TZ string: write UTC", shown(s, b));
	else
		snprintf(why, VAL_WHY,
			 "\"%s\" is a POSIX TZ string, not an IANA name: write the zone of a "
			 "place, such as Asia/Kolkata",
			 shown(s, b));
	return true;
}

/* The name as a path below the zone database: no absolute or parent paths,
 * only the characters IANA names use. */
static bool zone_file_exists(const char *s)
{
	if (!*s || s[0] == '/' || strstr(s, "..") ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+-") !=
		strlen(s))
		return false;
	const char *dir = g_getenv("TZDIR"); /* where GLib reads zones too */
	char *path = g_build_filename(dir && *dir ? dir : "/usr/share/zoneinfo", s, NULL);
	bool ok = g_file_test(path, G_FILE_TEST_IS_REGULAR);
	g_free(path);
	return ok;
}

bool val_timezone(const char *s, char why[VAL_WHY])
{
	char b[64];
	if (strcmp(s, "UTC") == 0)
		return true;
	if (zone_file_exists(s)) {
		GTimeZone *tz = g_time_zone_new_identifier(s);
		if (tz) {
			g_time_zone_unref(tz);
			return true;
		}
	}
	if (!posix_hint(s, why))
		snprintf(why, VAL_WHY,
			 "unknown time zone \"%s\" (an IANA name such as Europe/Berlin, or UTC)",
			 shown(s, b));
	return false;
}

bool val_week(const char *s, char why[VAL_WHY])
{
	char b[64];
	int year, week;
	if (strcmp(s, "last") == 0)
		return true;
	if (!week_parse(s, &year, &week)) {
		/* week 53 of a year of 52: the form is right, the week is not */
		char w[3];
		if (sscanf(s, "%4d-W%2[0-9]", &year, w) == 2 && strcmp(w, "53") == 0 && year >= 1 &&
		    year <= 9999 && strlen(s) == 8) {
			GDate *d = g_date_new_dmy(28, G_DATE_DECEMBER, (GDateYear)year);
			snprintf(why, VAL_WHY, "%d has %u ISO weeks: its last is %d-W%02u", year,
				 g_date_get_iso8601_week_of_year(d), year,
				 g_date_get_iso8601_week_of_year(d));
			g_date_free(d);
			return false;
		}
		snprintf(why, VAL_WHY, "\"%s\" is not an ISO week such as 2026-W47, or last",
			 shown(s, b));
		return false;
	}
	/* a workbook holds dates from 1900-01-01 to 9999-12-31; 9999-W52 ends
	 * on 10000-01-03 */
	if (year < 1900 || (year == 9999 && week > 51)) {
		snprintf(why, VAL_WHY,
			 "week %s is outside 1900-W01 to 9999-W51, the weeks whose dates a "
			 "workbook can hold",
			 shown(s, b));
		return false;
	}
	return true;
}
