/* value.h — one parser for every number and name that the command line
 * (cli.c) and the configuration file (cfgval.c) take, so that both accept
 * exactly the same values.
 *
 * Each val_* returns true and stores the value, or returns false and writes
 * why into `why` (a phrase that names no place, such as
 * "\"0x10\" is not a number …"); the caller adds where: the option (exit 64)
 * or the file and line (exit 78). */
#ifndef MQL_VALUE_H
#define MQL_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#define VAL_WHY 400 /* room for any message below */

/* Ranges of the scoring numbers (docs/configuration.md). */
#define VAL_POINTS_MAX	  1e6	  /* |points|, |threshold|, caps */
#define VAL_HALF_LIFE_MAX 36500.0 /* days: a hundred years */

/* A finite decimal number in [min, max]: an optional sign, digits with an
 * optional fraction and exponent ("60", "-2.5", "1e6"); for a share (min 0,
 * max at most 1) also in percent ("80%" is 0.8), and a value out of range
 * that reads as percent ("60") is named as such in why. Refused: "",
 * blanks, "nan", "inf", hexadecimal ("0x10"), trailing text ("60 points")
 * and values a double cannot hold ("1e309"). */
bool val_number(const char *s, double min, double max, double *out, char why[VAL_WHY]);

/* An ISO 4217 currency code: three ASCII letters, stored upper-cased
 * ("eur" → "EUR") in out. The code is not looked up in a list. */
bool val_currency(const char *s, char out[4], char why[VAL_WHY]);

/* An IANA time-zone name of the system's database ("Europe/Berlin",
 * "Etc/GMT-5") or "UTC". POSIX TZ strings such as "UTC+5" are refused with
 * the Etc name of the offset the user most likely meant. */
bool val_timezone(const char *s, char why[VAL_WHY]);

/* "last", or an ISO week "2026-W47" whose days a workbook can hold: from
 * 1900-W01 (Monday 1900-01-01) to 9999-W51 (its as_of is 9999-12-27). */
bool val_week(const char *s, char why[VAL_WHY]);

#endif
