/* load_read.c — one source file into the loader: open it, read it in
 * large chunks, decode it, feed the CSV reader, report progress, take its
 * SHA-256; a large leads or events file is cut in two and its second part
 * read on another thread (load_part.c; this thread takes over the end of it
 * when done with the first part first), and its SHA-256 taken on a third,
 * off the readers' path (load_hash.c: the two readers split the file evenly
 * and the system shares the cores among the three). It must not look
 * inside records: the row handlers (load_rows.c) do. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "loader.h"
#include "textenc.h"

#define PAR_SHARE 0.5 /* the digest is a thread of its own: an even cut */

ssize_t loader_pread(int fd, void *b, size_t n, int64_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(fd, (char *)b + got, n - got, (off_t)(off + (int64_t)got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* Encoding windows-1252: whether the chunk's bytes beyond ASCII are UTF-8
 * all the same, and the first word that holds one, kept as written. */
static void probe_utf8(loader *L, const unsigned char *b, size_t n)
{
	struct dialect_state *x = &L->dx;
	if (!x->probe.nheld && textenc_plain_ascii((const char *)b, n))
		return;
	size_t at = textenc_probe_utf8(&x->probe, b, n);
	if (at == n || x->enc.forced_example[0])
		return;
	size_t from = at, to = at, cap = sizeof x->enc.forced_example - 1;
	while (from > 0 && at - from < cap / 2 && !strchr(",;\t\"\r\n", b[from - 1]))
		from--;
	while (to < n && to - from < cap && b[to] && !strchr(",;\t\"\r\n", b[to]))
		to++;
	while (from < at && (b[from] & 0xC0) == 0x80)
		from++; /* the start of the word may cut a character */
	while (to > at && !textenc_valid((const char *)b + from, to - from))
		to--; /* so may its end */
	memcpy(x->enc.forced_example, b + from, to - from);
	x->enc.forced_example[to - from] = '\0';
}

int loader_feed(loader *L, int enc, const unsigned char *b, size_t n, unsigned char *conv)
{
	if (enc == ENC_CP1252) {
		probe_utf8(L, b, n);
		size_t m = textenc_cp1252_to_utf8(b, n, conv);
		return csvr_feed(L->r, conv, m);
	}
	return csvr_feed(L->r, b, n);
}

/* One file being read: where, how far, and the second part's reader. */
typedef struct rfile {
	loader *L;
	const char *path;
	int fd, enc;
	bool regular;		   /* a regular file: a cut is possible */
	int64_t total, off;	   /* the file's size, the bytes read so far */
	int64_t split;		   /* where the second part starts; 0: one thread */
	unsigned char *buf, *conv; /* a chunk, and its UTF-8 when windows-1252 */
	digest sum;		   /* taken here, chunk by chunk, when job is NULL */
	hashjob *job;		   /* the digest's own thread (this file's or an early
				      file's), or NULL */
	bool shorter;		   /* with job: the reading ended before total */
	filestamp stamp;	   /* the file when opened */
	bool started;		   /* w runs */
	part w;
	GMutex lock; /* the pool's, while w runs */
} rfile;

/* A read error; a parse error, whose message the reader holds. */
enum { READ_FAILED = -1, PARSE_FAILED = -2 };

static int open_file(rfile *f, early_file *early)
{
	loader *L = f->L;
	if (early && early->fd >= 0) {
		f->fd = early->fd; /* this file's now */
		early->fd = -1;
		f->total = early->stamp.size;
		f->stamp = early->stamp;
		f->regular = true;
		f->job = early->job;
		early->job = NULL;
		return 0;
	}
	/* O_NONBLOCK: opening a FIFO without a writer must not hang; a link
	 * to a regular file is followed (reading only) */
	f->fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0) {
		mq_err_set(L->err, MQ_NOINPUT, "%s: %s", f->path, strerror(errno));
		return -1;
	}
	struct stat sb = {0};
	if (fstat(f->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		mq_err_set(L->err, MQ_NOINPUT, "%s: %s", f->path,
			   S_ISDIR(sb.st_mode) ? "is a folder, not a file"
					       : "is not a regular file (a FIFO, a device or a "
						 "socket is not read as a source)");
		close(f->fd);
		return -1;
	}
	f->total = (int64_t)sb.st_size;
	f->regular = true;
	filestamp_take(f->fd, &f->stamp);
	return 0;
}

/* The events or leads file is cut in two near PAR_SHARE at a line start;
 * the second part is read on another thread from the start. */
static void choose_split(rfile *f)
{
	const loader *L = f->L;
	if (f->regular && loader_wants_parts(L->cfg, L->src, f->total))
		f->split =
		    part_find_split(f->fd, (int64_t)((double)f->total * PAR_SHARE), f->total);
}

/* The reading progress: a figure every this many bytes, from this many on
 * (a small file shows none, and its line needs no end). */
#define PROGRESS_STEP (64 << 20)

static void progress(rfile *f)
{
	loader *L = f->L;
	if (!L->cfg->progress)
		return;
	/* this thread's bytes, and the second part's so far */
	int64_t done = L->ds->src[L->src].bytes;
	if (f->started) {
		g_mutex_lock(&f->w.claim);
		done += MAX(f->w.claimed - f->w.from, 0);
		g_mutex_unlock(&f->w.claim);
	}
	if (done >= PROGRESS_STEP && done >= L->next_progress) {
		fprintf(stderr, "\rreading %s: %lld%%", source_name[L->src],
			f->total > 0 ? (long long)(100 * MIN(done, f->total) / f->total) : 0LL);
		L->next_progress = done + PROGRESS_STEP;
	}
}

/* After the leads file's first chunk, before a second reader shares the
 * pool: room in it for as many lead ids as the rows of that chunk say the
 * file holds, at once, rather than a table of fresh memory and a rehash
 * at every doubling from the start (an estimate too low costs one rehash
 * at the end). */
static void reserve_leads(rfile *f)
{
	const loader *L = f->L;
	int64_t rows = L->ds->src[SRC_LEADS].rows_read;
	if (rows <= 0 || f->off <= 0 || f->total <= f->off)
		return;
	double est = (double)rows * ((double)f->total / (double)f->off);
	if (est > (double)rows && est < (double)UINT32_MAX / 4)
		pool_reserve(L->ds->pool, (size_t)est - (size_t)rows);
}

/* Take in got bytes just read into f->buf; the second part starts once the
 * header is bound. */
static int take_chunk(rfile *f, size_t got)
{
	loader *L = f->L;
	if (!f->job)
		digest_update(&f->sum, f->buf, got);
	L->ds->src[L->src].bytes += (int64_t)got;
	f->off += (int64_t)got;
	if (loader_feed(L, f->enc, f->buf, got, f->conv) != 0)
		return PARSE_FAILED;
	if (f->off == (int64_t)got && L->src == SRC_LEADS)
		reserve_leads(f);
	if (f->split && !f->started && L->have_header) {
		part_start(&f->w, L, f->fd, f->enc, f->split, f->total, &f->lock);
		f->started = true;
	}
	progress(f);
	return 0;
}

/* This thread stands at the cut, done with the first part: it takes over
 * the end of the second part when that is worth it, then waits for the
 * second's thread. Returns true when the parts' rows were merged (the file
 * is read), false when this thread reads on by itself from the cut. */
static bool at_cut(rfile *f)
{
	loader *L = f->L;
	f->split = 0;
	if (!f->started)
		return false;
	/* a boundary: no partial record, and no short rows held that the rows
	 * after the cut would decide about (a footer's or rejects) */
	bool boundary = csvr_pending(L->r) == 0 && !L->dx.npend && !L->dx.in_footer;
	part tail;
	bool took = false;
	if (!boundary)
		g_atomic_int_set(&f->w.stop, 1);
	else
		took = part_take_tail(&f->w, L, &tail, &f->lock);
	part_release(&f->w);
	g_thread_join(f->w.th);
	f->started = false;
	L->in.lock = NULL;
	bool merged =
	    boundary && f->w.rc == 0 && (!took || (tail.rc == 0 && !f->w.L.dx.ended_open));
	if (merged) {
		loader_rows_flush(L); /* the first part's events before the second's */
		uint32_t line = csvr_line(L->r);
		uint32_t tail_line = part_next_line(&f->w, line);
		part_merge(&f->w, L, line);
		if (took)
			part_merge(&tail, L, tail_line);
		L->ds->src[L->src].bytes += f->total - f->off;
		L->ds->src[L->src].parts = MAX(L->ds->src[L->src].parts, took ? 3 : 2);
		f->off = f->total;
	}
	/* else a cut inside a quoted field, or an error after the first cut:
	 * this thread reads it again, for exact lines */
	part_free(&f->w);
	if (took)
		part_free(&tail);
	return merged;
}

/* The first byte at or after i that is no space, tab or line end. */
static size_t skip_blanks(const unsigned char *b, size_t len, size_t i)
{
	while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	return i;
}

/* What a file whose first bytes are no CSV text is, by its signature, and
 * what to do: NULL when they say nothing. Judged before any byte reaches
 * the CSV reader, whose complaint about a compressed file's bytes would
 * depend on them and say nothing useful. */
static const char *binary_kind(const unsigned char *b, size_t len)
{
	if (len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff) ||
			 (b[0] == 0) != (b[1] == 0)))
		return "the file is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV "
		       "UTF-8\" instead";
	if (len >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
		return "the file is a ZIP archive, an .xlsx workbook perhaps; export the sheet as "
		       "CSV, or unzip the CSV out of it";
	if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return "the file is gzip-compressed; gunzip it first";
	if (len >= 8 && memcmp(b, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return "the file is an Excel 97-2003 workbook (.xls) or another Office document; "
		       "open it and save the sheet as \"CSV UTF-8\"";
	if (len >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return "the file is a PDF document; export the data as CSV instead";
	/* text that is markup or JSON: a web page (a login page served for an
	 * expired session) or an API's answer saved under a .csv name */
	size_t i = skip_blanks(b, len, len >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0 ? 3 : 0);
	static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body", "<?xml"};
	for (size_t t = 0; t < sizeof tags / sizeof *tags; t++) {
		size_t n = strlen(tags[t]);
		if (len - i >= n && g_ascii_strncasecmp((const char *)b + i, tags[t], n) == 0)
			return t < 4 ? "the file is a web page (HTML), not CSV: a login or error "
				       "page saved in the export's place, perhaps; download the "
				       "export again"
				     : "the file is XML (an Excel 2003 XML spreadsheet, perhaps), "
				       "not CSV; save the sheet as \"CSV UTF-8\"";
	}
	if (i < len && b[i] == '{') {
		size_t j = skip_blanks(b, len, i + 1);
		if (j < len && (b[j] == '"' || b[j] == '}'))
			return "the file is JSON, not CSV: an API's answer, perhaps; export "
			       "the data as CSV instead";
	}
	return NULL;
}

/* Read and feed every chunk (up to the cut first when there is one).
 * Returns 0, READ_FAILED with L->err set, or PARSE_FAILED. */
static int read_all(rfile *f)
{
	for (;;) {
		if (load_stopped(f->L->cfg, f->L->name, f->L->err))
			return READ_FAILED;
		size_t want = READ_CHUNK;
		if (f->split && f->off < f->split && f->split - f->off < (int64_t)want)
			want = (size_t)(f->split - f->off);
		/* a digest thread hashes the size at opening: no byte beyond it */
		if (f->job && f->total - f->off < (int64_t)want)
			want = f->off < f->total ? (size_t)(f->total - f->off) : 0;
		ssize_t got = want ? loader_pread(f->fd, f->buf, want, f->off) : 0;
		if (got < 0) {
			mq_err_set(f->L->err, MQ_NOINPUT, "%s: %s", f->path, strerror(errno));
			return READ_FAILED;
		}
		const char *kind = got > 0 && f->off == 0 ? binary_kind(f->buf, (size_t)got) : NULL;
		if (kind) {
			mq_err_set(f->L->err, MQ_DATAERR, "%s:1: %s", f->L->name, kind);
			return READ_FAILED;
		}
		if (got > 0 && take_chunk(f, (size_t)got) != 0)
			return PARSE_FAILED;
		if (f->split && f->off == f->split) {
			if (at_cut(f))
				return 0;
			continue;
		}
		if (got == 0) {
			/* its digest is of the size at opening: so must the rows be */
			f->shorter = f->job && f->off < f->total;
			return 0;
		}
	}
}

/* What close_file() found: the file as it was when opened, or not. */
enum { FILE_SAME, FILE_CHANGED, FILE_UNREADABLE };

/* Stop the second part if it still runs, finish the digest (or, when the
 * reading failed, drop it), free. Says whether the file stayed as it was
 * opened: its size and time the same, and every byte of it there for the
 * digest and the readers (*now: its size at the end; *err: a read's
 * errno). */
static int close_file(rfile *f, bool read_ok, int64_t *now, int *err)
{
	loader *L = f->L;
	if (f->started) {
		g_atomic_int_set(&f->w.stop, 1);
		part_release(&f->w);
		g_thread_join(f->w.th);
		part_free(&f->w);
		L->in.lock = NULL;
	}
	g_mutex_clear(&f->lock);
	/* a large file's line ends at 100% when the whole file was read, also
	 * when the parts went too fast for a figure before (the threads' pace
	 * decides how many come) */
	if (L->cfg->progress && (L->next_progress || f->total >= PROGRESS_STEP))
		fprintf(stderr, read_ok ? "\rreading %s: 100%%\n" : "\n", source_name[L->src]);
	int how = f->shorter ? FILE_CHANGED : FILE_SAME;
	bool late = f->job && read_ok && L->cfg->late_digests;
	if (f->job && read_ok && !late) {
		if (!hashjob_finish(f->job, L->ds->src[L->src].sha256, err))
			how = *err ? FILE_UNREADABLE : FILE_CHANGED;
	} else if (f->job && !late) {
		hashjob_cancel(f->job); /* no digest is shown for a failed read */
	} else if (!f->job) {
		digest_final(&f->sum, L->ds->src[L->src].sha256);
	}
	filestamp end = {.size = -1};
	if (!filestamp_same(f->fd, &f->stamp, &end) && how == FILE_SAME)
		how = FILE_CHANGED;
	*now = end.size;
	free(f->buf);
	free(f->conv);
	if (late && how == FILE_SAME) /* the digest goes on; the data set has the file */
		late_digest_keep(L->ds, L->src, f->job, f->fd, &f->stamp, L->name);
	else if (late)
		hashjob_cancel(f->job);
	if (!late || how != FILE_SAME)
		close(f->fd);
	return how;
}

int loader_read_path(loader *L, const char *path, int enc, early_file *early)
{
	rfile f = {.L = L, .path = path, .enc = enc};
	if (open_file(&f, early) != 0)
		return -1;
	f.buf = xmalloc(READ_CHUNK);
	f.conv = enc == ENC_CP1252 ? xmalloc(3 * (size_t)READ_CHUNK) : NULL;
	g_mutex_init(&f.lock);
	choose_split(&f);
	if (f.split && !f.job) /* the digest on a thread of its own */
		f.job = hashjob_start(f.fd, f.total, L->cfg->late_digests);
	if (!f.job)
		digest_init(&f.sum);

	int rc = read_all(&f);
	if (rc == 0 && csvr_finish(L->r) != 0)
		rc = PARSE_FAILED;
	loader_rows_flush(L);
	/* a file that changed meanwhile explains whatever the rows said */
	int64_t total = f.total, now = -1;
	int err = 0, how = close_file(&f, rc == 0, &now, &err);
	if (how == FILE_UNREADABLE && !mq_failed(L->err))
		mq_err_set(L->err, MQ_NOINPUT, "%s: %s", L->name, strerror(err));
	if (how == FILE_CHANGED && !mq_failed(L->err))
		file_changed_error(L->err, L->name, total, now);
	if (how != FILE_SAME)
		return -1;
	if (rc == 0 && !L->have_header) {
		const mq_err *held = dialect_held_error(L);
		if (held) /* no line bound the required columns: the likeliest header's */
			loader_header_error(L, held);
		else if (L->dx.preamble == 0) /* no bytes, or blank lines only */
			mq_err_set(L->err, MQ_DATAERR,
				   "%s:1: no header row (the file is empty): export it again, or "
				   "check that the location names the export",
				   L->name);
		else if (L->dx.quoted_lines)
			mq_err_set(L->err, MQ_DATAERR,
				   "%s: no header row: no line has more than one column, and %lld "
				   "of them %s one field in quotes holding separators, which no "
				   "delimiter splits: export the file again without quotes around "
				   "whole lines",
				   L->name, (long long)L->dx.quoted_lines,
				   L->dx.quoted_lines == 1 ? "is" : "are");
		else
			mq_err_set(L->err, MQ_DATAERR,
				   "%s: no header row: no line has more than one column (is this "
				   "the CSV export, with its separator one of , ; tab |?)",
				   L->name);
		rc = READ_FAILED;
	}
	if (rc == PARSE_FAILED && !mq_failed(L->err)) {
		const char *e = csvr_error(L->r);
		/* the bound is a setting: say which, for a field that is real */
		bool bound =
		    strstr(e, ": field longer than ") || strstr(e, ": record longer than ");
		/* a stray quote: what the export should have written, and the two cures */
		bool quote = strstr(e, ": quote inside an unquoted field") ||
			     strstr(e, ": unexpected character after a closing quote");
		/* a quote never closed: everything after it was one field */
		bool open = strstr(e, ": unterminated quote") != NULL;
		mq_err_set(
		    L->err, MQ_DATAERR, "%s%s", e,
		    bound   ? " (a quote left open makes one; if the value is real, raise "
			      "max_field_bytes in [report])"
		    : quote ? " (a value holding a quote must be written in quotes, its quote "
			      "doubled: \"5\"\" screen\"; export the file again with every "
			      "field quoted, or correct that line)"
		    : open  ? " (the quote opened there is never closed, so the rest of the "
			      "file was read as one field: look at that line for a stray or "
			      "missing quote, or check whether the file was cut off and export "
			      "it again)"
			    : "");
	}
	return rc == 0 ? 0 : -1;
}
