/* run.c — `mqlreport run`: take the lock, read, compute, render the
 * outputs and the manifest into a staging folder, publish it as the week's
 * folder, deliver, then record the delivery in the manifest.
 *
 * Nothing is published unless every output and the manifest were written:
 * publish.c exchanges the staging folder with the week's folder in one
 * rename. A run that fails before that leaves the previous folder
 * untouched. A stop signal (stop.h) is looked at between the steps: the
 * run then ends as a failed one, and by the signal. This file only orders
 * the steps: it computes no metric, draws no report, composes no e-mail,
 * writes no manifest field and moves no folder itself (metrics/, reports/,
 * deliver.c, manifest.c, publish.c do). */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "clock.h"
#include "commands.h"
#include "config_email.h"
#include "deliver.h"
#include "health.h"
#include "lock.h"
#include "manifest.h"
#include "notes.h"
#include "notify.h"
#include "publish.h"
#include "reports.h"
#include "run.h"
#include "spill.h"
#include "stop.h"
#include "timeparse.h"

void run_log(const run_ctx *ctx, const char *fmt, ...)
{
	(void)ctx;
	va_list ap;
	va_start(ap, fmt);
	fputs("mqlreport: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Columns that no mapping claims are ignored; say so once per source. */
static void log_ignored_columns(const run_ctx *ctx)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		const kvcounts *u = &ctx->ds->src[s].unknown_columns;
		char *ignored = notes_columns(u, 1), *repeated = notes_columns(u, 2);
		if (ignored)
			run_log(ctx, "%s: ignored columns %s", source_name[s], ignored);
		if (repeated)
			run_log(ctx, "%s: repeated columns %s (the first of each name is read)",
				source_name[s], repeated);
		g_free(ignored);
		g_free(repeated);
	}
}

mval *run_report_header(const run_ctx *ctx, ts_ms generated_at)
{
	const run_config *c = &ctx->cfg;
	mval *r = mv_obj();
	mv_set(r, "week", mv_str(ctx->week_label));
	mv_set(r, "as_of", mv_time(ctx->mp.as_of));
	mv_set(r, "timezone", mv_str(c->in.timezone ? c->in.timezone : "UTC"));
	mv_set(r, "currency", mv_str(c->in.currency ? c->in.currency : "USD"));
	mv_set(r, "generated_at", mv_time(generated_at));
	/* the settings the workbook's glossary and the e-mail state */
	mv_set(r, "attribution", mv_str(attr_model_name[c->attribution]));
	mv_set(r, "mql_threshold", mv_num(c->model.threshold, MF_SCORE));
	/* the decay that decides, with the threshold, a score's MQLs; 0: none */
	mv_set(r, "score_half_life_days", mv_num(c->model.half_life_days, MF_DAYS));
	/* where the MQL moments came from, as the view decides it */
	mv_set(r, "mql_source",
	       mv_str(metrics_mql_source_name(c->mql_source, ctx->ds && ctx->ds->leads_have_mql)));
	mv_set(r, "program_version", mv_str(MQL_VERSION));
	mval *inputs = mv_set(r, "inputs", mv_obj());
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *st = &ctx->ds->src[s];
		if (!st->present)
			continue;
		mval *in = mv_set(inputs, source_name[s], mv_obj());
		mv_set(in, "bytes", mv_int(st->bytes, MF_COUNT));
		mv_set(in, "sha256", mv_str(st->sha256));
	}
	return r;
}

mval *run_compute(const run_ctx *ctx)
{
	metrics_params mp = ctx->mp;
	mp.health = &ctx->cfg.health;
	mval *root = metrics_compute(ctx->ds, &mp);
	if (ctx->eng) /* counts over every row of the engine, not only the leads kept */
		eread_patch(ctx->eng, &mp, root);
	mv_set_first(root, "report", run_report_header(ctx, (ts_ms)mq_wall_time() * 1000));
	return root;
}

/* Exports older than the report week (source_stale failed): the week
 * they do cover, the last that holds each stale export's newest row in the
 * report's zone, so that a first run on old files (the default week is the
 * last whole one by the clock) says which --week would report them. */
static char *stale_hint(const run_ctx *ctx, const mval *health)
{
	ts_ms oldest = TS_NONE;
	for (size_t i = 0; i < mv_len(health); i++) {
		const mval *r = mv_at(health, i);
		ts_ms t = mv_time_of(mv_get(r, "value"));
		if (!g_strcmp0(mv_str_of(mv_get(r, "check")), "source_stale") &&
		    !g_strcmp0(mv_str_of(mv_get(r, "status")), "fail") && t != TS_NONE &&
		    (oldest == TS_NONE || t < oldest))
			oldest = t;
	}
	if (oldest == TS_NONE || !ctx->tz)
		return NULL;
	char *hint = NULL;
	GDateTime *utc = g_date_time_new_from_unix_utc(oldest / 1000);
	GDateTime *local = utc ? g_date_time_to_timezone(utc, ctx->tz) : NULL;
	if (local) {
		int year = g_date_time_get_week_numbering_year(local);
		int week = g_date_time_get_week_of_year(local);
		if (year != ctx->year || week != ctx->week)
			hint = g_strdup_printf("; the stale exports' newest rows fall in week "
					       "%04d-W%02d: to report that week, run with --week "
					       "%04d-W%02d, for week %s export them again; the "
					       "checks",
					       year, week, year, week, ctx->week_label);
		g_date_time_unref(local);
	}
	if (utc)
		g_date_time_unref(utc);
	return hint;
}

