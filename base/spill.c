/* spill.c — records in an unnamed temporary file (spill.h).
 *
 * It must not know what the records hold: callers encode and decode them.
 * It must not leave a file behind: the file is unlinked as it is made. */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

#define SPILL_BUF ((size_t)1 << 16)

struct spill {
	int fd;
	atomic_int refs;
	uint64_t size;	  /* bytes put, written or buffered */
	uint64_t flushed; /* bytes in the file */
	char *buf;	  /* SPILL_BUF bytes being gathered; NULL once sealed */
};

/* A temporary file that fails is memory that fails: say where, and what to do. */
static _Noreturn void spill_fail(const char *what)
{
	fprintf(stderr,
		"mqlreport: cannot %s a temporary file in %s: %s (the report keeps its "
		"drill-down's rows there); set TMPDIR to a folder that can be written and has "
		"room\n",
		what, g_get_tmp_dir(), strerror(errno));
	exit(MQ_CANTCREAT);
}

spill *spill_new(void)
{
	const char *dir = g_get_tmp_dir();
	int fd = -1;
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) { /* a file system without O_TMPFILE: make a name, then drop it */
		char *path = g_build_filename(dir, "mqlreport-spill-XXXXXX", NULL);
		fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);
		if (fd >= 0)
			unlink(path);
		g_free(path);
	}
	if (fd < 0)
		spill_fail("create");
	spill *s = xcalloc(1, sizeof *s);
	s->fd = fd;
	atomic_init(&s->refs, 1);
	s->buf = xmalloc(SPILL_BUF);
	return s;
}

static void spill_write(spill *s, const char *p, size_t n)
{
	while (n) {
		ssize_t w = pwrite(s->fd, p, n, (off_t)s->flushed);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			spill_fail("write");
		}
		p += w;
		n -= (size_t)w;
		s->flushed += (uint64_t)w;
	}
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
	else
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
		ssize_t r = pread(s->fd, p, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO; /* shorter than written: the file was cut */
			spill_fail("read");
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
	close(s->fd);
	free(s->buf);
	free(s);
}
