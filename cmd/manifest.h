/* manifest.h — the record of one `mqlreport run` and the manifest written
 * from it (manifest.c): what was read, what was published, how long each
 * phase took, what was e-mailed to whom, and how the run ended.
 *
 * `mqlreport run` calls manifest_new() when it starts, manifest_mark()
 * after each phase, manifest_add_output() for each rendered file;
 * manifest_write() writes the manifest into the staging folder, published
 * with the outputs; delivery adds its messages (deliver.h); the manifest is
 * then written again in the week's folder or, for a run that failed before
 * publishing, at manifest_failed_path(). */
#ifndef MQL_MANIFEST_H
#define MQL_MANIFEST_H

#include <stdint.h>

#include "base.h"
#include "config.h"
#include "dataset.h"

/* A published output. */
typedef struct manifest_output {
	char *kind; /* "json", "workbook", "pdf" or "rejects" */
	char *path; /* its final path */
	char *name; /* its file name */
	int64_t bytes;
	char sha256[65]; /* hex */
} manifest_output;

/* One e-mail message of the run. The caller of manifest_add_message()
 * fills the fields: strings with xstrdup() (freed with free()), string
 * lists as GLib vectors (freed with g_strfreev()). */
typedef struct manifest_message {
	char *reports;	    /* "workbook+pdf", "workbook", "pdf" */
	char **to, **cc;    /* NULL: none */
	char *message_id;   /* "<…@…>" */
	char *status;	    /* "sent", "already_sent", "written", "failed" */
	char *at;	    /* accepted (or first sent) at, UTC; "" or NULL: unknown */
	long reply;	    /* the server's reply code; 0: none */
	char *reply_text;   /* its reply line ("250 2.0.0 Ok: queued as …"); NULL: none */
	char *eml_path;	    /* --eml: where the message was written */
	char **attached;    /* file names */
	char **left_out;    /* file names over the size limit */
	bool html_left_out; /* the HTML body left out for size: plain text only */
	char *error;	    /* why it failed */
	char *figures;	    /* already_sent: "as_sent" or "changed"; NULL: unknown */
	bool unconfirmed;   /* failed, but the server took it whole: it may have been delivered */
} manifest_message;

typedef struct manifest manifest;

/* Start the record of a run: notes the wall clock. Owned by the caller. */
manifest *manifest_new(void);
/* The "engine" object of the manifest: the engine's kind, its database and
 * the rows read per table (copied). Without it the manifest has no "engine". */
void manifest_set_engine(manifest *m, const char *kind, const char *database,
			 const kvcounts *tables);
/* Free (NULL is a no-op). */
void manifest_free(manifest *m);

/* The end of a phase ("load", "metrics", "render", "deliver"): its duration
 * since the previous mark goes into the manifest. `name` is copied. */
void manifest_mark(manifest *m, const char *name);
/* The week the run resolved, once known (NULL: not known). Copied. */
void manifest_set_week(manifest *m, const char *week_label);
/* The week, or NULL when not known. */
const char *manifest_week(const manifest *m);

/* A published output: `kind` is "json", "workbook", "pdf" or "rejects";
 * `path` its final path. The SHA-256 and size are read from the file when
 * it is added; it must be a regular file read whole: a link, a read error
 * or fewer bytes than its size are errors, never a wrong hash. Returns 0,
 * or -1 with err (MQ_CANTCREAT: unreadable). */
int manifest_add_output(manifest *m, const char *kind, const char *path, mq_err *err);
/* The same for an output not yet published: read from read_from (where it
 * is now: the staging folder), recorded under path. */
int manifest_add_staged_output(manifest *m, const char *kind, const char *path,
			       const char *read_from, mq_err *err);
/* An output's SHA-256 (hex) and size, read as manifest_add_output() says;
 * touches no manifest, so that it may run on the thread that wrote the
 * file while the page cache still holds it. Returns 0, or -1 with err. */
typedef struct manifest_digest {
	int64_t bytes;
	char sha256[65];
} manifest_digest;
int manifest_digest_file(const char *path, manifest_digest *d, mq_err *err);
/* Record an output, under path, by a digest manifest_digest_file() took. */
void manifest_add_digested_output(manifest *m, const char *kind, const char *path,
				  const manifest_digest *d);
/* The outputs in the order they were added; *n is their count. Owned by m. */
const manifest_output *manifest_outputs(const manifest *m, size_t *n);
/* The first output of that kind, or NULL. Owned by m. */
const manifest_output *manifest_output_of(const manifest *m, const char *kind);

/* A new, zeroed message record, owned by m; the pointer is valid until the
 * next call. */
manifest_message *manifest_add_message(manifest *m);
/* How many report messages reached their server, by this run or an
 * earlier one of the week ("sent", "already_sent"); *total: how many the
 * run had (NULL: not wanted). */
size_t manifest_messages_delivered(const manifest *m, size_t *total);
/* How many report messages failed after the server took them whole without
 * confirming them (manifest_message.unconfirmed): they may have been
 * delivered. */
size_t manifest_messages_unconfirmed(const manifest *m);
/* One line saying what happened to the e-mail ("sent 1 message(s)"). */
void manifest_set_delivery(manifest *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write the run manifest (JSON) atomically at path, creating its folder:
 * the week, the inputs of ds with their bytes and SHA-256 (ds may be NULL
 * when loading failed), the outputs with SHA-256, the timings, what was
 * sent to whom, the exit status and, on failure, the message of
 * `failure`. Returns 0, or -1 with err. */
int manifest_write(const run_config *cfg, const dataset *ds, const manifest *m,
		   const mq_err *failure, const char *path, mq_err *err);

/* Where a failed run's manifest goes: beside the week's folder, never in it
 * ("out/2026-W47" → "out/2026-W47.failed.json"). Caller frees. */
char *manifest_failed_path(const char *out_dir);

#endif
