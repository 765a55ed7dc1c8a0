/* numfmt.h — the display text of a value, as the PDF and the charts show it
 * (the workbook keeps numbers as numbers and uses Excel formats instead). */
#ifndef MQL_NUMFMT_H
#define MQL_NUMFMT_H

#include <stddef.h>

#include "mval.h"

/* The symbol of a currency code ("USD" → "$", "EUR" → "€", "GBP" → "£",
 * "JPY" → "¥"), or NULL when the code is shown as itself. */
const char *numfmt_currency_symbol(const char *code);

/* A number in format f: COUNT "1,234"; MONEY "$1,234.50" (whole units from
 * 10,000 on, or when `integral` and whole; an unknown code follows:
 * "1,234.50 CHF"); RATE "12.3%"; CHANGE
 * "+12.3%"; DAYS "3.5 d"; MINUTES "12 min"; RATIO "1.25"; SCORE "62.5" ("60" when integral);
 * PLAIN as written. A non-finite d gives "—". Writes at most n bytes. */
void numfmt_number(double d, bool integral, mv_fmt f, const char *currency, char *buf, size_t n);
/* A leading "-" of buf (room for n bytes) as a true minus sign "−", as the
 * outputs write every negative number; unchanged without the room. */
void numfmt_true_minus(char *buf, size_t n);
/* d with `decimals` decimals, rounded as the workbook's number formats
 * show it (mq_fixed()), then suffix: numfmt_fixed(4.25, 1, " min") is
 * "4.3 min". A "-" stays a hyphen-minus: numfmt_true_minus() changes it. */
void numfmt_fixed(double d, int decimals, const char *suffix, char *buf, size_t n);
/* The decimals of a change as every output writes it, shown in percent or
 * in points: one under 10% and under 100 points ("+6.2%", "+19%",
 * "−25.6 pp", "−1,286 pp"), none above. */
int numfmt_change_decimals(double shown, bool points);
/* A signed change, grouped, with its unit: "+19%", "−1,286 pp"; "±0 pp"
 * when it rounds to nothing at `decimals`. */
void numfmt_signed(double shown, int decimals, const char *unit, char *buf, size_t n);

/* A proportion as a percent with `decimals` decimals, its thousands
 * grouped ("1,210%"), a + before one of zero or more when `sign`, a true
 * minus before a negative one. */
void numfmt_percent(double v, int decimals, bool sign, char *buf, size_t n);

/* Money: "$1,234.50" with cents, "$12,345" without. Values shown together
 * (a table's column, this week beside last week) take one choice: cents
 * when the largest of them is under 10,000 (numfmt_money_cents). */
void numfmt_money(double d, bool cents, const char *currency, char *buf, size_t n);
bool numfmt_money_cents(double largest);
/* An amount as numfmt_money() writes it but without its currency
 * ("1,234.50", "−12,345"; "1,234.500" for KWD), for a column whose header
 * names the currency once; "—" for a non-finite d. */
void numfmt_amount(double d, bool cents, const char *currency, char *buf, size_t n);

/* A short form for axis ticks and crowded labels: money and counts from
 * 1,000 on as "$12k", "$1.2M" ("12k"); other formats as numfmt_number. */
void numfmt_short(double d, mv_fmt f, const char *currency, char *buf, size_t n);

/* As numfmt_short, but in the unit of `largest`, the largest magnitude of
 * the values shown together (a chart's): "$0.3k" beside "$20.0k", never
 * "$304.62" beside "$9.0k"; one decimal under 100 of the unit; below 1,000
 * money with cents. A zero is "$0" (or "0") in every unit. */
void numfmt_short_among(double d, double largest, mv_fmt f, const char *currency, char *buf,
			size_t n);

/* An axis tick t of ticks `step` apart: as numfmt_short, but every tick
 * of a fractional step with the step's decimals ("$0.00", "$0.50",
 * "$1.00"; "0.0", "0.5", "1.0"), so that one axis has one precision. */
void numfmt_tick(double t, double step, mv_fmt f, const char *currency, char *buf, size_t n);

/* Any scalar: null "—", a bool "yes"/"no", a time "2026-11-22 19:01 UTC",
 * a string as is, a number as numfmt_number(). Objects and arrays give
 * their compact JSON. */
void numfmt_value(const mval *v, const char *currency, char *buf, size_t n);

#endif
