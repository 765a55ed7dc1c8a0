/* load_cmd.c — `mqlreport load`: read the sources exactly as `run` does
 * and write their accepted rows into the ClickHouse tables of [engine]
 * (with --engine embedded, as a script passes to each command: nothing);
 * and the engine side of `run`/`check` (ctx_load_engine): the data set
 * read back from the engine, with what the manifest says about it.
 *
 * It must not parse a source nor compute a metric: ingest/ reads, engine/
 * writes and reads, metrics/ computes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch.h"
#include "clock.h"
#include "commands.h"
#include "eload.h"
#include "manifest.h"

/* What the engine needs before anything is read: its address, and the
 * credentials' variables that [engine] names set (an unset one would
 * connect as ClickHouse's default user, or fail as a wrong password). */
static int need_engine(const run_ctx *ctx, mq_err *err)
{
	const engine_cfg *e = &ctx->cfg.engine;
	const char *path = ctx->cfg.config_path;
	if (!e->url) {
		if (path)
			mq_err_set(err, MQ_CONFIG,
				   "%s: [engine] url is not set (the ClickHouse HTTP address, "
				   "docs/scale.md)",
				   path);
		else
			mq_err_set(
			    err, MQ_CONFIG,
			    "the ClickHouse engine needs a configuration file: --config FILE "
			    "with an [engine] group that sets url (docs/scale.md)");
		return -1;
	}
	const char *names[2] = {e->user_env, e->password_env};
	for (int k = 0; k < 2; k++)
		if (names[k] && !getenv(names[k])) {
			mq_err_set(err, MQ_CONFIG,
				   "%s: environment variable %s (named in [engine] %s) is not set",
				   path ? path : "configuration", names[k],
				   k ? "password_env" : "user_env");
			return -1;
		}
	return 0;
}

/* The unfinished attempts of a file removed, and any rows of them that
 * nodes missing from [engine] nodes still hold. */
static void say_swept(const run_ctx *ctx, int s, const eattempt_swept *w)
{
	if (w->attempts)
		fprintf(stderr,
			"mqlreport: %s: removed the rows of %lld unfinished earlier attempt%s of "
			"this file\n",
			source_name[s], w->attempts, w->attempts == 1 ? "" : "s");
	if (w->rows_left)
		fprintf(stderr,
			"mqlreport: warning: %s: %lld rows of unfinished attempts are still on "
			"nodes that [engine] %s does not list; no run reads them, and the next "
			"load of this file with every node listed removes them (docs/scale.md)\n",
			source_name[s], w->rows_left, ctx->cfg.engine.nodes ? "nodes" : "url");
}

static void say_loaded(const run_ctx *ctx, const eload_result *r, size_t n, double secs)
{
	for (size_t i = 0; i < n; i++) {
		const eload_file *f = &r[i].file;
		const char *src = source_name[f->source];
		if (r[i].by_another)
			fprintf(stderr,
				"mqlreport: %s: %s was loaded by another load meanwhile (sha256 "
				"%.12s…): this one's rows removed\n",
				src, f->location, f->sha256);
		else if (r[i].skipped)
			fprintf(stderr,
				"mqlreport: %s: %s already loaded (sha256 %.12s…): nothing to do\n",
				src, f->location, f->sha256);
		else
			fprintf(stderr,
				"mqlreport: %s: %lld rows loaded from %s, %lld rejected rows kept "
				"for rejects.csv (attempt %s%s)\n",
				src, r[i].rows, f->location, (long long)f->rows_rejected,
				r[i].attempt, r[i].attempts > 1 ? ", after a retry" : "");
		say_swept(ctx, f->source, &r[i].swept);
	}
	long long in, out;
	ch_traffic(&in, &out);
	fprintf(stderr, "mqlreport: load into %s in %.2f s (%lld bytes sent)\n",
		ctx->cfg.engine.database, secs, out);
}

/* A file that ends inside a row was cut off: a warehouse keeps what it is
 * given, so nothing of the sources is loaded (a run would stop on it too,
 * in its source_truncated health check). */
static int refuse_cut_off(const run_ctx *ctx, mq_err *err)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *st = &ctx->ds->src[s];
		if (st->present && st->cut_row) {
			mq_err_set(err, MQ_DATAERR,
				   "%s: line %lu, the file's last, is cut off (a short row with no "
				   "line break after it): nothing loaded; fetch or export the file "
				   "again",
				   st->location, (unsigned long)st->cut_row);
			return -1;
		}
	}
	return 0;
}

