/* manifest.c — the record of a run and its manifest.json (see manifest.h).
 *
 * It records and writes; it decides nothing: whether and what to e-mail is
 * deliver.c's, where the manifest goes is run.c's. It must never write into
 * the week's folder on its own and never re-read an input: the inputs'
 * sizes and hashes come from the loaded data set, a URL named as ingest
 * already redacted it. */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "digest.h"
#include "reports.h"

typedef struct phase {
	char *name;
	double secs;
} phase;

struct manifest {
	char started_at[32];
	double t0, last; /* monotonic seconds: the start, the last mark */
	char *week;
	phase *phases;
	size_t nphases, phases_cap;
	manifest_output *outs;
	size_t nouts, outs_cap;
	manifest_message *msgs;
	size_t nmsgs, msgs_cap;
	char *delivery;		       /* one line: what happened to the e-mail */
	char *engine_kind, *engine_db; /* NULL: the embedded path */
	kvcounts engine_tables;
};

void manifest_set_engine(manifest *m, const char *kind, const char *database,
			 const kvcounts *tables)
{
	free(m->engine_kind);
	free(m->engine_db);
	m->engine_kind = xstrdup(kind);
	m->engine_db = xstrdup(database);
	kvcounts_clear(&m->engine_tables);
	kvcounts_add_all(&m->engine_tables, tables);
}

manifest *manifest_new(void)
{
	manifest *m = xcalloc(1, sizeof *m);
	mq_utc_now(m->started_at, sizeof m->started_at);
	m->t0 = m->last = mq_mono_s();
	m->delivery = xstrdup("not attempted");
	return m;
}

static void message_clear(manifest_message *msg)
{
	free(msg->reports);
	g_strfreev(msg->to);
	g_strfreev(msg->cc);
	free(msg->message_id);
	free(msg->status);
	free(msg->at);
	free(msg->eml_path);
	free(msg->reply_text);
	g_strfreev(msg->attached);
	g_strfreev(msg->left_out);
	free(msg->error);
	free(msg->figures);
}

void manifest_free(manifest *m)
{
	if (!m)
		return;
	free(m->engine_kind);
	free(m->engine_db);
	kvcounts_clear(&m->engine_tables);
	for (size_t i = 0; i < m->nphases; i++)
		free(m->phases[i].name);
	free(m->phases);
	for (size_t i = 0; i < m->nouts; i++) {
		free(m->outs[i].kind);
		free(m->outs[i].path);
		free(m->outs[i].name);
	}
	free(m->outs);
	for (size_t i = 0; i < m->nmsgs; i++)
		message_clear(&m->msgs[i]);
	free(m->msgs);
	free(m->week);
	free(m->delivery);
	free(m);
}

void manifest_mark(manifest *m, const char *name)
{
	double t = mq_mono_s();
	VEC_RESERVE(m->phases, m->phases_cap, m->nphases + 1);
	m->phases[m->nphases++] = (phase){.name = xstrdup(name), .secs = t - m->last};
	m->last = t;
}

void manifest_set_week(manifest *m, const char *week_label)
{
	free(m->week);
	m->week = week_label ? xstrdup(week_label) : NULL;
}

const char *manifest_week(const manifest *m)
{
	return m->week;
}

/* The SHA-256 (hex) and size of a regular file, read in blocks. Every
 * byte its size promises must be read: a short read is an error, never
 * the hash of part of the file. */
int manifest_digest_file(const char *path, manifest_digest *d, mq_err *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot read back: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot read back: not a regular file", path);
		close(fd);
		return -1;
	}
	digest c;
	digest_init(&c);
	unsigned char buf[65536];
	ssize_t n;
	int64_t total = 0;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		digest_update(&c, buf, (size_t)n);
		total += (int64_t)n;
	}
	int e = errno;
	int rc = 0;
	if (n < 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot read back: %s", path, strerror(e));
		rc = -1;
	} else if (total != (int64_t)st.st_size) {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: cannot read back: read %lld of its %lld bytes; no hash recorded",
			   path, (long long)total, (long long)st.st_size);
		rc = -1;
	}
	if (close(fd) != 0 && rc == 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot read back: %s", path, strerror(errno));
		rc = -1;
	}
	char hex[65];
	digest_final(&c, hex); /* frees its state */
	if (rc == 0) {
		memcpy(d->sha256, hex, sizeof d->sha256);
		d->bytes = total;
	}
	return rc;
}

int manifest_add_output(manifest *m, const char *kind, const char *path, mq_err *err)
{
	return manifest_add_staged_output(m, kind, path, NULL, err);
}