/* Where a setting a health message names ("set decimal = comma in
 * [source.spend]", "raise max_lag_days in [health]") goes when the run has
 * no configuration file (--data alone); "" with one, or when no message
 * names one. */
static const char *settings_hint(const run_ctx *ctx, bool named)
{
	if (ctx->cfg.config_path || !named)
		return "";
	return "; a setting named in [brackets] goes in a configuration file: copy "
	       "config/example.ini, point its [source.…] locations at the files, add the "
	       "setting and run with --config FILE (docs/configuration.md)";
}

int run_health_gate(const run_ctx *ctx, const mval *root, mq_err *err)
{
	const mval *health = mv_path(root, "data_quality.health");
	bool named = false; /* a message names a [source.…] or [health] setting */
	for (size_t i = 0; i < mv_len(health); i++) {
		const mval *r = mv_at(health, i);
		const char *st = mv_str_of(mv_get(r, "status"));
		const char *msg = mv_str_of(mv_get(r, "message"));
		if (st && (!strcmp(st, "warn") || !strcmp(st, "fail"))) {
			run_log(ctx, "data health %s: %s: %s",
				!strcmp(st, "fail") ? "FAILED" : "warning",
				mv_str_of(mv_get(r, "check")), msg);
			named |=
			    msg && (strstr(msg, " in [source.") || strstr(msg, " in [health]"));
		}
	}
	char *failed = health_summary(health, "fail");
	if (!failed) {
		if (*settings_hint(ctx, named))
			run_log(ctx, "data health%s", settings_hint(ctx, named));
		return 0;
	}
	char *hint = stale_hint(ctx, health);
	/* nothing is published, rejects.csv included: say where the rows are */
	size_t nrej = ctx->ds ? ctx->ds->nrejects : 0;
	char rej[640] = "";
	if (nrej) {
		/* and where the first is, to open the file at */
		const reject *first = &ctx->ds->rejects[0];
		const char *where = ds_reject_location(ctx->ds, 0);
		char count[32];
		mq_grouped((double)nrej, 0, count, sizeof count);
		snprintf(rej, sizeof rej,
			 "; no rejects.csv either: `mqlreport check --show-rejects` lists the %s "
			 "rejected row%s (the first: %s:%u, %s)",
			 count, nrej == 1 ? "" : "s", where ? where : source_name[first->source],
			 first->line, first->reason);
	}
	size_t nfail = health_count(health, "fail");
	mq_err_set(err, MQ_DATAERR,
		   "data health: %zu check%s failed, and a run publishes and sends nothing "
		   "(docs/operations.md, \"Data health\")%s: %s%s%s",
		   nfail, nfail == 1 ? "" : "s", hint ? hint : "", failed, rej,
		   settings_hint(ctx, named));
	g_free(hint);
	free(failed);
	return -1;
}

void run_outputs(const run_ctx *ctx, run_output out[RUN_OUTPUTS])
{
	out[0] = (run_output){"metrics.json", OUTPUT_JSON};
	snprintf(out[1].name, sizeof out[1].name, "mqlreport-%s.xlsx", ctx->week_label);
	out[1].kind = OUTPUT_XLSX;
	snprintf(out[2].name, sizeof out[2].name, "campaign-roi-%s.pdf", ctx->week_label);
	out[2].kind = OUTPUT_PDF;
	out[3] = (run_output){"rejects.csv", OUTPUT_REJECTS};
}

int run_out_check(const run_ctx *ctx, mq_err *err)
{
	run_output outs[RUN_OUTPUTS];
	run_outputs(ctx, outs);
	const char *names[RUN_OUTPUTS + 1];
	for (int i = 0; i < RUN_OUTPUTS; i++)
		names[i] = outs[i].name;
	names[RUN_OUTPUTS] = "manifest.json";
	char *dir = run_out_dir(ctx);
	int rc = publish_dir_check(dir, names, RUN_OUTPUTS + 1, err);
	free(dir);
	/* and the temporary folder, where the rows that grow with the week wait */
	return rc != 0 ? rc : spill_probe(err);
}

char *run_out_dir(const run_ctx *ctx)
{
	if (ctx->cfg.out_dir)
		return xstrdup(ctx->cfg.out_dir);
	char *p = g_build_filename(ctx->cfg.out_root, ctx->week_label, NULL);
	char *r = xstrdup(p);
	g_free(p);
	return r;
}

/* The run's late digests, finished on a thread of their own while the
 * other outputs are written, so that the two lanes of outputs and the
 * hashing share the cores; metrics.json waits for them. */
typedef struct digest_wait {
	dataset *ds;
	GThread *t; /* NULL: finished (or to be finished) by the waiting thread */
	gint done;  /* t has finished them */
	int rc;
	mq_err err;
} digest_wait;

