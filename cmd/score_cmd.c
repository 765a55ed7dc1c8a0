/* score_cmd.c — `mqlreport score [shared options] [--out FILE] [--explain LEAD_ID]`.
 *
 * Without --explain: a CSV of every lead that exists at as_of, for a CRM to
 * import back: its score split into fit (demographic) and engagement
 * (behavioural) and each category, its MQL moment, lifecycle stage, and the
 * score's change since the previous week's as_of. To standard output, or
 * written atomically to --out FILE.
 *
 * With --explain: every point one lead earned, by rule and by event, with the
 * decay and the caps applied, adding up to the score the CSV shows.
 *
 * A stop signal (SIGTERM, SIGINT, SIGHUP) ends it while the sources are
 * read (within a chunk of a file) or between leads: the temp file of --out
 * FILE removed, what was left unwritten said, and the process ended by that
 * signal. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "afile.h"
#include "commands.h"
#include "csvout.h"
#include "lifecycle.h"
#include "normalize.h"
#include "stop.h"
#include "timeparse.h"
#include "view.h"

/* Points as the CSV and the explanation print them: at most 4 decimals,
 * trailing zeros dropped, no "-0". */
static const char *fmt_pts(double x, char *buf, size_t size)
{
	if (fabs(x) >= 1e15) { /* only an absurd model gets here: keep it readable */
		snprintf(buf, size, "%.6g", x);
		return buf;
	}
	snprintf(buf, size, "%.4f", x);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, size, "0");
	return buf;
}

/* The CSV of every lead. Returns false when a stop signal came first (the
 * leads after it not written). */
static bool write_csv(FILE *fp, const run_ctx *ctx, const view *v, const lead_score *prev)
{
	const dataset *ds = ctx->ds;
	fputs("lead_id,score,fit,engagement", fp);
	for (int c = 0; c < SC_COUNT; c++)
		fprintf(fp, ",%s", score_cat_name[c]);
	fputs(",mql_at,lifecycle_stage,score_change\n", fp);
	char b[64];
	for (size_t i = 0; i < ds->nleads; i++) {
		if (mq_stop_signal())
			return false;
		lead_view l_at = lv_get(v, i);
		const lead_view *l = &l_at;
		if (!l->exists)
			continue;
		const lead_score *s = &v->score[i];
		double score = s->fit + s->engagement;
		csv_field_fput(fp, ds_str(ds, ds->leads[i].id));
		fprintf(fp, ",%s", fmt_pts(score, b, sizeof b));
		fprintf(fp, ",%s", fmt_pts(s->fit, b, sizeof b));
		fprintf(fp, ",%s", fmt_pts(s->engagement, b, sizeof b));
		for (int c = 0; c < SC_COUNT; c++)
			fprintf(fp, ",%s", fmt_pts(v->cats[i].cat[c], b, sizeof b));
		fputc(',', fp);
		if (lv_set(l, LT_MQL)) {
			ts_format_utc(l->t[LT_MQL], b, sizeof b);
			fputs(b, fp);
		}
		int stage = lifecycle_of(v, i);
		fprintf(fp, ",%s", stage >= 0 ? lc_stage_name[stage] : "");
		fprintf(fp, ",%s\n",
			fmt_pts(score - (prev[i].fit + prev[i].engagement), b, sizeof b));
	}
	return true;
}

static int find_lead(const dataset *ds, const char *id)
{
	size_t len = strlen(id);
	sym s = pool_find(ds->pool, id, len);
	if (!s)
		return -1;
	for (size_t i = ds->nleads; i-- > 0;)
		if (ds->leads[i].id == s)
			return (int)i;
	return -1;
}

static const char *mql_source_name(const run_ctx *ctx)
{
	const char *s = metrics_mql_source_name(ctx->mp.mql_source, ctx->ds->leads_have_mql);
	return strcmp(s, "status") == 0 ? "lead status" : s;
}

static void print_heading(FILE *fp, const run_ctx *ctx, const lead *l)
{
	const score_model *m = &ctx->cfg.model;
	char b[64], t[32];
	ts_format_utc(ctx->mp.as_of, t, sizeof t);
	fprintf(fp, "lead %s, scored as of %s (week %s)\n", ds_str(ctx->ds, l->id), t,
		ctx->week_label);
	fprintf(fp, "threshold %s, ", fmt_pts(m->threshold, b, sizeof b));
	if (m->half_life_days > 0)
		fprintf(fp, "decay half-life %s days\n", fmt_pts(m->half_life_days, b, sizeof b));
	else
		fprintf(fp, "no decay\n");
}

