/* ops.h — unattended operation: the run lock, the e-mail delivery of the
 * reports with its sent-state, the run manifest and the failure notice.
 *
 * `mqlreport run` calls, in order: ops_lock_acquire() before reading any
 * source; ops_run_new() to start the record; ops_run_mark() after each
 * phase; after publishing, ops_deliver(); then ops_manifest_write(); on any
 * failure ops_manifest_write() with the error and ops_notify_failure();
 * finally ops_lock_release(). */
#ifndef MQL_OPS_H
#define MQL_OPS_H

#include "config.h"
#include "dataset.h"
#include "mval.h"
#include "net_tls.h"

/* The [email] and [lock] groups (config_ops.c). String lists are
 * NULL-terminated and owned; NULL means empty. */
struct ops_cfg {
	char *smtp_url; /* smtp://host:587 or smtps://host:465; NULL: no e-mail */
	char *from;
	char **to, **cc;		   /* recipients of every report */
	char **workbook_to, **workbook_cc; /* the workbook's, replacing to/cc when set */
	char **pdf_to, **pdf_cc;	   /* the PDF's, replacing to/cc when set */
	char *username_env;		   /* env var names holding the SMTP credentials */
	char *password_env;
	enum net_tls starttls;	    /* smtp:// only; default required */
	char *ca_file;		    /* extra CA bundle for the SMTP server; NULL: the system's */
	int64_t max_bytes;	    /* message size limit; default 10 MB (10,000,000 bytes) */
	char *operator_addr;	    /* failure notices go here; NULL: none */
	char *subject;		    /* template; default "MQL report {{week}}" */
	int retries;		    /* on 4xx and transient errors; default 3 */
	double backoff_s;	    /* first back-off, doubling; default 30 */
	long timeout_s;		    /* per SMTP session; default 120 */
	char *lock_path;	    /* [lock] path; NULL: see run_lock_path() */
};

/* ---- lock ---- */

typedef struct ops_lock ops_lock;

/* Take the run lock (flock LOCK_EX|LOCK_NB on a file that stays in place;
 * the kernel frees it when a crashed run's process ends). The file is the
 * config's [lock] path, else default_path (its folder is created when
 * missing). Returns the held lock, or NULL with err: MQ_LOCKED when another
 * run holds it, MQ_CANTCREAT when the file cannot be opened. */
ops_lock *ops_lock_acquire(const run_config *cfg, const char *default_path, mq_err *err);
/* Release and free (NULL is a no-op). */
void ops_lock_release(ops_lock *l);

/* ---- the run's record ---- */

typedef struct ops_run ops_run;

/* Start the record of a run: notes the wall clock. Owned by the caller. */
ops_run *ops_run_new(void);
void ops_run_free(ops_run *r);
/* The end of a phase ("load", "metrics", "render", "deliver"): its duration
 * since the previous mark goes into the manifest. `name` is copied. */
void ops_run_mark(ops_run *r, const char *name);
/* The week the run resolved, once known. */
void ops_run_week(ops_run *r, const char *week_label);
/* A published output: `kind` is "json", "workbook", "pdf" or "rejects";
 * `path` its final path. The SHA-256 and size are read from the file when
 * it is added. Returns 0, or -1 with err (MQ_CANTCREAT: unreadable). */
int ops_run_output(ops_run *r, const char *kind, const char *path, mq_err *err);

/* ---- delivery ---- */

/* E-mail the week's workbook and PDF (the outputs added to r) to their
 * recipients, one message per distinct recipient list, with a plain-text
 * and an HTML body showing the headline KPIs of root's `summary`.
 *
 * Nothing is sent when cfg->no_email, or when no [email] is configured, or
 * when out_dir's delivery state says a message was accepted already (unless
 * cfg->resend). With cfg->eml_path the message is written to that file
 * instead (several messages: FILE, FILE.2, …) and nothing is marked sent.
 * A message is marked sent (out_dir/delivery.json) only once the server
 * accepted it. Returns 0, or -1 with err: MQ_UNAVAILABLE when the server
 * refused (5xx) or kept failing after retries, MQ_CONFIG for a missing
 * credential variable, MQ_CANTCREAT when the state or the .eml cannot be
 * written. The outputs are never touched. */
int ops_deliver(const run_config *cfg, const mval *root, const char *out_dir, ops_run *r,
		mq_err *err);

/* ---- manifest ---- */

/* Write the run manifest (JSON) atomically at path: the week, the inputs of
 * ds with their bytes and SHA-256 (ds may be NULL when loading failed), the
 * outputs with SHA-256, the timings, what was sent to whom, the exit status
 * and, on failure, the message of `failure`. Returns 0, or -1 with err. */
int ops_manifest_write(const run_config *cfg, const dataset *ds, const ops_run *r,
		       const mq_err *failure, const char *path, mq_err *err);

/* Where a failed run's manifest goes: beside the week's folder, never in it
 * ("out/2026-W47" → "out/2026-W47.failed.json"). Caller frees. */
char *ops_failed_manifest_path(const char *out_dir);

/* ---- failure notice ---- */

/* Send a short plain-text notice of a failed run to the configured operator
 * address: the week (or "unknown"), the exit status, the error message,
 * the host and where the manifest is. Nothing is sent without an operator
 * address or an SMTP URL, or with --no-email; with --eml the notice is
 * written to FILE instead. Returns 0, or -1 with err (the caller logs it;
 * the run's own status stays what it was). */
int ops_notify_failure(const run_config *cfg, const char *week_label, const mq_err *failure,
		       const char *manifest_path, mq_err *err);

#endif
