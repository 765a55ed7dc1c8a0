/* test_csvr.c — the streaming CSV reader: csv-spectrum at every chunk size,
 * line endings, BOM, blank lines, malformed quotes, the field cap.
 * MQL_CSV_SPECTRUM is the unpacked npm package csv-spectrum@2.0.0 (its
 * csvs/ and json/ folders), which the CTest fixture fetch_csv_spectrum
 * fetches and checks (tests/ingest.cmake). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "csvr.h"

/* ---- collecting records as text: "L<line>:f1|f2\n", NUL shown as \0 ---- */

typedef struct sink {
	char *s;
	size_t len, cap;
	char **rec; /* each record's fields, for the spectrum comparison */
	size_t *rec_n;
	size_t nrec, reccap, nreccap;
	csvr *r; /* the reader, to ask csvr_plain() */
} sink;

/* Records the reader called plain ASCII (csvr_plain()), and those of them
 * that were not. */
static size_t plain_said, plain_wrong;

static void put(sink *k, const char *s, size_t n)
{
	VEC_RESERVE(k->s, k->cap, k->len + n + 1);
	memcpy(k->s + k->len, s, n);
	k->len += n;
	k->s[k->len] = '\0';
}

static int on_record(void *ctx, const csvr_field *f, size_t n, uint32_t line)
{
	sink *k = ctx;
	if (k->r && n && csvr_plain(k->r)) {
		plain_said++;
		for (const char *b = f[0].s; b < f[n - 1].s + f[n - 1].len; b++)
			if (*b == '\0' || (unsigned char)*b >= 0x80) {
				plain_wrong++;
				break;
			}
	}
	char head[32];
	snprintf(head, sizeof head, "L%u:", line);
	put(k, head, strlen(head));
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(k, "|", 1);
		for (size_t j = 0; j < f[i].len; j++) {
			if (f[i].s[j] == '\0')
				put(k, "\\0", 2);
			else
				put(k, f[i].s + j, 1);
		}
	}
	put(k, "\n", 1);
	return 0;
}

static void sink_free(sink *k)
{
	free(k->s);
	*k = (sink){0};
}

/* Whether the readers may split by 64-byte compares (csvr_set_wide()), and
 * how many readers did. */
static bool allow_wide = true;
static size_t wide_used;

/* Feed input in chunks of `chunk` bytes; returns the records text, and the
 * error (or "") in err. */
static char *read_expecting(const char *in, size_t len, size_t chunk, size_t max_field,
			    size_t expect, char *err, size_t errsz)
{
	sink k = {0};
	put(&k, "", 0);
	csvr *r = csvr_new("t.csv", max_field, on_record, &k);
	assert_non_null(r);
	k.r = r;
	wide_used += csvr_set_wide(r, allow_wide);
	if (expect)
		csvr_expect(r, expect);
	int rc = 0;
	for (size_t off = 0; off < len && rc == 0; off += chunk)
		rc = csvr_feed(r, in + off, len - off < chunk ? len - off : chunk);
	if (rc == 0)
		rc = csvr_finish(r);
	snprintf(err, errsz, "%s", rc ? csvr_error(r) : "");
	if (rc)
		assert_non_null(csvr_error(r));
	assert_int_equal(csvr_bytes(r), rc ? csvr_bytes(r) : len);
	csvr_free(r);
	return k.s;
}

static char *read_chunked(const char *in, size_t len, size_t chunk, size_t max_field, char *err,
			  size_t errsz)
{
	return read_expecting(in, len, chunk, max_field, 0, err, errsz);
}

/* ---- table of hand-written cases ---- */

typedef struct csv_case {
	const char *name;
	const char *in;
	size_t len;	     /* 0: strlen(in) */
	size_t max_field;    /* 0: default */
	const char *records; /* expected, derived by hand */
	const char *error;   /* expected message, "" when none */
} csv_case;

