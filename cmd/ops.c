/* ops.c — the run lock, e-mail delivery with its sent-state, the run
 * manifest and the failure notice (see ops.h). */
#include "ops.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "clock.h"
#include "mail.h"
#include "smtp.h"
#include "reports.h"

#define STATE_FILE "delivery.ini"
#define NOTE_SLACK 4096 /* room for the bodies' "left out" note when sizing */

/* ---- small helpers ---- */

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static char **strv_dup(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	char **out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static char *strv_join(char *const *v, const char *sep)
{
	GString *s = g_string_new("");
	for (size_t i = 0; v && v[i]; i++) {
		if (i)
			g_string_append(s, sep);
		g_string_append(s, v[i]);
	}
	char *out = xstrdup(s->str);
	g_string_free(s, TRUE);
	return out;
}

static void utc_now(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}


/* ---- lock ---- */

struct ops_lock {
	int fd;
	char *path;
};

ops_lock *ops_lock_acquire(const run_config *cfg, const char *default_path, mq_err *err)
{
	char *path = xstrdup(cfg && cfg->ops && cfg->ops->lock_path ? cfg->ops->lock_path
								     : default_path);
	char *dir = g_path_get_dirname(path);
	g_mkdir_with_parents(dir, 0755);
	g_free(dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot open the lock file: %s", path,
			   strerror(errno));
		free(path);
		return NULL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		char holder[128] = "";
		ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		if (e == EWOULDBLOCK)
			mq_err_set(err, MQ_LOCKED, "%s: another run holds the lock%s%s%s", path,
				   holder[0] ? " (" : "", holder, holder[0] ? ")" : "");
		else
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot lock: %s", path, strerror(e));
		close(fd);
		free(path);
		return NULL;
	}
	/* who holds it, for the message a second run prints */
	char who[128], now[32];
	utc_now(now, sizeof now);
	int n = snprintf(who, sizeof who, "pid %ld since %s\n", (long)getpid(), now);
	if (ftruncate(fd, 0) == 0 && pwrite(fd, who, (size_t)n, 0) < 0) {
		/* only informative */
	}
	ops_lock *l = xcalloc(1, sizeof *l);
	l->fd = fd;
	l->path = path;
	return l;
}

void ops_lock_release(ops_lock *l)
{
	if (!l)
		return;
	/* the file stays: removing it would let a third run lock a new file
	 * while a second still waits on the old one */
	if (ftruncate(l->fd, 0) != 0) {
		/* only informative */
	}
	flock(l->fd, LOCK_UN);
	close(l->fd);
	free(l->path);
	free(l);
}

/* ---- the run's record ---- */

typedef struct phase {
	char *name;
	double secs;
} phase;

typedef struct out_rec {
	char *kind, *path, *name;
	int64_t bytes;
	char sha256[65];
} out_rec;

typedef struct msg_rec {
	char *reports; /* "workbook+pdf", "workbook", "pdf" */
	char **to, **cc;
	char *message_id;
	char *status; /* "sent", "already_sent", "written", "failed" */
	char *at;     /* accepted (or first sent) at, UTC */
	long reply;
	char *eml_path;
	char **attached; /* file names */
	char **left_out; /* file names over the size limit */
	char *error;
} msg_rec;

struct ops_run {
	char started_at[32];
	double t0, last;
	char *week;
	phase *phases;
	size_t nphases, phases_cap;
	out_rec *outs;
	size_t nouts, outs_cap;
	msg_rec *msgs;
	size_t nmsgs, msgs_cap;
	char *delivery; /* one line: what happened to the e-mail */
};

ops_run *ops_run_new(void)
{
	ops_run *r = xcalloc(1, sizeof *r);
	utc_now(r->started_at, sizeof r->started_at);
	r->t0 = r->last = mq_mono_s();
	r->delivery = xstrdup("not attempted");
	return r;
}

