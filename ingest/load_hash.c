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

/* A file made shorter while it is mapped: touching a page wholly past its
 * new end raises SIGBUS in the thread that touches it. Only the digest's
 * thread touches mapped file pages; a fault inside the window it is
 * hashing ends that window (the file changed: an error, not a crash).
 * Any other SIGBUS goes to whatever handled it before: the handler puts
 * that back, and the fault happens again (or, sent by kill, is raised
 * again). The bytes of the last page past a new end read as zeros without
 * a fault: the file's size, checked after the last window, tells those. */
typedef struct bus_window {
	sigjmp_buf env;
	const char *from, *to;
} bus_window;
static _Thread_local bus_window *volatile bus_catch;
static struct sigaction bus_before; /* the handler before ours */

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	bus_window *w = bus_catch;
	if (w && si->si_code > 0 && (const char *)si->si_addr >= w->from &&
	    (const char *)si->si_addr < w->to)
		siglongjmp(w->env, 1);
	sigaction(sig, &bus_before, NULL);
	if (si->si_code <= 0)
		raise(sig); /* sent, not a fault: delivered once this returns */
}

/* Ours from the first start on; put back at a later start when something
 * else (a test harness) took SIGBUS meanwhile. */
static void catch_sigbus(void)
{
	static GMutex lock;
	g_mutex_lock(&lock);
	struct sigaction now;
	if (sigaction(SIGBUS, NULL, &now) == 0 && now.sa_sigaction != on_sigbus) {
		struct sigaction sa = {0};
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGBUS, &sa, &bus_before) != 0)
			bus_before = now;
	}
	g_mutex_unlock(&lock);
}

/* One window into the digest; false when the file ended inside it. */
static bool hash_window(hashjob *j, const char *map, size_t n)
{
	bus_window w = {.from = map, .to = map + n};
	if (sigsetjmp(w.env, 1)) {
		bus_catch = NULL;
		return false;
	}
	bus_catch = &w;
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
	/* a new end inside the last page hashed reads as zeros: the size says */
	struct stat sb;
	if (at == j->total && fstat(j->fd, &sb) == 0 && (int64_t)sb.st_size < j->total)
		j->changed = true;
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