static const csv_case cases[] = {
    {"empty input", "", 0, 0, "", ""},
    {"only a BOM", "\xEF\xBB\xBF", 3, 0, "", ""},
    {"BOM then header",
     "\xEF\xBB\xBF"
     "a,b\n1,2\n",
     0, 0, "L1:a|b\nL2:1|2\n", ""},
    {"header only, no newline", "a,b", 0, 0, "L1:a|b\n", ""},
    {"CRLF", "a,b\r\n1,2\r\n", 0, 0, "L1:a|b\nL2:1|2\n", ""},
    {"bare CR", "a,b\r1,2\r3,4", 0, 0, "L1:a|b\nL2:1|2\nL3:3|4\n", ""},
    {"mixed endings", "a\r\nb\nc\rd", 0, 0, "L1:a\nL2:b\nL3:c\nL4:d\n", ""},
    /* lines 2, 3 (CRLF) and 4 (spaces only) are blank */
    {"blank lines", "a\n\n\r\n  \nb\n", 0, 0, "L1:a\nL5:b\n", ""},
    {"spaces kept", " a ,b ", 0, 0, "L1: a |b \n", ""},
    {"empty fields", ",,\n", 0, 0, "L1:||\n", ""},
    {"quoted comma", "a,\"x,y\"\n", 0, 0, "L1:a|x,y\n", ""},
    {"escaped quotes", "\"he said \"\"hi\"\"\",2\n", 0, 0, "L1:he said \"hi\"|2\n", ""},
    {"quoted empty", "\"\",\"\"\n", 0, 0, "L1:|\n", ""},
    /* the quoted newline makes record 3 start on line 4 */
    {"quoted newline", "a,b\n\"x\ny\",1\n2,3\n", 0, 0, "L1:a|b\nL2:x\ny|1\nL4:2|3\n", ""},
    {"quoted CRLF", "a\r\n\"x\r\ny\"\r\nz\r\n", 0, 0, "L1:a\nL2:x\r\ny\nL4:z\n", ""},
    {"quoted field at end without newline", "a\n\"x\"", 0, 0, "L1:a\nL2:x\n", ""},
    {"ragged rows pass through", "a,b\n1\n1,2,3\n", 0, 0, "L1:a|b\nL2:1\nL3:1|2|3\n", ""},
    {"NUL byte in a field", "a\0b,c\n", 6, 0, "L1:a\\0b|c\n", ""},
    /* the open quote is line 2, column 3 */
    {"unterminated quote at end", "a,b\n1,\"x\n2,3\n", 0, 0, "L1:a|b\n",
     "t.csv:2:3: unterminated quote"},
    {"unterminated quote, CRLF", "a\r\n\"x\"\r\n\"y\r\n", 0, 0, "L1:a\nL2:x\n",
     "t.csv:3:1: unterminated quote"},
    /* 'y' is the 4th byte of line 2 */
    {"junk after closing quote", "a,b\n\"x\"y,1\n", 0, 0, "L1:a|b\n",
     "t.csv:2:4: unexpected character after a closing quote"},
    {"space after closing quote", "a,b\n1,\"x\" \n", 0, 0, "L1:a|b\n",
     "t.csv:2:6: unexpected character after a closing quote"},
    /* a stray quote opens a field at line 2, column 3 that a later quote
     * closes on line 4: the error there names where the field opened */
    {"stray opening quote, closed lines later", "a,b\n1,\"x,y\n2,3\n4,5\"z\n", 0, 0, "L1:a|b\n",
     "t.csv:4:5: unexpected character after a closing quote (the quoted field opened at "
     "line 2, column 3: a stray or missing quote there?)"},
    {"quote inside unquoted field", "a,b\nx\"y,1\n", 0, 0, "L1:a|b\n",
     "t.csv:2:2: quote inside an unquoted field"},
    /* line 3 after a quoted newline in record 2 */
    {"error line after quoted newline", "a\n\"p\nq\"\nzz\"\n", 0, 0, "L1:a\nL2:p\nq\n",
     "t.csv:4:3: quote inside an unquoted field"},
    /* quoted fields the fast path takes, and their neighbours that it
     * hands to libcsv */
    {"quoted fields between plain ones", "a,\"b,c\",d\n\"e\",f,\"\"\n", 0, 0,
     "L1:a|b,c|d\nL2:e|f|\n", ""},
    {"quoted field then an empty last field", "\"x\",\r\ny\n", 0, 0, "L1:x|\nL2:y\n", ""},
    {"quoted field, then escaped quotes", "\"a\",\"b\"\"c\"\n", 0, 0, "L1:a|b\"c\n", ""},
    {"quoted field at the cap", "\"12345678\",1\n", 0, 8, "L1:12345678|1\n", ""},
    {"quoted field, then a field over the cap", "a\n\"x\",123456789\n", 0, 8, "L1:a\n",
     "t.csv:2:5: field longer than 8 bytes"},
    {"quote after a quoted field's text", "a\n\"x\"\"\n", 0, 0, "L1:a\n",
     "t.csv:2:1: unterminated quote"},
    {"field at the cap", "a\n12345678\n", 0, 8, "L1:a\nL2:12345678\n", ""},
    {"unquoted field over the cap", "a,b\n1,123456789\n", 0, 8, "L1:a|b\n",
     "t.csv:2:3: field longer than 8 bytes"},
    {"quoted field over the cap", "a\n\"123456789\"\n", 0, 8, "L1:a\n",
     "t.csv:2:1: field longer than 8 bytes"},
    {"runaway quote hits the cap",
     "a\n\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0, 16, "L1:a\n",
     "t.csv:2:1: field longer than 16 bytes"},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		const csv_case *t = &cases[c];
		size_t len = t->len ? t->len : strlen(t->in);
		for (size_t chunk = 1; chunk <= (len ? len : 1); chunk++) {
			char err[600];
			char *got = read_chunked(t->in, len, chunk, t->max_field, err, sizeof err);
			if (strcmp(got, t->records) != 0 || strcmp(err, t->error) != 0) {
				print_error("case \"%s\" at chunk %zu:\n got records [%s] error "
					    "[%s]\n want records [%s] error [%s]\n",
					    t->name, chunk, got, err, t->records, t->error);
				free(got);
				fail();
			}
			free(got);
		}
	}
}