int manifest_add_staged_output(manifest *m, const char *kind, const char *path,
			       const char *read_from, mq_err *err)
{
	manifest_digest d;
	if (manifest_digest_file(read_from ? read_from : path, &d, err) != 0)
		return -1;
	manifest_add_digested_output(m, kind, path, &d);
	return 0;
}

void manifest_add_digested_output(manifest *m, const char *kind, const char *path,
				  const manifest_digest *d)
{
	manifest_output o = {.bytes = d->bytes};
	g_strlcpy(o.sha256, d->sha256, sizeof o.sha256);
	o.kind = xstrdup(kind);
	o.path = xstrdup(path);
	char *base = g_path_get_basename(path);
	o.name = xstrdup(base);
	g_free(base);
	VEC_RESERVE(m->outs, m->outs_cap, m->nouts + 1);
	m->outs[m->nouts++] = o;
}

const manifest_output *manifest_outputs(const manifest *m, size_t *n)
{
	*n = m->nouts;
	return m->outs;
}

const manifest_output *manifest_output_of(const manifest *m, const char *kind)
{
	for (size_t i = 0; i < m->nouts; i++)
		if (!strcmp(m->outs[i].kind, kind))
			return &m->outs[i];
	return NULL;
}

manifest_message *manifest_add_message(manifest *m)
{
	VEC_RESERVE(m->msgs, m->msgs_cap, m->nmsgs + 1);
	manifest_message *msg = &m->msgs[m->nmsgs++];
	*msg = (manifest_message){0};
	return msg;
}

size_t manifest_messages_delivered(const manifest *m, size_t *total)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nmsgs; i++) {
		const char *st = m->msgs[i].status ? m->msgs[i].status : "";
		n += strcmp(st, "sent") == 0 || strcmp(st, "already_sent") == 0;
	}
	if (total)
		*total = m->nmsgs;
	return n;
}

size_t manifest_messages_unconfirmed(const manifest *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nmsgs; i++)
		n += m->msgs[i].unconfirmed;
	return n;
}

void manifest_set_delivery(manifest *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	free(m->delivery);
	m->delivery = xstrdup(s);
	g_free(s);
}

static mval *str_or_null(const char *s)
{
	return s ? mv_str(s) : mv_null();
}

static mval *str_list(char *const *v)
{
	mval *a = mv_arr();
	for (size_t i = 0; v && v[i]; i++)
		mv_push(a, mv_str(v[i]));
	return a;
}

/* Seconds to the millisecond. */
static mval *secs(double s)
{
	return mv_num(round(s * 1000) / 1000, MF_PLAIN);
}

/* "inputs": a URL source is named without its secrets already (ingest). */
static void add_inputs(mval *inputs, const dataset *ds)
{
	for (int i = 0; ds && i < SRC_COUNT; i++) {
		const source_stats *st = &ds->src[i];
		if (!st->present)
			continue;
		for (size_t f = 0; f < st->nfiles; f++) { /* each file of a summed source */
			mval *in = mv_push(inputs, mv_obj());
			mv_set(in, "source", mv_str(source_name[i]));
			mv_set(in, "name", mv_str(st->files[f].name));
			mv_set(in, "location", str_or_null(st->files[f].location));
			mv_set(in, "bytes", mv_int(st->files[f].bytes, MF_COUNT));
			mv_set(in, "sha256", mv_str(st->files[f].sha256));
		}
		if (st->nfiles)
			continue;
		mval *in = mv_push(inputs, mv_obj());
		mv_set(in, "source", mv_str(source_name[i]));
		mv_set(in, "location", str_or_null(st->location));
		mv_set(in, "bytes", mv_int(st->bytes, MF_COUNT));
		mv_set(in, "sha256", mv_str(st->sha256));
	}
}

static void add_outputs(mval *outputs, const manifest *m)
{
	for (size_t i = 0; i < m->nouts; i++) {
		mval *o = mv_push(outputs, mv_obj());
		mv_set(o, "kind", str_or_null(m->outs[i].kind));
		mv_set(o, "file", str_or_null(m->outs[i].name));
		mv_set(o, "bytes", mv_int(m->outs[i].bytes, MF_COUNT));
		mv_set(o, "sha256", str_or_null(m->outs[i].sha256));
	}
}

