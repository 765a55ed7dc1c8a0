/* test_load_parts.c — a large file read in parts on two threads gives
 * what one thread gives: rows, rejects with their lines, duplicates and
 * the digest; with a cut inside a quoted field too, and with the first
 * reader taking over the end of the second part. The files are a few MB:
 * the tests lower the size from which a file is read in parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <utime.h>

#include "load_fixture.h"
#include "loader.h"

/* ---- the events file on two threads gives what one thread gives ---- */

typedef struct bigfile {
	char *path;
	int64_t rows, bad;
	buf bad_lines;		  /* "line:reason;" of every bad row, as written */
	int64_t mon_from, mon_to; /* the monster field's bytes, and the file's */
	int64_t size;
	uint32_t next_line; /* the line after the last */
} bigfile;

/* A new file `name` in dir (*path, to free), its header line written. */
static FILE *new_csv(const char *dir, const char *name, const char *header, char **path)
{
	*path = g_build_filename(dir, name, NULL);
	FILE *f = fopen(*path, "wb");
	assert_non_null(f);
	fprintf(f, "%s\n", header);
	return f;
}

/* About 6 MB of events (over PART_MIN, the size read in parts here); every
 * 997th row has a quoted campaign with a comma and a newline, every 50021st
 * an impossible date, every 70001st a missing field. With `monster` a row
 * number, that row's campaign is a quoted field of 525 kB full of newlines,
 * whose first and last bytes land in bf.mon_from and bf.mon_to. */
static bigfile write_big(const char *dir, int64_t monster)
{
	bigfile bf = {0};
	FILE *f = new_csv(dir, monster ? "ev_monster.csv" : "ev.csv",
			  "lead_id,occurred_at,type,channel,campaign", &bf.path);
	static const char *const types[] = {"page_visit", "email_open", "Content Download",
					    "webinar_attended", "x_custom"};
	static const char *const chans[] = {"paid_search", "Paid Social", "email", "", "events"};
	uint32_t line = 2;
	bput(&bf.bad_lines, "");
	for (int64_t i = 0; i < 112500; i++) {
		if (monster && i == monster) {
			fprintf(f, "1,2026-11-02T10:00:00Z,page_visit,web,\"");
			bf.mon_from = ftell(f);
			for (int k = 0; k < 25000; k++)
				fputs("monster line of text\n", f);
			bf.mon_to = ftell(f);
			fputs("\"\n", f);
			line += 25001;
			bf.rows++;
			continue;
		}
		int d = (int)(i % 9) + 1;
		if (i % 50021 == 7) {
			fprintf(f, "%lld,2026-02-30T10:00:00Z,page_visit,web,c\n",
				(long long)(i % 1000 + 1));
			bput(&bf.bad_lines, "%u:unparseable_occurred_at;", line);
			bf.bad++;
			line++;
		} else if (i % 70001 == 11) {
			fprintf(f, "%lld,2026-11-0%dT10:00:00Z,page_visit\n",
				(long long)(i % 1000 + 1), d);
			bput(&bf.bad_lines, "%u:wrong_field_count;", line);
			bf.bad++;
			line++;
		} else if (i % 997 == 3) {
			fprintf(
			    f, "%lld,2026-11-0%dT%02d:%02d:00Z,%s,%s,\"camp, %lld\nsecond line\"\n",
			    (long long)(i % 1200 + 1), d, (int)(i % 24), (int)(i % 60),
			    types[i % 5], chans[i % 5], (long long)(i % 13));
			line += 2;
		} else {
			fprintf(f, "%lld,2026-11-0%dT%02d:%02d:%02dZ,%s,%s,camp_%lld\n",
				(long long)(i % 1200 + 1), d, (int)(i % 24), (int)(i % 60),
				(int)(i % 59), types[i % 5], chans[i % 5], (long long)(i % 17));
			line++;
		}
		bf.rows++;
	}
	bf.size = ftell(f);
	bf.next_line = line;
	fclose(f);
	return bf;
}

/* A test's files: in a folder of its own, the big events file, a leads
 * file (l.csv) and an empty spend file (s.csv). */
typedef struct bigset {
	char *dir;
	bigfile bf;
	char *l, *s;
} bigset;

static bigset make_set(const char *leads)
{
	bigset t = {.dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL)};
	assert_non_null(t.dir);
	t.bf = write_big(t.dir, 0);
	t.l = write_str(t.dir, "l.csv", leads);
	t.s = write_str(t.dir, "s.csv", "date,channel,amount\n");
	return t;
}