/* Records up to the expected width take a shorter path (csvr_expect()):
 * text of random records — mostly of that width, some wider or narrower,
 * fields that quote, hold spaces, bytes beyond ASCII or NUL, or reach and
 * pass the field cap, CRLF, CR and LF line ends, blank lines, a last line
 * with no line end — reads to the same records, lines and error as without
 * it, whatever the chunks and wherever the 64-byte windows fall, with the
 * windows' masks found by 16-byte compares and, where the processor has
 * them, by 64-byte ones; and the records it calls plain ASCII
 * (csvr_plain()) are, many of them. */
static void test_shape_path(void **state)
{
	(void)state;
	unsigned seed = 99;
	plain_said = plain_wrong = 0;
	wide_used = 0;
#define RND(n) ((seed = seed * 1103515245u + 12345u) >> 16) % (n)
	for (int round = 0; round < 60; round++) {
		size_t width = 1 + RND(6), cap = round % 3 == 0 ? 24 : 0;
		sink in = {0};
		put(&in, "", 0);
		int nrec = 20 + (int)RND(200);
		for (int rec = 0; rec < nrec; rec++) {
			size_t nf = RND(10) == 0 ? 1 + RND(8) : width;
			if (RND(25) == 0) { /* a blank line, or one of spaces */
				bool spaces = RND(2);
				put(&in, spaces ? "   \r\n" : "\n", spaces ? 5 : 1);
				continue;
			}
			for (size_t f = 0; f < nf; f++) {
				if (f)
					put(&in, ",", 1);
				size_t len = RND(8) == 0 ? RND(40) : RND(12);
				bool quoted = round % 4 == 1 && RND(12) == 0;
				if (quoted)
					put(&in, "\"", 1);
				for (size_t b = 0; b < len; b++) {
					char c = (char)('a' + RND(26));
					if (RND(15) == 0)
						c = ' ';
					if (round % 5 == 2 && RND(60) == 0) /* not ASCII */
						c = RND(3) ? (char)(0x80 + RND(128)) : '\0';
					if (quoted && RND(20) == 0)
						c = ',';
					put(&in, &c, 1);
				}
				if (quoted)
					put(&in, "\"", 1);
			}
			if (rec + 1 < nrec || RND(2)) {
				unsigned e = RND(10);
				put(&in, e == 0 ? "\r\n" : e == 1 ? "\r" : "\n", e == 0 ? 2 : 1);
			}
		}
		if (round % 7 == 3 && in.len > 10) /* a stray quote somewhere */
			in.s[in.len / 2] = '"';
		static const size_t chunks[] = {1, 7, 63, 64, 65, 200, 4096, SIZE_MAX};
		for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
			size_t chunk = chunks[c] < in.len ? chunks[c] : in.len ? in.len : 1;
			char err0[600], err1[600];
			allow_wide = false;
			char *want = read_expecting(in.s, in.len, chunk, cap, 0, err0, sizeof err0);
			for (int wide = 0; wide < 2; wide++) {
				allow_wide = wide;
				char *got = read_expecting(in.s, in.len, chunk, cap, width, err1,
							   sizeof err1);
				if (strcmp(got, want) != 0 || strcmp(err0, err1) != 0) {
					print_error(
					    "round %d, width %zu, chunk %zu, wide %d:\n got "
					    "[%s] error [%s]\n want [%s] error [%s]\n",
					    round, width, chunk, wide, got, err1, want, err0);
					fail();
				}
				free(got);
			}
			free(want);
		}
		sink_free(&in);
	}
	assert_true(plain_said > 1000);
	assert_int_equal(plain_wrong, 0);
	allow_wide = true;
	if (!wide_used)
		print_message("no AVX-512BW here: the 64-byte compares were not tried\n");