static gpointer digest_wait_run(gpointer data)
{
	digest_wait *w = data;
	w->rc = ingest_digests_finish(w->ds, &w->err);
	g_atomic_int_set(&w->done, 1);
	return NULL;
}

/* Every late digest finished: 0, or -1 with err (once). */
static int digest_wait_join(digest_wait *w, mq_err *err)
{
	if (!w->t)
		return ingest_digests_finish(w->ds, err);
	g_thread_join(w->t);
	w->t = NULL;
	if (w->rc == 0)
		return 0;
	*err = w->err;
	return -1;
}

/* metrics.json, the one output that shows the inputs' digests: it waits
 * for those still being taken (the run's late digests) and then writes the
 * tree with its header made again with them, at the same moment of making.
 * While the digests' thread still runs, the rest of the tree is rendered
 * into memory meanwhile and the file written from it once they are (else
 * it is streamed, which holds no copy of its text). The tree is not
 * changed: the workbook's thread may be reading it. */
static int write_json(const run_ctx *ctx, const mval *root, const char *path, digest_wait *dw,
		      mq_err *err)
{
	if (!ctx->ds || (!dw->t && !ctx->ds->late))
		return report_json_write(root, path, err);
	json_draft *draft =
	    dw->t && !g_atomic_int_get(&dw->done) ? report_json_draft(root, "report") : NULL;
	if (digest_wait_join(dw, err) != 0) {
		report_json_draft_free(draft);
		return -1;
	}
	ts_ms made = mv_time_of(mv_get(mv_get(root, "report"), "generated_at"));
	mval *header = run_report_header(ctx, made);
	int r = draft ? report_json_draft_write(draft, header, path, err)
		      : report_json_write_as(root, "report", header, path, err);
	mv_free(header);
	return r;
}

/* One output written into dir, then its digest taken while the file is
 * still in the page cache; 0, or -1 with err. */
static int render_one(const run_ctx *ctx, const mval *root, const char *dir, const run_output *o,
		      manifest_digest *dig, digest_wait *dw, mq_err *err)
{
	char *path = g_build_filename(dir, o->name, NULL);
	int r = 0;
	switch (o->kind) {
	case OUTPUT_JSON:
		r = write_json(ctx, root, path, dw, err);
		break;
	case OUTPUT_XLSX:
		r = report_xlsx_write_opts(
		    root, path, &(xlsx_opts){.paper = ctx->cfg.paper, .company = ctx->cfg.company},
		    err);
		break;
	case OUTPUT_PDF:
		r = report_pdf_write_opts(
		    root, path,
		    &(report_pdf_opts){.paper = ctx->cfg.paper,
				       .attribution = attr_model_name[ctx->cfg.attribution]},
		    err);
		break;
	case OUTPUT_REJECTS:
		r = report_rejects_write(ctx->ds, path, err);
		break;
	}
	if (r == 0)
		r = manifest_digest_file(path, dig, err);
	g_free(path);
	return r;
}

/* The outputs one thread writes: failed is the index (in run_outputs()'
 * order) of the first of them that failed, or -1. */
typedef struct render_lane {
	const run_ctx *ctx;
	const mval *root;
	const char *dir;
	const run_output *outs;
	manifest_digest *dig; /* per output, its digest once written */
	digest_wait *dw;
	bool xlsx; /* the workbook only, or every output but the workbook */
	int failed;
	mq_err err;
} render_lane;

/* The lane's outputs in run_outputs()' order, but metrics.json, which waits
 * for the digests, last; the others stop at their first failure, and
 * metrics.json is written whatever they did, so that the error kept is
 * that of the first output in run_outputs()' order that failed, as when
 * they were written one after the other in that order. */
static gpointer render_lane_run(gpointer data)
{
	render_lane *l = data;
	l->failed = -1;
	for (int json = 0; json < 2; json++)
		for (int i = 0; i < RUN_OUTPUTS; i++) {
			if ((l->outs[i].kind == OUTPUT_XLSX) != l->xlsx ||
			    (l->outs[i].kind == OUTPUT_JSON) != json)
				continue;
			mq_err e = {0};
			if (render_one(l->ctx, l->root, l->dir, &l->outs[i], &l->dig[i], l->dw,
				       &e) != 0) {
				if (l->failed < 0 || i < l->failed) {
					l->failed = i;
					l->err = e;
				}
				break;
			}
		}
	return NULL;
}

/* The workbook, the longest to write, on a thread of its own (with more
 * than one processor); the other outputs on this one. Both only read the
 * tree and the data set (no renderer caches anything in them; the metric
 * catalogue guards its own) and share no library object: pango and cairo
 * serve the PDF only, libxlsxwriter the workbook only. The error reported
 * is that of the first output in run_outputs()' order that failed, as
 * when they were written one after the other. */