/* Remove and free a test's files and its folder. */
static void remove_set(bigset *t)
{
	g_unlink(t->bf.path);
	g_unlink(t->l);
	g_unlink(t->s);
	g_rmdir(t->dir);
	g_free(t->bf.path);
	free(t->bf.bad_lines.s);
	g_free(t->l);
	g_free(t->s);
	g_free(t->dir);
}

/* The SHA-256 of a file's bytes, which *text and *len then hold. */
static gchar *sha256_of(const char *path, gchar **text, gsize *len)
{
	assert_true(g_file_get_contents(path, text, len, NULL));
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)*text, *len);
}

/* The ways of reading a large file the tests compare: one thread; two;
 * two where the first reader takes over the second half of the second
 * part (the second reader waits until the first part is read). Files of
 * PART_MIN bytes or more are read in parts: a few MB keep the tests quick
 * where the tool waits for 32 MiB. */
enum { ONE_THREAD, TWO_THREADS, TAKE_TAIL, NWAYS };
#define PART_MIN ((int64_t)4 << 20)

static void set_way(ingest_cfg *c, int way)
{
	c->threads = way == ONE_THREAD ? 1 : 0;
	c->part_waits = way == TAKE_TAIL;
	c->part_min_bytes = PART_MIN;
}

/* The test's premise: the file was read in as many parts as the way says
 * (two threads may or may not cut a third part; one core reads it whole). */
static void assert_parts(const dataset *ds, int src, int way)
{
	int parts = ds->src[src].parts;
	if (way == ONE_THREAD || g_get_num_processors() < 2)
		assert_int_equal(parts, 0);
	else if (way == TAKE_TAIL)
		assert_int_equal(parts, 3);
	else
		assert_true(parts == 2 || parts == 3);
}

/* Which cut the monster field holds: none, the first (at half the file),
 * or the second part's tail's (at three quarters of the file when the
 * second reader has read nothing yet). */
enum { IN_NONE, IN_FIRST, IN_TAIL };

/* With a cut inside the monster field, the test checks its own premise:
 * the cut lies inside it, beyond the 64 KiB within which a cut finds a
 * line start. */
static void check_parallel(int64_t monster, int cut_inside)
{
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	bigfile bf = write_big(dir, monster);
	if (cut_inside != IN_NONE) {
		int64_t half = bf.size / 2;
		int64_t cut = cut_inside == IN_FIRST ? half : half + (bf.size - half) / 2;
		assert_true(bf.mon_from + (1 << 17) < cut && cut + (1 << 17) < bf.mon_to);
	}
	/* 1000 leads "1".."1000": lead ids 1001..1200 in the events are orphans */
	buf lt = {0};
	bput(&lt, "lead_id,created_at\n");
	for (int i = 1; i <= 1000; i++)
		bput(&lt, "%d,2026-11-01\n", i);
	char *l = write_str(dir, "l.csv", lt.s);
	char *s = write_str(dir, "s.csv", "date,channel,amount\n");
	char *dumps[NWAYS], *rejs[NWAYS], sums[NWAYS][65];
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(l, bf.path, s, NULL);
		set_way(&c, k);
		c.max_field_bytes = 8u << 20;
		dataset *ds = load_ok(&c);
		/* a cut inside the quoted field: the file is read again from
		 * the first cut by one thread (two threads may have read the
		 * second part before the first reader came to cut it) */
		if (cut_inside == IN_NONE)
			assert_parts(ds, SRC_EVENTS, k);
		else if (cut_inside == IN_FIRST || k != TWO_THREADS)
			assert_int_equal(ds->src[SRC_EVENTS].parts, 0);
		assert_rows(ds, SRC_EVENTS, bf.rows, bf.rows - bf.bad, bf.bad);
		assert_int_equal(ds->src[SRC_EVENTS].cut_row, 0); /* short rows, not last */
		dumps[k] = dump(ds);
		rejs[k] = join_rejects(ds, SRC_EVENTS);
		memcpy(sums[k], ds->src[SRC_EVENTS].sha256, 65);
		assert_string_equal(rejs[k], bf.bad_lines.s);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	for (int k = 1; k < NWAYS; k++) {
		assert_true(strcmp(dumps[0], dumps[k]) == 0);
		assert_string_equal(sums[0], sums[k]);
	}
	gchar *text = NULL;
	gsize len = 0;
	assert_true(g_file_get_contents(bf.path, &text, &len, NULL));
	gchar *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
	assert_string_equal(sums[1], want);
	g_free(want);
	g_free(text);
	for (int k = 0; k < NWAYS; k++) {
		free(dumps[k]);
		free(rejs[k]);
	}
	g_unlink(bf.path);
	g_unlink(l);
	g_unlink(s);
	g_rmdir(dir);
	g_free(bf.path);
	free(bf.bad_lines.s);
	free(lt.s);
	g_free(l);
	g_free(s);
	g_free(dir);
}