#undef RND
}

/* ---- csv-spectrum: the expected JSON, read by a tiny parser ---- */

typedef struct jval {
	int kind; /* 's' string, 'o' object, 'a' array */
	char *str;
	size_t slen;
	char **keys;
	struct jval *items;
	size_t n;
} jval;

static void jskip(const char **p)
{
	while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t')
		(*p)++;
}

static void utf8_put(sink *k, unsigned cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	}
	put(k, b, n);
}

static jval jparse(const char **p)
{
	jval v = {0};
	jskip(p);
	if (**p == '"') {
		sink k = {0};
		put(&k, "", 0);
		(*p)++;
		while (**p && **p != '"') {
			if (**p == '\\') {
				(*p)++;
				char e = **p;
				(*p)++;
				if (e == 'n')
					put(&k, "\n", 1);
				else if (e == 'r')
					put(&k, "\r", 1);
				else if (e == 't')
					put(&k, "\t", 1);
				else if (e == 'u') {
					unsigned cp = (unsigned)strtoul(
					    (char[5]){(*p)[0], (*p)[1], (*p)[2], (*p)[3], 0}, NULL,
					    16);
					*p += 4;
					utf8_put(&k, cp);
				} else
					put(&k, &e, 1);
			} else {
				put(&k, *p, 1);
				(*p)++;
			}
		}
		assert_int_equal(**p, '"');
		(*p)++;
		v.kind = 's';
		v.str = k.s;
		v.slen = k.len;
		return v;
	}
	char open = **p, close = open == '{' ? '}' : ']';
	assert_true(open == '{' || open == '[');
	v.kind = open == '{' ? 'o' : 'a';
	(*p)++;
	size_t cap = 0, kcap = 0;
	for (;;) {
		jskip(p);
		if (**p == close) {
			(*p)++;
			break;
		}
		if (**p == ',') {
			(*p)++;
			continue;
		}
		if (v.kind == 'o') {
			jval key = jparse(p);
			jskip(p);
			assert_int_equal(**p, ':');
			(*p)++;
			VEC_RESERVE(v.keys, kcap, v.n + 1);
			v.keys[v.n] = key.str;
		}
		VEC_RESERVE(v.items, cap, v.n + 1);
		v.items[v.n++] = jparse(p);
	}
	return v;
}

static void jfree(jval *v)
{
	free(v->str);
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		jfree(&v->items[i]);
	}
	free(v->keys);
	free(v->items);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	sink k = {0};
	put(&k, "", 0);
	char b[4096];
	size_t n;
	while ((n = fread(b, 1, sizeof b, f)) > 0)
		put(&k, b, n);
	fclose(f);
	*len = k.len;
	return k.s;
}

typedef struct recs {
	char ***f;
	size_t **len;
	size_t *n;
	size_t count, cap, ncap, lcap;
} recs;

