/* The manifest's output hashes (cmd/manifest.c): a file read short, a
 * FIFO, a device or a symbolic link is an error, never a wrong SHA-256. A
 * short read is simulated with a /proc file, whose size (0) is not what a
 * read returns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "manifest.h"

static char dir[] = "/tmp/mql-manifest-hash-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	int rc = system(cmd);
	g_free(cmd);
	return rc;
}

static void a_regular_file_is_hashed_whole(void **state)
{
	(void)state;
	char *path = g_build_filename(dir, "abc.txt", NULL);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("abc", fp);
	assert_int_equal(fclose(fp), 0);
	manifest *m = manifest_new();
	mq_err err = {0};
	assert_int_equal(manifest_add_output(m, "json", path, &err), 0);
	const manifest_output *o = manifest_output_of(m, "json");
	assert_non_null(o);
	assert_int_equal(o->bytes, 3);
	assert_string_equal(o->sha256,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	manifest_free(m);
	g_free(path);
}

/* /proc/self/status says 0 bytes and reads more: the read does not match
 * the size, as when a file changes under the reader. */
static void a_read_that_does_not_match_the_size_is_an_error(void **state)
{
	(void)state;
	manifest *m = manifest_new();
	mq_err err = {0};
	assert_int_equal(manifest_add_output(m, "json", "/proc/self/status", &err), -1);
	assert_int_equal(err.status, MQ_CANTCREAT);
	assert_non_null(strstr(err.msg, "/proc/self/status"));
	size_t n = 9;
	manifest_outputs(m, &n);
	assert_int_equal(n, 0);
	manifest_free(m);
}

static void a_fifo_a_device_or_a_link_is_refused_at_once(void **state)
{
	(void)state;
	char *fifo = g_build_filename(dir, "fifo", NULL);
	char *link = g_build_filename(dir, "link", NULL);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink("/etc/hostname", link), 0);
	const char *paths[] = {fifo, "/dev/zero", link};
	for (size_t i = 0; i < 3; i++) {
		manifest *m = manifest_new();
		mq_err err = {0};
		assert_int_equal(manifest_add_output(m, "pdf", paths[i], &err), -1);
		assert_int_equal(err.status, MQ_CANTCREAT);
		manifest_free(m);
	}
	g_free(fifo);
	g_free(link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_regular_file_is_hashed_whole),
	    cmocka_unit_test(a_read_that_does_not_match_the_size_is_an_error),
	    cmocka_unit_test(a_fifo_a_device_or_a_link_is_refused_at_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