/* The lead's value of fit part p (title, size, industry, country) as shown. */
static void fit_value(const dataset *ds, const lead *l, int p, char *value, size_t size)
{
	if (p == 0)
		snprintf(value, size, "\"%s\"", ds_str(ds, l->job_title));
	else if (p == 1 && l->company_size >= 0)
		snprintf(value, size, "%lld", (long long)l->company_size);
	else if (p == 2)
		snprintf(value, size, "%s", ds_str(ds, l->industry));
	else if (p == 3)
		snprintf(value, size, "%s", ds_str(ds, l->country));
	else
		value[0] = '\0';
}

static void print_fit(FILE *fp, const dataset *ds, const lead *l, const score_explanation *x)
{
	char b[64];
	fprintf(fp, "\nfit (demographic)\n");
	for (int p = 0; p < 4; p++) {
		const score_fit_part *part = &x->fit[p];
		char value[160], rule[160];
		fit_value(ds, l, p, value, sizeof value);
		if (part->matched)
			snprintf(rule, sizeof rule, "rule %s", part->rule);
		else
			snprintf(rule, sizeof rule, "%s",
				 value[0] && strcmp(value, "\"\"") ? "no rule" : "empty");
		fprintf(fp, "  %-14s %-32s %-24s %10s\n", part->field, value, rule,
			fmt_pts(part->points, b, sizeof b));
	}
	fprintf(fp, "  %-72s %10s\n", "fit", fmt_pts(x->score.fit, b, sizeof b));
}

static void print_events(FILE *fp, const dataset *ds, const score_explanation *x)
{
	char b[64], b2[64], t[32];
	fprintf(fp, "\nevents (behavioural, before as_of)\n");
	fprintf(fp, "  %-20s  %-26s %-9s %6s %10s %10s\n", "time", "type", "category", "raw",
		"decay", "points");
	for (size_t e = 0; e < x->nevents; e++) {
		const score_event_part *sp = &x->events[e];
		const event *ev = &ds->events[sp->event];
		ts_format_utc(ev_at(ds, ev), t, sizeof t);
		char factor[32];
		snprintf(factor, sizeof factor, "%.6f", sp->factor);
		fprintf(fp, "  %-20s  %-26s %-9s %6s %10s %10s\n", t,
			ds_str(ds, ds_tag(ds, ev)->type),
			sp->cat >= 0 ? score_cat_name[sp->cat] : "none",
			fmt_pts(sp->raw, b, sizeof b), factor, fmt_pts(sp->points, b2, sizeof b2));
	}
	if (x->nevents == 0)
		fprintf(fp, "  (none)\n");
}

static void print_categories(FILE *fp, const score_model *m, const score_explanation *x)
{
	char b[64], b2[64], b3[64];
	fprintf(fp, "\ncategories (caps apply to the decayed sums)\n");
	fprintf(fp, "  %-10s %10s %10s %10s\n", "category", "sum", "cap", "points");
	for (int c = 0; c < SC_COUNT; c++) {
		if (m->cap[c] >= 0)
			fmt_pts(m->cap[c], b2, sizeof b2);
		else
			snprintf(b2, sizeof b2, "none");
		fprintf(fp, "  %-10s %10s %10s %10s\n", score_cat_name[c],
			fmt_pts(x->cat_sum[c], b, sizeof b), b2,
			fmt_pts(x->cats.cat[c], b3, sizeof b3));
	}
	fprintf(fp, "  %-32s %10s\n", "engagement", fmt_pts(x->score.engagement, b, sizeof b));
}

static void print_verdict(FILE *fp, const run_ctx *ctx, const view *v, size_t i,
			  const score_explanation *x)
{
	const score_model *m = &ctx->cfg.model;
	char b[64], b2[64], b3[64], t[32];
	fprintf(fp, "\ntotal %s = fit %s + engagement %s\n",
		fmt_pts(x->score.fit + x->score.engagement, b, sizeof b),
		fmt_pts(x->score.fit, b2, sizeof b2), fmt_pts(x->score.engagement, b3, sizeof b3));
	if (x->score.mql_at != TS_NONE) {
		ts_format_utc(x->score.mql_at, t, sizeof t);
		fprintf(fp, "the score first reached %s at %s\n",
			fmt_pts(m->threshold, b, sizeof b), t);
	} else {
		fprintf(fp, "the score never reached %s before as_of\n",
			fmt_pts(m->threshold, b, sizeof b));
	}
	lead_view lv_at = lv_get(v, i);
	const lead_view *lv = &lv_at;
	if (lv_set(lv, LT_MQL))
		ts_format_utc(lv->t[LT_MQL], t, sizeof t);
	else
		snprintf(t, sizeof t, "none");
	int stage = lifecycle_of(v, i);
	fprintf(fp, "mql_at %s (from the %s), lifecycle stage %s\n", t, mql_source_name(ctx),
		stage >= 0 ? lc_stage_name[stage] : "none");
}

