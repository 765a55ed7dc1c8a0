/* cli.c — the command line: the top-level help, the options that run,
 * check and score share, the week and sources they resolve, and the
 * dispatch to a command.
 *
 * Computes no metric and writes no output: the commands do. */
#include "clock.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__ /* defined by the headers above */
#include <malloc.h>
#endif

#include "cfgval.h"
#include "colmap.h"
#include "commands.h"
#include "fetch.h"
#include "fetchprep.h"
#include "gen.h"
#include "load.h"
#include "notes.h"
#include "optonce.h"
#include "optpath.h"
#include "stop.h"
#include "textenc.h"
#include "timeparse.h"
#include "value.h"

static const char *const top_help =
    "Usage: mqlreport COMMAND [OPTIONS]\n"
    "\n"
    "Weekly MQL and funnel reports from CRM and marketing-automation exports.\n"
    "\n"
    "Commands:\n"
    "  run     read the sources, compute the funnel metrics of the report week and\n"
    "          write metrics.json, the executive workbook, the campaign-ROI PDF and\n"
    "          rejects.csv into out/<week>/; then e-mail the reports\n"
    "  check   validate the configuration and every source; write no report\n"
    "  score   write every lead's score (or explain one lead's points)\n"
    "  gen     write realistic sample exports of any size\n"
    "  load    read the sources as run does and load them into ClickHouse ([engine])\n"
    "\n"
    "Examples:\n"
    "  mqlreport run --data samples --week 2026-W47\n"
    "  mqlreport run --config config/example.ini --week 2026-W47\n"
    "  mqlreport check --config mqlreport.ini --week last\n"
    "  mqlreport score --data samples --explain L0000042\n"
    "  mqlreport load --config mqlreport.ini\n"
    "  mqlreport run --config mqlreport.ini --engine clickhouse   (docs/scale.md)\n"
    "\n"
    "`mqlreport COMMAND --help` lists a command's options; `--version` prints the version.\n";

int report_error(const mq_err *err)
{
	fprintf(stderr, "mqlreport: %s\n", err->msg[0] ? err->msg : "failed");
	return err->status ? err->status : MQ_SOFTWARE;
}

/* ---- the options run, check and score share ---- */

typedef struct shared_opts {
	char *config, *data, *week, *out, *tz, *currency, *mql_source, *threshold, *half_life,
	    *attribution, *encoding, *engine;
	gboolean no_email;
} shared_opts;

static gboolean print_version(const gchar *name, const gchar *value, gpointer data, GError **error)
{
	(void)name, (void)value, (void)data, (void)error;
	printf("mqlreport %s\n", MQL_VERSION);
	exit(MQ_OK);
}

