/* load_read.c — one source file into the loader: open it, read it in
 * large chunks, decode it, feed the CSV reader, report progress, take its
 * SHA-256; a large leads or events file is cut in two and its second part
 * read on another thread (load_part.c). It must not look inside records:
 * the row handlers (load_rows.c) do. */
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

#define PAR_MIN_BYTES	(32 << 20)
#define PAR_SHARE	0.42 /* the first thread also hashes the whole file … */
#define PAR_SHARE_LEADS 0.47 /* … which weighs less beside the slower rows of leads */

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

int loader_feed(loader *L, int enc, const unsigned char *b, size_t n, unsigned char *conv)
{
	if (enc == ENC_CP1252) {
		size_t m = textenc_cp1252_to_utf8(b, n, conv);
		return csvr_feed(L->r, conv, m);
	}
	return csvr_feed(L->r, b, n);
}

int loader_read_path(loader *L, const char *path, int enc)
{
	source_stats *st = &L->ds->src[L->src];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mq_err_set(L->err, MQ_NOINPUT, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		mq_err_set(L->err, MQ_NOINPUT, "%s: is a folder, not a file", path);
		close(fd);
		return -1;
	}
	int64_t total = fstat(fd, &sb) == 0 ? (int64_t)sb.st_size : 0;
	unsigned char *buf = xmalloc(READ_CHUNK);
	unsigned char *conv = enc == ENC_CP1252 ? xmalloc(3 * (size_t)READ_CHUNK) : NULL;
	digest sum;
	digest_init(&sum);
	int rc = -1;

	/* the events file is cut in two near PAR_SHARE at a line start; the
	 * second part is read on another thread from the start */
	int64_t split = 0;
	if ((L->src == SRC_EVENTS || L->src == SRC_LEADS) && S_ISREG(sb.st_mode) &&
	    total >= PAR_MIN_BYTES && L->cfg->threads != 1 && g_get_num_processors() > 1)
		split = part_find_split(
		    fd,
		    (int64_t)((double)total * (L->src == SRC_LEADS ? PAR_SHARE_LEADS : PAR_SHARE)),
		    total);
	part w;
	bool started = false, hashed_all = false;
	GMutex lock;
	g_mutex_init(&lock);

	int64_t off = 0;
	for (;;) {
		int64_t limit = split && off < split ? split : INT64_MAX;
		size_t want = READ_CHUNK;
		if (limit != INT64_MAX && limit - off < (int64_t)want)
			want = (size_t)(limit - off);
		ssize_t got = want ? loader_pread(fd, buf, want, off) : 0;
		if (got < 0) {
			mq_err_set(L->err, MQ_NOINPUT, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (got > 0) {
			if (!hashed_all)
				digest_update(&sum, buf, (size_t)got);
			st->bytes += got;
			off += got;
			if (loader_feed(L, enc, buf, (size_t)got, conv) != 0)
				goto parse_error;
			if (split && !started && L->have_header) {
				part_start(&w, L, fd, enc, split, total, &lock);
				started = true;
			}
			if (L->cfg->progress && st->bytes >= L->next_progress) {
				fprintf(stderr, "\rreading %s: %lld%%", source_name[L->src],
					total > 0 ? (long long)(100 * st->bytes / total) : 0LL);
				L->next_progress = st->bytes + (64 << 20);
			}
		}
		if (split && off == split) {
			split = 0; /* from here on, one thread */
			if (!started)
				continue;
			bool boundary = csvr_pending(L->r) == 0;
			if (!boundary)
				g_atomic_int_set(&w.stop, 1);
			/* while the other thread finishes, the digest takes in the
			 * second part: it is needed either way */
			for (int64_t at = off; at < total;) {
				size_t n =
				    (size_t)(total - at < READ_CHUNK ? total - at : READ_CHUNK);
				ssize_t k = loader_pread(fd, buf, n, at);
				if (k <= 0)
					break;
				digest_update(&sum, buf, (size_t)k);
				at += k;
			}
			hashed_all = true;
			g_thread_join(w.th);
			started = false;
			L->in.lock = NULL;
			if (boundary && w.rc == 0) {
				part_merge(&w, L, csvr_line(L->r));
				part_free(&w);
				st->bytes += total - off;
				off = total;
				break;
			}
			/* a cut inside a quoted field, or an error in the second
			 * part: this thread reads it again, for exact lines */
			part_free(&w);
			continue;
		}
		if (got == 0)
			break;
	}
	if (csvr_finish(L->r) != 0)
		goto parse_error;
	if (!L->have_header) {
		mq_err_set(L->err, MQ_DATAERR, "%s:1: no header row (the file is empty)", L->name);
		goto done;
	}
	rc = 0;
	goto done;
parse_error:
	if (!mq_failed(L->err))
		mq_err_set(L->err, MQ_DATAERR, "%s", csvr_error(L->r));
done:
	if (started) {
		g_atomic_int_set(&w.stop, 1);
		g_thread_join(w.th);
		part_free(&w);
		L->in.lock = NULL;
	}
	g_mutex_clear(&lock);
	if (L->cfg->progress && st->bytes >= (64 << 20))
		fprintf(stderr, "\n");
	digest_final(&sum, st->sha256);
	free(buf);
	free(conv);
	close(fd);
	return rc;
}