static void test_parallel(void **state)
{
	(void)state;
	check_parallel(0, IN_NONE);
}

/* The first cut (at half the file) inside a quoted field. */
static void test_parallel_cut_in_quotes(void **state)
{
	(void)state;
	check_parallel(56000, IN_FIRST);
}

/* The cut of the second part's tail inside a quoted field. */
static void test_parallel_tail_cut_in_quotes(void **state)
{
	(void)state;
	check_parallel(86500, IN_TAIL);
}

/* Three files of a test and their folder, removed and freed. */
static void remove_three(char *dir, char *a, char *b, char *c)
{
	char *files[] = {a, b, c};
	for (size_t i = 0; i < 3; i++) {
		g_unlink(files[i]);
		g_free(files[i]);
	}
	g_rmdir(dir);
	g_free(dir);
}

/* A footer word and 200,000 short rows across the tail's cut, then data
 * again: one thread counts them as footer lines (the data after a footer
 * does not undo it); every way of reading gives what one thread gives. */
static void test_parallel_footer_at_tail_cut(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	char *path;
	FILE *f = new_csv(dir, "ev.csv", "lead_id,occurred_at,type", &path);
	int64_t from = 0, to = 0;
	for (int64_t i = 0; i < 137500; i++) {
		if (i == 105500) {
			from = ftell(f);
			fputs("Total\n", f);
			for (int k = 0; k < 200000; k++)
				fputs("x\n", f);
			to = ftell(f);
		}
		fprintf(f, "%lld,2026-11-0%dT10:00:00Z,page_visit\n", (long long)(i % 1000 + 1),
			(int)(i % 9) + 1);
	}
	int64_t size = ftell(f);
	fclose(f);
	int64_t tail = size / 2 + (size - size / 2) / 2;
	assert_true(from + (1 << 17) < tail && tail + (1 << 17) < to);
	char *l = write_str(dir, "l.csv", "lead_id,created_at\n7,2026-11-01\n");
	char *sp = write_str(dir, "s.csv", "date,channel,amount\n");
	char *got[NWAYS];
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(l, path, sp, NULL);
		set_way(&c, k);
		dataset *ds = load_ok(&c);
		const source_stats *st = &ds->src[SRC_EVENTS];
		/* the first reader's cut of the second part lies in the footer's
		 * short rows: the file is read again from the first cut */
		if (k != TWO_THREADS)
			assert_int_equal(st->parts, 0);
		char *rj = join_rejects(ds, SRC_EVENTS);
		got[k] = g_strdup_printf("read=%lld rejected=%lld footer=%lld %s",
					 (long long)st->rows_read, (long long)st->rows_rejected,
					 (long long)st->footer_lines, rj);
		free(rj);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	for (int k = 1; k < NWAYS; k++)
		assert_string_equal(got[0], got[k]);
	for (int k = 0; k < NWAYS; k++)
		g_free(got[k]);
	remove_three(dir, path, l, sp);
}

/* An events file of 137,500 rows, several parts long, with the line mark
 * before every 7,919th row; *marks gets how many. Left open for the
 * caller's last lines. */
static FILE *events_marked(const char *dir, const char *mark, char **path, int64_t *marks)
{
	FILE *f = new_csv(dir, "ev.csv", "lead_id,occurred_at,type", path);
	*marks = 0;
	for (int64_t i = 0; i < 137500; i++) {
		if (i % 7919 == 0) {
			fputs(mark, f);
			(*marks)++;
		}
		fprintf(f, "%lld,2026-11-0%dT10:00:00Z,page_visit\n", (long long)(i % 1000 + 1),
			(int)(i % 9) + 1);
	}
	return f;
}

/* Totals rows of the header's width among the data ("Total: Account,,"),
 * some at the file's end: footer lines however the file is read, never
 * rows, and the rows after one are read as before. */
