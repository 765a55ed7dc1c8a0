/* base.c — errors and their exit statuses, allocation that aborts on
 * exhaustion, growable arrays, a small counter list and numbers grouped
 * for display.
 *
 * Knows nothing of CSV, metrics or outputs: every stage links it. */
#include "base.h"
#include "stop.h"

#include <errno.h>
#include <glib.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const struct {
	int status;
	const char *text;
} status_texts[] = {
    {MQ_OK, "success"},
    {MQ_USAGE, "usage error"},
    {MQ_DATAERR, "bad data"},
    {MQ_NOINPUT, "missing input"},
    {MQ_UNAVAILABLE, "a fetch or e-mail server failed"},
    {MQ_SOFTWARE, "internal error"},
    {MQ_CANTCREAT, "cannot write output"},
    {MQ_LOCKED, "another run holds the lock"},
    {MQ_CONFIG, "bad configuration"},
};
#define NSTATUS (sizeof status_texts / sizeof status_texts[0])

const char *mq_strerror(int status)
{
	for (size_t i = 0; i < NSTATUS; i++)
		if (status_texts[i].status == status)
			return status_texts[i].text;
	if (mq_stop_is_status(status)) /* 128 + a signal's number */
		return "stopped by a signal";
	return "error";
}

const char *mq_status_summary(void)
{
	static char line[512];
	if (!line[0]) {
		size_t n = 0;
		for (size_t i = 0; i < NSTATUS; i++)
			n += (size_t)snprintf(line + n, sizeof line - n, "%s%d %s", i ? ", " : "",
					      status_texts[i].status, status_texts[i].text);
		snprintf(line + n, sizeof line - n,
			 "; a run stopped by SIGTERM, SIGINT or SIGHUP ends by that signal once "
			 "it has cleaned up (a shell shows 143, 130, 129).");
	}
	return line;
}

void mq_err_set(mq_err *e, int status, const char *fmt, ...)
{
	if (!e || e->status != MQ_OK)
		return;
	e->status = status;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= sizeof e->msg) {
		/* "…" (3 bytes) where the last whole character fits before it */
		size_t at = sizeof e->msg - 4;
		while (at > 0 && ((unsigned char)e->msg[at] & 0xC0) == 0x80)
			at--;
		memcpy(e->msg + at, "\xE2\x80\xA6", 4);
	}
}

static void oom(size_t n)
{
	fprintf(stderr, "mqlreport: out of memory (asked for %zu bytes)\n", n);
	abort();
}

char *mq_path_parent(const char *path, char **base)
{
	char *trimmed = xstrdup(path);
	size_t n = strlen(trimmed);
	while (n > 1 && trimmed[n - 1] == '/')
		trimmed[--n] = '\0';
	char *p = g_path_get_dirname(trimmed);
	char *parent = xstrdup(p);
	g_free(p);
	if (base) {
		char *b = g_path_get_basename(trimmed);
		*base = xstrdup(b);
		g_free(b);
	}
	free(trimmed);
	return parent;
}

int mq_mkdirs(const char *dir, mq_err *err)
{
	if (g_mkdir_with_parents(dir, 0755) == 0)
		return 0;
	int e = errno;
	/* the part of the path that stands in the way, when it is a file */
	char *part = g_strdup(dir);
	while (strcmp(part, ".") && strcmp(part, "/") && !g_file_test(part, G_FILE_TEST_EXISTS)) {
		char *up = g_path_get_dirname(part);
		g_free(part);
		part = up;
	}
	if (g_file_test(part, G_FILE_TEST_EXISTS) && !g_file_test(part, G_FILE_TEST_IS_DIR) &&
	    !strcmp(part, dir))
		mq_err_set(err, MQ_CANTCREAT, "%s: is a file, not a folder", dir);
	else if (g_file_test(part, G_FILE_TEST_EXISTS) && !g_file_test(part, G_FILE_TEST_IS_DIR))
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: cannot create the folder: %s is a file, not a folder", dir, part);
	else
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot create the folder: %s", dir, strerror(e));
	g_free(part);
	return -1;
}