static void msg_rec_clear(msg_rec *m)
{
	free(m->reports);
	strv_free(m->to);
	strv_free(m->cc);
	free(m->message_id);
	free(m->status);
	free(m->at);
	free(m->eml_path);
	strv_free(m->attached);
	strv_free(m->left_out);
	free(m->error);
}

void ops_run_free(ops_run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nphases; i++)
		free(r->phases[i].name);
	free(r->phases);
	for (size_t i = 0; i < r->nouts; i++) {
		free(r->outs[i].kind);
		free(r->outs[i].path);
		free(r->outs[i].name);
	}
	free(r->outs);
	for (size_t i = 0; i < r->nmsgs; i++)
		msg_rec_clear(&r->msgs[i]);
	free(r->msgs);
	free(r->week);
	free(r->delivery);
	free(r);
}

void ops_run_mark(ops_run *r, const char *name)
{
	double t = mq_mono_s();
	VEC_RESERVE(r->phases, r->phases_cap, r->nphases + 1);
	r->phases[r->nphases++] = (phase){.name = xstrdup(name), .secs = t - r->last};
	r->last = t;
}

void ops_run_week(ops_run *r, const char *week_label)
{
	free(r->week);
	r->week = week_label ? xstrdup(week_label) : NULL;
}

static int file_sha256(const char *path, char hex[65], int64_t *bytes, mq_err *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot read back: %s", path, strerror(errno));
		return -1;
	}
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	unsigned char buf[65536];
	size_t n;
	int64_t total = 0;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		g_checksum_update(c, buf, n);
		total += (int64_t)n;
	}
	int rc = ferror(fp) ? -1 : 0;
	fclose(fp);
	if (rc == 0) {
		g_strlcpy(hex, g_checksum_get_string(c), 65);
		*bytes = total;
	} else {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot read back", path);
	}
	g_checksum_free(c);
	return rc;
}

int ops_run_output(ops_run *r, const char *kind, const char *path, mq_err *err)
{
	out_rec o = {0};
	if (file_sha256(path, o.sha256, &o.bytes, err) != 0)
		return -1;
	o.kind = xstrdup(kind);
	o.path = xstrdup(path);
	char *base = g_path_get_basename(path);
	o.name = xstrdup(base);
	g_free(base);
	VEC_RESERVE(r->outs, r->outs_cap, r->nouts + 1);
	r->outs[r->nouts++] = o;
	return 0;
}

static const out_rec *find_output(const ops_run *r, const char *kind)
{
	for (size_t i = 0; i < r->nouts; i++)
		if (!strcmp(r->outs[i].kind, kind))
			return &r->outs[i];
	return NULL;
}

static void set_delivery(ops_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_delivery(ops_run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	free(r->delivery);
	r->delivery = xstrdup(s);
	g_free(s);
}

/* ---- delivery ---- */

/* One message to send: which reports, to whom. */
typedef struct plan {
	const char *key; /* "workbook+pdf", "workbook", "pdf" */
	const out_rec *att[2];
	size_t natt;
	char *const *to, *const *cc;
} plan;

static bool same_list(char *const *a, char *const *b)
{
	size_t i = 0;
	for (; a && a[i] && b && b[i]; i++)
		if (g_ascii_strcasecmp(a[i], b[i]) != 0)
			return false;
	return (!a || !a[i]) && (!b || !b[i]);
}

static const char *mime_of(const char *kind)
{
	if (!strcmp(kind, "workbook"))
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	if (!strcmp(kind, "pdf"))
		return "application/pdf";
	if (!strcmp(kind, "json"))
		return "application/json";
	return "text/csv";
}

/* <mqlreport.2026-W47.workbook+pdf.{16 hex of SHA-256(week, outputs' hashes)}@{from's domain}> */
static char *message_id(const ops_run *r, const char *week, const char *key, const char *from,
			bool resend)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(c, (const guchar *)week, (gssize)strlen(week));
	for (size_t i = 0; i < r->nouts; i++) {
		g_checksum_update(c, (const guchar *)r->outs[i].kind,
				  (gssize)strlen(r->outs[i].kind));
		g_checksum_update(c, (const guchar *)r->outs[i].sha256, 64);
	}
	const char *at = strchr(from, '@');
	/* a deliberate resend gets its own id, or mail systems would drop it
	 * as a duplicate of the first copy */
	char stamp[32] = "";
	if (resend)
		snprintf(stamp, sizeof stamp, ".resent%lld", (long long)mq_wall_time());
	char *id = xasprintf("<mqlreport.%s.%s.%.16s%s@%s>", week, key, g_checksum_get_string(c),
			     stamp, at ? at + 1 : "localhost");
	g_checksum_free(c);
	for (char *p = id; *p; p++)
		if (*p == '+')
			*p = '-';
	return id;
}