static int collect(void *ctx, const csvr_field *f, size_t n, uint32_t line)
{
	(void)line;
	recs *r = ctx;
	if (r->count == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->f = xrealloc(r->f, r->cap * sizeof *r->f);
		r->len = xrealloc(r->len, r->cap * sizeof *r->len);
		r->n = xrealloc(r->n, r->cap * sizeof *r->n);
	}
	r->f[r->count] = xcalloc(n, sizeof(char *));
	r->len[r->count] = xcalloc(n, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		r->f[r->count][i] = xstrndup(f[i].s, f[i].len);
		r->len[r->count][i] = f[i].len;
	}
	r->n[r->count++] = n;
	return 0;
}

static void recs_free(recs *r)
{
	for (size_t i = 0; i < r->count; i++) {
		for (size_t j = 0; j < r->n[i]; j++)
			free(r->f[i][j]);
		free(r->f[i]);
		free(r->len[i]);
	}
	free(r->f);
	free(r->len);
	free(r->n);
	*r = (recs){0};
}

static const char *const spectrum[] = {
    "comma_in_quotes",
    "empty",
    "empty_crlf",
    "escaped_quotes",
    "json",
    "newlines",
    "newlines_crlf",
    "quotes_and_newlines",
    "simple",
    "simple_crlf",
    "utf8",
};

static void test_spectrum(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof spectrum / sizeof *spectrum; c++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/csvs/%s.csv", MQL_CSV_SPECTRUM, spectrum[c]);
		size_t len, jlen;
		char *in = slurp(path, &len);
		if (!in)
			fail_msg("cannot read %s", path);
		snprintf(path, sizeof path, "%s/json/%s.json", MQL_CSV_SPECTRUM, spectrum[c]);
		char *js = slurp(path, &jlen);
		if (!js)
			fail_msg("cannot read %s", path);
		const char *p = js;
		jval want = jparse(&p);
		assert_int_equal(want.kind, 'a');

		for (size_t chunk = 1; chunk <= len; chunk++) {
			recs got = {0};
			csvr *r = csvr_new(spectrum[c], 0, collect, &got);
			int rc = 0;
			for (size_t off = 0; off < len && rc == 0; off += chunk)
				rc = csvr_feed(r, in + off, len - off < chunk ? len - off : chunk);
			if (rc == 0)
				rc = csvr_finish(r);
			if (rc)
				fail_msg("%s at chunk %zu: %s", spectrum[c], chunk, csvr_error(r));
			csvr_free(r);
			if (got.count != want.n + 1)
				fail_msg("%s at chunk %zu: %zu records, want %zu", spectrum[c],
					 chunk, got.count, want.n + 1);
			for (size_t i = 0; i < want.n; i++) {
				jval *o = &want.items[i];
				if (got.n[i + 1] != o->n)
					fail_msg("%s record %zu: %zu fields, want %zu", spectrum[c],
						 i + 1, got.n[i + 1], o->n);
				for (size_t k = 0; k < o->n; k++) {
					/* find the header column named by the key */
					size_t col = SIZE_MAX;
					for (size_t h = 0; h < got.n[0]; h++)
						if (strcmp(got.f[0][h], o->keys[k]) == 0)
							col = h;
					if (col == SIZE_MAX)
						fail_msg("%s: no header column %s", spectrum[c],
							 o->keys[k]);
					if (got.len[i + 1][col] != o->items[k].slen ||
					    memcmp(got.f[i + 1][col], o->items[k].str,
						   o->items[k].slen) != 0)
						fail_msg("%s at chunk %zu record %zu field %s: "
							 "[%s], want [%s]",
							 spectrum[c], chunk, i + 1, o->keys[k],
							 got.f[i + 1][col], o->items[k].str);
				}
			}
			recs_free(&got);
		}
		jfree(&want);
		free(in);
		free(js);
	}
}

/* location_coordinates has a bare quote inside an unquoted field: the
 * strict reader refuses it. Line 2 is `2095257564,37` (13 bytes), then the
 * 3-byte U+FFFD, then `36'37.8` (7 bytes): the quote is byte 24. */
