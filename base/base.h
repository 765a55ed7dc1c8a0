/* base.h — the few things every stage shares: instants, errors, exit
 * statuses, allocation that aborts on exhaustion, growable arrays, numbers
 * grouped for display.
 *
 * It sits in base/, below every stage, and includes nothing of the project. */
#ifndef MQL_BASE_H
#define MQL_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A UTC instant in milliseconds since 1970-01-01T00:00:00Z. */
typedef int64_t ts_ms;
#define TS_NONE	    INT64_MIN /* an empty timestamp */
#define MS_PER_DAY  86400000LL
#define MS_PER_WEEK (7 * MS_PER_DAY)

/* Exit statuses of SPEC §7 (the sysexits.h values). */
enum mq_status {
	MQ_OK = 0,
	MQ_USAGE = 64,
	MQ_DATAERR = 65,
	MQ_NOINPUT = 66,
	MQ_UNAVAILABLE = 69,
	MQ_SOFTWARE = 70,
	MQ_CANTCREAT = 73,
	MQ_LOCKED = 75,
	MQ_CONFIG = 78,
};

/* What an exit status means, in a few words ("bad data"); "stopped by a
 * signal" for 128 + a signal's number (stop.h); "error" for any other
 * value that is not one of enum mq_status. Static storage. */
const char *mq_strerror(int status);

/* Every exit status with its meaning, as one sentence for --help and the
 * documentation: "0 success, 64 usage error, …, 78 bad configuration; a
 * run stopped by SIGTERM, …" (the statuses of stop.h). Static storage. */
const char *mq_status_summary(void);

/* An error with the exit status it maps to and a message that says where:
 * `leads.csv:42: column "created_at": cannot parse "31/02/2026" as a timestamp`.
 * The first error set wins; later calls do not overwrite it. A message
 * longer than msg holds (several failed checks, each with its advice)
 * ends in "…", cut where a character starts, never silently. */
typedef struct mq_err {
	int status; /* enum mq_status; MQ_OK while no error is set */
	char msg[4096];
} mq_err;

void mq_err_set(mq_err *e, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static inline bool mq_failed(const mq_err *e)
{
	return e && e->status != MQ_OK;
}

/* Create folder dir and its parents (0755). Returns 0, or -1 with err
 * (MQ_CANTCREAT) naming dir and, when a part of the path is a file, that
 * file: "out/2026-W47: cannot create the folder: out is a file, not a folder". */
int mq_mkdirs(const char *dir, mq_err *err);

/* The folder that holds path, trailing slashes of path dropped first
 * ("out/2026-W47/" → "out"); with base, *base gets path's last part
 * ("2026-W47"). Both owned by the caller (free). */
char *mq_path_parent(const char *path, char **base);

/* The name of the user whose id is uid ("root"), or "user 1001" when the
 * system knows none; for a message about a file of another user's. Caller
 * frees (g_free). */
char *mq_user_name(unsigned uid);

/* d with `decimals` decimals (0 to 15), into buf (n bytes), rounded as a
 * spreadsheet shows it under a number format: from d's 15 significant
 * digits, a half away from zero ("6.3" for 6.25, "2.68" for 2.675, whose
 * double is a hair under it), so that the PDF and the e-mail say what the
 * workbook's cells show. A value that rounds to zero has no sign. */
void mq_fixed(double d, int decimals, char *buf, size_t n);

/* d as mq_fixed() writes it, its thousands grouped: "62,397", "-1,234.50". */
void mq_grouped(double d, int decimals, char *buf, size_t n);

/* The edit distance of a and b (insert, delete, replace: 1 each), for the
 * "did you mean" of a misspelt name. */
size_t mq_edit_distance(const char *a, const char *b);

/* Allocation that never returns NULL: out of memory aborts with a message. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Zeroed memory for a large table probed at random: `bytes` rounded up to
 * 2 MiB, aligned to it and asked of the kernel on huge pages where it
 * gives them, so that a probe costs one TLB miss less (the lead index and
 * the string pool's table: 10 to 40% of their probes' time). Returns the
 * rounded size in *got; free with xhuge_free(p, *got). */
void *xhuge_calloc(size_t bytes, size_t *got);
void xhuge_free(void *p, size_t got);
/* Bring the pages of [p, p + n) into memory, writable, with one call to
 * the kernel rather than one fault each as they are first written: on a
 * virtual machine a fault's entry and exit cost more than zeroing the page
 * (docs/ingest.md, Speed). The range is widened to whole pages; bytes
 * already written stay. Where the kernel cannot (before Linux 5.14, or
 * out of memory) nothing happens and the pages fault as before. */
void mem_prefault(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* snprintf() into buf[n] (n > 0) that never splits a UTF-8 character: a
 * text that does not fit is cut after a whole character and ends with "…"
 * (cairo, pango and the workbook refuse a split character). */
void mq_textf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Grow *items (of *cap elements of size `size`) so that it holds at least
 * `need` elements; doubles the capacity. */
void grow_array(void **items, size_t *cap, size_t need, size_t size);
#define VEC_RESERVE(arr, cap, need) grow_array((void **)&(arr), &(cap), (need), sizeof *(arr))

/* A list of (key, count) pairs in first-seen order; keys are owned. A hash
 * index beside the list (GLib's, built from the 16th key) makes adding and
 * looking up a key constant time; zero-initialised is empty, and a kvcounts
 * is not copied by assignment (the index points into its own items). */
typedef struct kvcount {
	char *key;
	int64_t n;
} kvcount;
typedef struct kvcounts {
	kvcount *items;
	size_t len, cap;
	struct _GHashTable *index; /* key (borrowed from items) → position */
} kvcounts;
void kvcounts_add(kvcounts *c, const char *key, int64_t n);
/* Add every count of `from` to c, in from's order. */
void kvcounts_add_all(kvcounts *c, const kvcounts *from);
int64_t kvcounts_get(const kvcounts *c, const char *key);
void kvcounts_clear(kvcounts *c);

#endif