static void print_explanation(FILE *fp, const run_ctx *ctx, const view *v, size_t i,
			      const score_explanation *x)
{
	const lead *l = &ctx->ds->leads[i];
	print_heading(fp, ctx, l);
	print_fit(fp, ctx->ds, l, x);
	print_events(fp, ctx->ds, x);
	print_categories(fp, &ctx->cfg.model, x);
	print_verdict(fp, ctx, v, i, x);
}

static int finish_stream(FILE *fp, const char *what, mq_err *err)
{
	if (fflush(fp) != 0 || ferror(fp)) {
		mq_err_set(err, MQ_CANTCREAT, "%s: write failed: %s", what, strerror(errno));
		return -1;
	}
	return 0;
}

/* Standard output, or a file that appears whole at --out FILE (*af), or
 * that device, pipe or "-" (afile_open_named). */
static FILE *open_output(const run_ctx *ctx, afile **af, mq_err *err)
{
	if (!ctx->cfg.out_dir)
		return stdout;
	/* never one of the files it reads */
	if (ctx_refuse_input(&ctx->cfg, "--out", ctx->cfg.out_dir, "the scores", err) != 0)
		return NULL;
	if (!(*af = afile_open_named(ctx->cfg.out_dir, err)))
		return NULL;
	return afile_stream(*af);
}

/* Whether s[0..len), trimmed as the reader trims a lead_id, is id. */
static bool same_trimmed(const char *s, size_t len, const char *id)
{
	norm_trim(&s, &len);
	return len == strlen(id) && memcmp(s, id, len) == 0;
}

/* --explain LEAD_ID. Returns 0 or -1 with err. */
static int explain_lead(const run_ctx *ctx, const view *v, char *id, afile **af, mq_err *err)
{
	g_strstrip(id);
	int i = find_lead(ctx->ds, id);
	if (i < 0) {
		const dataset *ds = ctx->ds;
		const char *where = ds->src[SRC_LEADS].location;
		/* a row of that id that was rejected: which, and why */
		const reject *r = NULL;
		for (size_t k = 0; k < ds->nrejects && !r; k++)
			for (size_t f = 0; f < ds->rejects[k].nfields && !r; f++)
				if (ds->rejects[k].source == SRC_LEADS &&
				    same_trimmed(ds->rejects[k].fields[f], ds->rejects[k].lens[f],
						 id))
					r = &ds->rejects[k];
		if (r)
			mq_err_set(
			    err, MQ_DATAERR,
			    "--explain: no lead with lead_id \"%s\": its row in %s, line %u, "
			    "was rejected (%s)",
			    id, where ? where : "leads", r->line, r->reason);
		else
			mq_err_set(err, MQ_DATAERR, "--explain: no lead with lead_id \"%s\" in %s",
				   id, where ? where : "leads");
		return -1;
	}
	if (!lv_exists(v, i)) {
		char t[32];
		ts_format_utc(ctx->mp.as_of, t, sizeof t);
		mq_err_set(err, MQ_DATAERR,
			   "--explain: lead \"%s\" was created at or after as_of %s (week %s): it "
			   "has no score yet",
			   id, t, ctx->week_label);
		return -1;
	}
	FILE *fp = open_output(ctx, af, err);
	if (!fp)
		return -1;
	score_explanation x;
	score_explain(&ctx->cfg.model, ctx->ds, (size_t)i, ctx->mp.as_of, &x);
	print_explanation(fp, ctx, v, (size_t)i, &x);
	score_explanation_clear(&x);
	return 0;
}

/* Every lead's score as CSV, beside its score a week earlier. */
static int write_scores(const run_ctx *ctx, const view *v, afile **af, mq_err *err)
{
	FILE *fp = open_output(ctx, af, err);
	if (!fp)
		return -1;
	/* The previous week's as_of: the start of the report week. */
	lead_score *prev = xcalloc(ctx->ds->nleads ? ctx->ds->nleads : 1, sizeof *prev);
	score_replay(&ctx->cfg.model, ctx->ds, ctx->mp.week_start[TREND_WEEKS - 1], prev, NULL);
	bool whole = !mq_stop_signal() && write_csv(fp, ctx, v, prev);
	free(prev);
	return whole ? 0 : -1;
}

/* A stop signal has ended the command (sig): say what was left unwritten,
 * once the temp file is removed, and end by that signal. */