/* `--version` for every command's option table. */
const GOptionEntry version_entry[] = {
    {"version", 'V', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, (gpointer)print_version,
     "Print the version and exit", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};

static void shared_opts_free(shared_opts *o)
{
	g_free(o->config);
	g_free(o->data);
	g_free(o->week);
	g_free(o->out);
	g_free(o->tz);
	g_free(o->currency);
	g_free(o->mql_source);
	g_free(o->engine);
	g_free(o->threshold);
	g_free(o->half_life);
	g_free(o->attribution);
	g_free(o->encoding);
}

/* An option's value checked by value.h's rule: exit 64 naming the option. */
static int usage_bad(mq_err *err, const char *option, const char *why)
{
	mq_err_set(err, MQ_USAGE, "--%s: %s", option, why);
	return -1;
}

/* --week, --tz, --currency, --threshold, --half-life: the parser the file's
 * values go through too (value.h). */
static int check_values(const shared_opts *o, run_config *c, mq_err *err)
{
	char why[VAL_WHY], code[4];
	if (o->week && !val_week(o->week, why))
		return usage_bad(err, "week", why);
	if (o->tz && !val_timezone(o->tz, why))
		return usage_bad(err, "tz", why);
	if (o->currency && !val_currency(o->currency, code, why))
		return usage_bad(err, "currency", why);
	if (o->threshold &&
	    !val_number(o->threshold, -VAL_POINTS_MAX, VAL_POINTS_MAX, &c->model.threshold, why))
		return usage_bad(err, "threshold", why);
	if (o->half_life &&
	    !val_number(o->half_life, 0, VAL_HALF_LIFE_MAX, &c->model.half_life_days, why))
		return usage_bad(err, "half-life", why);
	if (o->currency) {
		free(c->in.currency);
		c->in.currency = xstrdup(code);
	}
	return 0;
}

/* sc reads dir/file, when it must or when the file is there; returns
 * whether it does. */
static bool set_source(source_cfg *sc, const char *dir, const char *file, bool must_exist)
{
	char *path = g_build_filename(dir, file, NULL);
	/* a link that leads nowhere is there, and read: its error names it,
	 * where leaving the file out would drop its rows without a word */
	bool set = must_exist || g_file_test(path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);
	if (set) {
		free(sc->location);
		sc->location = xstrdup(path);
		free(sc->preset);
		sc->preset = xstrdup("auto");
	}
	g_free(path);
	return set;
}

/* --data names every export: the folder's opportunities.csv, when there
 * is one, and no other file of the configuration's; those it leaves out
 * are said, so that a deals export or a further spend file of the
 * configuration neither mixes in unseen nor is dropped unsaid. */
static void data_only(run_config *c, const char *dir)
{
	source_cfg *op = &c->in.src[SRC_OPPORTUNITIES];
	if (!set_source(op, dir, "opportunities.csv", false) &&
	    op->location) { /* the configuration's */
		fprintf(stderr,
			"mqlreport: --data: %s is not read: --data names every export, and its "
			"folder has no opportunities.csv\n",
			op->location);
		free(op->location);
		op->location = NULL;
		c->opps_left_out = true;
	}
	for (size_t i = 0; i < c->in.nspend_more; i++) {
		source_cfg *sp = &c->in.spend_more[i];
		fprintf(stderr,
			"mqlreport: --data: [source.spend.%s]'s %s is not read: --data names every "
			"export (spend.csv of its folder)\n",
			sp->name ? sp->name : "", sp->location ? sp->location : "file");
		source_cfg_clear(sp);
	}
	c->in.nspend_more = 0;
}

/* Options override the file, which overrides the defaults. */
static int apply_options(run_ctx *ctx, const shared_opts *o, mq_err *err)
{
	run_config *c = &ctx->cfg;
	/* an unset variable in a scheduled command line ("--out $OUT"): never
	 * the working folder, which a run would replace */
	const char *const named[][2] = {
	    {"--config", o->config}, {"--data", o->data}, {"--out", o->out}};
	for (size_t k = 0; k < G_N_ELEMENTS(named); k++)
		if (named[k][1] && !named[k][1][0]) {
			mq_err_set(err, MQ_USAGE,
				   "%s: empty (an unset variable?): name a path, or leave %s out",
				   named[k][0], named[k][0]);
			return -1;
		}
	if (o->config && config_load(c, o->config, err) != 0)
		return -1;
	if (o->data) {
		if (!g_file_test(o->data, G_FILE_TEST_IS_DIR)) {
			if (g_file_test(o->data, G_FILE_TEST_EXISTS))
				mq_err_set(err, MQ_NOINPUT,
					   "%s: is a file, not a folder (--data takes the folder "
					   "that holds leads.csv, events.csv and spend.csv; a "
					   "configuration file goes to --config)",
					   o->data);
			else
				mq_err_set(err, MQ_NOINPUT, "%s: no such folder (--data)", o->data);
			return -1;
		}
		free(c->data_dir);
		c->data_dir = xstrdup(o->data);
		set_source(&c->in.src[SRC_LEADS], o->data, "leads.csv", true);
		set_source(&c->in.src[SRC_EVENTS], o->data, "events.csv", true);
		set_source(&c->in.src[SRC_SPEND], o->data, "spend.csv", true);
		data_only(c, o->data);
	}
	if (!o->config && !o->data) {
		mq_err_set(
		    err, MQ_USAGE,
		    "nothing to read: give --data DIR (a folder of exports) or --config FILE "
		    "(try --help)");
		return -1;
	}
	if (o->week) {
		free(c->week);
		c->week = xstrdup(o->week);
	}
	if (o->out) {
		free(c->out_dir);
		c->out_dir = xstrdup(o->out);
	}
	if (o->tz) {
		free(c->in.timezone);
		c->in.timezone = xstrdup(o->tz);
	}
	if (o->mql_source && config_parse_mql_source(o->mql_source, &c->mql_source) != 0) {
		mq_err_set(err, MQ_USAGE,
			   "--mql-source: \"%s\" is not auto, export, score or status",
			   o->mql_source);
		return -1;
	}
	if (o->attribution && config_parse_attribution(o->attribution, &c->attribution) != 0) {
		mq_err_set(
		    err, MQ_USAGE,
		    "--attribution: \"%s\" is not first_touch, last_touch, linear, u_shaped, "
		    "w_shaped or time_decay",
		    o->attribution);
		return -1;
	}
	if (check_values(o, c, err) != 0)
		return -1;
	ctx->threshold_opt = o->threshold != NULL;
	ctx->half_life_opt = o->half_life != NULL;
	if (o->encoding) {
		int enc;
		mq_err bad = {0};
		if (textenc_parse(o->encoding, "--encoding", &enc, &bad) != 0) {
			mq_err_set(
			    err, MQ_USAGE,
			    "--encoding: \"%s\" is not auto, utf-8 or windows-1252 (nor utf8, "
			    "cp1252, latin1 or iso-8859-1, which name them too)",
			    o->encoding);
			return -1;
		}
		for (int s = 0; s < SRC_COUNT; s++) {
			free(c->in.src[s].encoding);
			c->in.src[s].encoding = xstrdup(o->encoding);
		}
	}
	if (o->no_email)
		c->no_email = true;
	if (o->engine && engine_parse_kind(o->engine, &c->engine.kind) != 0) {
		mq_err_set(err, MQ_USAGE, "--engine: \"%s\" is not embedded or clickhouse",
			   o->engine);
		return -1;
	}
	return 0;
}

/* Parse argv with the shared options, the command's and --version, the
 * help naming the command; a path option the shell left starting with ~
 * is refused (optpath.h). Returns 0, or -1 with err (MQ_USAGE). */
static int parse_options(const char *name, const char *summary, const GOptionEntry *shared,
			 const GOptionEntry *extra, int *argc, char ***argv, mq_err *err)
{
	const GOptionEntry *const tables[] = {shared, extra, NULL};
	if (opt_given_twice(name, tables, *argc, *argv, err) != 0)
		return -1;
	char *param = xasprintf("- %s", summary);
	GOptionContext *oc = g_option_context_new(param);
	free(param);
	char *prgname = xasprintf("mqlreport %s", name);
	g_set_prgname(prgname);
	free(prgname);
	g_option_context_add_main_entries(oc, shared, NULL);
	if (extra)
		g_option_context_add_main_entries(oc, extra, NULL);
	g_option_context_add_main_entries(oc, version_entry, NULL);
	char *description =
	    xasprintf("Options override the configuration file, which overrides the defaults.\n"
		      "Exit status: %s\n",
		      mq_status_summary());
	g_option_context_set_description(oc, description);
	free(description);
	GError *ge = NULL;
	int rc = 0;
	if (!g_option_context_parse(oc, argc, argv, &ge)) {
		/* GLib reads option values in the locale's character set and
		 * names neither the option nor the cure when one is not */
		bool charset = ge->domain == G_CONVERT_ERROR;
		/* GLib's sentence in the style of the others: lower case first */
		if (g_ascii_isupper(ge->message[0]) && !g_ascii_isupper(ge->message[1]))
			ge->message[0] = g_ascii_tolower(ge->message[0]);
		mq_err_set(err, MQ_USAGE, "%s%s (try mqlreport %s --help)", ge->message,
			   charset ? ": an option's value is not text in the locale's character "
				     "set; run under a UTF-8 locale (LC_ALL=C.UTF-8) or write the "
				     "value in the configuration file"
				   : "",
			   name);
		g_error_free(ge);
		rc = -1;
	}
	/* --out=~/reports: no folder named ~ in the current one */
	if (rc == 0 && opt_path_unexpanded(tables, err) != 0)
		rc = -1;
	g_option_context_free(oc);
	return rc;
}

/* Whether the shared option opt does anything for the command: --out
 * only where something is written, --no-email only where something is
 * sent. The others are still accepted (scripts pass one set to every
 * command), only not listed by --help. */
static bool option_applies(const char *cmd, const char *opt)
{
	if (strcmp(opt, "out") == 0) /* check: the folder a run would write */
		return strcmp(cmd, "run") == 0 || strcmp(cmd, "score") == 0 ||
		       strcmp(cmd, "check") == 0;
	if (strcmp(opt, "no-email") == 0) /* check: the [email] checks skipped */
		return strcmp(cmd, "run") == 0 || strcmp(cmd, "check") == 0;
	if (strcmp(opt, "engine") == 0) /* load: embedded loads nothing */
		return strcmp(cmd, "score") != 0;
	/* load stores rows: the report's week and the scoring and attribution
	 * parameters are a run's */
	if (strcmp(opt, "week") == 0 || strcmp(opt, "threshold") == 0 ||
	    strcmp(opt, "half-life") == 0)
		return strcmp(cmd, "load") != 0;
	/* only a run's channel and campaign tables attribute revenue */
	if (strcmp(opt, "attribution") == 0)
		return strcmp(cmd, "run") == 0;
	return true;
}

/* --engine given to a command that has no choice: score reads every lead
 * with every event from the sources. (load --engine embedded is accepted:
 * cmd_load() then has nothing to load, and says so.) */
static int engine_option_fits(const char *cmd, const run_ctx *ctx, mq_err *err)
{
	if (strcmp(cmd, "score") == 0 && ctx->cfg.engine.kind == ENGINE_CLICKHOUSE) {
		mq_err_set(
		    err, MQ_USAGE,
		    "--engine clickhouse: score reads every lead with every event from the "
		    "sources of the configuration, not from the engine (leave --engine out)");
		return -1;
	}
	return 0;
}

/* The options given that a run of the same week again must repeat, as
 * words: every shared option that takes a value but --week, paths made
 * absolute (the notice is read elsewhere). */
static char **rerun_words(const GOptionEntry *shared)
{
	GPtrArray *w = g_ptr_array_new();
	for (const GOptionEntry *e = shared; e->long_name; e++) {
		bool path = e->arg == G_OPTION_ARG_FILENAME;
		if ((!path && e->arg != G_OPTION_ARG_STRING) || !strcmp(e->long_name, "week"))
			continue;
		const char *value = *(char *const *)e->arg_data;
		if (!value)
			continue;
		g_ptr_array_add(w, g_strdup_printf("--%s", e->long_name));
		g_ptr_array_add(w, path ? g_canonicalize_filename(value, NULL) : g_strdup(value));
	}
	g_ptr_array_add(w, NULL);
	return (char **)g_ptr_array_free(w, FALSE);
}

int ctx_parse(run_ctx *ctx, const char *name, const char *summary, const GOptionEntry *extra,
	      int *argc, char ***argv, mq_err *err)
{
	*ctx = (run_ctx){0};
	config_default(&ctx->cfg);
	ctx->tty = isatty(STDERR_FILENO);

	shared_opts o = {0};
	const GOptionEntry shared[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &o.config,
	     "Read the configuration from FILE (INI)", "FILE"},
	    {"data", 'd', 0, G_OPTION_ARG_FILENAME, &o.data,
	     "Read leads.csv, events.csv, spend.csv and, when present, opportunities.csv "
	     "from DIR (no configuration file needed; presets detected from the headers)",
	     "DIR"},
	    {"week", 'w', 0, G_OPTION_ARG_STRING, &o.week,
	     "The report week: an ISO week such as 2026-W47, or last (default: the last "
	     "complete week)",
	     "WEEK"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out,
	     strcmp(name, "score") == 0
		 ? "Write the scored-leads CSV to FILE (default: standard output)"
		 : "Write the outputs into DIR itself (default: out/<week>/)",
	     strcmp(name, "score") == 0 ? "FILE" : "DIR"},
	    {"tz", 0, 0, G_OPTION_ARG_STRING, &o.tz, "Report time zone, an IANA name (default UTC)",
	     "NAME"},
	    {"currency", 0, 0, G_OPTION_ARG_STRING, &o.currency,
	     "Report currency code (default USD)", "CODE"},
	    {"mql-source", 0, 0, G_OPTION_ARG_STRING, &o.mql_source,
	     "Where mql_at comes from: auto (the export's column when it has one, else the "
	     "score), export, score, or status (the lead status, [mql] status_values)",
	     "auto|export|score|status"},
	    {"threshold", 0, 0, G_OPTION_ARG_STRING, &o.threshold,
	     "MQL score threshold (default 60); it decides the MQLs only when they come from "
	     "the score (--mql-source)",
	     "N"},
	    {"half-life", 0, 0, G_OPTION_ARG_STRING, &o.half_life,
	     "Decay behavioural points with this half-life (default 0: no decay); like "
	     "--threshold, it moves MQLs only when they come from the score",
	     "DAYS"},
	    {"attribution", 0, 0, G_OPTION_ARG_STRING, &o.attribution,
	     "Model behind revenue and roi in the channel and campaign tables: first_touch "
	     "(default), last_touch, linear, u_shaped, w_shaped, time_decay",
	     "MODEL"},
	    {"encoding", 0, 0, G_OPTION_ARG_STRING, &o.encoding,
	     "Text encoding of every source: auto (default: UTF-8, else windows-1252 with a "
	     "warning), utf-8 or windows-1252",
	     "auto|utf-8|windows-1252"},
	    {"no-email", 0, 0, G_OPTION_ARG_NONE, &o.no_email, "Do not e-mail the reports", NULL},
	    {"engine", 0, 0, G_OPTION_ARG_STRING, &o.engine,
	     "Where the events are: embedded (read the sources, the default) or clickhouse "
	     "(the cluster of [engine], filled by mqlreport load)",
	     "embedded|clickhouse"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};

	GOptionEntry shown[G_N_ELEMENTS(shared)];
	memcpy(shown, shared, sizeof shared);
	for (size_t i = 0; shown[i].long_name; i++) {
		if (!option_applies(name, shown[i].long_name))
			shown[i].flags |= G_OPTION_FLAG_HIDDEN;
		if (!strcmp(name, "check") && !strcmp(shown[i].long_name, "no-email"))
			shown[i].description = "Leave the [email] settings and their credentials "
					       "unchecked, as for a run with --no-email";
		if (!strcmp(name, "load") && !strcmp(shown[i].long_name, "engine"))
			shown[i].description =
			    "embedded: load nothing and say so (a run with --engine embedded "
			    "reads the sources itself); clickhouse: load the tables of "
			    "[engine], as without the option";
		if (!strcmp(name, "check") && !strcmp(shown[i].long_name, "out"))
			shown[i].description = "Check that a run could write its outputs into DIR "
					       "(default: out/<week>/); nothing is written";
	}
	int rc = parse_options(name, summary, shown, extra, argc, argv, err);
	if (rc == 0)
		rc = apply_options(ctx, &o, err);
	if (rc == 0)
		ctx->cfg.rerun_args = rerun_words(shared);
	ctx->engine_opt = o.engine != NULL;
	if (rc == 0 && o.engine)
		rc = engine_option_fits(name, ctx, err);
	shared_opts_free(&o);
	return rc;
}

/* `--week last` a few hours before the week in progress ends in the
 * report's zone, as a timer set in a zone east of it runs: the report is of
 * the week before the one just ending there. Say so, and how to schedule. */
static void warn_week_ending(const run_ctx *ctx, ts_ms now)
{
	ts_ms end = week_end_after(ctx->tz, now);
	if (end - now > 12 * 3600000LL)
		return;
	GDateTime *at = g_date_time_new_from_unix_utc(end / 1000);
	GDateTime *local = at ? g_date_time_to_timezone(at, ctx->tz) : NULL;
	char *when = local ? g_date_time_format(local, "%a %-d %b %Y %H:%M %Z") : NULL;
	const char *zone = ctx->cfg.in.timezone ? ctx->cfg.in.timezone : "UTC";
	fprintf(stderr,
		"mqlreport: warning: week last is %04d-W%02d: in %s the week after it ends only "
		"at %s, in %.1f hours; to report that week, run after it ends there (a timer: "
		"OnCalendar=Mon *-*-* 06:00:00 %s, docs/operations.md) or give --week\n",
		ctx->year, ctx->week, zone, when ? when : "the next Monday",
		(double)(end - now) / 3600000.0, zone);
	g_free(when);
	if (local)
		g_date_time_unref(local);
	if (at)
		g_date_time_unref(at);
}

/* A week that has not ended by the clock (not SOURCE_DATE_EPOCH, which
 * only stamps the outputs) counts only what has happened so far: say so,
 * since its numbers fall short of the weeks before. */
static void warn_unfinished(const run_ctx *ctx)
{
	ts_ms now = (ts_ms)time(NULL) * 1000;
	if (ctx->mp.as_of <= now)
		return;
	/* a week still to come: nothing in it has happened, and the health
	 * checks' "out of date" would blame the exports for the calendar */
	ts_ms start = ctx->mp.week_start[TREND_WEEKS - 1];
	bool to_come = start > now;
	GDateTime *end = g_date_time_new_from_unix_utc((to_come ? start : ctx->mp.as_of) / 1000);
	GDateTime *local = end ? g_date_time_to_timezone(end, ctx->tz) : NULL;
	char *when = local ? g_date_time_format(local, "%a %-d %b %Y %H:%M %Z") : NULL;
	if (to_come)
		fprintf(stderr,
			"mqlreport: warning: week %s has not started yet (it starts %s): nothing "
			"in it has happened, so its report is empty and the data-health checks "
			"find every export out of date; is the week a typo? --week last is the "
			"last whole week\n",
			ctx->week_label, when ? when : "later");
	else
		fprintf(stderr,
			"mqlreport: warning: week %s has not ended yet (it ends %s): its counts "
			"are partial and fall short of whole weeks; run it again once it has "
			"ended, or use --week last\n",
			ctx->week_label, when ? when : "later");
	g_free(when);
	if (local)
		g_date_time_unref(local);
	if (end)
		g_date_time_unref(end);
}

int ctx_week(run_ctx *ctx, mq_err *err)
{
	run_config *c = &ctx->cfg;
	if (ctx->week_label[0])
		return 0; /* resolved before */
	ctx->tz = g_time_zone_new_identifier(c->in.timezone ? c->in.timezone : "UTC");
	if (!ctx->tz) {
		mq_err_set(err, MQ_CONFIG,
			   "unknown time zone \"%s\" (an IANA name such as Europe/Berlin)",
			   c->in.timezone);
		return -1;
	}
	if (strcmp(c->week, "last") == 0) {
		ts_ms now = (ts_ms)time(NULL) * 1000;
		week_last(ctx->tz, now, &ctx->year, &ctx->week);
		warn_week_ending(ctx, now);
	} else if (!week_parse(c->week, &ctx->year, &ctx->week)) {
		char why[VAL_WHY] = "";
		val_week(c->week, why);
		mq_err_set(err, MQ_USAGE, "week: %s", why);
		return -1;
	}
	snprintf(ctx->week_label, sizeof ctx->week_label, "%04d-W%02d", ctx->year, ctx->week);

	metrics_params_default(&ctx->mp);
	week_series(ctx->tz, ctx->year, ctx->week, ctx->mp.week_start, ctx->mp.week_label);
	ctx->mp.as_of = ctx->mp.week_start[TREND_WEEKS];
	ctx->mp.now = (ts_ms)time(NULL) * 1000;
	warn_unfinished(ctx);
	ctx->mp.mql_source = c->mql_source;
	ctx->mp.attribution = c->attribution;
	for (int s = 0; s < SRC_COUNT; s++) {
		ctx->mp.decimal_comma[s] = c->in.src[s].decimal_comma;
		ctx->mp.date_style[s] = c->in.src[s].dmy_dates	 ? TS_DATES_DMY
					: c->in.src[s].mdy_dates ? TS_DATES_MDY
					: c->in.src[s].us_dates	 ? TS_DATES_US
								 : TS_DATES_ISO;
	}
	ctx->mp.gross_margin = c->gross_margin;
	ctx->mp.expected_lifetime_years = c->expected_lifetime_years;
	ctx->mp.low_sample_min = c->low_sample_min;
	ctx->mp.model = &c->model;
	return 0;
}

/* A source file that is not there: the message names the file; add which
 * setting named it, so that the fix is in the right place. */
static void name_missing_source(const run_config *c, mq_err *err)
{
	if (err->status != MQ_NOINPUT || !strstr(err->msg, strerror(ENOENT)))
		return;
	for (int s = 0; s < SRC_COUNT; s++) {
		const char *loc = c->in.src[s].location;
		if (!loc || strncmp(err->msg, loc, strlen(loc)) != 0 ||
		    err->msg[strlen(loc)] != ':')
			continue;
		size_t used = strlen(err->msg);
		gchar *target = g_file_read_link(loc, NULL);
		if (target) { /* the link is there, what it names is not */
			snprintf(err->msg + used, sizeof err->msg - used,
				 " (a link to %s, which is not there: point the link at the "
				 "export, or remove it)",
				 target);
			g_free(target);
			return;
		}
		if (c->data_dir || !c->config_path) {
			if (c->data_dir)
				snprintf(err->msg + used, sizeof err->msg - used,
					 " (--data names a folder that holds leads.csv, events.csv "
					 "and spend.csv, and opportunities.csv when there is one)");
			return;
		}
		char group[32];
		snprintf(group, sizeof group, "source.%s", source_name[s]);
		static const char *const keys[] = {"location", "path", "url"};
		int group_line = cfg_line_of(c->config_path, group, NULL);
		for (int k = 0; k < 3; k++) {
			/* a key that is not there gives its group's line */
			int line = cfg_line_of(c->config_path, group, keys[k]);
			if (line > 0 && line != group_line) {
				snprintf(err->msg + used, sizeof err->msg - used,
					 " (named by [%s] %s, %s:%d)", group, keys[k],
					 c->config_path, line);
				break;
			}
		}
		/* a value is taken as written: quotes around it are part of it */
		used = strlen(err->msg);
		if (strpbrk(loc, "\"'"))
			snprintf(err->msg + used, sizeof err->msg - used,
				 "; the quotes are part of the path as written: write it without "
				 "them, spaces and all");
		return;
	}
}

/* mql_source = export reads every MQL from the leads' mql_at column: a
 * leads export without one would read as no MQL at all. */
static int export_has_mql(const run_ctx *ctx, mq_err *err)
{
	if (ctx->cfg.mql_source != MQL_EXPORT || !ctx->ds || ctx->ds->leads_have_mql)
		return 0;
	const char *where = ctx->ds->src[SRC_LEADS].location;
	mq_err_set(err, MQ_DATAERR,
		   "%s%s: mql_source = export reads the MQLs from the leads' mql_at column, "
		   "which the leads export does not have: name its MQL date column in "
		   "[columns.leads] mql_at = <header>, or let the score decide (--mql-source auto "
		   "or score)",
		   where ? where : "leads", where ? ":1" : "");
	return -1;
}

/* The line of [scoring] key in the configuration, when the file sets it
 * and no option overrides it (opt); else 0. */
static int scoring_line(const run_config *c, const char *key, bool opt)
{
	if (opt || !c->config_path)
		return 0;
	int line = cfg_line_of(c->config_path, "scoring", key);
	return line != cfg_line_of(c->config_path, "scoring", NULL) ? line : 0;
}

/* --threshold and --half-life, or [scoring] threshold and half_life_days
 * of the configuration, change the score, which decides no MQL when the
 * MQLs come from the leads export: say so, as the report states the
 * threshold all the same (its score tables mark it). */
static void note_score_opts(const run_ctx *ctx)
{
	const run_config *c = &ctx->cfg;
	bool from_export =
	    !metrics_mql_from_score(c->mql_source, ctx->ds && ctx->ds->leads_have_mql) &&
	    c->mql_source != MQL_STATUS;
	if (!from_export || c->in.mql_status)
		return;
	const char *why = c->mql_source == MQL_EXPORT ? "export" : "auto, and the column is there";
	if (ctx->threshold_opt || ctx->half_life_opt)
		fprintf(stderr,
			"mqlreport: warning: --threshold and --half-life change the score, but the "
			"MQLs come from the leads export's mql_at column (mql_source %s), so they "
			"change no MQL count: only the scoring tables; add --mql-source score to "
			"count MQLs by the score\n",
			why);
	int t = scoring_line(c, "threshold", ctx->threshold_opt),
	    h = scoring_line(c, "half_life_days", ctx->half_life_opt);
	if (!t && !h)
		return;
	fprintf(stderr,
		"mqlreport: warning: %s:%d: [scoring] %s%s%s change%s the score, but the MQLs "
		"come from the leads export's mql_at column (mql_source %s), so %s no MQL "
		"count: only the scoring tables; set mql_source = score in [report] (or add "
		"--mql-source score) to count MQLs by the score\n",
		c->config_path, t ? t : h, t ? "threshold" : "", t && h ? " and " : "",
		h ? "half_life_days" : "", t && h ? "" : "s", why,
		t && h ? "they change" : "it changes");
}

/* A configured file as a message names it, with its group: a URL without
 * what may hold a secret, as ingest names it. */
static char *file_named(const char *location, const char *group)
{
	char *shown = is_url(location) ? fetch_url_for_log(location) : xstrdup(location);
	char *s = g_strdup_printf("%s ([source.%s])", shown, group);
	free(shown);
	return s;
}

/* What a load of each configured file records of how it was read, for a
 * run on the engine to compare the loads with (eloads.c), and each file as
 * a message names it. */
static void engine_settings(run_config *c)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		GString *b = g_string_new(NULL);
		GPtrArray *names = g_ptr_array_new();
		char d[17];
		if (c->in.src[s].location) {
			ingest_settings_digest(&c->in, &c->in.src[s], s, d);
			g_string_append(b, d);
			g_ptr_array_add(names, file_named(c->in.src[s].location, source_name[s]));
		}
		for (size_t i = 0; s == SRC_SPEND && i < c->in.nspend_more; i++) {
			const source_cfg *sc = &c->in.spend_more[i];
			ingest_settings_digest(&c->in, sc, s, d);
			g_string_append_printf(b, "%s%s", b->len ? " " : "", d);
			char *group = g_strdup_printf("spend.%s", sc->name);
			g_ptr_array_add(names, file_named(sc->location, group));
			g_free(group);
		}
		g_free(c->engine.settings[s]);
		g_strfreev(c->engine.files[s]);
		/* a source this configuration does not name: its loads as they are */
		c->engine.settings[s] = g_string_free(b, b->len == 0);
		g_ptr_array_add(names, NULL);
		c->engine.files[s] = (char **)g_ptr_array_free(names, FALSE);
		if (!c->engine.settings[s]) {
			g_strfreev(c->engine.files[s]);
			c->engine.files[s] = NULL;
		}
	}
}