static char *human_size(int64_t b)
{
	if (b >= 1000000)
		return xasprintf("%.1f MB", (double)b / 1e6);
	if (b >= 1000)
		return xasprintf("%.0f kB", (double)b / 1e3);
	return xasprintf("%lld bytes", (long long)b);
}

static int state_load(const char *path, GKeyFile *kf)
{
	return g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL) ? 0 : -1;
}

static int state_save(const char *path, GKeyFile *kf, mq_err *err)
{
	gsize n = 0;
	gchar *data = g_key_file_to_data(kf, &n, NULL);
	int rc = atomic_write(path, data, n, err);
	g_free(data);
	return rc;
}

/* Build the message of plan p; the attachments that fit in max_bytes are
 * attached, the others named in the note. */
static char *compose(const run_config *cfg, const mval *root, const ops_run *r, const plan *p,
		     const char *out_dir, size_t *len, msg_rec *rec, mq_err *err)
{
	const ops_cfg *o = cfg->ops;
	const char *week = r->week ? r->week : "unknown";
	char *id = message_id(r, week, p->key, o->from, cfg->resend);
	const char *subject_tpl = o->subject ? o->subject : "MQL report {{week}}: {{kpi:mqls}}";
	char *subject = mail_render(subject_tpl, root, NULL, 0, false);

	/* what fits: the bodies and headers first, then the reports in order */
	int64_t budget = o->max_bytes - NOTE_SLACK;
	mail_message m = {.from = o->from,
			  .to = (const char *const *)p->to,
			  .cc = (const char *const *)p->cc,
			  .subject = subject,
			  .message_id = id,
			  .date = mq_wall_time()};
	mail_attachment att[2];
	size_t natt = 0;
	GString *note = g_string_new("");
	GString *names = g_string_new("");
	char **attached = xcalloc(3, sizeof *attached), **left = xcalloc(3, sizeof *left);
	size_t na = 0, nl = 0;

	char *text = NULL, *html = NULL, *msg = NULL;
	/* a first pass without attachments gives the size of everything else */
	for (int pass = 0; pass < 2; pass++) {
		mail_var vars[] = {{"note", note->str},
				   {"attachments", names->len ? names->str : "none"}};
		free(text);
		free(html);
		text = mail_render(mail_template("email.txt"), root, vars, 2, false);
		html = mail_render(mail_template("email.html"), root, vars, 2, true);
		m.text = text;
		m.html = html;
		m.att = att;
		m.natt = natt;
		free(msg);
		msg = mail_build(&m, len, err);
		if (!msg)
			goto fail;
		if (pass == 1)
			break;
		int64_t used = (int64_t)*len;
		for (size_t i = 0; i < p->natt; i++) {
			const out_rec *a = p->att[i];
			int64_t need = mail_base64_size(a->bytes) + 512;
			if (used + need <= budget) {
				att[natt++] = (mail_attachment){.path = a->path,
								.filename = a->name,
								.mime_type = mime_of(a->kind)};
				attached[na++] = xstrdup(a->name);
				g_string_append_printf(names, "%s%s", names->len ? ", " : "",
						       a->name);
				used += need;
			} else {
				char *sz = human_size(a->bytes), *lim = human_size(o->max_bytes);
				char *where = g_build_filename(out_dir, a->name, NULL);
				g_string_append_printf(note,
						       "%s%s (%s) is not attached: with it the "
						       "message would exceed the %s "
						       "limit. It is in the report folder: %s.",
						       note->len ? " " : "", a->name, sz, lim,
						       where);
				g_free(where);
				free(sz);
				free(lim);
				left[nl++] = xstrdup(a->name);
			}
		}
	}
	rec->reports = xstrdup(p->key);
	rec->to = strv_dup(p->to);
	rec->cc = strv_dup(p->cc);
	rec->message_id = xstrdup(id);
	rec->attached = attached;
	rec->left_out = left;
	attached = left = NULL;
	if (nl)
		fprintf(stderr, "mqlreport: e-mail %s: %s\n", p->key, note->str);
fail:
	strv_free(attached);
	strv_free(left);
	g_string_free(note, TRUE);
	g_string_free(names, TRUE);
	free(text);
	free(html);
	free(subject);
	free(id);
	return msg;
}

