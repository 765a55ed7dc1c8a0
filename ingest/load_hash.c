/* load_hash.c — a large file's SHA-256 on a thread of its own, beside the
 * readers rather than in their way: read again from the page cache in
 * small chunks and, for the events file, begun before its turn, while the
 * leads are read and indexed and a core would otherwise wait (load.c).
 * With late digests (`run`) the thread runs at the lowest priority and may
 * go on past the reading, through the gaps where the rest of the run
 * leaves a core idle, until the caller needs the digest and takes the
 * rest over. It must not parse the bytes or know the sources. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fetch.h"
#include "loader.h"
#include "locate.h"

/* The reads: small enough that what was just copied is still in the core's
 * cache when it is hashed. A copy costs less than mapping the file: each
 * page mapped is a change of the page tables, and on a virtual machine
 * that is dearer than copying the page (docs/ingest.md, Speed). */
#define HASH_CHUNK (256u << 10)

/* Hash j's file from j->done on, chunk by chunk, until its end, a read
 * error, or (on the job's thread) a request to stop or to hand over. */
static void hash_from(hashjob *j, unsigned char *b, bool own_thread)
{
	int64_t at = j->done;
	while (at < j->total) {
		if (own_thread && (g_atomic_int_get(&j->stop) || g_atomic_int_get(&j->take)))
			break;
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
	j->done = at;
}

static gpointer hash_all(gpointer data)
{
	hashjob *j = data;
#ifdef __linux__
	/* on Linux the nice value is the thread's own: the readers keep theirs
	 * (and a failure only leaves the job at the run's priority) */
	if (j->late)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
#endif
	unsigned char *b = xmalloc(HASH_CHUNK);
	hash_from(j, b, true);
	free(b);
	return NULL;
}

hashjob *hashjob_start(int fd, int64_t total, bool late)
{
	hashjob *j = xmalloc(sizeof *j);
	*j = (hashjob){.fd = fd, .total = total, .late = late};
	digest_init(&j->sum);
	j->th = g_thread_new("mql-sha256", hash_all, j);
	return j;
}

bool hashjob_finish(hashjob *j, char hex[65], int *err)
{
	/* a late job may be far behind, at a priority that gets it nowhere on
	 * a busy machine: this thread hashes what it has not */
	if (j->late)
		g_atomic_int_set(&j->take, 1);
	g_thread_join(j->th);
	j->th = NULL;
	if (j->done < j->total && !j->changed && !j->err) {
		unsigned char *b = xmalloc(HASH_CHUNK);
		hash_from(j, b, false);
		free(b);
	}
	/* made shorter after the last read: the size says */
	struct stat sb;
	if (j->done == j->total && fstat(j->fd, &sb) == 0 && (int64_t)sb.st_size < j->total)
		j->changed = true;
	digest_final(&j->sum, hex);
	bool whole = j->done == j->total && !j->changed;
	*err = j->err;
	free(j);
	return whole;
}

void hashjob_cancel(hashjob *j)
{
	if (!j)
		return;
	g_atomic_int_set(&j->stop, 1);
	g_thread_join(j->th);
	char unused[65];
	digest_final(&j->sum, unused); /* frees its state */
	free(j);
}

void file_changed_error(mq_err *err, const char *name, int64_t total, int64_t now)
{
	mq_err_set(err, MQ_DATAERR,
		   "%s: the file changed while it was read (%lld bytes when opened, %lld at the "
		   "end%s): is something still writing it? run again once it is complete",
		   name, (long long)total, (long long)now,
		   now == total ? ", and modified since" : "");
}

/* A digest left running past its file's reading. */
struct late_digest {
	hashjob *job;
	int fd, src;
	filestamp stamp;
	char *name;
	struct late_digest *next;
};

void late_digest_keep(dataset *ds, int src, hashjob *job, int fd, const filestamp *stamp,
		      const char *name)
{
	struct late_digest *d = xmalloc(sizeof *d);
	*d = (struct late_digest){job, fd, src, *stamp, xstrdup(name), NULL};
	struct late_digest **at = &ds->late; /* in the order the files were read */
	while (*at)
		at = &(*at)->next;
	*at = d;
}

static void late_free(struct late_digest *d)
{
	close(d->fd);
	free(d->name);
	free(d);
}

void late_digests_drop(dataset *ds)
{
	while (ds->late) {
		struct late_digest *d = ds->late;
		ds->late = d->next;
		hashjob_cancel(d->job);
		late_free(d);
	}
}

int ingest_digests_finish(dataset *ds, mq_err *err)
{
	int rc = 0;
	while (ds && ds->late) {
		struct late_digest *d = ds->late;
		ds->late = d->next;
		char *hex = ds->src[d->src].sha256;
		int e = 0;
		bool whole = hashjob_finish(d->job, hex, &e);
		filestamp now = {.size = -1};
		bool same = filestamp_same(d->fd, &d->stamp, &now);
		if (e || !whole || !same) {
			hex[0] = '\0'; /* no digest is shown for a file that moved */
			if (rc == 0 && e)
				mq_err_set(err, MQ_NOINPUT, "%s: %s", d->name, strerror(e));
			else if (rc == 0)
				file_changed_error(err, d->name, d->stamp.size, now.size);
			rc = -1;
		}
		late_free(d);
	}
	return rc;
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
	e->job = hashjob_start(fd, e->stamp.size, cfg->late_digests);
	return true;
}

void early_close(early_file *e)
{
	hashjob_cancel(e->job);
	if (e->fd >= 0)
		close(e->fd);
	free(e->path);
	*e = (early_file){.fd = -1};
}
