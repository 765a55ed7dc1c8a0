/* fuzz_money.c — amounts (also after a currency code), counts, company sizes and yes/no values on
 * any text: a parsed amount is finite, a count is not negative; a value's normal form fits the room
 * normalize.h promises. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	double v;
	if (money_parse(s, size, &v) && !isfinite(v))
		abort();
	/* an amount after a currency code: finite, the code three capitals */
	char code[4];
	for (int comma = 0; comma < 2; comma++)
		if (money_parse_coded(s, size, comma, &v, code) &&
		    (!isfinite(v) || strlen(code) != 3 || code[0] < 'A' || code[0] > 'Z'))
			abort();
	int64_t n;
	for (int comma = 0; comma < 2; comma++)
		if ((count_parse(s, size, comma, &n) && n < 0) ||
		    (norm_company_size(s, size, comma, &n) && n < 0))
			abort();
	int8_t b;
	if (norm_bool(s, size, &b) && b != 0 && b != 1)
		abort();
	/* a letter's other case may take more bytes: never past NORM_ROOM */
	char *out = malloc(NORM_ROOM(size));
	if (out) {
		if (norm_value(s, size, out) >= NORM_ROOM(size) ||
		    norm_upper(s, size, out) >= NORM_ROOM(size))
			abort();
		free(out);
	}
	return 0;
}