static void test_parallel_totals_rows(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	char *path;
	int64_t totals = 0;
	FILE *f = events_marked(dir, "Total: Account,,\n", &path, &totals);
	fputs("Total: Account,,\nTotal: Search,,\n", f);
	totals += 2;
	fclose(f);
	char *l = write_str(dir, "l.csv", "lead_id,created_at\n7,2026-11-01\n");
	char *sp = write_str(dir, "s.csv", "date,channel,amount\n");
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(l, path, sp, NULL);
		set_way(&c, k);
		dataset *ds = load_ok(&c);
		assert_rows(ds, SRC_EVENTS, 137500, 137500, 0);
		assert_int_equal(ds->src[SRC_EVENTS].footer_lines, totals);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	remove_three(dir, path, l, sp);
}

/* A footer written without quotes, split at the commas, after the data
 * of a file read in parts: footer lines however the file is read; a short
 * row that begins with a footer word before a row of data is a reject. */
static void test_parallel_unquoted_footer(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	char *path;
	int64_t bad = 0;
	FILE *f = events_marked(dir, "Copyright Inc,2026-11-01\n", &path, &bad);
	fputs("Copyright (c) 2000-2026 Ads, inc. All rights reserved.\n"
	      "Generated By: Jane Doe\nAcme, Inc.\n",
	      f);
	fclose(f);
	char *l = write_str(dir, "l.csv", "lead_id,created_at\n7,2026-11-01\n");
	char *sp = write_str(dir, "s.csv", "date,channel,amount\n");
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(l, path, sp, NULL);
		set_way(&c, k);
		dataset *ds = load_ok(&c);
		assert_parts(ds, SRC_EVENTS, k);
		assert_rows(ds, SRC_EVENTS, 137500 + bad, 137500, bad);
		assert_int_equal(ds->src[SRC_EVENTS].footer_lines, 3);
		assert_int_equal(ds->src[SRC_EVENTS].cut_row, 0);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	remove_three(dir, path, l, sp);
}

/* The events whose lead_id is in scientific notation and names no lead,
 * counted and the first kept, read in every way: the leads' ids written
 * with `fmt`, and every `every`th event's id replaced by "1.95135E+11"
 * from row `from` on (in the second part when past the middle). */
static void check_sci_orphans(const char *fmt, int64_t from, int64_t every)
{
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	char *path;
	FILE *f = new_csv(dir, "ev.csv", "lead_id,occurred_at,type", &path);
	char id[32];
	int64_t want = 0;
	for (int64_t i = 0; i < 137500; i++) {
		snprintf(id, sizeof id, fmt, (int)(i % 1000 + 1));
		if (i >= from && (i - from) % every == 0) {
			snprintf(id, sizeof id, "%s", want % 2 ? "1,95135E+11" : "1.95135E+11");
			want++;
		}
		fprintf(f, "\"%s\",2026-11-0%dT10:00:00Z,page_visit\n", id, (int)(i % 9) + 1);
	}
	fclose(f);
	buf lt = {0};
	bput(&lt, "lead_id,created_at\n");
	for (int i = 1; i <= 1000; i++) {
		snprintf(id, sizeof id, fmt, i);
		bput(&lt, "%s,2026-11-01\n", id);
	}
	char *l = write_str(dir, "l.csv", lt.s);
	char *sp = write_str(dir, "s.csv", "date,channel,amount\n");
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(l, path, sp, NULL);
		set_way(&c, k);
		dataset *ds = load_ok(&c);
		assert_parts(ds, SRC_EVENTS, k);
		assert_int_equal(ds->src[SRC_EVENTS].sci_orphans, want);
		assert_string_equal(ds->src[SRC_EVENTS].sci_orphan, "1.95135E+11");
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	free(lt.s);
	remove_three(dir, path, l, sp);
}

/* Leads of numbers (digit slots), of a shared "1" and up to 12 bytes
 * after it (short slots: "1.95135E+11" has that prefix), and of longer
 * ids (hashed slots); the ids in scientific notation throughout the
 * file, or only in its last rows. */
static void test_parallel_sci_orphans(void **state)
{
	(void)state;
	check_sci_orphans("%d", 3, 1000);
	check_sci_orphans("1%d", 3, 997);
	check_sci_orphans("1%dx", 3, 1000);
	check_sci_orphans("lead-%d-of-the-crm-export-x", 3, 1000);
	check_sci_orphans("%d", 137000, 100);
}

