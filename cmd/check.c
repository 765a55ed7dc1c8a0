/* check.c — `mqlreport check`: validate the configuration, every
 * environment variable it names and every source, print what was read and
 * the data-health checks, write no report. Exits 65, 69, 73 or 78 where a run
 * would; with --connect it also opens the HTTPS sources and the SMTP server
 * (connect.c). A stop signal ends a download (its temp file removed) or
 * the SMTP session at once, and then the command, by that signal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgval.h"
#include "commands.h"
#include "config_email.h"
#include "connect.h"
#include "fetchprep.h"
#include "lock.h"
#include "notes.h"
#include "publish.h"
#include "run.h"
#include "sentstate.h"
#include "stop.h"
#include "health.h"
#include "normalize.h"
#include "timeparse.h"

/* What the [email] settings would do wrong without stopping a run: mail
 * nobody, notify nobody of a failure, name recipients that get nothing.
 * Said first, whatever the sources hold: a schedule is set up with check. */
static void email_warnings(const run_config *c)
{
	email_mails_nobody_warn(c, "warning: ",
				": a run publishes the reports, mails nobody and exits 0 (set "
				"smtp_url, or give the run --no-email)");
	email_notice_nobody_warn(c, "warning: ");
	email_lists_warn(c);
}

static void print_counts(const char *title, const kvcounts *c)
{
	if (c->len == 0)
		return;
	printf("  %s:\n", title);
	for (size_t i = 0; i < c->len; i++)
		printf("    %-28s %lld\n", c->items[i].key, (long long)c->items[i].n);
}

/* The as_of-dependent quality of one source, from the computed tree. */
static const mval *source_quality(const mval *dq, const char *name)
{
	const mval *rows = mv_get(dq, "sources");
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *r = mv_at(rows, i);
		const char *s = mv_str_of(mv_get(r, "source"));
		if (s && !strcmp(s, name))
			return r;
	}
	return NULL;
}

/* A rejected value, at most 80 bytes of it, in quotes, as norm_visible()
 * writes it: a control byte (a NUL) as \xNN, a tab as \t, so that the
 * value is shown whole, not cut at a NUL or laid out by a terminal, and an
 * unusual space or an invisible character (U+2009, U+200B) as <U+XXXX>,
 * so that a value refused for it does not look like one that is read. */
