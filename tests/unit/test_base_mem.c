/* mem_prefault(): the pages of a range, widened to whole pages, are in
 * memory before anything writes them, their bytes kept, and no page
 * outside the range is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base.h"

#define NPAGES 8

/* Fresh anonymous memory of NPAGES small pages, none of them touched. */
static char *fresh_pages(size_t page)
{
	char *p =
	    mmap(NULL, NPAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
#ifdef MADV_NOHUGEPAGE
	madvise(p, NPAGES * page, MADV_NOHUGEPAGE);
#endif
	return p;
}

/* Which of the NPAGES pages at p are in memory, as a string of 0 and 1. */
static void resident(const char *p, size_t page, char out[NPAGES + 1])
{
	unsigned char v[NPAGES];
	assert_int_equal(mincore((void *)p, NPAGES * page, v), 0);
	for (int i = 0; i < NPAGES; i++)
		out[i] = (v[i] & 1) ? '1' : '0';
	out[NPAGES] = '\0';
}

/* Whether this kernel can bring pages in on request (Linux 5.14 on). */
static bool kernel_can(size_t page)
{
#ifdef MADV_POPULATE_WRITE
	char *p = fresh_pages(page);
	bool can = madvise(p, page, MADV_POPULATE_WRITE) == 0;
	munmap(p, NPAGES * page);
	return can;
#else
	(void)page;
	return false;
#endif
}

static void brings_in_the_range_only(void **state)
{
	(void)state;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (!kernel_can(page))
		skip();
	char *p = fresh_pages(page);
	char got[NPAGES + 1];
	resident(p, page, got);
	assert_string_equal(got, "00000000");

	/* from inside page 1 to inside page 3: pages 1 to 3 */
	mem_prefault(p + page + 100, 2 * page);
	resident(p, page, got);
	assert_string_equal(got, "01110000");

	/* a range of exactly one page: that page alone */
	mem_prefault(p + 5 * page, page);
	resident(p, page, got);
	assert_string_equal(got, "01110100");

	/* nothing asked, nothing brought */
	mem_prefault(p + 7 * page, 0);
	resident(p, page, got);
	assert_string_equal(got, "01110100");

	for (size_t i = 0; i < NPAGES * page; i++)
		assert_int_equal(p[i], 0);
	munmap(p, NPAGES * page);
}

static void keeps_what_was_written(void **state)
{
	(void)state;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *p = fresh_pages(page);
	memset(p + 2 * page, 0xAB, page);
	p[4 * page + 17] = 'x';
	mem_prefault(p + page, 5 * page);
	for (size_t i = 0; i < page; i++)
		assert_int_equal((unsigned char)p[2 * page + i], 0xAB);
	assert_int_equal(p[4 * page + 17], 'x');
	assert_int_equal(p[4 * page + 16], 0);
	munmap(p, NPAGES * page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(brings_in_the_range_only),
	    cmocka_unit_test(keeps_what_was_written),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