/* Encoding auto: rows in windows-1252 ("caf\xE9") here and there, the
 * most in the later parts, and rows of UTF-8 beyond ASCII: however the
 * file is read, the same rows are read as windows-1252, the first of
 * their lines kept in order, and the same rows of UTF-8 counted. */
static void test_parallel_windows_1252_rows(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	char *path;
	FILE *f = new_csv(dir, "ev.csv", "lead_id,occurred_at,type", &path);
	static const int64_t cp_at[] = {30000, 100000, 110000, 120000, 130000, 135000};
	uint32_t want[CP_LINES_KEPT] = {0};
	int64_t ncp = 0, nutf8 = 0;
	for (int64_t i = 0; i < 137500; i++) {
		const char *type = "page_visit";
		for (size_t k = 0; k < G_N_ELEMENTS(cp_at); k++)
			if (i == cp_at[k]) {
				type = "caf\xE9";
				if (ncp < CP_LINES_KEPT)
					want[ncp] = (uint32_t)(i + 2); /* the header is line 1 */
				ncp++;
			}
		if (i % 20000 == 7) {
			type = "caf\xC3\xA9";
			nutf8++;
		}
		fprintf(f, "%lld,2026-11-0%dT10:00:00Z,%s\n", (long long)(i % 1000 + 1),
			(int)(i % 9) + 1, type);
	}
	fclose(f);
	char *l = write_str(dir, "l.csv", "lead_id,created_at\n7,2026-11-01\n");
	char *sp = write_str(dir, "s.csv", "date,channel,amount\n");
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(l, path, sp, NULL);
		set_way(&c, k);
		dataset *ds = load_ok(&c);
		assert_parts(ds, SRC_EVENTS, k);
		const enc_rows *e = &ds->src[SRC_EVENTS].enc;
		assert_int_equal(e->cp_rows, ncp);
		assert_int_equal(e->utf8_rows, nutf8);
		for (int i = 0; i < CP_LINES_KEPT; i++)
			assert_int_equal(e->cp_line[i], want[i]);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	remove_three(dir, path, l, sp);
}

/* A quote inside an unquoted field on the last line, in the second part's
 * tail: every way of reading stops with the message of one thread. */
static void test_parallel_error_in_tail(void **state)
{
	(void)state;
	bigset t = make_set("lead_id,created_at\n7,2026-11-01\n");
	FILE *f = fopen(t.bf.path, "ab");
	assert_non_null(f);
	fputs("7,2026-11-02T10:00:00Z,page_visit,web,ab\"c\n", f);
	fclose(f);
	char *msgs[NWAYS];
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(t.l, t.bf.path, t.s, NULL);
		set_way(&c, k);
		dataset *ds = dataset_new();
		mq_err err = {0};
		if (ingest_load(ds, &c, &err) != -1)
			fail_msg("way %d loaded", k);
		assert_int_equal(err.status, MQ_DATAERR);
		msgs[k] = xstrdup(err.msg);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	char want[64];
	snprintf(want, sizeof want, "ev.csv:%u:", t.bf.next_line);
	assert_non_null(strstr(msgs[0], want));
	for (int k = 1; k < NWAYS; k++)
		assert_string_equal(msgs[0], msgs[k]);
	for (int k = 0; k < NWAYS; k++)
		free(msgs[k]);
	remove_set(&t);
}

/* About 6 MB of leads, read on two threads: the last 3000 rows repeat
 * earlier ids (mostly from the first part), impossible
 * dates and short rows at known lines, bad optional fields (warnings). */
