/* money.h — amounts of money and counts as exports write them (SPEC §3).
 *
 * Accepted: `1234.5`, `1,234.50` (commas only between groups of three),
 * `-12`, `(12.50)` (an accounting negative), a leading `$`, `€` or `£`
 * (before or after a minus sign), optionally followed by spaces (`€ 410.00`;
 * no-break ones too, as money_parse_style() says). Rejected: `1,23`,
 * `NaN`, `1e400`, `inf`, an empty text, anything else. The caller trims.
 * An ISO code before the number (`USD 23,000.00`) is money_parse_coded()'s. */
#ifndef MQL_MONEY_H
#define MQL_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse an amount into *out (a finite double). Returns false when the text
 * is not an amount; *out is then untouched. */
bool money_parse(const char *s, size_t len, double *out);

/* The same with a decimal comma when dec_comma: `1.234,50`, `1 234,50`
 * (`.` or a space between groups of three), and the symbol also after the
 * number (`1.234,50 €`). Wherever a space is read, a no-break space
 * (U+00A0) or a narrow one (U+202F) is read too, as French Excel writes
 * `1 234,50 €`; only after a non-digit is that looked for, so plain
 * digits pay nothing for it. */
bool money_parse_style(const char *s, size_t len, bool dec_comma, double *out);

/* An amount written after an ISO 4217 code and a space (or a no-break
 * one, as money_parse_style() reads them), as Salesforce
 * writes them (`USD 23,000.00`, `-USD 5.00`, `EUR 1.234,50` with a decimal
 * comma): the amount into *out and the code, upper case, into code. Returns
 * false, *out untouched, for any other text, a code after the number
 * included (`23,000.00 USD`). A caller tries it after money_parse_style()
 * failed: the common amount pays nothing for it. */
bool money_parse_coded(const char *s, size_t len, bool dec_comma, double *out, char code[4]);

/* Whether the currency sign an amount is written with (`$`, `€` or `£`,
 * before or after the number) can be that of currency `code` (an ISO
 * 4217 code): `€` is EUR's, `£` the pound's (GBP and its kin), `$` a
 * dollar's or a peso's. An amount without a sign fits every currency. */
bool money_sign_fits(const char *s, size_t len, const char *code);

/* The digits after the point of an amount in currency `code` (ISO 4217's
 * minor units): 0 for JPY and KRW, 3 for KWD and the few like it (BHD,
 * IQD, JOD, LYD, OMR, TND), 2 for the others and for a code it does not
 * know or NULL. The one table of them: the outputs show amounts with as
 * many decimals, and the loader's thousands check knows from it that
 * "1.500" is a dinar and a half. */
int money_currency_decimals(const char *code);

/* The digits after an amount's decimal point ("1.500" → 3, "12.5" → 1),
 * or -1 when it has no point or more than one. Read with a decimal point:
 * three digits after it in every amount of a file are thousands more
 * likely than thousandths (a German "1.500"), unless the currency's own
 * minor units are three (money_currency_decimals()). */
int money_point_digits(const char *s, size_t len);

/* Whether code is the upper-case ISO 4217 code of a currency in use
 * ("EUR", "JPY"; not "XAU" or "XXX"). */
bool money_is_currency(const char *code);

/* The currency a column header names at its end, written as its ISO 4217
 * code in capitals, in parentheses or after a space: "Amount spent (EUR)",
 * "Cost EUR" → "EUR" in out. False, out untouched, for any other header
 * ("Cost", "Cost (eur)", "Cost CPC"). The caller trims. */
bool money_header_currency(const char *s, size_t len, char out[4]);

/* Parse a whole non-negative count into *out: `1200`, `1,200`; with
 * dec_comma also grouped as amounts are then (`1.200`, `1 200`, with a
 * no-break or narrow no-break space too), and `1,200` still, since a count
 * has no fraction for the comma to start. */
bool count_parse(const char *s, size_t len, bool dec_comma, int64_t *out);

#endif
