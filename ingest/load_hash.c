/* load_hash.c — a large file's SHA-256 on a thread of its own, beside the
 * readers rather than in their way: read again from the page cache in
 * small chunks and, for the events file, begun before its turn, while the
 * leads are read and indexed and a core would otherwise wait (load.c). It
 * must not parse the bytes or know the sources. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"
#include "loader.h"
#include "locate.h"

/* The reads: small enough that what was just copied is still in the core's
 * cache when it is hashed. A copy costs less than mapping the file: each
 * page mapped is a change of the page tables, and on a virtual machine
 * that is dearer than copying the page (docs/ingest.md, Speed). */
#define HASH_CHUNK (256u << 10)

static gpointer hash_all(gpointer data)
{
	hashjob *j = data;
	int64_t at = 0;
	unsigned char *b = xmalloc(HASH_CHUNK);
	while (at < j->total && !g_atomic_int_get(&j->stop)) {
		size_t n = (size_t)(j->total - at < HASH_CHUNK ? j->total - at : HASH_CHUNK);
		ssize_t k = loader_pread(j->fd, b, n, at);
		if (k < 0)
			j->err = errno;
		if (k <= 0) {
			j->changed = k == 0; /* the file ends before its size when opened */
			break;
		}
		digest_update(&j->sum, b, (size_t)k);
		at += k;
	}
	free(b);
	/* made shorter after the last read: the size says */
	struct stat sb;
	if (at == j->total && fstat(j->fd, &sb) == 0 && (int64_t)sb.st_size < j->total)
		j->changed = true;
	j->done = at;
	return NULL;
}

void hashjob_start(hashjob *j, int fd, int64_t total)
{
	*j = (hashjob){.fd = fd, .total = total};
	digest_init(&j->sum);
	j->th = g_thread_new("mql-sha256", hash_all, j);
}

bool hashjob_finish(hashjob *j, char hex[65])
{
	g_thread_join(j->th);
	j->th = NULL;
	digest_final(&j->sum, hex);
	return j->done == j->total && !j->changed;
}

void hashjob_cancel(hashjob *j)
{
	if (!j->th)
		return;
	g_atomic_int_set(&j->stop, 1);
	char unused[65];
	hashjob_finish(j, unused);
}

bool filestamp_take(int fd, filestamp *st)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		return false;
	st->size = (int64_t)sb.st_size;
	st->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
	return true;
}

bool filestamp_same(int fd, const filestamp *st, filestamp *now)
{
	filestamp cur;
	if (!now)
		now = &cur;
	return filestamp_take(fd, now) && now->size == st->size && now->mtime_ns == st->mtime_ns;
}

bool loader_wants_parts(const ingest_cfg *cfg, int src, int64_t total)
{
	return (src == SRC_EVENTS || src == SRC_LEADS) && total >= part_min_bytes(cfg) &&
	       cfg->threads != 1 && g_get_num_processors() > 1;
}

bool early_open(early_file *e, const ingest_cfg *cfg, int src)
{
	*e = (early_file){.fd = -1};
	const char *loc = cfg->src[src].location;
	if (!loc || is_url(loc))
		return false;
	mq_err quiet = {0};
	/* a glob is resolved now, once: the file hashed is the file read */
	char *found = locate_is_glob(loc) ? locate_newest(loc, NULL, &quiet) : xstrdup(loc);
	if (!found)
		return false;
	int fd = open(found, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    !loader_wants_parts(cfg, src, (int64_t)sb.st_size) || !filestamp_take(fd, &e->stamp)) {
		if (fd >= 0)
			close(fd);
		free(found);
		return false;
	}
	e->path = found;
	e->fd = fd;
	hashjob_start(&e->job, fd, e->stamp.size);
	return true;
}

void early_close(early_file *e)
{
	hashjob_cancel(&e->job);
	if (e->fd >= 0)
		close(e->fd);
	free(e->path);
	*e = (early_file){.fd = -1};
}