int run_render(const run_ctx *ctx, const mval *root, const char *dir,
	       manifest_digest dig[RUN_OUTPUTS], mq_err *err)
{
	run_output outs[RUN_OUTPUTS];
	run_outputs(ctx, outs);
	bool more = g_get_num_processors() > 1;
	digest_wait dw = {.ds = ctx->ds};
	if (more && ctx->ds && ctx->ds->late)
		dw.t = g_thread_try_new("mql-digests", digest_wait_run, &dw, NULL);
	render_lane book = {ctx, root, dir, outs, dig, &dw, true, -1, {0}};
	render_lane rest = {ctx, root, dir, outs, dig, &dw, false, -1, {0}};
	GThread *t = more ? g_thread_try_new("workbook", render_lane_run, &book, NULL) : NULL;
	render_lane_run(&rest);
	if (t)
		g_thread_join(t);
	else /* one processor, or no thread to be had: one after the other */
		render_lane_run(&book);
	mq_err derr = {0};
	if (digest_wait_join(&dw, &derr) != 0 && book.failed < 0 && rest.failed < 0) {
		*err = derr; /* not reached: metrics.json waited for them */
		return -1;
	}
	const render_lane *first = book.failed < 0				  ? &rest
				   : rest.failed < 0 || book.failed < rest.failed ? &book
										  : &rest;
	if (first->failed < 0)
		return 0;
	*err = first->err;
	return -1;
}

/* The folder the week's folders (or the --out folder) live in. Caller frees. */
static char *out_parent(const run_ctx *ctx)
{
	if (!ctx->cfg.out_dir)
		return xstrdup(ctx->cfg.out_root);
	return mq_path_parent(ctx->cfg.out_dir, NULL);
}

/* What `mqlreport run` holds while it runs. */
typedef struct run_state {
	run_ctx ctx;
	mq_err err;	   /* the run's outcome */
	manifest *rec;	   /* the run's record, written as its manifest */
	run_lock *lock;	   /* NULL until taken */
	mval *root;	   /* the computed report */
	char *out_dir;	   /* the week's folder, once known */
	bool published;	   /* the outputs are in out_dir */
	mode_t out_mode;   /* out_dir's mode once the run ends (publish_later_mode), or 0 */
	double t0;	   /* monotonic start, for the log */
	char *beside;	   /* where a failed manifest goes, once known to be writable, or NULL */
	char *no_manifest; /* why none is written, for the notice; NULL: not said */
} run_state;

/* At a safe point: when a stop signal has arrived, the run's outcome
 * becomes that stop (the step's own error, if any, kept in its message)
 * and it is logged. Returns true when the run is to stop. */
static bool stopped(run_state *s, const char *during)
{
	int sig = mq_stop_signal();
	if (!sig)
		return false;
	char step[sizeof s->err.msg + 4] = "";
	if (mq_failed(&s->err))
		mq_textf(step, sizeof step, " (%s)", s->err.msg);
	s->err = (mq_err){0};
	mq_err_set(&s->err, mq_stop_status(sig), "stopped by %s %s%s; %s", mq_stop_name(sig),
		   during, step,
		   s->published ? "the outputs were published, and the week is marked sent only "
				  "for the messages the server accepted"
				: "nothing was published and no report was sent");
	run_log(&s->ctx,
		"%s received %s: stopping; the run removes its temporary files and ends as "
		"a failed run",
		mq_stop_name(sig), during);
	return true;
}

