/* load_hash.c — a large file's SHA-256 on a thread of its own, beside the
 * readers rather than in their way: read again from the page cache through
 * mappings (no copy: a copy cost a third of the hashing), and, for the
 * events file, begun before its turn, while the leads are read and indexed
 * and a core would otherwise wait (load.c). It must not parse the bytes or
 * know the sources. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"
#include "loader.h"
#include "locate.h"

/* The mappings: one window of the file at a time, so that the pages
 * mapped never count for much in the process's resident size. */
#define HASH_WINDOW ((int64_t)32 << 20)
/* The reads where a window cannot be mapped: small enough that what was
 * just copied is still in the core's cache when it is hashed. */
#define HASH_CHUNK (256u << 10)

/* A file made shorter while it is mapped: touching a page past its new end
 * raises SIGBUS in the thread that touches it. Only the digest's thread
 * touches mapped file pages, and while it does a SIGBUS ends its hashing
 * (the file changed: an error, not a crash). Any other SIGBUS keeps the
 * default action: the handler restores it and the fault happens again. */
static _Thread_local sigjmp_buf *volatile bus_catch;

static void on_sigbus(int sig)
{
	if (bus_catch)
		siglongjmp(*bus_catch, 1);
	signal(sig, SIG_DFL);
}

/* Set at each start rather than once: whatever took SIGBUS meanwhile (a
 * test harness) gives it back to the digest while it runs. */
static void catch_sigbus(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/* One window into the digest; false when the file ended inside it. */
static bool hash_window(hashjob *j, const void *map, size_t n)
{
	sigjmp_buf env;
	if (sigsetjmp(env, 1)) {
		bus_catch = NULL;
		return false;
	}
	bus_catch = &env;
	digest_update(&j->sum, map, n);
	bus_catch = NULL;
	return true;
}

/* [at, total) through mappings; returns where it stopped: before total
 * when a window could not be mapped, when the file turned out shorter
 * (j->changed), or when told to stop. */
static int64_t hash_mapped(hashjob *j, int64_t at)
{
	while (at < j->total && !g_atomic_int_get(&j->stop)) {
		size_t n = (size_t)(j->total - at < HASH_WINDOW ? j->total - at : HASH_WINDOW);
		void *map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, j->fd, (off_t)at);
		if (map == MAP_FAILED)
			break;
		madvise(map, n, MADV_SEQUENTIAL);
		bool whole = hash_window(j, map, n);
		munmap(map, n);
		if (!whole) {
			j->changed = true;
			break;
		}
		at += (int64_t)n;
	}
	return at;
}

static gpointer hash_all(gpointer data)
{
	hashjob *j = data;
	int64_t at = hash_mapped(j, 0);
	unsigned char *b = j->changed ? NULL : xmalloc(HASH_CHUNK);
	while (b && at < j->total && !g_atomic_int_get(&j->stop)) {
		size_t n = (size_t)(j->total - at < HASH_CHUNK ? j->total - at : HASH_CHUNK);
		ssize_t k = loader_pread(j->fd, b, n, at);
		if (k <= 0) {
			j->changed = k == 0; /* the file ends before its size when opened */
			break;
		}
		digest_update(&j->sum, b, (size_t)k);
		at += k;
	}
	free(b);
	j->done = at;
	return NULL;
}

void hashjob_start(hashjob *j, int fd, int64_t total)
{
	catch_sigbus();
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
	    !loader_wants_parts(cfg, src, (int64_t)sb.st_size)) {
		if (fd >= 0)
			close(fd);
		free(found);
		return false;
	}
	e->path = found;
	e->fd = fd;
	e->total = (int64_t)sb.st_size;
	hashjob_start(&e->job, fd, e->total);
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
