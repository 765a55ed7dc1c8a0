/* The one CSV quoting rule of every file the program writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csvout.h"

static void to_buffer(void *ctx, const char *p, size_t n)
{
	strncat(ctx, p, n);
}

static void fields_are_quoted_only_when_a_reader_needs_it(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"plain", "plain"},		{"", ""},
	    {"a,b", "\"a,b\""},		{"say \"hi\"", "\"say \"\"hi\"\"\""},
	    {"\"", "\"\"\"\""},		{"two\nlines", "\"two\nlines\""},
	    {"cr\r", "\"cr\r\""},	{" lead", "\" lead\""},
	    {"trail\t", "\"trail\t\""}, {"in side", "in side"},
	    {"=1+2", "=1+2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[64] = "";
		csv_field_emit(cases[i].in, strlen(cases[i].in), to_buffer, out);
		assert_string_equal(out, cases[i].want);
		assert_int_equal(csv_field_needs_quotes(cases[i].in, strlen(cases[i].in)),
				 strcmp(cases[i].in, cases[i].want) != 0);
	}
}

static void a_stream_gets_the_same_bytes(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	csv_field_fput(fp, "a\"b,c");
	csv_field_fput(fp, NULL);
	fclose(fp);
	assert_string_equal(buf, "\"a\"\"b,c\"");
	free(buf);
}

/* rejects.csv's fields: inert in a spreadsheet, NULs shown, and the raw
 * bytes recoverable by the rule csvout.h states. */
static void inert_fields_defuse_formulas_and_show_nuls(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t n;
		const char *want;
	} cases[] = {
	    {"=HYPERLINK(\"x\")", 15, "\"'=HYPERLINK(\"\"x\"\")\""},
	    {"+1", 2, "'+1"},
	    {"-5.00", 5, "'-5.00"},
	    {"@SUM(A1)", 8, "'@SUM(A1)"},
	    {"\tx", 2, "'\tx"},
	    {"\rx", 2, "\"'\rx\""},
	    {"'=x", 3, "''=x"},
	    {"'plain", 6, "''plain"},
	    {"a=b", 3, "a=b"},
	    {"x\0y", 3, "x\\0y"},
	    {"\0=", 2, "\\0="},
	    {"c:\\0", 4, "c:\\\\0"},
	    {"", 0, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[64] = "";
		csv_field_emit_inert(cases[i].in, cases[i].n, to_buffer, out);
		assert_string_equal(out, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fields_are_quoted_only_when_a_reader_needs_it),
	    cmocka_unit_test(a_stream_gets_the_same_bytes),
	    cmocka_unit_test(inert_fields_defuse_formulas_and_show_nuls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