static void add_messages(mval *msgs, const manifest *m)
{
	for (size_t i = 0; i < m->nmsgs; i++) {
		const manifest_message *mr = &m->msgs[i];
		mval *o = mv_push(msgs, mv_obj());
		mv_set(o, "reports", str_or_null(mr->reports));
		mv_set(o, "status", str_or_null(mr->status));
		mv_set(o, "to", str_list(mr->to));
		mv_set(o, "cc", str_list(mr->cc));
		mv_set(o, "message_id", str_or_null(mr->message_id));
		mv_set(o, "at", str_or_null(mr->at && mr->at[0] ? mr->at : NULL));
		if (mr->reply)
			mv_set(o, "server_reply", mv_int(mr->reply, MF_PLAIN));
		if (mr->reply_text && mr->reply_text[0])
			mv_set(o, "server_reply_text", mv_str(mr->reply_text));
		/* a message sent by an earlier run: this run attached nothing to
		 * it, and what that one did is not recorded (null, not "none") */
		bool earlier = mr->status && strcmp(mr->status, "already_sent") == 0;
		mv_set(o, "attached", earlier ? mv_null() : str_list(mr->attached));
		mv_set(o, "left_out", earlier ? mv_null() : str_list(mr->left_out));
		/* not a file, so not one of left_out, which names files of the
		 * report folder */
		mv_set(o, "html_left_out", earlier ? mv_null() : mv_bool(mr->html_left_out));
		if (mr->eml_path)
			mv_set(o, "eml", mv_str(mr->eml_path));
		if (mr->error)
			mv_set(o, "error", mv_str(mr->error));
		if (mr->figures)
			mv_set(o, "figures", mv_str(mr->figures));
	}
}

int manifest_write(const run_config *cfg, const dataset *ds, const manifest *m,
		   const mq_err *failure, const char *path, mq_err *err)
{
	char now[32], host[256] = "";
	mq_utc_now(now, sizeof now);
	gethostname(host, sizeof host - 1);
	int status = failure && mq_failed(failure) ? failure->status : MQ_OK;

	mval *doc = mv_obj();
	mv_set(doc, "tool", mv_str("mqlreport"));
	mv_set(doc, "version", mv_str(MQL_VERSION));
	mv_set(doc, "week", str_or_null(m->week));
	mv_set(doc, "exit_status", mv_int(status, MF_PLAIN));
	mv_set(doc, "status", str_or_null(mq_strerror(status)));
	mv_set(doc, "error", str_or_null(status ? failure->msg : NULL));
	mv_set(doc, "host", mv_str(host));
	mv_set(doc, "pid", mv_int((int64_t)getpid(), MF_PLAIN));
	/* the file itself, as every other path here: a reader elsewhere, or
	 * later, knows which configuration made the run */
	char *config = cfg && cfg->config_path ? realpath(cfg->config_path, NULL) : NULL;
	mv_set(doc, "config", str_or_null(config ? config : cfg ? cfg->config_path : NULL));
	free(config);
	mv_set(doc, "started_at", str_or_null(m->started_at));
	mv_set(doc, "finished_at", mv_str(now));
	/* every step of a run, null for one it did not reach (a failed run's
	 * render and deliver), so that every manifest has the same keys */
	mval *timings = mv_set(doc, "timings_s", mv_obj());
	static const char *const steps[] = {"load", "metrics", "render", "deliver"};
	for (size_t k = 0; k < G_N_ELEMENTS(steps); k++)
		mv_set(timings, steps[k], mv_null());
	for (size_t i = 0; i < m->nphases; i++)
		mv_set(timings, m->phases[i].name, secs(m->phases[i].secs));
	mv_set(timings, "total", secs(mq_mono_s() - m->t0));
	add_inputs(mv_set(doc, "inputs", mv_arr()), ds);
	if (m->engine_kind) {
		mval *e = mv_set(doc, "engine", mv_obj());
		mv_set(e, "kind", mv_str(m->engine_kind));
		mv_set(e, "database", mv_str(m->engine_db));
		mval *t = mv_set(e, "tables", mv_obj());
		for (size_t i = 0; i < m->engine_tables.len; i++)
			mv_set(t, m->engine_tables.items[i].key,
			       mv_int(m->engine_tables.items[i].n, MF_COUNT));
	}
	add_outputs(mv_set(doc, "outputs", mv_arr()), m);
	mval *email = mv_set(doc, "email", mv_obj());
	mv_set(email, "result", str_or_null(m->delivery));
	add_messages(mv_set(email, "messages", mv_arr()), m);

	char *dir = g_path_get_dirname(path);
	int rc = mq_mkdirs(dir, err);
	g_free(dir);
	if (rc == 0)
		rc = report_json_write(doc, path, err);
	mv_free(doc);
	return rc;
}

char *manifest_failed_path(const char *out_dir)
{
	char *trimmed = xstrdup(out_dir);
	size_t n = strlen(trimmed);
	while (n > 1 && trimmed[n - 1] == '/')
		trimmed[--n] = '\0';
	char *p = xasprintf("%s.failed.json", trimmed);
	free(trimmed);
	return p;
}
