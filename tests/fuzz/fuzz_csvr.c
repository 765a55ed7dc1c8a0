/* fuzz_csvr.c — the CSV reader on any bytes: read whole and in chunks of a
 * size taken from the input, the readings must agree (records, lines,
 * error); and read whole with a record width expected (csvr_expect(), the
 * shorter path for records up to that width), exactly as without. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "csvr.h"

typedef struct trace {
	uint64_t h; /* a running hash of every record, field and line */
	size_t records;
} trace;

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int on_record(void *ctx, const csvr_field *f, size_t n, uint32_t line)
{
	trace *t = ctx;
	t->records++;
	t->h = mix(t->h, &line, sizeof line);
	t->h = mix(t->h, &n, sizeof n);
	for (size_t i = 0; i < n; i++) {
		t->h = mix(t->h, &f[i].len, sizeof f[i].len);
		t->h = mix(t->h, f[i].s, f[i].len);
	}
	return 0;
}

static int read_in(const uint8_t *data, size_t size, size_t chunk, size_t expect, size_t cap,
		   trace *t, char *err, size_t errsz)
{
	*t = (trace){.h = 1469598103934665603ULL};
	csvr *r = csvr_new("fuzz.csv", cap, on_record, t);
	if (expect)
		csvr_expect(r, expect);
	int rc = 0;
	for (size_t off = 0; off < size && rc == 0; off += chunk)
		rc = csvr_feed(r, data + off, size - off < chunk ? size - off : chunk);
	if (rc == 0)
		rc = csvr_finish(r);
	err[0] = '\0';
	if (rc) {
		const char *e = csvr_error(r);
		if (!e)
			abort(); /* a failure always says why */
		strncpy(err, e, errsz - 1);
		err[errsz - 1] = '\0';
	}
	csvr_free(r);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t chunk = (size_t)data[0] % 17 + 1, expect = (size_t)data[0] / 17 % 8 + 1;
	data++;
	size--;
	trace a, b, c;
	char ea[600], eb[600], ec[600];
	size_t whole = size ? size : 1;
	int ra = read_in(data, size, whole, 0, 1024, &a, ea, sizeof ea);
	int rb = read_in(data, size, chunk, expect, 1024, &b, eb, sizeof eb);
	int rc = read_in(data, size, whole, expect, 1024, &c, ec, sizeof ec);
	if (ra != rb || strcmp(ea, eb) != 0)
		abort();
	/* after an error, the chunked reading may have stopped at the same record */
	if (ra == 0 && (a.h != b.h || a.records != b.records))
		abort();
	/* the shorter path never fails: the same records up to the same error */
	if (ra != rc || strcmp(ea, ec) != 0 || a.h != c.h || a.records != c.records)
		abort();
	/* and so with a field cap that short fields reach */
	ra = read_in(data, size, whole, 0, 12, &a, ea, sizeof ea);
	rc = read_in(data, size, whole, expect, 12, &c, ec, sizeof ec);
	if (ra != rc || strcmp(ea, ec) != 0 || a.h != c.h || a.records != c.records)
		abort();
	return 0;
}
