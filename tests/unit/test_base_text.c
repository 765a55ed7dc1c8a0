/* mq_textf(): text cut to a buffer never splits a UTF-8 character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "base.h"

static void fits_whole(void **state)
{
	(void)state;
	char b[16];
	mq_textf(b, sizeof b, "%s %d", "caf\xC3\xA9", 42);
	assert_string_equal(b, "caf\xC3\xA9 42");
	mq_textf(b, 4, "%s", "abc"); /* exactly fills */
	assert_string_equal(b, "abc");
}

/* Every buffer size from 1 to past the text: valid UTF-8, a prefix of the
 * text whole characters long, and "…" at the end whenever it was cut. */
static void cut_at_a_character(void **state)
{
	(void)state;
	GString *text = g_string_new("id ");
	for (int i = 0; i < 40; i++)
		g_string_append(text, i % 3 ? "\xC3\xBC" : "\xE2\x82\xAC"); /* ü and € */
	g_string_append(text, "\xF0\x9F\x93\x88 end");			    /* four bytes */
	for (size_t n = 1; n <= text->len + 2; n++) {
		char b[256];
		memset(b, 'x', sizeof b);
		mq_textf(b, n, "%s", text->str);
		size_t len = strlen(b);
		assert_true(len < n);
		if (!g_utf8_validate(b, -1, NULL))
			fail_msg("size %zu: not UTF-8: %s", n, b);
		bool cut = text->len >= n;
		size_t keep = cut && len >= 3 ? len - 3 : len;
		if (cut && n >= 4)
			assert_memory_equal(b + keep, "\xE2\x80\xA6", 3);
		assert_memory_equal(b, text->str, keep);
		if (cut && n >= 4) /* cut no earlier than one character before the room */
			assert_true(keep + 3 + 4 > n - 1);
	}
	g_string_free(text, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fits_whole),
	    cmocka_unit_test(cut_at_a_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
