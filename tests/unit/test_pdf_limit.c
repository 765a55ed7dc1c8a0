/* The PDF's row limits: a section's max_rows, top_by and row_noun in
 * templates/report_pdf.ini, and a report of thousands of campaigns staying a
 * few pages long. The text of the "… and N more" line is checked end to end
 * (tests/e2e/test_hostile.py, with pdftotext). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "layout.h"
#include "report_tree.h"
#include "reports.h"

static const layout_section *section_of(const layout_pdf *p, const char *id)
{
	for (size_t i = 0; i < p->nsections; i++)
		if (strcmp(p->sections[i].id, id) == 0)
			return &p->sections[i];
	return NULL;
}

static void the_template_limits_the_campaign_sections(void **state)
{
	(void)state;
	mq_err err = {0};
	layout_pdf *p = layout_pdf_parse(layout_tpl_pdf, "report_pdf.ini", &err);
	assert_non_null(p);
	const layout_section *table = section_of(p, "campaign_table");
	const layout_section *bars = section_of(p, "campaign_roi");
	assert_non_null(table);
	assert_non_null(bars);
	assert_int_equal(table->max_rows, 200);
	assert_string_equal(table->top_by, "revenue");
	assert_string_equal(table->row_noun, "campaigns");
	assert_true(bars->max_rows >= 15 && bars->max_rows <= 20);
	assert_string_equal(bars->top_by, "revenue");
	/* the trend line has every week */
	assert_int_equal(section_of(p, "trend")->max_rows, 0);
	layout_pdf_free(p);
}

static void bad_limits_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "max_rows = 0\n",	    "max_rows = -3\n",	  "max_rows = 12x\n",
	    "max_rows = 2000000\n", "top_by = revenue\n", /* ranks nothing without max_rows */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *t = xasprintf(
		    "[pdf]\ntitle = T\nsections = s\n[s]\nkind = table\npath = x\n%s", bad[i]);
		mq_err err = {0};
		layout_pdf *p = layout_pdf_parse(t, "t.ini", &err);
		if (p)
			fail_msg("accepted %s", bad[i]);
		assert_non_null(strstr(err.msg, "[s]"));
		free(t);
	}
	mq_err err = {0};
	const char *line = "[pdf]\ntitle = T\nsections = s\n[s]\nkind = line\npath = x\n"
			   "category = week\nvalues = leads\nmax_rows = 5\n";
	assert_null(layout_pdf_parse(line, "t.ini", &err)); /* a line keeps every point */
	const char *ok = "[pdf]\ntitle = T\nsections = s\n[s]\nkind = bar\npath = x\n"
			 "category = c\nvalues = v\nmax_rows = 7\n";
	layout_pdf *p = layout_pdf_parse(ok, "t.ini", &err);
	assert_non_null(p);
	assert_int_equal(p->sections[0].max_rows, 7);
	assert_null(p->sections[0].top_by);
	assert_null(p->sections[0].row_noun);
	layout_pdf_free(p);
}

static int pdf_pages(const char *path)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	static char buf[4 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* the page tree's root counts every page */
	const char *count = memmem(buf, n, "/Count ", 7);
	assert_non_null(count);
	return atoi(count + 7);
}

static void thousands_of_campaigns_stay_a_few_pages(void **state)
{
	(void)state;
	enum { N = 3000 };
	mval *root = tree_build();
	char(*names)[16] = xcalloc(N, sizeof *names);
	const char **ptrs = xcalloc(N, sizeof *ptrs);
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "camp_%05d", i);
		ptrs[i] = names[i];
	}
	mv_set(mv_get(root, "by_campaign"), "13w", tree_breakdown("campaign", ptrs, N, 1));
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/test_pdf_limit.XXXXXX", base && *base ? base : "/tmp");
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/many.pdf", dir);
	mq_err err = {0};
	assert_int_equal(report_pdf_write(root, path, &err), 0);
	int pages = pdf_pages(path);
	/* 200 table rows at about 55 a page, and the other sections: not 60 */
	if (pages > 12)
		fail_msg("3000 campaigns gave %d pages", pages);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	free(ptrs);
	free(names);
	mv_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_template_limits_the_campaign_sections),
	    cmocka_unit_test(bad_limits_are_refused),
	    cmocka_unit_test(thousands_of_campaigns_stay_a_few_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