size_t mq_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xmalloc((lb + 1) * sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

#define HUGE_PAGE ((size_t)2 << 20)
/* From this size on, a block is asked on huge pages. */
#define HUGE_BLOCK_MIN ((size_t)4 << 20)

/* [p, p + n) widened to whole pages: [*from, *to). */
static inline void page_span(const void *p, size_t n, uintptr_t *from, uintptr_t *to)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	*from = (uintptr_t)p & ~(page - 1);
	*to = ((uintptr_t)p + n + page - 1) & ~(page - 1);
}

/* The first touch of a small page of fresh memory costs a fault, and on a
 * virtual machine a fault costs more than zeroing the page: the leads and
 * the other large arrays were a quarter of a run's faults. A large block
 * (a mapping of its own: M_MMAP_THRESHOLD, cli.c) gets huge pages where
 * the kernel has them, one fault per 2 MiB; pages already touched stay as
 * they are, and a block that moves as it grows keeps the advice. */
static void huge_advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	if (n < HUGE_BLOCK_MIN)
		return;
	/* the block's whole mapping, its header's page included: advice on
	 * part of it would split it in several, which realloc() could then
	 * neither grow in place nor move without a copy */
	uintptr_t from, to;
	page_span(p, n, &from, &to);
	madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	huge_advise(p, n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	huge_advise(p, n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	huge_advise(q, n);
	return q;
}

void *xhuge_calloc(size_t bytes, size_t *got)
{
	size_t n = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	char *m =
	    mmap(NULL, n + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		oom(n);
	/* the aligned n bytes stay mapped; the head and the tail go back */
	char *t = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (t > m)
		munmap(m, (size_t)(t - m));
	munmap(t + n, (size_t)(m + HUGE_PAGE - t)); /* at least one page: t < m + HUGE_PAGE */
#ifdef MADV_HUGEPAGE
	madvise(t, n, MADV_HUGEPAGE);
#endif
	*got = n;
	return t;
}

void xhuge_free(void *p, size_t got)
{
	if (p)
		munmap(p, got);
}

void mem_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	if (!n)
		return;
	uintptr_t from, to;
	page_span(p, n, &from, &to);
	(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void mq_textf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k < n)
		return;
	static const char ellipsis[] = "\xE2\x80\xA6";
	size_t room = sizeof ellipsis; /* the ellipsis and the NUL */
	size_t end = n >= room ? n - room : 0;
	while (end > 0 && ((unsigned char)buf[end] & 0xC0) == 0x80)
		end--; /* back to the first byte of a character */
	if (n >= room)
		memcpy(buf + end, ellipsis, sizeof ellipsis);
	else
		buf[end] = '\0';
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(0);
	char *p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void grow_array(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	*items = xrealloc(*items, n * size);
	*cap = n;
}

/* Below this many keys a scan is as fast as hashing. */
#define KV_INDEX_MIN 16

static kvcount *kvcounts_find(const kvcounts *c, const char *key)
{
	if (c->index) {
		gpointer pos;
		if (!g_hash_table_lookup_extended(c->index, key, NULL, &pos))
			return NULL;
		return &c->items[GPOINTER_TO_SIZE(pos)];
	}
	for (size_t i = 0; i < c->len; i++)
		if (strcmp(c->items[i].key, key) == 0)
			return &c->items[i];
	return NULL;
}

void kvcounts_add(kvcounts *c, const char *key, int64_t n)
{
	kvcount *kv = kvcounts_find(c, key);
	if (kv) {
		kv->n += n;
		return;
	}
	VEC_RESERVE(c->items, c->cap, c->len + 1);
	c->items[c->len] = (kvcount){.key = xstrdup(key), .n = n};
	c->len++;
	if (c->index) {
		g_hash_table_insert(c->index, c->items[c->len - 1].key,
				    GSIZE_TO_POINTER(c->len - 1));
	} else if (c->len == KV_INDEX_MIN) {
		c->index = g_hash_table_new(g_str_hash, g_str_equal);
		for (size_t i = 0; i < c->len; i++)
			g_hash_table_insert(c->index, c->items[i].key, GSIZE_TO_POINTER(i));
	}
}

int64_t kvcounts_get(const kvcounts *c, const char *key)
{
	const kvcount *kv = kvcounts_find(c, key);
	return kv ? kv->n : 0;
}

void kvcounts_add_all(kvcounts *c, const kvcounts *from)
{
	for (size_t i = 0; i < from->len; i++)
		kvcounts_add(c, from->items[i].key, from->items[i].n);
}

void kvcounts_clear(kvcounts *c)
{
	for (size_t i = 0; i < c->len; i++)
		free(c->items[i].key);
	free(c->items);
	if (c->index)
		g_hash_table_destroy(c->index);
	*c = (kvcounts){0};
}

void mq_fixed(double d, int decimals, char *buf, size_t n)
{
	if (!isfinite(d)) {
		snprintf(buf, n, "%f", d);
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 15)
		decimals = 15;
	/* d's 15 significant digits and their place: "6.25000000000000e+00" */
	char e[32];
	snprintf(e, sizeof e, "%.14e", fabs(d));
	int exp10 = atoi(strchr(e, 'e') + 1);
	char dig[16];
	dig[0] = e[0];
	memcpy(dig + 1, e + 2, 14);
	/* the digits kept: those above 10^-decimals; a leading slot for a carry */
	int keep = exp10 + 1 + decimals; /* digits of dig[] before the cut */
	char out[400];
	int len = exp10 + 1 > 1 ? exp10 + 1 : 1; /* integer digits */
	int total = len + decimals;
	char num[400]; /* num[0] is the carry's slot, then total digits */
	memset(num, '0', (size_t)total + 1);
	for (int i = 0; i < 15; i++) {
		int at = (len - 1 - exp10) + i; /* dig[i]'s place among the total */
		if (at >= 0 && at < total)
			num[1 + at] = dig[i];
	}
	if (keep >= 0 && keep < 15 && dig[keep] >= '5') /* half away from zero */
		for (int at = total; at >= 0; at--) {
			if (num[at] < '9') {
				num[at]++;
				break;
			}
			num[at] = '0';
		}
	const char *digits = num[0] == '0' ? num + 1 : num;
	int ilen = num[0] == '0' ? len : len + 1;
	bool zero = strspn(digits, "0") == (size_t)(ilen + decimals);
	int o = 0;
	if (d < 0 && !zero)
		out[o++] = '-';
	memcpy(out + o, digits, (size_t)ilen);
	o += ilen;
	if (decimals) {
		out[o++] = '.';
		memcpy(out + o, digits + ilen, (size_t)decimals);
		o += decimals;
	}
	out[o] = '\0';
	snprintf(buf, n, "%s", out);
}

void mq_grouped(double d, int decimals, char *buf, size_t n)
{
	char raw[400];
	mq_fixed(fabs(d), decimals, raw, sizeof raw);
	char *dot = strchr(raw, '.');
	size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
	char out[sizeof raw * 4 / 3 + 2]; /* a comma per three digits, the sign */
	size_t o = 0;
	/* a value that rounds to zero loses its sign */
	bool neg = d < 0 && strspn(raw, "0.") != strlen(raw);
	if (neg)
		out[o++] = '-';
	for (size_t i = 0; i < ilen; i++) {
		if (i && (ilen - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	if (dot) {
		size_t rest = strlen(dot);
		memcpy(out + o, dot, rest);
		o += rest;
	}
	out[o] = '\0';
	snprintf(buf, n, "%s", out);
}

char *mq_user_name(unsigned uid)
{
	struct passwd *pw = getpwuid((uid_t)uid);
	return pw ? g_strdup(pw->pw_name) : g_strdup_printf("user %u", uid);
}
