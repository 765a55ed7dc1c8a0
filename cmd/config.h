/* config.h — the run's configuration: defaults, then the INI file, then the
 * command line (SPEC §9). The configuration is separate from the run's state.
 *
 * The file is GLib key-file syntax (INI). Groups: [report], [finance],
 * [source.leads] (and events, spend, opportunities), [columns.<source>],
 * [aliases.channel], [aliases.type], [scoring…] (config_scoring.c),
 * [fetch], [lock], [email] (config_email.c), [health] (config_health.c).
 * Unknown groups or keys stop with exit 78 naming the file and line. */
#ifndef MQL_CONFIG_H
#define MQL_CONFIG_H

#include <glib.h>

#include "cfgval.h"
#include "engine.h"
#include "health.h"
#include "load.h"
#include "metrics.h"
#include "score.h"

typedef struct email_cfg email_cfg; /* e-mail and operator notice: config_email.h */

typedef struct run_config {
	char *config_path;  /* NULL: none */
	char *data_dir;	    /* --data DIR: the four canonical file names there */
	bool opps_left_out; /* --data left the configuration's opportunities file out */
	ingest_cfg in;
	char *week;	/* "last" or "2026-W47" */
	char *out_dir;	/* --out DIR: exactly there; NULL: <out_root>/<week> */
	char *out_root; /* default "out" */
	/* The options the command line gave that decide a run's figures and
	 * where it writes, as words ("--config", "/abs/mql.ini", "--threshold",
	 * "70", …; paths absolute), without --week: what a failure notice's
	 * command repeats. NULL: none. */
	char **rerun_args;
	enum mql_source mql_source;
	char *mql_status_values; /* [mql] status_values: "MQL, Marketing Qualified" */
	char *mql_date_column;	 /* [mql] date_column: the leads' header of the MQL date */
	enum attr_model attribution;
	double gross_margin;
	double expected_lifetime_years;
	int low_sample_min;
	score_model model;
	bool no_email;
	bool resend;	      /* --resend: send a week that was already sent */
	char *eml_path;	      /* --eml FILE: write the message instead of sending */
	email_cfg *email;     /* owned; NULL without an [email] group */
	char *lock_path;      /* [lock] path; NULL: see lock_acquire() */
	engine_cfg engine;    /* [engine]: embedded (default) or clickhouse */
	health_params health; /* [health]: the data-health checks' policies and limits */
	char *paper;	      /* [report] paper: "a4" (default) or "letter" */
	char *company;	      /* [report] company: the workbook's company property */
} run_config;

/* Defaults of SPEC §2-§6. */
void config_default(run_config *c);
void config_clear(run_config *c);

/* Read an INI file over c. Returns 0, or -1 with err (MQ_CONFIG naming the
 * file and line; MQ_NOINPUT when the file does not exist). Relative source
 * paths are resolved against the file's folder. */
int config_load(run_config *c, const char *path, mq_err *err);

/* Every group and fixed key that config_load() accepts: fn is called with
 * each group (key NULL), then with each key of a group. A group standing
 * for several is a g_pattern_match_simple() pattern ("source.*": every
 * source, "source.spend.*": every further spend file, "columns.*"). The
 * [scoring…] groups, whose keys are the model's own, are left out: the
 * defaults are config/scoring.ini. */
typedef void config_key_fn(const char *group, const char *key, void *arg);
void config_each_key(config_key_fn *fn, void *arg);

/* mql_source = status into the ingest configuration (after the file and the
 * command line): the status values, the date column; 0, or -1 with err. */
int config_mql_status(run_config *c, mq_err *err);

/* "auto" / "export" / "score" / "status" and the attribution model names. 0, or -1 when unknown. */
int config_parse_mql_source(const char *s, enum mql_source *out);
int config_parse_attribution(const char *s, enum attr_model *out);

/* Section readers living beside their concern. Each reads its groups of kf
 * (path is for messages) and returns 0, or -1 with err (MQ_CONFIG). */
int config_scoring(GKeyFile *kf, const char *path, score_model *m, mq_err *err);
/* True when a group name belongs to config_scoring. */
bool config_scoring_owns(const char *group);

#endif
