/* commands.h — the subcommands and the preparation they share.
 *
 * run, check and score take the same source and week options (SPEC §9):
 * ctx_parse() reads them (defaults, then --config FILE, then the options),
 * ctx_week() resolves the week, ctx_load() that and the sources. */
#ifndef MQL_COMMANDS_H
#define MQL_COMMANDS_H

#include <glib.h>

#include "config.h"
#include "dataset.h"
#include "eread.h"
#include "metrics.h"

typedef struct run_ctx {
	run_config cfg;
	GTimeZone *tz;	     /* the report time zone */
	int year, week;	     /* the report's ISO week */
	char week_label[10]; /* "2026-W47" */
	metrics_params mp;   /* instants of the 13 weeks, options, &cfg.model */
	dataset *ds;	     /* after ctx_load() */
	bool tty;	     /* stderr is a terminal: show progress */
	bool threshold_opt;  /* --threshold was given */
	bool half_life_opt;  /* --half-life was given */
	bool engine_opt;     /* --engine was given */
	eread_result *eng;   /* [engine] kind = clickhouse: what the engine said; else NULL */
} run_ctx;

/* Parse the shared options plus `extra` (may be NULL) for command `name`.
 * Returns 0, 1 after --help was printed, or -1 with err (MQ_USAGE/MQ_CONFIG).
 * Remaining positional arguments are left in *argc/argv. */
int ctx_parse(run_ctx *ctx, const char *name, const char *summary, const GOptionEntry *extra,
	      int *argc, char ***argv, mq_err *err);
/* Resolve the report time zone and week (and the instants of ctx->mp);
 * a second call does nothing. Returns 0 or -1 with err (MQ_CONFIG for an
 * unknown time zone, MQ_USAGE for a week that is not one). */
int ctx_week(run_ctx *ctx, mq_err *err);
/* Resolve the week (ctx_week()) and read every source. Returns 0 or -1 with err. */
int ctx_load(run_ctx *ctx, mq_err *err);
void ctx_free(run_ctx *ctx);
/* A file the command would write, the value of option ("--out",
 * "--eml"), refused when it is one the command reads: the configuration
 * file or an export (a source's location or a further spend file), by any
 * name or link (the same file on disk). what says what would replace it
 * ("the scores"). "-" and a file that does not exist yet are no input.
 * Returns 0, or -1 with err (MQ_USAGE naming the option, the file and the
 * input). */
int ctx_refuse_input(const run_config *c, const char *option, const char *path, const char *what,
		     mq_err *err);

/* `--version` as an option table to add to any command's GOptionContext. */
extern const GOptionEntry version_entry[];

/* Print an error the way every command does: "mqlreport: <msg>". Returns err->status. */
int report_error(const mq_err *err);

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_load(int argc, char **argv); /* load_cmd.c */
/* ctx_load() for [engine] kind = clickhouse: the data set from the engine. */
int ctx_load_engine(run_ctx *ctx, mq_err *err);
/* Name the engine, its tables and their row counts in the run's record,
 * and say on stderr how the data set was streamed. */
struct manifest;
void engine_record(const run_ctx *ctx, struct manifest *rec);
/* After the tree is computed from the engine: free what only the metrics
 * read (eread_release), before the outputs are written. */
void ctx_engine_release(run_ctx *ctx);
int cmd_score(int argc, char **argv); /* score_cmd.c */

#endif