static void print_value(const char *s, size_t len)
{
	/* the first 80 bytes, cut before a character */
	size_t cut = len < 80 ? len : 80;
	while (cut < len && cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	char shown[80 * 8 + 1];
	norm_visible(shown, sizeof shown, s, cut);
	printf("\"%s\"", shown);
}

/* The first n rejected rows: where, why, and the raw values. */
static void print_rejects(const dataset *ds, int n)
{
	if (n <= 0 || ds->nrejects == 0)
		return;
	size_t shown = (size_t)n < ds->nrejects ? (size_t)n : ds->nrejects;
	printf("rejected rows (the first %zu of %zu):\n", shown, ds->nrejects);
	for (size_t i = 0; i < shown; i++) {
		const reject *r = &ds->rejects[i];
		const char *where = ds_reject_location(ds, i);
		printf("  %s:%u: %s:", where ? where : source_name[r->source], r->line, r->reason);
		for (size_t f = 0; f < r->nfields; f++) {
			printf("%s ", f ? "," : "");
			print_value(r->fields[f], r->lens[f]);
		}
		printf("\n");
	}
}

/* What was read, source by source. Returns how many sources are stale. */
static int print_sources(const run_ctx *ctx, const mval *dq)
{
	char asof[32];
	ts_format_utc(ctx->mp.as_of, asof, sizeof asof);
	printf("week %s (as_of %s, time zone %s)\n", ctx->week_label, asof,
	       ctx->cfg.in.timezone ? ctx->cfg.in.timezone : "UTC");
	int stale = 0;
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *st = &ctx->ds->src[s];
		if (!st->present)
			continue;
		printf("%s: %s (preset %s, %lld bytes)\n", source_name[s], st->location,
		       st->preset ? st->preset : "canonical", (long long)st->bytes);
		printf("  rows read %lld, accepted %lld, rejected %lld\n", (long long)st->rows_read,
		       (long long)st->rows_accepted, (long long)st->rows_rejected);
		for (size_t i = 0; i < st->nfiles; i++) /* a source summed from several files */
			printf("  %s: %s (preset %s, %lld bytes): rows read %lld, accepted %lld, "
			       "rejected %lld\n",
			       st->files[i].name, st->files[i].location, st->files[i].preset,
			       (long long)st->files[i].bytes, (long long)st->files[i].rows_read,
			       (long long)st->files[i].rows_accepted,
			       (long long)st->files[i].rows_rejected);
		print_counts("rejected by reason", &st->rejected_by_reason);
		print_counts("warnings by field", &st->warnings_by_field);
		if (st->preamble_lines || st->footer_lines)
			printf(
			    "  report lines skipped: %lld before the header, %lld after the data\n",
			    (long long)st->preamble_lines, (long long)st->footer_lines);
		if (st->cut_row)
			printf("  CUT OFF: the file ends inside its row at line %lu (no line break "
			       "after it)\n",
			       (unsigned long)st->cut_row);
		char *ignored = notes_columns(&st->unknown_columns, 1),
		     *repeated = notes_columns(&st->unknown_columns, 2);
		if (ignored)
			printf("  ignored columns: %s\n", ignored);
		if (repeated)
			printf("  repeated columns (the first of each name is read): %s\n",
			       repeated);
		g_free(ignored);
		g_free(repeated);
		const mval *q = source_quality(dq, source_name[s]);
		if (q) {
			char newest[32] = "none";
			ts_ms t = mv_time_of(mv_get(q, "newest_timestamp"));
			if (t != TS_NONE)
				ts_format_utc(t, newest, sizeof newest);
			bool is_stale = mv_bool_of(mv_get(q, "stale"));
			stale += is_stale;
			printf("  newest timestamp %s, %lld at or after as_of%s\n", newest,
			       (long long)mv_int_of(mv_get(q, "timestamps_after_as_of")),
			       is_stale ? ", STALE (nothing in the 7 days before as_of)" : "");
		}
	}
	printf("duplicates: %lld leads, %lld opportunities; orphaned: %lld events, %lld "
	       "opportunities; unknown event types: %lld\n",
	       (long long)ctx->ds->duplicate_leads, (long long)ctx->ds->duplicate_opps,
	       (long long)mv_int_of(mv_get(dq, "orphaned_events")),
	       (long long)mv_int_of(mv_get(dq, "orphaned_opportunities")),
	       (long long)mv_int_of(mv_get(dq, "unknown_event_types")));
	return stale;
}

/* The data-health checks that did not pass, and the tally. */
static void print_health(const mval *dq)
{
	const mval *h = mv_get(dq, "health");
	printf("data health: %zu passed, %zu warnings, %zu failed, %zu off\n",
	       health_count(h, "pass"), health_count(h, "warn"), health_count(h, "fail"),
	       health_count(h, "off"));
	for (size_t i = 0; i < mv_len(h); i++) {
		const mval *r = mv_at(h, i);
		const char *st = mv_str_of(mv_get(r, "status"));
		if (st && (!strcmp(st, "warn") || !strcmp(st, "fail")))
			printf("  %-4s %s: %s\n", st, mv_str_of(mv_get(r, "check")),
			       mv_str_of(mv_get(r, "message")));
	}
}

/* The week's lock file and sent-state as a run would meet them: a lock
 * file it would refuse (lock.h), a sent-state it cannot read (which stops
 * a run before anything is published) or, when the run would send mail,
 * one that is not a valid key file (which stops it before anything is
 * sent). Returns 0, or -1 with err as the run's. */
static int publish_state_check(const run_ctx *ctx, mq_err *err)
{
	char *dir = run_out_dir(ctx);
	publish_owner_warning(dir);
	int rc = lock_check(&ctx->cfg, dir, err);
	sentstate *st = rc == 0 ? sentstate_open(dir, err) : NULL;
	free(dir);
	if (rc != 0)
		return -1;
	if (st) {
		sentstate_free(st);
		return 0;
	}
	/* as deliver_reports() reads it: a server, recipients, no --no-email */
	const email_cfg *e = ctx->cfg.email;
	bool mail =
	    e && e->smtp_url && !ctx->cfg.no_email && (e->to || e->workbook_to || e->pdf_to);
	if (err->status == MQ_CONFIG && !mail) {
		*err = (mq_err){0}; /* read only to send: a run without mail publishes */
		return 0;
	}
	return -1;
}

/* The rows --show-rejects prints when no number follows it. */
#define SHOW_REJECTS_DEFAULT "20"

/* "--show-rejects" without a number after it, as the run's advice writes
 * it ("mqlreport check --show-rejects lists them"), prints the first
 * SHOW_REJECTS_DEFAULT rows. GLib takes an optional value only after "=",
 * so the word is rewritten before the options are parsed; a word after it
 * that is a number, negative ones included (refused below), is its value. */