static void test_spectrum_location(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof path, "%s/csvs/location_coordinates.csv", MQL_CSV_SPECTRUM);
	size_t len;
	char *in = slurp(path, &len);
	assert_non_null(in);
	for (size_t chunk = 1; chunk <= len; chunk++) {
		char err[600];
		char *got = read_chunked(in, len, chunk, 0, err, sizeof err);
		assert_string_equal(err, "t.csv:2:24: quote inside an unquoted field");
		assert_string_equal(
		    got, "L1:Contact Phone Number|Location Coordinates|Cities|Counties\n");
		free(got);
	}
	free(in);
}

/* A callback that stops the reader: the stop is sticky. */
static int stop_at_two(void *ctx, const csvr_field *f, size_t n, uint32_t line)
{
	(void)f;
	(void)n;
	int *seen = ctx;
	++*seen;
	if (line == 2) {
		return 1;
	}
	return 0;
}

static void test_stop(void **state)
{
	(void)state;
	int seen = 0;
	csvr *r = csvr_new("s.csv", 0, stop_at_two, &seen);
	assert_int_equal(csvr_feed(r, "a\nb\nc\n", 6), -1);
	assert_int_equal(seen, 2);
	assert_string_equal(csvr_error(r), "s.csv:2: reading stopped");
	assert_int_equal(csvr_feed(r, "d\n", 2), -1);
	assert_int_equal(csvr_finish(r), -1);
	assert_int_equal(seen, 2);
	csvr_free(r);
	csvr_free(NULL);
}

/* A big input fed in large chunks: many records, line numbers exact. */
static void test_many_records(void **state)
{
	(void)state;
	sink in = {0};
	put(&in, "", 0);
	for (int i = 0; i < 20000; i++) {
		char b[64];
		int n = i % 7 == 0 ? snprintf(b, sizeof b, "\"q%d\",x\r\n", i)
				   : snprintf(b, sizeof b, "%d,y\n", i);
		put(&in, b, (size_t)n);
	}
	size_t chunks[] = {1, 7, 4096, in.len};
	for (size_t c = 0; c < 4; c++) {
		char err[600];
		char *got = read_chunked(in.s, in.len, chunks[c], 0, err, sizeof err);
		assert_string_equal(err, "");
		/* record i is on line i + 1 */
		char want[64];
		snprintf(want, sizeof want, "L20000:q19999|x\n"); /* 19999 = 7 * 2857: quoted */
		size_t wl = strlen(want);
		assert_true(strlen(got) > wl);
		assert_string_equal(got + strlen(got) - wl, want);
		assert_non_null(strstr(got, "\nL19993:q19992|x\n"));
		free(got);
	}
	sink_free(&in);
}

/* A runaway quote fed in 64 KiB chunks stops as soon as the field passes
 * the cap: the reader never holds more than the cap and one chunk. */
static int count_only(void *ctx, const csvr_field *f, size_t n, uint32_t line)
{
	(void)f;
	(void)n;
	(void)line;
	++*(int *)ctx;
	return 0;
}

/* The separator a table's header and rows share, not the one a single
 * field holds most of. */
static void test_sniff(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int want;
	} cases[] = {
	    {"a,b,c\n1,2,3\n", ','},
	    {"a;b;c\n1;2;3\n", ';'},
	    {"a\tb\n1\t2\n", '\t'},
	    {"a|b|c\n1|2|3\n", '|'},
	    /* a field of more semicolons than the header has commas */
	    {"lead_id,created_at,channel,job_title\nL1,2026-11-16,paid,Sales;Marketing;Ops;IT;HR\n",
	     ','},
	    /* commas inside a semicolon file's fields */
	    {"date;channel;campaign;amount\n2026-11-16;paid;Brand, DE, Exact, Broad;10\n", ';'},
	    {"date;channel;amount\n2026-11-16;paid;1.234,56\n2026-11-17;paid;2.000,00\n", ';'},
	    /* a report's title lines before the header do not count */
	    {"Leads report\n\nid;name;city\n1;a;b\n2;c;d\n", ';'},
	    /* title lines holding another separator, above a table whose rows
	     * hold it once too (amounts with a decimal comma, thousands) */
	    {"Kampagnenbericht, Acme GmbH\nZeitraum 16.11.2026 - 22.11.2026, alle Kampagnen\n"
	     "date;channel;campaign;amount\n2026-11-17;linkedin;li;1234,50\n"
	     "2026-11-18;linkedin;li;99,00\n2026-11-19;linkedin;li;5,25\n",
	     ';'},
	    {"Campaign report, all campaigns\nAccount: Acme, Inc.\n"
	     "day\tcampaign\tcost\n2026-11-17\tbrand\t1,234.50\n2026-11-18\tbrand\t2,000.00\n",
	     '\t'},
	    /* a report's footer with commas after a semicolon table */
	    {"a;b;c\n1;2;3\n4;5;6\nGenerated by X, Inc., Copyright 2026, all rights\n", ';'},
	    /* quoted separators do not count */
	    {"a,b\n\"x;y;z;w\",2\n", ','},
	    /* a header alone; nothing at all */
	    {"a;b;c\n", ';'},
	    {"abc\n", ','},
	    {"", ','},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = csvr_sniff_delim(cases[i].text, strlen(cases[i].text));
		if (got != cases[i].want)
			fail_msg("case %zu: '%c', want '%c'", i, got, cases[i].want);
	}
}