/* A preset that reads US dates (salesforce) makes them the source's, for
 * the hints on values it could not read: a hint must not ask for what is
 * read already. */
static void preset_dates(run_ctx *ctx)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		const char *preset = ctx->ds ? ctx->ds->src[s].preset : NULL;
		const colmap_preset *p = preset ? colmap_preset_named(preset) : NULL;
		if (ctx->mp.date_style[s] == TS_DATES_ISO && p && p->us_dates)
			ctx->mp.date_style[s] = TS_DATES_US | DATES_BY_PRESET;
	}
}

/* ingest_cfg.stop of every command: a stop signal's exit status once one
 * has arrived (a command that watches for none never sees one), so that a
 * large local export's reading ends within a chunk, not at its end. */
static int reading_stop(void)
{
	int sig = mq_stop_signal();
	return sig ? mq_stop_status(sig) : 0;
}

int ctx_load(run_ctx *ctx, mq_err *err)
{
	run_config *c = &ctx->cfg;
	if (ctx_week(ctx, err) != 0)
		return -1;
	c->engine.progress = ctx->tty; /* load's batches, a run's chunks */
	c->engine.currency = c->in.currency;
	for (int s = 0; s < SRC_COUNT; s++)
		c->engine.zone[s] = c->in.src[s].timezone ? c->in.src[s].timezone
				    : c->in.timezone	  ? c->in.timezone
							  : "UTC";
	if (c->engine.kind == ENGINE_CLICKHOUSE) {
		if (config_mql_status(c, err) != 0)
			return -1;
		engine_settings(c);
		if (ctx_load_engine(ctx, err) != 0 || export_has_mql(ctx, err) != 0)
			return -1;
		preset_dates(ctx);
		note_score_opts(ctx);
		return 0;
	}

	for (int s = 0; s < SRC_COUNT; s++) {
		/* a group of settings for a source with no file to read: its
		 * settings would pass unused (an opportunities export left
		 * unread, its wins taken from the leads instead) */
		char group[32];
		snprintf(group, sizeof group, "source.%s", source_name[s]);
		bool left_out = s == SRC_OPPORTUNITIES && c->opps_left_out; /* data_only() */
		int line = c->config_path && !c->in.src[s].location && !left_out
			       ? cfg_line_of(c->config_path, group, NULL)
			       : 0;
		if (line > 0) {
			/* a required export: removing the group is no way out */
			bool optional =
			    s == SRC_OPPORTUNITIES || (s == SRC_SPEND && c->in.nspend_more);
			mq_err_set(
			    err, MQ_CONFIG,
			    "%s:%d: [%s] names no file%s%s%s: give its location (or path, or "
			    "url)%s",
			    c->config_path, line, group,
			    c->data_dir ? ", and the --data folder has no " : "",
			    c->data_dir ? source_name[s] : "", c->data_dir ? ".csv" : "",
			    optional ? ", or remove the group" : ", as the export is required");
			return -1;
		}
		if (s != SRC_OPPORTUNITIES && !c->in.src[s].location &&
		    !(s == SRC_SPEND && c->in.nspend_more)) {
			mq_err_set(err, MQ_CONFIG,
				   "%s: no %s source configured ([source.%s] location)",
				   c->config_path ? c->config_path : "configuration",
				   source_name[s], source_name[s]);
			return -1;
		}
	}
	if (config_mql_status(c, err) != 0)
		return -1;
	if (c->in.mql_status && !c->in.mql_status_dated)
		fprintf(stderr,
			"mqlreport: leads: an MQL is a lead whose status is %s; its MQL date "
			"is its created date (name a date column with [mql] date_column)\n",
			c->mql_status_values);
	c->in.progress = ctx->tty;
	/* fetched sources: conditional requests against the cache folder the
	 * loader downloads into, a progress bar on a terminal */
	for (int s = 0; s < SRC_COUNT; s++) {
		fetch_opts *fo = &c->in.src[s].fetch;
		if (!fo->cache_dir)
			fo->cache_dir = xstrdup(c->in.cache_dir ? c->in.cache_dir : "cache");
		fo->progress = ctx->tty;
	}
	for (size_t i = 0; i < c->in.nspend_more; i++) {
		fetch_opts *fo = &c->in.spend_more[i].fetch;
		if (!fo->cache_dir)
			fo->cache_dir = xstrdup(c->in.cache_dir ? c->in.cache_dir : "cache");
		fo->progress = ctx->tty;
	}
	/* before the first request: the credentials (named by their line, as
	 * check names them) and the folder the downloads go in */
	if (fetchprep_vars(c, err) != 0 || fetchprep_cache(c, err) != 0)
		return -1;
	ctx->ds = dataset_new();
	c->in.stop = reading_stop;
	int rc = ingest_load(ctx->ds, &c->in, err);
	if (rc == 0)
		ingest_notes(ctx->ds, c);
	else
		name_missing_source(c, err);
	preset_dates(ctx);
	if (rc != 0 || export_has_mql(ctx, err) != 0)
		return -1;
	note_score_opts(ctx);
	return 0;
}

