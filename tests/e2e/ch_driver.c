/* ch_driver — ch_query_rowbinary() from the command line, for
 * test_ch_rowbinary.py.
 *
 *   ch_driver URL LAYOUT SQL [SETTINGS]
 *
 * Reads the answer as rows of LAYOUT (ch_rb_row()), or with LAYOUT "tsv"
 * as TabSeparated through ch_query(); prints "rows N" and the sum of each
 * row's first value, or the error; exits 0 or 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch.h"

typedef struct tally {
	const char *layout;
	long long rows;
	unsigned long long sum;
} tally;

static int on_rows(void *arg, const unsigned char *p, size_t n, size_t *used, mq_err *err)
{
	(void)err;
	tally *t = arg;
	ch_rb r = {p, p + n};
	ch_rb_val v[16];
	while (ch_rb_row(&r, t->layout, v)) {
		t->rows++;
		t->sum += v[0].u;
		*used = (size_t)(r.p - p);
	}
	return 0;
}

static int on_tsv(void *arg, char **f, size_t n, mq_err *err)
{
	(void)err;
	tally *t = arg;
	t->rows++;
	t->sum += n ? strtoull(f[0], NULL, 10) : 0;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4 || strlen(argv[2]) > 16) {
		fprintf(stderr, "usage: ch_driver URL LAYOUT SQL [SETTINGS]\n");
		return 2;
	}
	engine_cfg c;
	engine_cfg_default(&c);
	c.url = strdup(argv[1]);
	c.allow_http = true;
	c.retries = 0;
	tally t = {.layout = argv[2]};
	mq_err err = {0};
	const char *settings = argc > 4 ? argv[4] : NULL;
	int rc = strcmp(t.layout, "tsv") == 0
		     ? ch_query(&c, argv[3], settings, on_tsv, &t, &err)
		     : ch_query_rowbinary(&c, argv[3], settings, on_rows, &t, &err);
	engine_cfg_clear(&c);
	if (rc != 0) {
		printf("error: %s\n", err.msg);
		return 1;
	}
	printf("rows %lld sum %llu\n", t.rows, t.sum);
	return 0;
}