static void test_parallel_leads(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	char *path;
	FILE *f = new_csv(dir, "leads.csv",
			  "lead_id,created_at,channel,campaign,job_title,company_size,industry,"
			  "country,mql_at,amount",
			  &path);
	buf bad = {0};
	bput(&bad, "");
	int64_t rows = 0, nbad = 0, dups = 0, warns = 0;
	uint32_t line = 2, mql_line = 0, size_line = 0;
	for (int64_t i = 0; i < 50000; i++, line++, rows++) {
		if (i % 40009 == 5) {
			fprintf(f, "X%lld,2026-02-30,web,c,t,1,x,us,,\n", (long long)i);
			bput(&bad, "%u:unparseable_created_at;", line);
			nbad++;
			continue;
		}
		if (i % 60013 == 9) {
			fprintf(f, "X%lld,2026-11-01\n", (long long)i);
			bput(&bad, "%u:wrong_field_count;", line);
			nbad++;
			continue;
		}
		/* rows 47000.. repeat ids of earlier rows (19 apart, wrapping) */
		long long id = i >= 47000 ? (i - 47000) * 19 % 47000 : i;
		if (i >= 47000 && (id % 40009 == 5 || id % 60013 == 9))
			id += 1;
		if (i >= 47000)
			dups++;
		const char *amount = i % 777 == 0 ? "NaN" : "1,200.50";
		warns += i % 777 == 0;
		/* unreadable mql_at only in the second half, company sizes only
		 * in the last tenth: their first lines lie in later parts */
		bool bad_mql = i >= 30000 && i % 1013 == 0, bad_size = i >= 45000 && i % 501 == 0;
		if (bad_mql && !mql_line)
			mql_line = line;
		if (bad_size && !size_line)
			size_line = line;
		fprintf(f,
			"L%lld,2026-11-0%dT%02d:00:00Z,%s,camp_%lld,\"Head of %s, "
			"EMEA\",%s,Software,%s,%s,\"%s\"\n",
			id, (int)(i % 9) + 1, (int)(i % 24), i % 3 ? "Paid Social" : "email",
			(long long)(i % 11), i % 2 ? "Growth" : "Sales",
			bad_size ? "lots"
			: i % 5	 ? "51-200"
				 : "10000+",
			i % 4 ? "us" : "de", bad_mql ? "soon" : "2026-11-03T12:00:00Z", amount);
	}
	fclose(f);
	char *e = write_str(
	    dir, "e.csv",
	    "lead_id,occurred_at,type\nL6,2026-11-05,page_visit\nL47001,2026-11-05,page_visit\n");
	char *sp = write_str(dir, "s.csv", "date,channel,amount\n");
	char *dumps[NWAYS];
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(path, e, sp, NULL);
		set_way(&c, k);
		dataset *ds = load_ok(&c);
		assert_parts(ds, SRC_LEADS, k);
		assert_rows(ds, SRC_LEADS, rows, rows - nbad, nbad);
		assert_int_equal(ds->duplicate_leads, dups);
		assert_int_equal(ds->nleads, (size_t)(rows - nbad - dups));
		assert_int_equal(kvcounts_get(&ds->src[SRC_LEADS].warnings_by_field, "amount"),
				 warns);
		/* each field's first unreadable value, at its line in the file
		 * whichever part read it */
		const kvcounts *first = &ds->src[SRC_LEADS].warn_line_by_field;
		assert_int_equal(kvcounts_get(first, "amount"), 2);
		assert_int_equal(kvcounts_get(first, "mql_at"), mql_line);
		assert_int_equal(kvcounts_get(first, "company_size"), size_line);
		assert_true(mql_line > 30000 && size_line > 45000);
		char *rj = join_rejects(ds, SRC_LEADS);
		assert_string_equal(rj, bad.s);
		free(rj);
		/* L6's event finds its lead; L47001 is no lead (no row has it) */
		assert_string_equal(lead_name(ds, ds_event_lead(ds, 0)), "L6");
		assert_int_equal(ds_event_lead(ds, 1), NO_LEAD);
		dumps[k] = dump(ds);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	for (int k = 1; k < NWAYS; k++)
		assert_true(strcmp(dumps[0], dumps[k]) == 0);
	for (int k = 0; k < NWAYS; k++)
		free(dumps[k]);
	free(bad.s);
	remove_three(dir, path, e, sp);
}

/* The large file ending inside a row, short of fields and with no line
 * break after it, as a download cut off leaves it: every way of reading
 * names that row's line. The same row ended by a line break is a short row
 * rejected, and no file cut off. */
static void test_parallel_cut_off_end(void **state)
{
	(void)state;
	bigset t = make_set("lead_id,created_at\n1,2026-11-01\n");
	const bigfile *bf = &t.bf;
	for (int ended = 0; ended < 2; ended++) {
		FILE *f = fopen(bf->path, "ab");
		assert_non_null(f);
		fputs(ended ? "\n" : "7,2026-11-03T10:0", f);
		fclose(f);
		for (int k = 0; k < NWAYS; k++) {
			ingest_cfg c = cfg_of(t.l, bf->path, t.s, NULL);
			set_way(&c, k);
			dataset *ds = load_ok(&c);
			assert_parts(ds, SRC_EVENTS, k);
			assert_rows(ds, SRC_EVENTS, bf->rows + 1, bf->rows - bf->bad, bf->bad + 1);
			assert_int_equal(ds->src[SRC_EVENTS].cut_row, ended ? 0 : bf->next_line);
			dataset_free(ds);
			ingest_cfg_clear(&c);
		}
	}
	remove_set(&t);
}