static void show_rejects_default(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		if (strcmp(argv[i], "--show-rejects") != 0)
			continue;
		const char *next = i + 1 < argc ? argv[i + 1] : "";
		next += *next == '-';
		bool number = *next != '\0';
		for (const char *p = next; *p; p++)
			number = number && g_ascii_isdigit(*p);
		if (!number)
			argv[i] = (char *)"--show-rejects=" SHOW_REJECTS_DEFAULT;
	}
}

int cmd_check(int argc, char **argv)
{
	run_ctx ctx;
	mq_err err = {0};
	mval *root = NULL;
	gboolean connect = FALSE;
	gint show_rejects = 0;
	const GOptionEntry extra[] = {
	    {"show-rejects", 0, 0, G_OPTION_ARG_INT, &show_rejects,
	     "Print the first N rejected rows with their reason and raw values "
	     "(" SHOW_REJECTS_DEFAULT " without N)",
	     "N"},
	    {"connect", 0, 0, G_OPTION_ARG_NONE, &connect,
	     "Also connect to the HTTPS sources (a ranged GET of one byte) and the SMTP "
	     "server (EHLO, STARTTLS, AUTH, NOOP, QUIT; no message is sent)",
	     NULL},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	/* a stop ends a download cleanly (its temp file removed), then check */
	mq_stop_watch();
	show_rejects_default(argc, argv);
	if (ctx_parse(&ctx, "check", "validate the configuration and every source", extra, &argc,
		      &argv, &err) != 0)
		goto done;
	if (argc > 1) {
		mq_err_set(&err, MQ_USAGE,
			   "unexpected argument \"%s\" (try mqlreport check --help)", argv[1]);
		goto done;
	}
	if (show_rejects < 0) {
		mq_err_set(&err, MQ_USAGE,
			   "--show-rejects: expected a number of rows, 0 or more, got %d",
			   show_rejects);
		goto done;
	}
	email_warnings(&ctx.cfg);
	/* in the order a run meets them: the fetch (its credentials), the
	 * data-health gate, then the e-mail (its CA file, its credentials) */
	if (fetchprep_vars(&ctx.cfg, &err) != 0 ||
	    (connect && connect_sources(&ctx.cfg, &err) != 0))
		goto done;
	if (ctx_load(&ctx, &err) != 0 || mq_stop_signal()) {
		/* a later source stopped the load: the rows rejected before it
		 * (the leads', when none was accepted) are what its error's
		 * advice, check --show-rejects, is run for; the error follows */
		if (ctx.ds && !mq_stop_signal()) {
			print_rejects(ctx.ds, show_rejects);
			fflush(stdout); /* before the error, on one terminal or pipe */
		}
		goto done;
	}
	/* the folder a run would publish into, its lock and its sent-state: 0
	 * only where a run would publish */
	if (run_out_check(&ctx, &err) != 0 || publish_state_check(&ctx, &err) != 0)
		goto done;

	root = run_compute(&ctx);
	const mval *dq = mv_get(root, "data_quality");
	int stale = print_sources(&ctx, dq);
	notes_unknown_types(dq);
	/* before the verdict: a failed gate is when the rows are wanted */
	print_rejects(ctx.ds, show_rejects);
	print_health(dq);
	if (run_health_gate(&ctx, root, &err) != 0 || email_vars_check(&ctx.cfg, &err) != 0 ||
	    (connect && connect_smtp(&ctx.cfg, &err) != 0))
		goto done;
	size_t warnings = health_count(mv_get(dq, "health"), "warn");
	printf("check: OK, %zu row%s rejected%s", ctx.ds->nrejects,
	       ctx.ds->nrejects == 1 ? "" : "s", stale ? ", stale sources present" : "");
	if (warnings)
		printf(", %zu data-health warning%s", warnings, warnings == 1 ? "" : "s");
	if (email_mails_nobody(&ctx.cfg))
		printf(", e-mail to nobody (no smtp_url)");
	printf("\n");
done:
	mv_free(root);
	ctx_free(&ctx);
	int sig = mq_stop_signal();
	if (sig) { /* ended by it, as a shell and a scheduler expect */
		fprintf(stderr, "mqlreport: check stopped by %s\n", mq_stop_name(sig));
		mq_stop_exit(sig);
	}
	return mq_failed(&err) ? report_error(&err) : MQ_OK;
}