static char *eml_path_for(const char *base, size_t i)
{
	return i == 0 ? xstrdup(base) : xasprintf("%s.%zu", base, i + 1);
}

/* The SMTP server of the config, credentials from the environment. */
static int server_of(const ops_cfg *o, mail_server *s, mq_err *err)
{
	*s = (mail_server){.url = o->smtp_url,
			   .tls = o->starttls,
			   .ca_file = o->ca_file,
			   .timeout_s = o->timeout_s,
			   .retries = o->retries,
			   .backoff_s = o->backoff_s};
	if (o->username_env) {
		s->user = getenv(o->username_env);
		s->password = getenv(o->password_env);
		if (!s->user || !*s->user || !s->password) {
			mq_err_set(err, MQ_CONFIG,
				   "e-mail: environment variable %s (named in [email]) is not set",
				   !s->user || !*s->user ? o->username_env : o->password_env);
			return -1;
		}
	}
	return 0;
}

/* The recipients of a message: to, then cc (the envelope). */
static char **envelope(char *const *to, char *const *cc)
{
	size_t n = 0, k = 0;
	while (to && to[n])
		n++;
	while (cc && cc[k])
		k++;
	char **all = xcalloc(n + k + 1, sizeof *all);
	for (size_t i = 0; i < n; i++)
		all[i] = to[i];
	for (size_t i = 0; i < k; i++)
		all[n + i] = cc[i];
	return all;
}