/* The descriptors this process holds. */
static int open_fds(void)
{
	GDir *d = g_dir_open("/proc/self/fd", 0, NULL);
	assert_non_null(d);
	int n = 0;
	while (g_dir_read_name(d))
		n++;
	g_dir_close(d);
	return n;
}

/* The events file's digest begins before its turn, while the leads are
 * read: under a glob it is the newest match's (the file then read and
 * named); a load that fails on the leads stops it and keeps no descriptor
 * (nor, as the sanitizers' run sees, a digest). */
static void test_early_digest(void **state)
{
	(void)state;
	bigset t = make_set("lead_id,created_at\n1,2026-11-01\n");
	const bigfile bf = t.bf;
	char *dir = t.dir, *l = t.l, *s = t.s;
	char *older = write_str(dir, "ev-0.csv", "lead_id,occurred_at,type,channel,campaign\n");
	assert_int_equal(
	    g_utime(older, &(struct utimbuf){.actime = 1000000000, .modtime = 1000000000}), 0);
	char *glob = g_build_filename(dir, "ev*.csv", NULL);
	char *bad = write_str(dir, "bad.csv", "lead_id,created_at\n1,2026-11-01,x,y\n\"\n");
	gchar *text = NULL;
	gsize len = 0;
	gchar *want = sha256_of(bf.path, &text, &len);
	for (int k = 0; k < NWAYS; k++) {
		ingest_cfg c = cfg_of(l, glob, s, NULL);
		set_way(&c, k);
		/* the premise: opened early, but for one thread (or one core) */
		early_file e;
		bool early = k != ONE_THREAD && g_get_num_processors() > 1;
		assert_int_equal(early_open(&e, &c, SRC_EVENTS), early);
		if (early) {
			assert_string_equal(e.path, bf.path);
			assert_true(e.fd >= 0);
			int fd = e.fd;
			early_close(&e);
			assert_int_equal(fcntl(fd, F_GETFD), -1);
		}
		dataset *ds = load_ok(&c);
		assert_parts(ds, SRC_EVENTS, k);
		assert_string_equal(ds->src[SRC_EVENTS].sha256, want);
		assert_string_equal(ds->src[SRC_EVENTS].location, bf.path);
		assert_rows(ds, SRC_EVENTS, bf.rows, bf.rows - bf.bad, bf.bad);
		dataset_free(ds);
		ingest_cfg_clear(&c);

		c = cfg_of(bad, bf.path, s, NULL);
		set_way(&c, k);
		ds = dataset_new();
		mq_err err = {0};
		int fds = open_fds();
		assert_int_not_equal(ingest_load(ds, &c, &err), 0);
		assert_non_null(strstr(err.msg, "bad.csv"));
		assert_int_equal(open_fds(), fds);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
	g_free(want);
	g_free(text);
	g_unlink(older);
	g_unlink(bad);
	g_free(older);
	g_free(glob);
	g_free(bad);
	remove_set(&t);
}

/* Late digests (`run`): a file read in parts keeps its digest running
 * past the reading, its sha256 "" until ingest_digests_finish() sets it
 * to the file's; a file changed before then is an error that names it,
 * its digest not shown; dataset_free() stops a digest nobody finished and
 * closes its file. One thread reads and hashes at once, as before. */
static void test_late_digest(void **state)
{
	(void)state;
	bigset t = make_set("lead_id,created_at\n1,2026-11-01\n");
	gchar *text = NULL;
	gsize len = 0;
	gchar *want = sha256_of(t.bf.path, &text, &len);
	for (int k = 0; k < NWAYS; k++) {
		bool parts = k != ONE_THREAD && g_get_num_processors() > 1;
		for (int ending = 0; ending < 3; ending++) { /* finished, changed, dropped */
			ingest_cfg c = cfg_of(t.l, t.bf.path, t.s, NULL);
			set_way(&c, k);
			c.late_digests = true;
			int fds = open_fds();
			dataset *ds = load_ok(&c);
			assert_string_equal(ds->src[SRC_EVENTS].sha256, parts ? "" : want);
			mq_err err = {0};
			if (ending == 0) {
				assert_int_equal(ingest_digests_finish(ds, &err), 0);
				assert_string_equal(ds->src[SRC_EVENTS].sha256, want);
				assert_int_equal(ingest_digests_finish(ds, &err), 0);
			} else if (ending == 1 && parts) {
				FILE *f = fopen(t.bf.path, "ab");
				fputs("1,2026-11-02,page_visit,web,x\n", f);
				fclose(f);
				assert_int_equal(ingest_digests_finish(ds, &err), -1);
				assert_int_equal(err.status, MQ_DATAERR);
				assert_non_null(
				    strstr(err.msg, "ev.csv: the file changed while it was read"));
				assert_string_equal(ds->src[SRC_EVENTS].sha256, "");
				assert_true(
				    g_file_set_contents(t.bf.path, text, (gssize)len, NULL));
			}
			dataset_free(ds);
			assert_int_equal(open_fds(), fds);
			ingest_cfg_clear(&c);
		}
	}
	g_free(want);
	g_free(text);
	remove_set(&t);
}

/* The digest's thread hashes a file read again in chunks: a file as long
 * as when it was opened (33 MiB, many chunks) gives GLib's SHA-256; a file
 * shorter than its size at opening (made shorter meanwhile) is reported,
 * whether its end falls inside the last chunk, a chunk before, or far
 * before. */
static void test_digest_thread(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	size_t len = (33u << 20) + 12345;
	char *text = g_malloc(len);
	for (size_t i = 0; i < len; i++)
		text[i] = (char)('a' + i % 23);
	char *path = write_tmp(dir, "big.csv", text, len);
	gchar *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	char hex[65];
	int err = -1;
	/* a late job finished at once: this thread hashes what it has not */
	for (int late = 0; late < 2; late++) {
		assert_true(hashjob_finish(hashjob_start(fd, (int64_t)len, late), hex, &err));
		assert_string_equal(hex, want);
		assert_int_equal(err, 0);
	}
	/* the end moved back inside the last page (its bytes past the end
	 * read as zeros), by a page, by a MiB, to before the first mapping:
	 * shorter, and no read failed */
	static const int64_t longer[] = {1, 100, 4096, 1 << 20, (int64_t)(40u << 20)};
	for (size_t k = 0; k < sizeof longer / sizeof *longer; k++) {
		for (int late = 0; late < 2; late++) {
			err = -1;
			hashjob *j = hashjob_start(fd, (int64_t)len + longer[k], late);
			assert_false(hashjob_finish(j, hex, &err));
			assert_int_equal(err, 0);
		}
	}
	close(fd);
	g_unlink(path);
	g_rmdir(dir);
	g_free(want);
	g_free(path);
	g_free(text);
	g_free(dir);
}

/* A file's stamp: the same while nothing writes it; not after one byte is
 * appended, nor after it is cut shorter. */
static void test_filestamp(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	char *path = write_str(dir, "f.csv", "a,b\n1,2\n");
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	filestamp st;
	assert_true(filestamp_take(fd, &st));
	assert_int_equal(st.size, 8);
	assert_true(filestamp_same(fd, &st, NULL));
	FILE *f = fopen(path, "ab");
	assert_non_null(f);
	fputc('3', f);
	fclose(f);
	assert_false(filestamp_same(fd, &st, NULL));
	assert_true(filestamp_take(fd, &st));
	assert_int_equal(truncate(path, 4), 0);
	assert_false(filestamp_same(fd, &st, NULL));
	close(fd);
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parallel),
	    cmocka_unit_test(test_parallel_cut_in_quotes),
	    cmocka_unit_test(test_parallel_tail_cut_in_quotes),
	    cmocka_unit_test(test_parallel_error_in_tail),
	    cmocka_unit_test(test_parallel_windows_1252_rows),
	    cmocka_unit_test(test_parallel_sci_orphans),
	    cmocka_unit_test(test_parallel_footer_at_tail_cut),
	    cmocka_unit_test(test_parallel_totals_rows),
	    cmocka_unit_test(test_parallel_unquoted_footer),
	    cmocka_unit_test(test_parallel_leads),
	    cmocka_unit_test(test_parallel_cut_off_end),
	    cmocka_unit_test(test_early_digest),
	    cmocka_unit_test(test_late_digest),
	    cmocka_unit_test(test_digest_thread),
	    cmocka_unit_test(test_filestamp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