/* The options of `run` into s->ctx. Returns 0, 1 after --help, or -1 with s->err. */
static int parse_run(run_state *s, int argc, char **argv)
{
	gboolean resend = FALSE;
	char *eml = NULL;
	const GOptionEntry extra[] = {
	    {"resend", 0, 0, G_OPTION_ARG_NONE, &resend,
	     "E-mail the reports again even when this week was already sent", NULL},
	    {"eml", 0, 0, G_OPTION_ARG_FILENAME, &eml,
	     "Write the e-mail message to FILE instead of sending it (- for standard output)",
	     "FILE"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	int rc = ctx_parse(&s->ctx, "run", "compute the weekly MQL report and write its outputs",
			   extra, &argc, &argv, &s->err);
	if (rc == 0 && argc > 1) {
		mq_err_set(&s->err, MQ_USAGE,
			   "unexpected argument \"%s\" (try mqlreport run --help)", argv[1]);
		rc = -1;
	}
	if (rc == 0 && eml && (!s->ctx.cfg.email || !s->ctx.cfg.email->from)) {
		/* before the sources are read and the week published */
		mq_err_set(&s->err, MQ_CONFIG,
			   "--eml needs an [email] group with from and recipients in %s",
			   s->ctx.cfg.config_path ? s->ctx.cfg.config_path
						  : "a configuration file (--config)");
		rc = -1;
	}
	if (rc == 0) {
		s->ctx.cfg.resend = resend;
		if (eml)
			s->ctx.cfg.eml_path = xstrdup(eml);
		/* the e-mail's CA file and credentials before the week is read
		 * and published: found missing only at the send, the week was out
		 * and unsent */
		if (email_vars_check(&s->ctx.cfg, &s->err) != 0)
			rc = -1;
		else /* in the log, before the messages it explains */
			email_lists_warn(&s->ctx.cfg);
	}
	g_free(eml);
	return rc;
}

/* path as the system reaches it: absolute, its folders resolved (links
 * followed) as far as they exist and the rest as named; the last part is
 * followed only with follow (a folder; a file written replaces a link).
 * Caller frees. */
static char *reached_path(const char *path, bool follow)
{
	char *abs = g_canonicalize_filename(path, NULL);
	char *real = follow ? realpath(abs, NULL) : NULL;
	if (real) {
		g_free(abs);
		return real;
	}
	char *last = NULL;
	char *dir = mq_path_parent(abs, &last);
	char *rest = xstrdup(last);
	while (!(real = realpath(dir, NULL)) && strcmp(dir, "/") != 0) {
		char *part = NULL;
		char *up = mq_path_parent(dir, &part);
		char *longer = xasprintf("%s/%s", part, rest);
		free(rest);
		rest = longer;
		free(part);
		free(dir);
		dir = up;
	}
	char *out = xasprintf("%s/%s", real && strcmp(real, "/") != 0 ? real : "", rest);
	free(real);
	free(rest);
	free(dir);
	free(last);
	g_free(abs);
	return out;
}

/* A file --eml writes (path, named in the error after option; what: "the
 * message"), refused when it is one the run reads (ctx_refuse_input()) or,
 * once the week's folder is known, one of the run's own: its lock file, a
 * file in the week's folder (the outputs, the manifest, delivery.ini), the
 * failed manifest beside it.
 * A stream ("-", a device) is written to, never replaced. Returns 0, or
 * -1 with err (MQ_USAGE naming the option, the file and what it is). */
static int refuse_eml_file(const run_ctx *ctx, const char *option, const char *path,
			   const char *what, mq_err *err)
{
	const run_config *c = &ctx->cfg;
	if (ctx_refuse_input(c, option, path, what, err) != 0)
		return -1;
	if (afile_streams(path) || (!c->out_dir && !ctx->week_label[0]))
		return 0;
	char *folder = run_out_dir(ctx);
	char *lock = lock_file(c, folder);
	char *failed = manifest_failed_path(folder);
	char *at = reached_path(path, false);
	char *dir = reached_path(folder, true);
	char *lock_at = reached_path(lock, false);
	char *failed_at = reached_path(failed, false);
	size_t n = strlen(dir);
	int rc = -1;
	if (strcmp(at, lock_at) == 0)
		mq_err_set(err, MQ_USAGE,
			   "%s %s is the lock file of the week's folder (%s): %s would replace "
			   "it while the run holds it; name another file",
			   option, path, lock, what);
	else if (strncmp(at, dir, n) == 0 && (at[n] == '/' || at[n] == '\0'))
		mq_err_set(err, MQ_USAGE,
			   "%s %s is in the week's folder this run publishes (%s): %s would "
			   "replace or mix with its outputs, manifest or delivery.ini; name a file "
			   "outside that folder",
			   option, path, folder, what);
	else if (strcmp(at, failed_at) == 0)
		mq_err_set(err, MQ_USAGE,
			   "%s %s is the failed manifest of the week's folder (%s): %s would "
			   "replace it, and a run that succeeds removes it; name a file outside "
			   "the week's folder",
			   option, path, failed, what);
	else
		rc = 0;
	free(failed_at);
	free(lock_at);
	free(dir);
	free(at);
	free(failed);
	free(lock);
	free(folder);
	return rc;
}

/* Every file --eml writes (FILE, and FILE.2 when the reports go in a
 * message each), refused as refuse_eml_file() says. Returns 0 or -1 with
 * err. */
static int refuse_eml(const run_ctx *ctx, mq_err *err)
{
	char *paths[2] = {NULL, NULL};
	size_t n = deliver_eml_files(&ctx->cfg, paths);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		/* "--eml week.eml: the second message's file week.eml.2 is …" */
		char *option = i ? xasprintf("--eml %s: the second message's file", paths[0])
				 : xstrdup("--eml");
		if (rc == 0 && refuse_eml_file(ctx, option, paths[i],
					       i ? "the second message" : "the message", err) != 0)
			rc = -1;
		free(option);
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	return rc;
}

/* "; 2 lead rows repeat an earlier lead_id: the later row counts" (and
 * the same of opportunities) into out: repeated ids, what happened to them,
 * said once in the line of what was read; "" when none. */
static void repeated_ids(const dataset *ds, char *out, size_t size)
{
	static const char *const what[2][2] = {{"lead", "lead_id"},
					       {"opportunity", "opportunity_id"}};
	const int64_t dups[2] = {ds->duplicate_leads, ds->duplicate_opps};
	size_t o = 0;
	out[0] = '\0';
	for (int k = 0; k < 2; k++)
		if (dups[k] && o < size)
			o += (size_t)snprintf(
			    out + o, size - o,
			    "; %lld %s row%s repeat%s an earlier %s: the later row counts",
			    (long long)dups[k], what[k][0], dups[k] == 1 ? "" : "s",
			    dups[k] == 1 ? "s" : "", what[k][1]);
}

/* Resolve the week and read every source. Returns 0 or -1 with s->err. */
static int load_sources(run_state *s)
{
	run_ctx *ctx = &s->ctx;
	/* the digests of large files go on behind the reading and the metrics,
	 * taking a core only when one is idle; metrics.json and the manifest
	 * wait for them (write_json(), publish()) */
	ctx->cfg.in.late_digests = true;
	int loaded = ctx_load(ctx, &s->err);
	if (ctx->week_label[0])
		manifest_set_week(s->rec, ctx->week_label);
	manifest_mark(s->rec, "load");
	if (loaded != 0)
		return -1;
	const dataset *ds = ctx->ds;
	char extra[320] = "";
	repeated_ids(ds, extra, sizeof extra);
	if (ctx->eng) {
		/* the data set holds only what the tables read one by one: the
		 * rows read are those of the loads, and so are the warnings */
		engine_record(ctx, s->rec);
		notes_engine_loads(ctx->eng, ds, &ctx->cfg);
		const long long *t = ctx->eng->table_rows;
		run_log(ctx,
			"week %s: read %lld leads, %lld events, %lld spend rows, %lld "
			"opportunities (%zu rejected%s) from ClickHouse in %.2f s",
			ctx->week_label, t[ET_LEADS], t[ET_EVENTS], t[ET_SPEND], t[ET_OPPS],
			ds->nrejects, extra, mq_mono_s() - s->t0);
		log_ignored_columns(ctx);
		return 0;
	}
	run_log(ctx,
		"week %s: read %zu leads, %zu events, %zu spend rows, %zu opportunities "
		"(%zu rejected%s) in %.2f s",
		ctx->week_label, ds->nleads, ds->nevents, ds->nspend, ds->nopps, ds->nrejects,
		extra, mq_mono_s() - s->t0);
	log_ignored_columns(ctx);
	return 0;
}

/* Add the outputs rendered, with the digests their threads took, to the
 * run's record, under their paths in the week's folder. */
static void record_outputs(run_state *s, const manifest_digest dig[RUN_OUTPUTS])
{
	static const char *const kind_name[] = {[OUTPUT_JSON] = "json",
						[OUTPUT_XLSX] = "workbook",
						[OUTPUT_PDF] = "pdf",
						[OUTPUT_REJECTS] = "rejects"};
	run_output outs[RUN_OUTPUTS];
	run_outputs(&s->ctx, outs);
	for (int i = 0; i < RUN_OUTPUTS; i++) {
		char *path = g_build_filename(s->out_dir, outs[i].name, NULL);
		manifest_add_digested_output(s->rec, kind_name[outs[i].kind], path, &dig[i]);
		g_free(path);
	}
}

/* The manifest into the staging folder, beside the outputs it lists: the
 * week is published with it or not at all. Returns 0 or -1 with s->err. */
static int stage_manifest(run_state *s, const char *dir)
{
	manifest_set_delivery(s->rec, "pending: the run had not finished e-mailing when this "
				      "manifest was written");
	char *path = g_build_filename(dir, "manifest.json", NULL);
	mq_err merr = {0};
	int rc = manifest_write(&s->ctx.cfg, s->ctx.ds, s->rec, NULL, path, &merr);
	if (rc != 0)
		mq_err_set(&s->err, MQ_CANTCREAT, "%s; nothing was published", merr.msg);
	g_free(path);
	/* delivery says what happened from here on */
	manifest_set_delivery(s->rec, "not attempted");
	return rc;
}

/* Compute the metrics, render the outputs and the manifest into a staging
 * folder and publish it as the week's folder. Returns 0 or -1 with s->err. */
static int publish(run_state *s)
{
	double t1 = mq_mono_s();
	s->root = run_compute(&s->ctx);
	/* the renderers read the tree (and rejects.csv the data set's rejects,
	 * which both releases keep): the kept leads can go */
	if (s->ctx.eng)
		ctx_engine_release(&s->ctx);
	/* the outputs render the metrics: the events' memory goes back first */
	dataset_drop_events(s->ctx.ds);
	manifest_mark(s->rec, "metrics");
	notes_unknown_types(mv_get(s->root, "data_quality"));
	/* the data-health gate: a failed check stops the run before anything
	 * is published or sent */
	if (run_health_gate(&s->ctx, s->root, &s->err) != 0 ||
	    stopped(s, "while computing the metrics"))
		return -1;
	double t2 = mq_mono_s();
	s->out_dir = run_out_dir(&s->ctx);
	staging *st = publish_staging(s->out_dir, &s->err);
	if (!st)
		return -1;
	const char *dir = publish_staging_path(st);
	run_output outs[RUN_OUTPUTS];
	run_outputs(&s->ctx, outs);
	const char *names[RUN_OUTPUTS + 1];
	for (int i = 0; i < RUN_OUTPUTS; i++)
		names[i] = outs[i].name;
	names[RUN_OUTPUTS] = "manifest.json";
	int rc = -1;
	manifest_digest dig[RUN_OUTPUTS];
	/* the staging folder goes with publish_free() when the run stops here */
	/* a temporary file lost on the way (a full disk) made wrong outputs:
	 * they are not published */
	if (run_render(&s->ctx, s->root, dir, dig, &s->err) != 0 || spill_check(&s->err) != 0 ||
	    stopped(s, "while writing the outputs"))
		goto done;
	record_outputs(s, dig);
	manifest_mark(s->rec, "render");
	/* the manifest lists the inputs' digests (metrics.json has waited for
	 * them already) */
	if (ingest_digests_finish(s->ctx.ds, &s->err) != 0 || stage_manifest(s, dir) != 0 ||
	    publish_swap(st, names, RUN_OUTPUTS + 1, &s->err) != 0)
		goto done;
	s->published = true;
	s->out_mode = publish_later_mode(st);
	double t3 = mq_mono_s();
	/* where the rejected rows are, once it is there (a failed run has none) */
	size_t nrej = s->ctx.ds ? s->ctx.ds->nrejects : 0;
	run_log(&s->ctx, "metrics in %.2f s, outputs in %.2f s: %s/%s", t2 - t1, t3 - t2,
		s->out_dir, nrej ? " (rejects.csv lists the rejected rows)" : "");
	rc = 0;
done:
	publish_free(st);
	return rc;
}

/* The run's manifest, once it holds the lock: in the week's folder once
 * published (rewritten atomically over the one published with the outputs,
 * now with the e-mail's outcome), beside it otherwise (so that a failed run
 * changes nothing in the folder). Returns the path written, or NULL when
 * none was (the caller frees). */
static char *write_manifest(run_state *s)
{
	run_ctx *ctx = &s->ctx;
	/* a run that failed before its outputs still names the files it read,
	 * by their digests (a file changed meanwhile keeps none, its error then
	 * the run's when it had none); one stopped by a signal ends now, its
	 * unfinished digests not shown */
	mq_err derr = {0};
	if (mq_stop_signal() && ctx->ds)
		late_digests_drop(ctx->ds);
	else if (ingest_digests_finish(ctx->ds, &derr) != 0 && !mq_failed(&s->err))
		s->err = derr;
	char *dir = s->out_dir ? xstrdup(s->out_dir) : ctx->week_label[0] ? run_out_dir(ctx) : NULL;
	char *path = NULL;
	mq_err merr = {0};
	if (dir)
		path =
		    s->published ? xasprintf("%s/manifest.json", dir) : manifest_failed_path(dir);
	if (path && manifest_write(&ctx->cfg, ctx->ds, s->rec, &s->err, path, &merr) != 0) {
		run_log(ctx, "%s", merr.msg);
		if (s->published)
			mq_err_set(&s->err, MQ_CANTCREAT,
				   "%s: the manifest published with the outputs does not say how "
				   "the run ended",
				   merr.msg);
		else { /* the notice names none, and says why */
			g_clear_pointer(&path, free);
			free(s->no_manifest);
			s->no_manifest = xasprintf("it could not be written: %s", merr.msg);
		}
	}
	if (dir && s->published && !mq_failed(&s->err)) {
		char *stale = manifest_failed_path(dir);
		if (unlink(stale) != 0 && errno != ENOENT)
			run_log(ctx, "%s: cannot remove: %s", stale, strerror(errno));
		free(stale);
	}
	free(dir);
	return path;
}

/* Why a failed run wrote no manifest, for the notice: the reason, and an
 * earlier run's failed manifest where this one's would be, which stays as
 * it was. Caller frees. */
static char *no_manifest_note(const run_state *s)
{
	const char *why = s->no_manifest ? s->no_manifest
					 : "the run ended before it held the week's lock, and "
					   "only a run that holds it writes one";
	struct stat st;
	if (s->beside && lstat(s->beside, &st) == 0)
		return xasprintf("%s; %s, there, is an earlier run's and was left as it was", why,
				 s->beside);
	return xstrdup(why);
}

/* The end of a run whose options and configuration were read: the
 * manifest when it holds the lock (without the lock another run may be
 * writing the week); the operator's notice on failure, unless another run
 * holds the lock (that run is working); then the lock released. */
static void finish_run(run_state *s)
{
	run_ctx *ctx = &s->ctx;
	char *path = s->lock ? write_manifest(s) : NULL;
	if (s->published)
		publish_restore_mode(s->out_dir, s->out_mode);
	if (mq_failed(&s->err) && s->err.status != MQ_LOCKED) {
		mq_err nerr = {0};
		char *none = path ? NULL : no_manifest_note(s);
		/* the week's folder, for the command that runs the week again */
		char *week_dir = ctx->week_label[0] ? run_out_dir(ctx) : NULL;
		notify_done done = {
		    .published = s->published, .no_manifest = none, .week_dir = week_dir};
		done.delivered = manifest_messages_delivered(s->rec, &done.total);
		done.unconfirmed = manifest_messages_unconfirmed(s->rec);
		/* an operator without a server: said, not left unsaid */
		email_notice_nobody_warn(&ctx->cfg, "failure notice not sent: ");
		if (notify_failure(&ctx->cfg, ctx->week_label[0] ? ctx->week_label : NULL, &s->err,
				   path, &done, &nerr) != 0)
			run_log(ctx, "failure notice not sent: %s", nerr.msg);
		free(none);
		free(week_dir);
	}
	free(path);
	lock_release(s->lock);
	s->lock = NULL;
}

/* Relative output folders made absolute against the working folder: the
 * paths a run prints, records and mails (the e-mail's "it is in the report
 * folder", the notice's manifest) mean something to a reader elsewhere.
 * Nothing is resolved: a "." or ".." stays and a link is not followed. */
static void absolute_out(run_config *c)
{
	char **paths[] = {&c->out_root, &c->out_dir};
	for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
		const char *p = *paths[i];
		if (!p || g_path_is_absolute(p))
			continue;
		while (p[0] == '.' && p[1] == '/' && p[2] && strcmp(p + 2, ".") != 0)
			p += 2 + strspn(p + 2, "/");
		char *cwd = g_get_current_dir();
		char *abs = g_build_filename(cwd, p, NULL);
		free(*paths[i]);
		*paths[i] = xstrdup(abs);
		g_free(abs);
		g_free(cwd);
	}
}

/* For a run whose lock_acquire() failed with lerr: unless another run
 * holds it, the same lock taken read-only (a lock file of another user's),
 * so that the failed run still writes its manifest while no other run
 * writes the week; else why none is written, for the notice. */
static void lock_for_record(run_state *s, const char *folder, const mq_err *lerr)
{
	bool held = lerr->status == MQ_LOCKED;
	if (!held)
		s->lock = lock_acquire_to_record(&s->ctx.cfg, folder, &held);
	if (s->lock)
		return;
	s->no_manifest = xstrdup(held ? "another run of this week's folder holds its lock, and "
					"that run writes the manifest"
				      : "only a run that holds the week's lock writes one, and "
					"this run could not take it");
}

/* Take the lock, read, publish, deliver: every step up to finish_run(),
 * with a look for a stop signal between them. */
static void run_steps(run_state *s)
{
	/* one run at a time, taken before any source is fetched; a folder
	 * that fails the checks takes it as well, for its failed manifest
	 * (finish_run()), when there is a place beside it for one */
	char *folder = run_out_dir(&s->ctx);
	int checked = run_out_check(&s->ctx, &s->err);
	if (publish_has_beside(folder))
		s->beside = manifest_failed_path(folder);
	else if (checked != 0) {
		s->no_manifest = xstrdup("a failed manifest goes beside the week's folder, and the "
					 "error leaves no place there that this run may write in");
		free(folder);
		return;
	}
	mq_err lerr = {0};
	s->lock = lock_acquire(&s->ctx.cfg, folder, checked != 0 ? &lerr : &s->err);
	if (!s->lock)
		lock_for_record(s, folder, checked != 0 ? &lerr : &s->err);
	free(folder);
	if (checked != 0 || mq_failed(&s->err) || stopped(s, "before reading the sources"))
		return;
	/* under the lock, a staging folder nobody holds is a killed run's */
	char *parent = out_parent(&s->ctx);
	publish_sweep(parent);
	free(parent);
	int loaded = load_sources(s);
	if (stopped(s, "while fetching and reading the sources") || loaded != 0 || publish(s) != 0)
		return;
	if (stopped(s, "after publishing, before e-mailing the reports"))
		return;
	/* the outputs stay published whatever happens to the e-mail */
	/* a week not ended when the run began (health.h, week_unfinished) is
	 * recorded sent as such, so that a run once it has ended sends it whole */
	const metrics_params *mp = &s->ctx.mp;
	ts_ms counts_until = mp->now != TS_NONE && mp->now < mp->as_of ? mp->now : TS_NONE;
	int sent = deliver_reports(&s->ctx.cfg, s->root, s->out_dir, s->rec, counts_until, &s->err);
	manifest_mark(s->rec, "deliver");
	if (sent != 0)
		stopped(s, "while e-mailing the reports");
	else if (mq_stop_signal())
		run_log(&s->ctx, "%s received after the last step: the run completes",
			mq_stop_name(mq_stop_signal()));
}

int cmd_run(int argc, char **argv)
{
	/* before anything is written: a stop from here on ends the run cleanly */
	mq_stop_watch();
	run_state s = {.rec = manifest_new(), .t0 = mq_mono_s()};
	if (parse_run(&s, argc, argv) == 0) {
		absolute_out(&s.ctx.cfg);
		/* the week first, so that a notice of a run refused its lock, and
		 * the failed manifest of one stopped by the checks, name it */
		int week = ctx_week(&s.ctx, &s.err);
		/* --eml naming a file the run reads or keeps ends it as a wrong
		 * option does: before the lock, with no manifest and no notice
		 * (which would go to that file) */
		mq_err eerr = {0};
		if (refuse_eml(&s.ctx, &eerr) != 0) {
			s.err = eerr;
		} else {
			if (week == 0) {
				manifest_set_week(s.rec, s.ctx.week_label);
				run_steps(&s);
			}
			finish_run(&s);
		}
	}
	manifest_free(s.rec);
	free(s.out_dir);
	free(s.beside);
	free(s.no_manifest);
	mv_free(s.root);
	ctx_free(&s.ctx);
	if (!mq_failed(&s.err))
		return MQ_OK;
	int status = report_error(&s.err);
	int sig = mq_stop_signal();
	if (sig && status == mq_stop_status(sig))
		mq_stop_exit(sig); /* the scheduler sees the run killed by its signal */
	return status;
}