int ops_deliver(const run_config *cfg, const mval *root, const char *out_dir, ops_run *r,
		mq_err *err)
{
	const ops_cfg *o = cfg->ops;
	if (!o || (!o->smtp_url && !cfg->eml_path)) {
		set_delivery(r, "not sent: no [email] smtp_url configured");
		if (cfg->eml_path) {
			mq_err_set(err, MQ_CONFIG,
				   "--eml needs an [email] group with from and recipients");
			return -1;
		}
		return 0;
	}
	if (cfg->no_email && !cfg->eml_path) {
		set_delivery(r, "not sent: --no-email");
		fprintf(stderr, "mqlreport: e-mail: not sent (--no-email)\n");
		return 0;
	}
	if (!o->from) {
		mq_err_set(err, MQ_CONFIG, "e-mail: [email] has no from address");
		return -1;
	}

	const out_rec *wb = find_output(r, "workbook"), *pdf = find_output(r, "pdf");
	char *const *wto = o->workbook_to ? o->workbook_to : o->to;
	char *const *wcc = o->workbook_cc ? o->workbook_cc : o->cc;
	char *const *pto = o->pdf_to ? o->pdf_to : o->to;
	char *const *pcc = o->pdf_cc ? o->pdf_cc : o->cc;
	plan plans[2];
	size_t nplans = 0;
	if (wb && pdf && wto && same_list(wto, pto) && same_list(wcc, pcc)) {
		plans[nplans++] = (plan){
		    .key = "workbook+pdf", .att = {wb, pdf}, .natt = 2, .to = wto, .cc = wcc};
	} else {
		if (wb && wto)
			plans[nplans++] =
			    (plan){.key = "workbook", .att = {wb}, .natt = 1, .to = wto, .cc = wcc};
		if (pdf && pto)
			plans[nplans++] =
			    (plan){.key = "pdf", .att = {pdf}, .natt = 1, .to = pto, .cc = pcc};
	}
	if (nplans == 0) {
		set_delivery(r, "not sent: no recipients for the reports");
		fprintf(
		    stderr,
		    "mqlreport: e-mail: no recipients configured for the reports; nothing sent\n");
		return 0;
	}

	char *state_path = g_build_filename(out_dir, STATE_FILE, NULL);
	GKeyFile *state = g_key_file_new();
	state_load(state_path, state);
	mail_server srv;
	bool have_server = false;
	int rc = -1;
	size_t sent = 0, skipped = 0, written = 0;
	for (size_t i = 0; i < nplans; i++) {
		const plan *p = &plans[i];
		char group[64];
		snprintf(group, sizeof group, "message %s", p->key);
		VEC_RESERVE(r->msgs, r->msgs_cap, r->nmsgs + 1);
		msg_rec *rec = &r->msgs[r->nmsgs++];
		*rec = (msg_rec){0};

		if (!cfg->eml_path && !cfg->resend && g_key_file_has_group(state, group)) {
			char *at = g_key_file_get_string(state, group, "accepted_at", NULL);
			char *to = g_key_file_get_string(state, group, "to", NULL);
			rec->reports = xstrdup(p->key);
			rec->to = strv_dup(p->to);
			rec->cc = strv_dup(p->cc);
			rec->status = xstrdup("already_sent");
			rec->at = xstrdup(at ? at : "");
			rec->message_id = g_key_file_get_string(state, group, "message_id", NULL);
			if (rec->message_id) {
				char *dup = xstrdup(rec->message_id);
				g_free(rec->message_id);
				rec->message_id = dup;
			}
			fprintf(stderr,
				"mqlreport: e-mail %s: already sent at %s to %s; not sent again "
				"(use --resend)\n",
				p->key, at ? at : "?", to ? to : "?");
			g_free(at);
			g_free(to);
			skipped++;
			continue;
		}
		size_t len = 0;
		char *msg = compose(cfg, root, r, p, out_dir, &len, rec, err);
		if (!msg)
			goto done;
		if (cfg->eml_path) {
			char *path = eml_path_for(cfg->eml_path, written);
			int w = atomic_write(path, msg, len, err);
			free(msg);
			rec->status = xstrdup("written");
			rec->eml_path = path;
			if (w != 0)
				goto done;
			fprintf(stderr, "mqlreport: e-mail %s: written to %s (not sent)\n", p->key,
				path);
			written++;
			continue;
		}
		if (!have_server) {
			if (server_of(o, &srv, err) != 0) {
				free(msg);
				rec->status = xstrdup("failed");
				rec->error = xstrdup(err->msg);
				goto done;
			}
			have_server = true;
		}
		char **rcpt = envelope(p->to, p->cc);
		long reply = 0;
		int s = mail_send(&srv, o->from, (const char *const *)rcpt, msg, len, &reply, err);
		free(rcpt);
		free(msg);
		if (s != 0) {
			rec->status = xstrdup("failed");
			rec->error = xstrdup(err->msg);
			goto done;
		}
		char now[32];
		utc_now(now, sizeof now);
		rec->status = xstrdup("sent");
		rec->at = xstrdup(now);
		rec->reply = reply;
		/* marked sent only now, once the server has accepted it */
		char *to = strv_join(p->to, ", "), *cc = strv_join(p->cc, ", ");
		g_key_file_set_string(state, group, "message_id", rec->message_id);
		g_key_file_set_string(state, group, "to", to);
		g_key_file_set_string(state, group, "cc", cc);
		g_key_file_set_string(state, group, "accepted_at", now);
		g_key_file_set_int64(state, group, "reply", reply);
		fprintf(stderr, "mqlreport: e-mail %s: accepted by the server (%ld) for %s%s%s\n",
			p->key, reply, to, cc[0] ? ", cc " : "", cc);
		free(to);
		free(cc);
		if (state_save(state_path, state, err) != 0)
			goto done;
		sent++;
	}
	rc = 0;
done:
	if (rc == 0) {
		if (written)
			set_delivery(r, "written to %s (not sent)", cfg->eml_path);
		else if (sent && skipped)
			set_delivery(r, "sent %zu message(s); %zu already sent before", sent,
				     skipped);
		else if (sent)
			set_delivery(r, "sent %zu message(s)", sent);
		else
			set_delivery(r, "not sent again: already sent (use --resend)");
	} else {
		set_delivery(r, "failed: %s", err->msg);
	}
	g_key_file_free(state);
	g_free(state_path);
	return rc;
}

