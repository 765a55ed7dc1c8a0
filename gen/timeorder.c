/* timeorder.c — events.csv in time order (--events-order time) or in a
 * seeded random order (--events-order random): an external sort through
 * one temporary file per week (per slice of the shuffle's keys).
 *
 * While the leads are simulated, each event goes to its week's file in the
 * output folder (unlinked at once, so nothing is left behind); at the end
 * the weeks are read back one at a time, sorted in memory and written, so
 * memory holds one week's events whatever --leads is. Ties go by lead
 * number, then the lead's own order. This file must not decide what an event
 * is (the simulation does) nor format a row (rows.c does). */
#include "gen_run.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stop.h"

/* An event waiting in a week's bucket (time order). Its strings point into
 * the model's static tables, valid for the process. */
typedef struct evrec {
	gev e;
	uint64_t num;	 /* the lead's number */
	int32_t off_min; /* the lead's offset, for TF_OFF */
	uint64_t key;	 /* random order: the shuffle's key; time order: 0 */
} evrec;

/* The shuffle's key of event `seq` of lead `num`: a seeded mix, so the same
 * seed gives the same order. */
static uint64_t shuffle_key(uint64_t seed, uint64_t num, uint32_t seq)
{
	uint64_t x = seed ^ (num * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)seq << 40);
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* Open the buckets: one per week from 5 weeks before the start (the earliest
 * anonymous visit is 30 days before its lead) to the end. The files live in
 * dir and are unlinked at once. Returns 0, or -1 with err. */
int gen_buckets_open(gen *g, const char *dir, mq_err *err)
{
	g->bucket0 = g->start - 5 * MS_PER_WEEK;
	g->nbuckets = (size_t)((g->end - g->bucket0) / MS_PER_WEEK);
	g->bucket = xcalloc(g->nbuckets, sizeof *g->bucket);
	for (size_t b = 0; b < g->nbuckets; b++) {
		char *path = g_build_filename(dir, ".events-week.XXXXXX", NULL);
		int fd = mkstemp(path);
		if (fd >= 0) {
			unlink(path);
			g->bucket[b] = fdopen(fd, "w+b");
			if (!g->bucket[b])
				close(fd);
		}
		if (!g->bucket[b]) {
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot create a temporary file: %s", dir,
				   strerror(errno));
			g_free(path);
			return -1;
		}
		g_free(path);
	}
	return 0;
}

void gen_buckets_close(gen *g)
{
	for (size_t b = 0; b < g->nbuckets; b++)
		if (g->bucket[b])
			fclose(g->bucket[b]);
	free(g->bucket);
	g->bucket = NULL;
	g->nbuckets = 0;
}

void gen_bucket_put(gen *g, uint64_t num, const gev *e, int off_min)
{
	uint64_t key = g->random_order ? shuffle_key(g->seed, num, e->seq) : 0;
	int64_t b =
	    g->random_order ? (int64_t)(key % g->nbuckets) : (e->at - g->bucket0) / MS_PER_WEEK;
	if (b < 0)
		b = 0;
	if ((size_t)b >= g->nbuckets)
		b = (int64_t)g->nbuckets - 1;
	evrec r = {.e = *e, .num = num, .off_min = off_min, .key = key};
	if (fwrite(&r, sizeof r, 1, g->bucket[b]) != 1)
		g->bucket_failed = true;
}

static int evrec_cmp(const void *a, const void *b)
{
	const evrec *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->e.at != y->e.at)
		return x->e.at < y->e.at ? -1 : 1;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return (x->e.seq > y->e.seq) - (x->e.seq < y->e.seq);
}

/* Write the buckets' events in time order (lead, then the lead's own order,
 * on ties). One week's events are in memory at a time. A stop signal ends
 * it between weeks (the caller sees mq_stop_signal()). */
void gen_buckets_drain(gen *g)
{
	evrec *recs = NULL;
	size_t cap = 0;
	for (size_t b = 0; b < g->nbuckets && !g->bucket_failed && !mq_stop_signal(); b++) {
		FILE *f = g->bucket[b];
		long size = ftell(f);
		if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
			g->bucket_failed = true;
			break;
		}
		size_t n = (size_t)size / sizeof *recs;
		if (n == 0)
			continue;
		VEC_RESERVE(recs, cap, n);
		if (fread(recs, sizeof *recs, n, f) != n) {
			g->bucket_failed = true;
			break;
		}
		qsort(recs, n, sizeof *recs, evrec_cmp);
		for (size_t i = 0; i < n; i++)
			gen_write_event(&g->out[SRC_EVENTS], recs[i].num, &recs[i].e,
					recs[i].off_min, NULL);
	}
	free(recs);
}
