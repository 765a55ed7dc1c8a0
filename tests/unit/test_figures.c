/* test_figures.c — report_figures_sha256(): the digest a sent week is
 * compared by. It must ignore the report's header (the moment, the input
 * files' bytes and digests, the version) and nothing else: the same figures
 * give the same digest, any other figure another. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "reports.h"

/* A small report tree: its header, one window, one table row. */
static mval *tree(ts_ms generated, int64_t mqls, const char *channel)
{
	mval *root = mv_obj();
	mval *r = mv_set(root, "report", mv_obj());
	mv_set(r, "week", mv_str("2026-W47"));
	mv_set(r, "generated_at", mv_time(generated));
	mv_set(r, "currency", mv_str("USD"));
	mval *in = mv_set(mv_set(r, "inputs", mv_obj()), "leads", mv_obj());
	mv_set(in, "sha256",
	       mv_str("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
	mval *w = mv_set(mv_set(root, "windows", mv_obj()), "1w", mv_obj());
	mv_set(w, "mqls", mv_int(mqls, MF_COUNT));
	mval *rows = mv_set(root, "by_channel", mv_arr());
	mv_set(mv_push(rows, mv_obj()), "channel", mv_str(channel));
	return root;
}

static char *digest(ts_ms generated, int64_t mqls, const char *channel)
{
	mval *t = tree(generated, mqls, channel);
	char *d = report_figures_sha256(t);
	mv_free(t);
	return d;
}

static void the_header_is_left_out(void **state)
{
	(void)state;
	char *a = digest(1795000000000, 42, "paid_search");
	char *b = digest(1795003600000, 42, "paid_search");
	assert_int_equal(strlen(a), 64);
	assert_true(strspn(a, "0123456789abcdef") == 64);
	assert_string_equal(a, b);
	/* the same rows exported again with other bytes (CRLF line ends): another
	 * input digest, the same figures */
	mval *t = tree(1795000000000, 42, "paid_search");
	mv_set(mv_get(mv_get(mv_get(t, "report"), "inputs"), "leads"), "sha256",
	       mv_str("60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"));
	char *c = report_figures_sha256(t);
	assert_string_equal(a, c);
	mv_free(t);
	g_free(a);
	g_free(b);
	g_free(c);
}

static void every_figure_counts(void **state)
{
	(void)state;
	char *a = digest(1795000000000, 42, "paid_search");
	char *count = digest(1795000000000, 43, "paid_search");
	char *row = digest(1795000000000, 42, "paid_social");
	assert_string_not_equal(a, count);
	assert_string_not_equal(a, row);
	assert_string_not_equal(count, row);
	/* a figure of another part of the tree counts too */
	mval *t = tree(1795000000000, 42, "paid_search");
	mv_set(mv_get(mv_get(t, "windows"), "1w"), "sqls", mv_int(0, MF_COUNT));
	char *cur = report_figures_sha256(t);
	assert_string_not_equal(a, cur);
	mv_free(t);
	g_free(a);
	g_free(count);
	g_free(row);
	g_free(cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_header_is_left_out),
	    cmocka_unit_test(every_figure_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