/* ---- manifest ---- */

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

int ops_manifest_write(const run_config *cfg, const dataset *ds, const ops_run *r,
		       const mq_err *failure, const char *path, mq_err *err)
{
	char now[32], host[256] = "";
	utc_now(now, sizeof now);
	gethostname(host, sizeof host - 1);
	int status = failure && mq_failed(failure) ? failure->status : MQ_OK;

	mval *m = mv_obj();
	mv_set(m, "tool", mv_str("mqlreport"));
	mv_set(m, "version", mv_str(MQL_VERSION));
	mv_set(m, "week", str_or_null(r->week));
	mv_set(m, "exit_status", mv_int(status, MF_PLAIN));
	mv_set(m, "status", str_or_null(mq_strerror(status)));
	mv_set(m, "error", str_or_null(status ? failure->msg : NULL));
	mv_set(m, "host", mv_str(host));
	mv_set(m, "pid", mv_int((int64_t)getpid(), MF_PLAIN));
	mv_set(m, "config", str_or_null(cfg ? cfg->config_path : NULL));
	mv_set(m, "started_at", str_or_null(r->started_at));
	mv_set(m, "finished_at", mv_str(now));
	mval *timings = mv_set(m, "timings_s", mv_obj());
	for (size_t i = 0; i < r->nphases; i++)
		mv_set(timings, r->phases[i].name, secs(r->phases[i].secs));
	mv_set(timings, "total", secs(mq_mono_s() - r->t0));

	/* a URL source is named without its secrets already (ingest) */
	mval *inputs = mv_set(m, "inputs", mv_arr());
	for (int i = 0; ds && i < SRC_COUNT; i++) {
		const source_stats *st = &ds->src[i];
		if (!st->present)
			continue;
		mval *in = mv_push(inputs, mv_obj());
		mv_set(in, "source", mv_str(source_name[i]));
		mv_set(in, "location", str_or_null(st->location));
		mv_set(in, "bytes", mv_int(st->bytes, MF_COUNT));
		mv_set(in, "sha256", mv_str(st->sha256));
	}
	mval *outputs = mv_set(m, "outputs", mv_arr());
	for (size_t i = 0; i < r->nouts; i++) {
		mval *o = mv_push(outputs, mv_obj());
		mv_set(o, "kind", str_or_null(r->outs[i].kind));
		mv_set(o, "file", str_or_null(r->outs[i].name));
		mv_set(o, "bytes", mv_int(r->outs[i].bytes, MF_COUNT));
		mv_set(o, "sha256", str_or_null(r->outs[i].sha256));
	}
	mval *email = mv_set(m, "email", mv_obj());
	mv_set(email, "result", str_or_null(r->delivery));
	mval *msgs = mv_set(email, "messages", mv_arr());
	for (size_t i = 0; i < r->nmsgs; i++) {
		const msg_rec *mr = &r->msgs[i];
		mval *o = mv_push(msgs, mv_obj());
		mv_set(o, "reports", str_or_null(mr->reports));
		mv_set(o, "status", str_or_null(mr->status));
		mv_set(o, "to", str_list(mr->to));
		mv_set(o, "cc", str_list(mr->cc));
		mv_set(o, "message_id", str_or_null(mr->message_id));
		mv_set(o, "at", str_or_null(mr->at && mr->at[0] ? mr->at : NULL));
		if (mr->reply)
			mv_set(o, "server_reply", mv_int(mr->reply, MF_PLAIN));
		mv_set(o, "attached", str_list(mr->attached));
		mv_set(o, "left_out", str_list(mr->left_out));
		if (mr->eml_path)
			mv_set(o, "eml", mv_str(mr->eml_path));
		if (mr->error)
			mv_set(o, "error", mv_str(mr->error));
	}

	char *dir = g_path_get_dirname(path);
	g_mkdir_with_parents(dir, 0755);
	g_free(dir);
	int rc = report_json_write(m, path, err);
	mv_free(m);
	return rc;
}