static _Noreturn void end_stopped(int sig, const char *out, bool opened)
{
	if (!opened)
		fprintf(stderr, "mqlreport: score stopped by %s before writing the scores: %s\n",
			mq_stop_name(sig), out ? "no file written" : "nothing written");
	else if (out && !afile_streams(out))
		fprintf(stderr,
			"mqlreport: score stopped by %s while writing the scores: %s was not "
			"written or replaced (its unfinished temporary file removed)\n",
			mq_stop_name(sig), out);
	else
		fprintf(stderr,
			"mqlreport: score stopped by %s while writing the scores: the CSV on %s "
			"is cut short\n",
			mq_stop_name(sig), out && strcmp(out, "-") ? out : "standard output");
	mq_stop_exit(sig);
}

/* Nothing scored without a word: the rows rejected are said on standard
 * error (standard output is the CSV), and a leads source of which no row
 * was accepted is an error, not a CSV of a header only. */
static int say_rejects(const run_ctx *ctx, mq_err *err)
{
	const dataset *ds = ctx->ds;
	const source_stats *st = &ds->src[SRC_LEADS];
	const kvcount *top = NULL;
	for (size_t i = 0; i < st->rejected_by_reason.len; i++)
		if (!top || st->rejected_by_reason.items[i].n > top->n)
			top = &st->rejected_by_reason.items[i];
	if (st->rows_read > 0 && st->rows_accepted == 0) {
		mq_err_set(err, MQ_DATAERR,
			   "%s: none of its %lld rows was accepted%s%s%s: no lead to score; "
			   "mqlreport check --show-rejects lists them",
			   st->location, (long long)st->rows_read, top ? " (mostly " : "",
			   top ? top->key : "", top ? ")" : "");
		return -1;
	}
	if (ds->nrejects)
		fprintf(stderr,
			"mqlreport: score: %zu row%s rejected (%lld of the leads); mqlreport check "
			"--show-rejects lists them\n",
			ds->nrejects, ds->nrejects == 1 ? "" : "s", (long long)st->rows_rejected);
	return 0;
}

int cmd_score(int argc, char **argv)
{
	run_ctx ctx;
	mq_err err = {0};
	char *explain = NULL;
	view *v = NULL;
	afile *af = NULL;
	bool opened = false;   /* the scores began: the output is opened */
	bool finished = false; /* the scores are whole: a stop now ends nothing */
	const GOptionEntry extra[] = {
	    {"explain", 'e', 0, G_OPTION_ARG_STRING, &explain,
	     "Print every point LEAD_ID earned, by rule and by event, with decay and caps "
	     "(instead of the CSV)",
	     "LEAD_ID"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	/* from here a stop ends the command cleanly, its temp file removed */
	mq_stop_watch();
	int rc = ctx_parse(&ctx, "score",
			   "write every lead's score as CSV (to standard output, or to --out FILE)",
			   extra, &argc, &argv, &err);
	finished = rc == 1; /* --help */
	if (rc != 0)
		goto done;
	if (argc > 1) {
		mq_err_set(&err, MQ_USAGE,
			   "unexpected argument \"%s\" (try mqlreport score --help)", argv[1]);
		goto done;
	}
	/* every lead with every event, from the sources as load reads them: the
	 * engine path keeps only what the report's tables read */
	ctx.cfg.engine.kind = ENGINE_EMBEDDED;
	if (ctx_load(&ctx, &err) != 0 || mq_stop_signal() || say_rejects(&ctx, &err) != 0)
		goto done;
	ctx.mp.score_cats = !explain; /* the CSV shows each category */
	v = view_new(ctx.ds, &ctx.mp);
	if (mq_stop_signal())
		goto done;
	opened = true;
	if ((explain ? explain_lead(&ctx, v, explain, &af, &err)
		     : write_scores(&ctx, v, &af, &err)) != 0)
		goto done;
	if (af) {
		rc = afile_commit(af, &err);
		af = NULL;
	} else {
		rc = finish_stream(stdout, "standard output", &err);
	}
	finished = rc == 0;
done:
	if (af)
		afile_abort(af);
	view_free(v);
	g_free(explain);
	int sig = mq_stop_signal();
	if (sig && !finished) {
		/* the reading's own "stopped" is said by end_stopped() */
		if (mq_failed(&err) && err.status != mq_stop_status(sig))
			report_error(&err);
		end_stopped(sig, ctx.cfg.out_dir, opened);
	}
	ctx_free(&ctx);
	if (rc == 1 && !mq_failed(&err))
		return MQ_OK; /* --help */
	return mq_failed(&err) ? report_error(&err) : MQ_OK;
}
