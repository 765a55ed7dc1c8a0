/* The RowBinary cursor of the ClickHouse client: every read takes a whole
 * value or nothing, so that a row cut between two pieces of an answer is
 * read again, whole, with the next piece. And its writers, for inserts:
 * what they write reads back the same, bytes as the server expects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ch.h"

static void varints_of_one_to_ten_bytes(void **state)
{
	(void)state;
	static const unsigned char b[] = {0x05, 0xac, 0x02, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	ch_rb r = {b, b + sizeof b};
	uint64_t v = 0;
	assert_true(ch_rb_varint(&r, &v));
	assert_int_equal(v, 5);
	assert_true(ch_rb_varint(&r, &v));
	assert_int_equal(v, 300);
	assert_true(ch_rb_varint(&r, &v));
	assert_true(v == UINT64_MAX);
	assert_ptr_equal(r.p, r.end);
}

static void a_cut_value_leaves_the_cursor_where_it_was(void **state)
{
	(void)state;
	/* 300 without its last byte; a String of 3 bytes with 2 of them */
	static const unsigned char num[] = {0xac};
	ch_rb r = {num, num + sizeof num};
	uint64_t v = 7;
	assert_false(ch_rb_varint(&r, &v));
	assert_ptr_equal(r.p, num);
	assert_int_equal(v, 7);

	static const unsigned char str[] = {0x03, 'a', 'b', 'c', 0x03, 'x', 'y'};
	r = (ch_rb){str, str + sizeof str};
	const char *s = NULL;
	size_t n = 0;
	assert_true(ch_rb_string(&r, &s, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(s, "abc", 3);
	assert_false(ch_rb_string(&r, &s, &n));
	assert_ptr_equal(r.p, str + 4);
	r.end = str + 4; /* a length byte with nothing after it */
	assert_false(ch_rb_string(&r, &s, &n));
	assert_ptr_equal(r.p, str + 4);
}

static void fixed_values_and_sizes_past_the_bytes(void **state)
{
	(void)state;
	unsigned char b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (unsigned char)(i + 1);
	ch_rb r = {b, b + sizeof b};
	const unsigned char *at = NULL;
	assert_false(ch_rb_fixed(&r, 3, 8, &at));
	assert_ptr_equal(r.p, b);
	/* a size whose bytes would overflow a size_t */
	assert_false(ch_rb_fixed(&r, UINT64_MAX / 4, 8, &at));
	assert_ptr_equal(r.p, b);
	assert_true(ch_rb_fixed(&r, 2, 8, &at));
	assert_ptr_equal(at, b);
	assert_ptr_equal(r.p, r.end);
	/* little-endian, whatever the machine */
	assert_true(ch_rb_u64_at(at, 0) == 0x0807060504030201ull);
	assert_true(ch_rb_u64_at(at, 1) == 0x100f0e0d0c0b0a09ull);
}

static void a_row_is_taken_whole_or_not_at_all(void **state)
{
	(void)state;
	/* "s148": a String, a UInt8, a UInt32, an Int64 (-2) */
	static const unsigned char b[] = {0x02, 'i',  'd',  0x01, 0x2a, 0x00, 0x00, 0x01,
					  0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	ch_rb_val v[4];
	for (size_t cut = 0; cut < sizeof b; cut++) {
		ch_rb r = {b, b + cut};
		assert_false(ch_rb_row(&r, "s148", v));
		assert_ptr_equal(r.p, b);
	}
	ch_rb r = {b, b + sizeof b};
	assert_true(ch_rb_row(&r, "s148", v));
	assert_ptr_equal(r.p, r.end);
	assert_int_equal(v[0].n, 2);
	assert_memory_equal(v[0].s, "id", 2);
	assert_int_equal(v[1].u, 1);
	assert_int_equal(v[2].u, 0x0100002a);
	assert_true((int64_t)v[3].u == -2);
}

/* The writers' bytes: a length of 300 in two bytes, a String with a NUL,
 * a negative Int64, a Float64 bit for bit; each read back by the cursor. */
static void written_values_read_back(void **state)
{
	(void)state;
	GString *g = g_string_new(NULL);
	char long_text[300];
	memset(long_text, 'x', sizeof long_text);
	ch_rb_put_string(g, long_text, sizeof long_text);
	ch_rb_put_string(g, "a\0b", 3);
	ch_rb_put_string(g, "", 0);
	ch_rb_put_fixed(g, (uint64_t)-5LL, 8);
	ch_rb_put_fixed(g, 0xfffffffe, 4);
	ch_rb_put_fixed(g, (uint8_t)(int8_t)-1, 1);
	ch_rb_put_f64(g, 1.949);
	const unsigned char *b = (const unsigned char *)g->str;
	assert_int_equal(b[0], 0xac); /* 300: 0x2c with the high bit, then 2 */
	assert_int_equal(b[1], 0x02);
	ch_rb r = {b, b + g->len};
	ch_rb_val v[7];
	assert_true(ch_rb_row(&r, "sss8418", v));
	assert_ptr_equal(r.p, r.end);
	assert_int_equal(v[0].n, 300);
	assert_memory_equal(v[0].s, long_text, 300);
	assert_int_equal(v[1].n, 3);
	assert_memory_equal(v[1].s, "a\0b", 3);
	assert_int_equal(v[2].n, 0);
	assert_true((int64_t)v[3].u == -5);
	assert_true(v[4].u == 0xfffffffe);
	assert_true(v[5].u == 0xff);
	double x;
	memcpy(&x, &v[6].u, sizeof x);
	assert_true(x == 1.949);
	/* little-endian: the lowest byte of -5 first */
	assert_int_equal(b[2 + 300 + 4 + 1], 0xfb);
	g_string_free(g, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(varints_of_one_to_ten_bytes),
	    cmocka_unit_test(a_cut_value_leaves_the_cursor_where_it_was),
	    cmocka_unit_test(fixed_values_and_sizes_past_the_bytes),
	    cmocka_unit_test(a_row_is_taken_whole_or_not_at_all),
	    cmocka_unit_test(written_values_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