char *ops_failed_manifest_path(const char *out_dir)
{
	char *trimmed = xstrdup(out_dir);
	size_t n = strlen(trimmed);
	while (n > 1 && trimmed[n - 1] == '/')
		trimmed[--n] = '\0';
	char *p = xasprintf("%s.failed.json", trimmed);
	free(trimmed);
	return p;
}

/* ---- failure notice ---- */

int ops_notify_failure(const run_config *cfg, const char *week_label, const mq_err *failure,
		       const char *manifest_path, mq_err *err)
{
	const ops_cfg *o = cfg ? cfg->ops : NULL;
	if (!o || !o->operator_addr || !o->from || (!o->smtp_url && !cfg->eml_path))
		return 0;
	if (cfg->no_email && !cfg->eml_path)
		return 0;
	char host[256] = "", now[32], status[16];
	gethostname(host, sizeof host - 1);
	utc_now(now, sizeof now);
	int st = failure ? failure->status : MQ_SOFTWARE;
	snprintf(status, sizeof status, "%d", st);
	const char *week = week_label ? week_label : "unknown";
	mail_var vars[] = {
	    {"week", week},
	    {"status", status},
	    {"status_name", mq_strerror(st)},
	    {"message", failure ? failure->msg : ""},
	    {"host", host},
	    {"time", now},
	    {"manifest", manifest_path ? manifest_path : "none"},
	};
	char *text = mail_render(mail_template("failure.txt"), NULL, vars,
				 sizeof vars / sizeof vars[0], false);
	char *subject =
	    xasprintf("mqlreport FAILED: week %s, exit %d (%s)", week, st, mq_strerror(st));
	char *id = xasprintf("<mqlreport.failure.%s.%ld.%ld@%s>", week, (long)time(NULL),
			     (long)getpid(), strchr(o->from, '@') + 1);
	const char *to[] = {o->operator_addr, NULL};
	mail_message m = {.from = o->from,
			  .to = to,
			  .subject = subject,
			  .text = text,
			  .message_id = id,
			  .date = time(NULL)};
	size_t len = 0;
	int rc = -1;
	char *msg = mail_build(&m, &len, err);
	if (!msg)
		goto done;
	if (cfg->eml_path) {
		rc = atomic_write(cfg->eml_path, msg, len, err);
		if (rc == 0)
			fprintf(stderr, "mqlreport: failure notice written to %s (not sent)\n",
				cfg->eml_path);
	} else {
		mail_server srv;
		if (server_of(o, &srv, err) == 0) {
			const char *rcpt[] = {o->operator_addr, NULL};
			rc = mail_send(&srv, o->from, rcpt, msg, len, NULL, err);
			if (rc == 0)
				fprintf(stderr, "mqlreport: failure notice sent to %s\n",
					o->operator_addr);
		}
	}
done:
	free(msg);
	free(text);
	free(subject);
	free(id);
	return rc;
}
