/* spill.c — records in an unnamed temporary file (spill.h).
 *
 * It must not know what the records hold: callers encode and decode them.
 * It must not leave a file behind: the file is unlinked as it is made. It
 * must not stop the program: a failure is kept for spill_check(). */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SPILL_BUF ((size_t)1 << 16)

struct spill {
	int fd; /* -1 once it failed: nothing more is written, zeros are read */
	atomic_int refs;
	uint64_t size;	  /* bytes put, written or buffered */
	uint64_t flushed; /* bytes in the file */
	char *buf;	  /* SPILL_BUF bytes being gathered; NULL once sealed */
};

/* The program's first failure of a spill: what failed, and its errno (0:
 * none); written once. */
static const char *first_what;
static int first_errno;
static atomic_int failed; /* 0, 1 while the first is written, 2 once it is */

static void note_failure(const char *what, int errnum)
{
	int none = 0;
	if (!atomic_compare_exchange_strong(&failed, &none, 1))
		return;
	first_what = what;
	first_errno = errnum;
	atomic_store(&failed, 2);
}

/* The spill's file is given up: what it holds is lost, and said. */
static void spill_fail(spill *s, const char *what)
{
	note_failure(what, errno);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

spill *spill_new(void)
{
	const char *dir = g_get_tmp_dir();
	spill *s = xcalloc(1, sizeof *s);
	atomic_init(&s->refs, 1);
	s->fd = -1;
#ifdef O_TMPFILE
	s->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (s->fd < 0) { /* a file system without O_TMPFILE: make a name, then drop it */
		char *path = g_build_filename(dir, "mqlreport-spill-XXXXXX", NULL);
		s->fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);
		if (s->fd >= 0)
			unlink(path);
		g_free(path);
	}
	if (s->fd < 0)
		spill_fail(s, "cannot create a temporary file");
	s->buf = xmalloc(SPILL_BUF);
	return s;
}

static void spill_write(spill *s, const char *p, size_t n)
{
	while (n && s->fd >= 0) {
		ssize_t w = pwrite(s->fd, p, n, (off_t)s->flushed);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			spill_fail(s, "cannot write a temporary file");
			break;
		}
		p += w;
		n -= (size_t)w;
		s->flushed += (uint64_t)w;
	}
	if (s->fd < 0)
		s->flushed += n; /* lost: counted as written, read as zeros */
}

uint64_t spill_put(spill *s, const void *p, size_t n)
{
	uint64_t at = s->size;
	if (!s->buf) /* sealed: a buffer again */
		s->buf = xmalloc(SPILL_BUF);
	size_t held = (size_t)(s->size - s->flushed);
	if (held + n > SPILL_BUF) {
		spill_write(s, s->buf, held);
		held = 0;
	}
	if (n > SPILL_BUF)
		spill_write(s, p, n);
	else if (n)
		memcpy(s->buf + held, p, n);
	s->size += n;
	return at;
}

void spill_flush(spill *s)
{
	if (s->buf)
		spill_write(s, s->buf, (size_t)(s->size - s->flushed));
}

void spill_seal(spill *s)
{
	spill_flush(s);
	free(s->buf);
	s->buf = NULL;
}

void spill_get(const spill *s, uint64_t off, void *buf, size_t n)
{
	char *p = buf;
	while (n) {
		ssize_t r = s->fd >= 0 ? pread(s->fd, p, n, (off_t)off) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (s->fd >= 0) /* shorter than written: the file was cut */
				note_failure("cannot read a temporary file back",
					     r == 0 ? EIO : errno);
			memset(p, 0, n);
			return;
		}
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
}

uint64_t spill_size(const spill *s)
{
	return s->size;
}

spill *spill_ref(spill *s)
{
	if (s)
		atomic_fetch_add(&s->refs, 1);
	return s;
}

void spill_unref(spill *s)
{
	if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	free(s);
}

void spill_corrupt(const char *what)
{
	note_failure(what, 0);
}

int spill_check(mq_err *err)
{
	if (atomic_load(&failed) != 2)
		return 0;
	mq_err_set(err, MQ_CANTCREAT,
		   "%s in %s%s%s (the drill-down's rows and the medians' values wait there "
		   "while the report is made): set TMPDIR to a folder that can be written and "
		   "has room",
		   first_what, g_get_tmp_dir(), first_errno ? ": " : "",
		   first_errno ? strerror(first_errno) : "");
	return -1;
}

int spill_probe(mq_err *err)
{
	spill *s = spill_new();
	char b = 1;
	spill_put(s, &b, 1);
	spill_seal(s);
	b = 0;
	spill_get(s, 0, &b, 1);
	if (b != 1 && s->fd >= 0)
		note_failure("cannot read a temporary file back", EIO);
	spill_unref(s);
	return spill_check(err);
}