int cmd_load(int argc, char **argv)
{
	run_ctx ctx;
	mq_err err = {0};
	double t0 = mq_mono_s();
	int rc = ctx_parse(&ctx, "load",
			   "read the sources as run does and load them into the ClickHouse "
			   "tables of [engine]",
			   NULL, &argc, &argv, &err);
	if (rc == 0 && argc > 1) {
		mq_err_set(&err, MQ_USAGE, "unexpected argument \"%s\" (try mqlreport load --help)",
			   argv[1]);
		rc = -1;
	}
	if (rc == 0 && ctx.engine_opt && ctx.cfg.engine.kind == ENGINE_EMBEDDED) {
		/* the options a script passes to run as well: that run reads the
		 * sources itself, so there is nothing to load */
		fprintf(stderr,
			"mqlreport: load: --engine embedded: nothing to load (a run with "
			"--engine embedded reads the sources itself); the ClickHouse tables "
			"were left as they were\n");
		ctx_free(&ctx);
		return MQ_OK;
	}
	if (rc == 0)
		rc = need_engine(&ctx, &err);
	if (rc == 0) {
		/* the sources, read by ingest exactly as an embedded run reads them */
		enum engine_kind kind = ctx.cfg.engine.kind;
		ctx.cfg.engine.kind = ENGINE_EMBEDDED;
		/* an event or opportunity of a lead that another load brings
		 * keeps that lead's id, and a run joins them */
		ctx.cfg.in.keep_orphan_ids = true;
		rc = ctx_load(&ctx, &err);
		ctx.cfg.engine.kind = kind;
		if (rc == 0)
			rc = refuse_cut_off(&ctx, &err);
	}
	eload_result *res = NULL;
	size_t nres = 0;
	if (rc == 0)
		rc = eload_run(&ctx.cfg.engine, ctx.ds, &res, &nres, &err);
	if (rc == 0)
		say_loaded(&ctx, res, nres, mq_mono_s() - t0);
	free(res);
	ctx_free(&ctx);
	if (rc > 0)
		return MQ_OK; /* --help */
	return mq_failed(&err) ? report_error(&err) : MQ_OK;
}

/* Loads made before the engine stored rejected rows counted them without
 * keeping them: say so rather than write a shorter rejects.csv silently. */
static void warn_rejects_missing(const dataset *ds)
{
	int64_t counted = 0;
	for (int s = 0; s < SRC_COUNT; s++)
		counted += ds->src[s].rows_rejected;
	if (counted > (int64_t)ds->nrejects)
		fprintf(
		    stderr,
		    "mqlreport: warning: the loads read count %lld rejected rows but the engine "
		    "holds %zu of them, so rejects.csv lists only those: files loaded before "
		    "rejected rows were stored come back with a load into a new database "
		    "(docs/scale.md)\n",
		    (long long)counted, ds->nrejects);
}

int ctx_load_engine(run_ctx *ctx, mq_err *err)
{
	if (need_engine(ctx, err) != 0)
		return -1;
	ctx->ds = dataset_new();
	ctx->eng = xcalloc(1, sizeof *ctx->eng);
	if (eread_dataset(&ctx->cfg.engine, &ctx->mp, ctx->ds, ctx->eng, err) != 0)
		return -1;
	ctx->mp.sums = ctx->eng->sums;
	ctx->mp.calibration = ctx->eng->cal;
	warn_rejects_missing(ctx->ds);
	return 0;
}

void ctx_engine_release(run_ctx *ctx)
{
	eread_release(ctx->eng, &ctx->ds);
	ctx->mp.sums = NULL;
	ctx->mp.calibration = NULL;
}

void engine_record(const run_ctx *ctx, manifest *rec)
{
	const eread_result *r = ctx->eng;
	kvcounts tables = {0};
	for (int t = 0; t < ET_COUNT; t++)
		kvcounts_add(&tables, eread_table_name[t], r->table_rows[t]);
	manifest_set_engine(rec, "clickhouse", ctx->cfg.engine.database, &tables);
	kvcounts_clear(&tables);
	long long in, out;
	ch_traffic(&in, &out);
	if (r->shards_why)
		fprintf(stderr,
			"mqlreport: clickhouse: the [engine] nodes were not read directly (%s); "
			"the chunks came through the Distributed tables of %s\n",
			r->shards_why, ctx->cfg.engine.url);
	char from[64] = "through the Distributed tables";
	if (r->shards)
		snprintf(from, sizeof from, "from %d nodes' own tables at once", r->shards);
	fprintf(stderr,
		"mqlreport: clickhouse: %lld leads and %lld events streamed in %lld chunks %s "
		"(%lld bytes received, %lld sent)\n",
		r->leads_streamed, r->events_streamed, r->chunks, from, in, out);
}
