/* The lines in front of a memo (ingest/memo.h, linememo): a text put is
 * found at once with its value; a text is never found with another text's
 * value, also when the two share their length and the bytes the line's
 * place is taken from and differ only elsewhere; text too long for a line,
 * or empty, is not held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "memo.h"

enum { NKEYS = 3000 };

static char keys[NKEYS][LINEMEMO_KEY + 8];
static size_t lens[NKEYS];

/* Key i: its length cycles through 1 to LINEMEMO_KEY; its bytes are the
 * same for every key of that length but one, whose place and value depend
 * on i, so many keys differ in one byte only, often away from the first,
 * middle and last eight. */
static void make_keys(void)
{
	for (size_t i = 0; i < NKEYS; i++) {
		size_t len = 1 + i % LINEMEMO_KEY;
		for (size_t k = 0; k < len; k++)
			keys[i][k] = (char)('a' + (len + k) % 26);
		size_t at = (i / LINEMEMO_KEY) % len;
		keys[i][at] = (char)('A' + (i / LINEMEMO_KEY / len) % 26 + (i / LINEMEMO_KEY) % 3);
		lens[i] = len;
	}
}

/* Whether keys i and j are the same text. */
static bool same_key(size_t i, size_t j)
{
	return lens[i] == lens[j] && memcmp(keys[i], keys[j], lens[i]) == 0;
}

static void a_line_never_answers_for_another_text(void **state)
{
	(void)state;
	make_keys();
	linememo m = {0};
	uint32_t v;
	assert_false(linememo_get(&m, keys[0], lens[0], &v)); /* nothing held yet */
	size_t found = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		linememo_put(&m, keys[i], lens[i], (uint32_t)i);
		assert_true(linememo_get(&m, keys[i], lens[i], &v));
		assert_int_equal(v, i);
		/* every key put so far: found with the value of its own text's
		 * last put, or not found */
		for (size_t j = 0; j <= i; j += 7) {
			if (!linememo_get(&m, keys[j], lens[j], &v))
				continue;
			found++;
			assert_true(v <= i);
			assert_true(same_key(v, j));
			for (size_t k = v + 1; k <= i; k++)
				assert_false(same_key(k, j)); /* the last put of that text */
		}
	}
	assert_true(found > NKEYS); /* lines keep many texts */
	linememo_free(&m);
}

/* Text too long for a line is not held, nor written anywhere: every text
 * held before is still found with its value. */
static void long_or_empty_text_is_not_held(void **state)
{
	(void)state;
	make_keys();
	linememo m = {0};
	for (size_t i = 0; i < NKEYS; i++)
		linememo_put(&m, keys[i], lens[i], (uint32_t)i);
	bool held[NKEYS];
	uint32_t v;
	for (size_t i = 0; i < NKEYS; i++)
		held[i] = linememo_get(&m, keys[i], lens[i], &v);
	char big[LINEMEMO_KEY + 9];
	for (size_t len = LINEMEMO_KEY + 1; len <= sizeof big; len++)
		for (int c = 0; c < 64; c++) { /* texts that fall on many lines */
			memset(big, 'a' + c % 26, sizeof big);
			big[len / 2] = (char)('0' + c);
			linememo_put(&m, big, len, 99999);
			assert_false(linememo_get(&m, big, len, &v));
		}
	for (size_t i = 0; i < NKEYS; i++)
		if (held[i]) {
			assert_true(linememo_get(&m, keys[i], lens[i], &v));
			assert_true(v < NKEYS && same_key(v, i));
		}
	linememo_free(&m);
	memset(big, 'x', sizeof big);
	linememo_put(&m, big, sizeof big, 7);
	assert_false(linememo_get(&m, big, sizeof big, &v));
	linememo_put(&m, big, LINEMEMO_KEY, 8);
	assert_true(linememo_get(&m, big, LINEMEMO_KEY, &v));
	assert_int_equal(v, 8);
	linememo_put(&m, big, 0, 9);
	assert_false(linememo_get(&m, big, 0, &v));
	linememo_free(&m);
	assert_null(m.line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_line_never_answers_for_another_text),
	    cmocka_unit_test(long_or_empty_text_is_not_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