/* Whether the file at path is the one st describes. */
static bool same_file(const char *path, const struct stat *st)
{
	struct stat o;
	return path && stat(path, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
}

int ctx_refuse_input(const run_config *c, const char *option, const char *path, const char *what,
		     mq_err *err)
{
	struct stat st;
	if (!path || strcmp(path, "-") == 0 || stat(path, &st) != 0)
		return 0; /* standard output, or a new file: nothing read from it */
	if (same_file(c->config_path, &st)) {
		mq_err_set(err, MQ_USAGE,
			   "%s %s is the configuration file this run reads (%s): %s would "
			   "replace it; name another file",
			   option, path, c->config_path, what);
		return -1;
	}
	for (int s = 0; s < SRC_COUNT; s++) {
		/* spend may be summed from further files ([source.spend.NAME]) */
		size_t more = s == SRC_SPEND ? c->in.nspend_more : 0;
		for (size_t f = 0; f <= more; f++) {
			const char *location =
			    f ? c->in.spend_more[f - 1].location : c->in.src[s].location;
			if (!same_file(location, &st))
				continue;
			mq_err_set(err, MQ_USAGE,
				   "%s %s is the %s export this run reads (%s): %s would replace "
				   "it; name another file",
				   option, path, source_name[s], location, what);
			return -1;
		}
	}
	return 0;
}

void ctx_free(run_ctx *ctx)
{
	dataset_free(ctx->ds);
	if (ctx->eng)
		eread_result_clear(ctx->eng);
	free(ctx->eng);
	if (ctx->tz)
		g_time_zone_unref(ctx->tz);
	config_clear(&ctx->cfg);
	*ctx = (run_ctx){0};
}

/* Standard output, written to the end: a report printed into a full disk
 * or a closed pipe (`check > /dev/full`) is an output the run could not
 * write (73), not a success. Returns status, or MQ_CANTCREAT, said, when
 * standard output failed and status was 0 (a command that failed has
 * said why; score names its own write failure). */
static bool stdout_checked;
static int stdout_status(int status)
{
	if (stdout_checked)
		return status;
	stdout_checked = true;
	errno = 0;
	bool flush_failed = fflush(stdout) != 0;
	if (status != MQ_OK || (!flush_failed && !ferror(stdout)))
		return status;
	fprintf(stderr, "mqlreport: writing to standard output failed%s%s\n",
		flush_failed && errno ? ": " : "", flush_failed && errno ? strerror(errno) : "");
	return MQ_CANTCREAT;
}

/* The same at exit, for the paths that exit() on their own (GLib's
 * --help of a command): _exit() with 73 when it failed. */
static void stdout_at_exit(void)
{
	if (stdout_checked)
		return;
	int status = stdout_status(MQ_OK);
	if (status != MQ_OK)
		_exit(status);
}

static int dispatch(int argc, char **argv);

int cli_main(int argc, char **argv)
{
	atexit(stdout_at_exit);
	return stdout_status(dispatch(argc, argv));
}

/* The command argv[1] names, run. */
static int dispatch(int argc, char **argv)
{
#ifdef __GLIBC__
	/* Blocks of 1 MiB or more come straight from the kernel and go back to
	 * it when freed. Left to itself, glibc raises that threshold to the
	 * size of each such block freed (the readers' tables), and the
	 * metrics' large temporaries then stay in the heap once freed: 14 MB
	 * more at the peak of a 1,000,000-lead run. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
	if (argc > 2 && !strcmp(argv[1], "help")) {
		/* `mqlreport help run`: the command's own help */
		char *help_argv[] = {argv[0], argv[2], "--help", NULL};
		return dispatch(3, help_argv);
	}
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		FILE *to = argc < 2 ? stderr : stdout;
		fputs(top_help, to);
		fprintf(to, "Exit status: %s\n", mq_status_summary());
		return argc < 2 ? MQ_USAGE : MQ_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
	    !strcmp(argv[1], "version")) {
		printf("mqlreport %s\n", MQL_VERSION);
		return MQ_OK;
	}
	const char *sde = mq_source_date_epoch_problem();
	if (sde)
		fprintf(
		    stderr,
		    "mqlreport: warning: SOURCE_DATE_EPOCH=%s %s: ignored, generated_at and the "
		    "e-mail's Date come from the clock\n",
		    getenv("SOURCE_DATE_EPOCH"), sde);
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} commands[] = {
	    {"run", cmd_run},	  {"load", cmd_load}, {"check", cmd_check},
	    {"score", cmd_score}, {"gen", gen_main},
	};
	const char *near = NULL;
	size_t best = 3; /* a typo of one or two letters */
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
		size_t d = mq_edit_distance(argv[1], commands[i].name);
		if (d < best)
			best = d, near = commands[i].name;
	}
	if (argv[1][0] == '-')
		/* "mqlreport --week 2026-W47": the command was left out */
		fprintf(stderr,
			"mqlreport: %s: options go after the command (mqlreport run %s …; the "
			"commands: run, check, score, load, gen; try mqlreport --help)\n",
			argv[1], argv[1]);
	else if (near)
		fprintf(stderr, "mqlreport: unknown command \"%s\" (did you mean %s?)\n", argv[1],
			near);
	else
		fprintf(stderr,
			"mqlreport: unknown command \"%s\" (the commands: run, check, score, load, "
			"gen; try mqlreport --help)\n",
			argv[1]);
	return MQ_USAGE;
}
