/* run.c — one generation run: create the folder, open the four files
 * atomically, write the headers, generate the spend and then every lead with
 * the bad rows due after it, drain the time-ordered events, and commit the
 * files (all four appear, or none is replaced). A stop signal (SIGTERM,
 * SIGINT, SIGHUP) ends it between leads or weeks, the files uncommitted.
 *
 * This file orders the parts and owns the files; it must not simulate or
 * format anything itself. */
#include "gen_run.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "stop.h"

/* Create dir and open the four files with their headers. Returns 0, or -1
 * with err. */
static int outputs_open(gen *g, const char *dir, mq_err *err)
{
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot create the folder: %s", dir,
			   strerror(errno));
		return -1;
	}
	/* an export of the same name is someone's data: kept, unless told */
	for (int s = 0; s < SRC_COUNT && !g->force; s++) {
		char name[96];
		gen_vendor_file(g, s, name, sizeof name);
		char *path = g_build_filename(dir, name, NULL);
		bool there = g_file_test(path, G_FILE_TEST_EXISTS);
		if (there)
			mq_err_set(err, MQ_CANTCREAT,
				   "%s exists, and gen does not replace it: give another --out, or "
				   "--force to replace the files",
				   path);
		g_free(path);
		if (there)
			return -1;
	}
	for (int s = 0; s < SRC_COUNT; s++) {
		char name[96];
		gen_vendor_file(g, s, name, sizeof name);
		char *path = g_build_filename(dir, name, NULL);
		g->out[s].af = afile_open(path, err);
		g_free(path);
		if (!g->out[s].af)
			return -1;
		g->out[s].fp = afile_stream(g->out[s].af);
		g->out[s].buf = xmalloc(OBUF_CAP);
		g->out[s].id_style = g->id_style;
		g->out[s].ts_style = gen_vendor_ts_style(g->vendor, s);
		g->out[s].type_names = gen_vendor_types(g->vendor, s);
		gen_vendor_preamble(g, &g->out[s], s);
		ob_puts(&g->out[s], gen_vendor_header(g->vendor, s));
	}
	return 0;
}

/* Flush every file, then commit them all. Returns 0, or -1 with err. */
static int outputs_commit(gen *g, const char *dir, mq_err *err)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		gen_vendor_footer(g, &g->out[s], s);
		ob_flush(&g->out[s]);
		if (g->out[s].failed) {
			char name[96];
			gen_vendor_file(g, s, name, sizeof name);
			char *path = g_build_filename(dir, name, NULL);
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", path,
				   strerror(errno));
			g_free(path);
			return -1;
		}
	}
	int rc = 0;
	for (int s = 0; s < SRC_COUNT; s++) {
		if (afile_commit(g->out[s].af, err) != 0)
			rc = -1;
		g->out[s].af = NULL;
	}
	return rc;
}

/* Remove what was not committed and release the buffers. */
static void outputs_close(gen *g)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		afile_abort(g->out[s].af);
		g->out[s].af = NULL;
		free(g->out[s].buf);
		g->out[s].buf = NULL;
	}
}

/* The spend, then each lead followed by the bad rows due after it. Returns
 * false when a stop signal came first (the leads after it not written). */
static bool generate(gen *g)
{
	bad_plan *lead_bad = gen_bad_plan_new(g, false);
	bad_plan *spend_bad = gen_bad_plan_new(g, true);
	gen_spend(g, spend_bad);
	bool whole = true;
	for (uint64_t num = 1; num <= g->nleads && whole; num++) {
		gen_lead(g, num);
		gen_bad_after_lead(g, lead_bad, num);
		whole = mq_stop_signal() == 0;
	}
	gen_bad_plan_free(lead_bad);
	gen_bad_plan_free(spend_bad);
	return whole;
}

/* The error of a run stopped by a signal while writing into dir. */
static void stopped(mq_err *err, const char *dir)
{
	int sig = mq_stop_signal();
	mq_err_set(err, mq_stop_status(sig),
		   "stopped by %s while writing %s: no file there was written or replaced, and "
		   "the unfinished ones were removed",
		   mq_stop_name(sig), dir);
}

int gen_run(gen *g, const char *dir, mq_err *err)
{
	int rc = -1;
	if (outputs_open(g, dir, err) != 0)
		goto done;
	gen_arrivals_init(g);
	if (g->time_order && gen_buckets_open(g, dir, err) != 0)
		goto done;
	if (!generate(g)) {
		stopped(err, dir);
		goto done;
	}
	if (g->time_order) {
		gen_buckets_drain(g);
		if (mq_stop_signal()) {
			stopped(err, dir);
			goto done;
		}
		if (g->bucket_failed) {
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot use a temporary file: %s", dir,
				   strerror(errno));
			goto done;
		}
	}
	rc = outputs_commit(g, dir, err);
done:
	outputs_close(g);
	gen_buckets_close(g);
	return rc;
}

void gen_free(gen *g)
{
	free(g->hour_cum);
	free(g->ev);
	free(g->scratch);
	free(g->last_opp_row);
}
