/* libcsv_baseline.c — the plain single-threaded libcsv parse that bench/run.sh
 * measures as a floor: read a file in 1 MiB chunks, let libcsv split it, count
 * rows and fields. No conversion, no interning, no aggregation.
 *
 *   libcsv_baseline FILE   prints "rows R fields F" (the header included) */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct counts {
	unsigned long long rows, fields;
};

static void on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct counts *)data)->fields++;
}

static void on_row(int c, void *data)
{
	(void)c;
	((struct counts *)data)->rows++;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: libcsv_baseline FILE\n");
		return 64;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 66;
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		fprintf(stderr, "csv_init failed\n");
		return 70;
	}
	static char buf[1 << 20];
	struct counts n = {0, 0};
	int status = 0;
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
		if (csv_parse(&p, buf, got, on_field, on_row, &n) != got) {
			fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&p)));
			status = 65;
			break;
		}
	}
	if (ferror(f))
		status = 74;
	if (csv_fini(&p, on_field, on_row, &n) != 0 && !status) {
		fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&p)));
		status = 65;
	}
	csv_free(&p);
	fclose(f);
	printf("rows %llu fields %llu\n", n.rows, n.fields);
	return status;
}