/* Each record's csvr_quoted(), as "1" or "0" in a string. */
static int note_quoted(void *ctx, const csvr_field *f, size_t n, uint32_t line)
{
	(void)f;
	(void)n;
	(void)line;
	sink *k = ctx;
	put(k, csvr_quoted(k->r) ? "1" : "0", 1);
	return 0;
}

/* csvr_quoted() says whether a record's first field was in quotes, on
 * every path (the shape path, plain quoted fields, libcsv) at every
 * chunk size: a report's title line in quotes holds separators that do
 * not make it a header. */
static void test_quoted(void **state)
{
	(void)state;
	static const char in[] = "\"Filtered By:  Lead Source equals Web, Phone, Email\"\n"
				 "Q4 | Leads | EMEA\n"
				 "lead_id,created_at\n"
				 "1,\"2026-11-02\"\n"
				 "\"2\",2026-11-03\n"
				 "\"say \"\"hi\"\"\",x\n"
				 "\"two\nlines\",y\n"
				 "3,2026-11-04\n";
	const char *want = "10001110";
	size_t len = sizeof in - 1;
	for (size_t chunk = 1; chunk <= len; chunk++) {
		for (int expect = 0; expect < 2; expect++) {
			sink k = {0};
			put(&k, "", 0);
			csvr *r = csvr_new("t.csv", 0, note_quoted, &k);
			k.r = r;
			if (expect)
				csvr_expect(r, 2);
			int rc = 0;
			for (size_t off = 0; off < len && rc == 0; off += chunk)
				rc = csvr_feed(r, in + off, len - off < chunk ? len - off : chunk);
			assert_int_equal(rc, 0);
			assert_int_equal(csvr_finish(r), 0);
			if (strcmp(k.s, want) != 0)
				fail_msg("chunk %zu, expect %d: quoted [%s], want [%s]", chunk,
					 expect, k.s, want);
			csvr_free(r);
			sink_free(&k);
		}
	}
}

static void test_runaway_bounded(void **state)
{
	(void)state;
	static char chunk[65536];
	memset(chunk, 'x', sizeof chunk);
	int seen = 0;
	csvr *r = csvr_new("big.csv", 1024, count_only, &seen);
	assert_int_equal(csvr_feed(r, "a,b\n1,\"", 7), 0);
	uint64_t fed = 7;
	int rc = 0;
	for (int i = 0; i < 1600 && rc == 0; i++) { /* up to 100 MiB */
		rc = csvr_feed(r, chunk, sizeof chunk);
		fed += sizeof chunk;
	}
	assert_int_equal(rc, -1);
	assert_true(fed <= 7 + 1024 + sizeof chunk);
	assert_int_equal(seen, 1);
	assert_string_equal(csvr_error(r), "big.csv:2:3: field longer than 1024 bytes");
	csvr_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_shape_path),
	    cmocka_unit_test(test_spectrum),
	    cmocka_unit_test(test_spectrum_location),
	    cmocka_unit_test(test_stop),
	    cmocka_unit_test(test_many_records),
	    cmocka_unit_test(test_runaway_bounded),
	    cmocka_unit_test(test_sniff),
	    cmocka_unit_test(test_quoted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
