/* deliver.c — e-mailing the week's reports (see deliver.h): which
 * messages (one per distinct recipient list), what fits in the size cap,
 * and whether each goes to the server, to an .eml file, or nowhere because
 * the week was sent already (a message sent before the week had ended
 * gives way to a report that counts more of it).
 *
 * It decides and composes; it must never touch the published outputs, nor
 * mark a message sent before the server accepted it (sentstate.c keeps
 * that record), nor speak SMTP itself (mail.h does). */
#include "deliver.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "clock.h"
#include "config_email.h"
#include "mail.h"
#include "mail_chart.h"
#include "reports.h"
#include "sentstate.h"
#include "stop.h"
#include "timeparse.h"

/* One message to send: which reports, to whom. */
typedef struct plan {
	const char *key; /* "workbook+pdf", "workbook", "pdf" */
	const manifest_output *att[2];
	size_t natt;
	char *const *to, *const *cc;
} plan;

/* The same addresses in the same order, ignoring case (NULL: empty). */
static bool same_list(char *const *a, char *const *b)
{
	size_t i = 0;
	for (; a && a[i] && b && b[i]; i++)
		if (g_ascii_strcasecmp(a[i], b[i]) != 0)
			return false;
	return (!a || !a[i]) && (!b || !b[i]);
}

/* The MIME type of an output kind. */
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

/* What an output is, for the reader of the e-mail. */
static const char *what_of(const char *kind)
{
	if (!strcmp(kind, "workbook"))
		return "the workbook";
	if (!strcmp(kind, "pdf"))
		return "the campaign-ROI report";
	return kind;
}

/* <mqlreport.2026-W47.workbook+pdf.{16 hex}@{from's domain}>, the hex of
 * a SHA-256 over the week, the message's reports, the report's figures
 * (report_figures_sha256: not the moment it was made, which changes every
 * output's bytes) and the currency and time zone they are shown in: a week
 * made again with the same figures, after a send that was cut off before
 * it was recorded, carries the same id, and a mail system takes the second
 * copy for the first. A report of a week not ended yet (counts_until: when
 * it was made; NULL for the complete week) adds that moment: each state of
 * the week has an id of its own, none of them the complete week's. */
static char *message_id(const mval *root, const char *figures, const char *week, const char *key,
			const char *from, const char *counts_until, bool resend)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	const char *parts[] = {week, key, figures, mv_str_of(mv_path(root, "report.currency")),
			       mv_str_of(mv_path(root, "report.timezone"))};
	for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
		const char *t = parts[i] ? parts[i] : "";
		g_checksum_update(c, (const guchar *)t, (gssize)strlen(t) + 1); /* with its NUL */
	}
	if (counts_until) { /* the complete week's id stays what it always was */
		char *t = g_strdup_printf("partial, counts until %s", counts_until);
		g_checksum_update(c, (const guchar *)t, (gssize)strlen(t) + 1);
		g_free(t);
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

/* The reports of a message that fit the size cap. */
typedef struct fit {
	mail_attachment att[2];
	const manifest_output *src[2]; /* what att[i] is */
	size_t natt;		       /* of att and attached */
	char **attached, **left;       /* file names, GLib vectors */
	size_t nleft;
	GString *names; /* "a.xlsx, b.pdf": {{attachments}} */
	GString *kinds; /* "workbook pdf": what the notes may refer to */
	GString *note;	/* why a report is left out: {{note}} */
	bool text_only; /* the HTML body is left out too */
} fit;

/* {{attachments}} from what is attached now. */
static void fit_names(fit *f)
{
	g_string_truncate(f->names, 0);
	g_string_truncate(f->kinds, 0);
	for (size_t i = 0; i < f->natt; i++) {
		g_string_append_printf(f->kinds, "%s%s", i ? " " : "", f->src[i]->kind);
		char *sz = g_format_size((guint64)f->src[i]->bytes);
		g_string_append_printf(f->names, "%s%s (%s, %s)", i ? ", " : "", f->src[i]->name,
				       what_of(f->src[i]->kind), sz);
		g_free(sz);
	}
}

static void fit_attach(fit *f, const manifest_output *a)
{
	f->src[f->natt] = a;
	f->attached[f->natt] = g_strdup(a->name);
	f->att[f->natt++] =
	    (mail_attachment){.path = a->path, .filename = a->name, .mime_type = mime_of(a->kind)};
	fit_names(f);
}

/* The last report attached, taken off again and named in the note with
 * where it is. */
static void fit_leave_last(fit *f, int64_t max_bytes, const char *out_dir)
{
	const manifest_output *a = f->src[--f->natt];
	g_free(f->attached[f->natt]);
	f->attached[f->natt] = NULL;
	fit_names(f);
	char *sz = g_format_size((guint64)a->bytes);
	char *lim = g_format_size((guint64)max_bytes);
	char *where = g_build_filename(out_dir, a->name, NULL);
	g_string_append_printf(f->note,
			       "%s%s (%s) is not attached: with it the message would "
			       "exceed the %s limit. It is in the report folder: %s.",
			       f->note->len ? " " : "", a->name, sz, lim, where);
	g_free(where);
	g_free(sz);
	g_free(lim);
	f->left[f->nleft++] = g_strdup(a->name);
}

/* The HTML body taken off, the last thing left out for size: the plain
 * text holds everything the reader needs on its own. Named in the note. */
static void fit_text_only(fit *f, int64_t max_bytes)
{
	char *lim = g_format_size((guint64)max_bytes);
	g_string_append_printf(f->note,
			       "%sThis message is in plain text only: with its HTML version it "
			       "would exceed the %s limit.",
			       f->note->len ? " " : "", lim);
	g_free(lim);
	f->text_only = true;
}

/* The e-mail's inline trend picture: included when it fits in the budget
 * after the reports (the reports come first). */
typedef struct picture {
	unsigned char *png;
	size_t len;
	char *cid, *alt;
	bool included;
} picture;

/* The message as it is now: the text and HTML bodies (the health warnings
 * first, the KPIs, what changed, the trend picture when included, what is
 * attached and what not) and the parts. NULL with err. */
static char *build_now(const mval *root, const fit *f, const picture *pic, mail_message *mail,
		       size_t *len, mq_err *err)
{
	mail_var vars[] = {{"note", f->note->str},
			   {"attachments", f->names->str},
			   {"reports", f->kinds->str},
			   {"trend_cid", pic->included ? pic->cid : ""},
			   {"trend_alt", pic->alt}};
	size_t nvars = G_N_ELEMENTS(vars);
	char *text = mail_render(mail_template("email.txt"), root, vars, nvars, false);
	char *html = mail_render(mail_template("email.html"), root, vars, nvars, true);
	mail_inline img = {.cid = pic->cid,
			   .filename = "trend.png",
			   .mime_type = "image/png",
			   .data = pic->png,
			   .len = pic->len};
	mail->text = text;
	mail->html = f->text_only ? NULL : html;
	mail->att = f->att;
	mail->natt = f->natt;
	mail->inl = pic->included && !f->text_only ? &img : NULL;
	mail->ninl = mail->inl ? 1 : 0;
	char *msg = mail_build(mail, len, err);
	mail->text = mail->html = NULL;
	mail->inl = NULL;
	free(text);
	free(html);
	return msg;
}

/* The message within max_bytes, measured rather than estimated: each
 * report in order is attached when the message with it still fits, the
 * picture when it fits after them; a note of a report left out that pushed
 * the message past takes the last report attached off too; when the
 * bodies alone do not fit, the HTML body goes, and a plain text that still
 * does not fit is sent as it is, the log saying so. Returns the message or
 * NULL with err. */
static char *build_fitted(const mval *root, const plan *p, const char *out_dir, const email_cfg *o,
			  mail_message *mail, fit *f, picture *pic, size_t *len, mq_err *err)
{
	int64_t max = o->max_bytes;
	char *msg = NULL;
	pic->included = false;
	for (size_t i = 0; i < p->natt; i++) {
		fit_attach(f, p->att[i]);
		free(msg);
		if (!(msg = build_now(root, f, pic, mail, len, err)))
			return NULL;
		if ((int64_t)*len > max)
			fit_leave_last(f, max, out_dir);
	}
	pic->included = pic->png != NULL;
	for (;;) {
		free(msg);
		if (!(msg = build_now(root, f, pic, mail, len, err)) || (int64_t)*len <= max)
			break;
		if (pic->included) {
			pic->included = false;
		} else if (f->natt) {
			/* a report less: the picture may fit again (each pass
			 * takes the picture or a report off: it ends) */
			fit_leave_last(f, max, out_dir);
			pic->included = pic->png != NULL;
		} else if (!f->text_only) {
			fit_text_only(f, max);
		} else {
			char *lim = g_format_size((guint64)max);
			fprintf(
			    stderr,
			    "mqlreport: e-mail %s: warning: the message takes %zu bytes in plain "
			    "text without any report, more than the %s limit ([email] "
			    "max_bytes = %lld): sent as it is; raise max_bytes to at least %zu\n",
			    p->key, *len, lim, (long long)max, *len);
			g_free(lim);
			break;
		}
	}
	return msg;
}

/* Build the message of plan p (figures: report_figures_sha256() of root;
 * counts_until: when a report of a week not ended yet was made, NULL for
 * the complete week); the reports that fit in max_bytes are
 * attached, the others named in the bodies. Fills rec's reports,
 * recipients, Message-ID, attached/left-out names and whether the HTML
 * body was left out. Returns the message
 * (caller frees) and its length in *len, or NULL with err. */
static char *compose(const run_config *cfg, const mval *root, const char *figures,
		     const char *counts_until, const manifest *m, const plan *p,
		     const char *out_dir, size_t *len, manifest_message *rec, mq_err *err)
{
	const email_cfg *o = cfg->email;
	const char *week = manifest_week(m) ? manifest_week(m) : "unknown";
	char *id = message_id(root, figures, week, p->key, o->from, counts_until, cfg->resend);
	const char *subject_tpl =
	    o->subject ? o->subject : "MQL report, {{week_short}}: {{headline}}";
	char *subject = mail_render(subject_tpl, root, NULL, 0, false);
	const char **to_names = email_names_of(o, p->to), **cc_names = email_names_of(o, p->cc);
	mail_message mail = {.from = o->from,
			     .from_name = email_name_of(o, o->from),
			     .to = (const char *const *)p->to,
			     .to_names = to_names,
			     .cc = (const char *const *)p->cc,
			     .cc_names = cc_names,
			     .subject = subject,
			     .message_id = id,
			     .date = mq_wall_time()};
	fit f = {.attached = g_new0(char *, 3),
		 .left = g_new0(char *, 3),
		 .names = g_string_new(""),
		 .kinds = g_string_new(""),
		 .note = g_string_new("")};
	picture pic = {.cid = xasprintf("trend.%s@mqlreport", week), .alt = mail_trend_alt(root)};
	pic.png = mail_trend_png(root, &pic.len);
	char *msg = build_fitted(root, p, out_dir, o, &mail, &f, &pic, len, err);
	if (msg) {
		rec->reports = xstrdup(p->key);
		rec->to = g_strdupv((char **)p->to);
		rec->cc = g_strdupv((char **)p->cc);
		rec->message_id = xstrdup(id);
		rec->attached = f.attached;
		rec->left_out = f.left;
		rec->html_left_out = f.text_only;
		f.attached = f.left = NULL;
		if (f.note->len)
			fprintf(stderr, "mqlreport: e-mail %s: %s\n", p->key, f.note->str);
	}
	g_strfreev(f.attached);
	g_strfreev(f.left);
	g_string_free(f.note, TRUE);
	g_string_free(f.names, TRUE);
	g_string_free(f.kinds, TRUE);
	free(pic.png);
	free(pic.cid);
	free(pic.alt);
	g_free(to_names);
	g_free(cc_names);
	free(subject);
	free(id);
	return msg;
}

/* The file --eml FILE writes message i (from 0) to: FILE, FILE.2, … */
static char *eml_path_for(const char *base, size_t i)
{
	/* standard output, a device or a pipe takes every message in turn */
	return i == 0 || afile_streams(base) ? xstrdup(base) : xasprintf("%s.%zu", base, i + 1);
}

/* The recipients of a message: to, then cc (the envelope). The strings
 * stay the caller's; free the vector only. */
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

/* Whether there is anything to deliver: 1 yes, 0 no (the manifest says
 * why), -1 a setting is missing (err). */
static int delivery_wanted(const run_config *cfg, manifest *m, mq_err *err)
{
	const email_cfg *o = cfg->email;
	if (!o || (!o->smtp_url && !cfg->eml_path)) {
		manifest_set_delivery(m, "not sent: no [email] smtp_url configured");
		if (cfg->eml_path) {
			mq_err_set(err, MQ_CONFIG,
				   "--eml needs an [email] group with from and recipients");
			return -1;
		}
		/* recipients named but no server: say so where it is seen */
		email_mails_nobody_warn(
		    cfg, "e-mail: not sent: ", " (set smtp_url to send, or pass --no-email)");
		return 0;
	}
	if (cfg->no_email && !cfg->eml_path) {
		manifest_set_delivery(m, "not sent: --no-email");
		fprintf(stderr, "mqlreport: e-mail: not sent (--no-email)\n");
		return 0;
	}
	if (!o->from) {
		mq_err_set(err, MQ_CONFIG, "e-mail: [email] has no from address");
		return -1;
	}
	return 1;
}

/* Whether both reports go in one message: they share their recipients. */
static bool one_message(const email_cfg *o)
{
	char *const *wto = o->workbook_to ? o->workbook_to : o->to;
	char *const *pto = o->pdf_to ? o->pdf_to : o->to;
	return wto && same_list(wto, pto) &&
	       same_list(o->workbook_cc ? o->workbook_cc : o->cc, o->pdf_cc ? o->pdf_cc : o->cc);
}

/* The messages to send: one with both reports when they share their
 * recipients, else one per report that has recipients. Returns how many. */
static size_t plan_messages(const email_cfg *o, const manifest *m, plan plans[2])
{
	const manifest_output *wb = manifest_output_of(m, "workbook");
	const manifest_output *pdf = manifest_output_of(m, "pdf");
	char *const *wto = o->workbook_to ? o->workbook_to : o->to;
	char *const *wcc = o->workbook_cc ? o->workbook_cc : o->cc;
	char *const *pto = o->pdf_to ? o->pdf_to : o->to;
	char *const *pcc = o->pdf_cc ? o->pdf_cc : o->cc;
	size_t n = 0;
	if (wb && pdf && one_message(o)) {
		plans[n++] = (plan){
		    .key = "workbook+pdf", .att = {wb, pdf}, .natt = 2, .to = wto, .cc = wcc};
		return n;
	}
	if (wb && wto)
		plans[n++] =
		    (plan){.key = "workbook", .att = {wb}, .natt = 1, .to = wto, .cc = wcc};
	if (pdf && pto)
		plans[n++] = (plan){.key = "pdf", .att = {pdf}, .natt = 1, .to = pto, .cc = pcc};
	return n;
}

size_t deliver_eml_files(const run_config *cfg, char *paths[2])
{
	const email_cfg *o = cfg->email;
	if (!cfg->eml_path || !o)
		return 0;
	size_t n = 1;
	if (!one_message(o) && (o->workbook_to || o->to) && (o->pdf_to || o->to))
		n = 2; /* a message per report */
	if (afile_streams(cfg->eml_path))
		n = 1; /* the second goes where the first went */
	for (size_t i = 0; i < n; i++)
		paths[i] = eml_path_for(cfg->eml_path, i);
	return n;
}

/* One deliver_reports() call in progress. */
typedef struct delivery {
	const run_config *cfg;
	const mval *root;
	const char *out_dir;
	manifest *m;
	sentstate *state;
	mail_server srv;
	bool have_server; /* srv is set: credentials were read */
	size_t sent, skipped, written;
	size_t changed;		/* of the skipped: sent with other figures than these */
	size_t superseded;	/* sent in place of a message of the week not ended then */
	size_t skipped_partial; /* of the skipped: of the week not ended then */
	char *superseded_at;	/* when the first of those was accepted; NULL: not known */
	char *figures;		/* report_figures_sha256() of root, once asked for */
	char until[32];		/* the report's counts_until as UTC; "": the complete week */
} delivery;

static const char *figures_of(delivery *d)
{
	if (!d->figures)
		d->figures = report_figures_sha256(d->root);
	return d->figures;
}

/* A message the server accepted before: recorded, not sent again. When
 * its figures differ from this run's (an export or a setting changed since),
 * the recipients hold other numbers than the published outputs: said. */
static void record_already_sent(delivery *d, const plan *p, sent_entry *prev, manifest_message *rec)
{
	rec->reports = xstrdup(p->key);
	rec->to = g_strdupv((char **)p->to);
	rec->cc = g_strdupv((char **)p->cc);
	rec->status = xstrdup("already_sent");
	rec->at = xstrdup(prev->accepted_at ? prev->accepted_at : "");
	rec->message_id = prev->message_id ? xstrdup(prev->message_id) : NULL;
	rec->reply = prev->reply;
	rec->reply_text = prev->reply_text ? xstrdup(prev->reply_text) : NULL;
	bool changed = prev->figures && strcmp(prev->figures, figures_of(d)) != 0;
	if (prev->figures)
		rec->figures = xstrdup(changed ? "changed" : "as_sent");
	d->changed += changed;
	d->skipped_partial += prev->partial;
	if (prev->partial) /* this report is of the week not ended either */
		fprintf(stderr,
			"mqlreport: e-mail %s: already sent at %s to %s, of week %s before it had "
			"ended (counting what happened before %s), and the week has still not "
			"ended; not sent again (use --resend); a run once the week has ended "
			"sends the complete week\n",
			p->key, prev->accepted_at ? prev->accepted_at : "?",
			prev->to ? prev->to : "?", manifest_week(d->m) ? manifest_week(d->m) : "?",
			prev->counts_until && prev->counts_until[0] ? prev->counts_until : "?");
	else if (changed)
		fprintf(stderr,
			"mqlreport: e-mail %s: already sent at %s to %s, with other figures than "
			"this run's (an export or a setting changed since): the published outputs "
			"are this run's, the recipients still have the earlier ones; not sent "
			"again: use --resend to send these\n",
			p->key, prev->accepted_at ? prev->accepted_at : "?",
			prev->to ? prev->to : "?");
	else
		fprintf(stderr,
			"mqlreport: e-mail %s: already sent at %s to %s; not sent again (use "
			"--resend)\n",
			p->key, prev->accepted_at ? prev->accepted_at : "?",
			prev->to ? prev->to : "?");
}

/* --eml: the message goes to FILE (FILE.2, … for the next ones). */
static int write_eml(delivery *d, const plan *p, manifest_message *rec, const char *msg, size_t len,
		     mq_err *err)
{
	char *path = eml_path_for(d->cfg->eml_path, d->written);
	int w = atomic_write_named(path, msg, len, err);
	rec->eml_path = path;
	/* "written" only once the file is there: a failed write is recorded
	 * as one, with why */
	if (w != 0) {
		rec->status = xstrdup("failed");
		rec->error = xstrdup(err->msg);
		return -1;
	}
	rec->status = xstrdup("written");
	fprintf(stderr, "mqlreport: e-mail %s: written to %s (not sent)\n", p->key, path);
	d->written++;
	return 0;
}

/* Send the message and, once the server accepted it, mark it sent. */
static int send_message(delivery *d, const plan *p, manifest_message *rec, const char *msg,
			size_t len, mq_err *err)
{
	const email_cfg *o = d->cfg->email;
	if (!d->have_server) {
		if (email_server(o, &d->srv, err) != 0) {
			rec->status = xstrdup("failed");
			rec->error = xstrdup(err->msg);
			return -1;
		}
		d->have_server = true;
	}
	char **rcpt = envelope(p->to, p->cc);
	mail_reply reply = {0};
	int s = mail_send(&d->srv, o->from, (const char *const *)rcpt, msg, len, &reply, err);
	free(rcpt);
	if (s != 0) {
		rec->status = xstrdup("failed");
		rec->error = xstrdup(err->msg);
		rec->unconfirmed = reply.unconfirmed;
		return -1;
	}
	char now[32];
	mq_utc_now(now, sizeof now);
	rec->status = xstrdup("sent");
	rec->at = xstrdup(now);
	rec->reply = reply.code;
	rec->reply_text = xstrdup(reply.text);
	/* marked sent only now, once the server has accepted it */
	char *to = g_strjoinv(", ", (char **)p->to);
	char *cc = p->cc ? g_strjoinv(", ", (char **)p->cc) : g_strdup("");
	sent_entry e = {.week = (char *)manifest_week(d->m),
			.message_id = rec->message_id,
			.to = to,
			.cc = cc,
			.accepted_at = now,
			.reply = reply.code,
			.reply_text = reply.text,
			.figures = (char *)figures_of(d),
			.partial = d->until[0] != '\0',
			.counts_until = d->until};
	fprintf(stderr, "mqlreport: e-mail %s: accepted by the server (%s) for %s%s%s\n", p->key,
		reply.text[0] ? reply.text : "no reply text", to, cc[0] ? ", cc " : "", cc);
	int rc = sentstate_mark(d->state, p->key, &e, err);
	g_free(to);
	g_free(cc);
	if (rc == 0)
		d->sent++;
	if (rc == 0 && e.partial)
		fprintf(stderr,
			"mqlreport: e-mail %s: recorded as a report of week %s before it had ended "
			"(counting what happened before %s): a run of the week once it has ended "
			"sends the complete week, without --resend\n",
			p->key, manifest_week(d->m) ? manifest_week(d->m) : "?", d->until);
	return rc;
}

/* Whether this run's report takes the place of the message prev, sent
 * before: prev was made before the week had ended, and this run's report
 * is of the complete week. A later moment of a week still not ended is not
 * sent again (a second look during the week would mail the recipients
 * twice before the week's report): --resend sends it. */
static bool counts_more(const delivery *d, const sent_entry *prev)
{
	return prev->partial && !d->until[0];
}

/* The message sent before, of the week not ended then, gives way to this
 * run's report, which counts more of it: said, and kept for the manifest. */
static void say_superseded(delivery *d, const plan *p, const sent_entry *prev)
{
	const char *week = manifest_week(d->m) ? manifest_week(d->m) : "?";
	fprintf(stderr,
		"mqlreport: e-mail %s: the message sent at %s to %s was of week %s before it "
		"had ended (counting what happened before %s); this run's report is the "
		"complete week %s: sent in its place\n",
		p->key, prev->accepted_at ? prev->accepted_at : "?", prev->to ? prev->to : "?",
		week, prev->counts_until && prev->counts_until[0] ? prev->counts_until : "?", week);
	if (!d->superseded++ && prev->accepted_at)
		d->superseded_at = xstrdup(prev->accepted_at);
}

/* One planned message: skipped when sent before, else composed and sent
 * or written. Recorded in the manifest either way. */
static int deliver_one(delivery *d, const plan *p, mq_err *err)
{
	const run_config *cfg = d->cfg;
	int sig = mq_stop_signal();
	if (sig) { /* between two messages: the next one is not begun */
		mq_err_set(err, mq_stop_status(sig), "stopped by %s before e-mailing %s",
			   mq_stop_name(sig), p->key);
		return -1;
	}
	manifest_message *rec = manifest_add_message(d->m);
	sent_entry prev;
	if (!cfg->eml_path && !cfg->resend &&
	    sentstate_find(d->state, p->key, manifest_week(d->m), &prev)) {
		bool later = counts_more(d, &prev);
		if (later)
			say_superseded(d, p, &prev);
		else
			record_already_sent(d, p, &prev, rec);
		sent_entry_clear(&prev);
		if (!later) {
			d->skipped++;
			return 0;
		}
	}
	size_t len = 0;
	char *msg = compose(cfg, d->root, figures_of(d), d->until[0] ? d->until : NULL, d->m, p,
			    d->out_dir, &len, rec, err);
	if (!msg)
		return -1;
	int rc = cfg->eml_path ? write_eml(d, p, rec, msg, len, err)
			       : send_message(d, p, rec, msg, len, err);
	free(msg);
	return rc;
}

/* What the messages sent are, when not simply the complete week: of the
 * week not ended yet, or in place of such a message. Caller frees. */
static char *sent_what(const delivery *d)
{
	const char *week = manifest_week(d->m) ? manifest_week(d->m) : "?";
	GString *s = g_string_new("");
	if (d->until[0])
		g_string_append_printf(s,
				       ", of week %s before it had ended (counting what happened "
				       "before %s)",
				       week, d->until);
	else if (d->superseded)
		g_string_append_printf(s, ", of the complete week %s", week);
	if (d->superseded)
		g_string_append_printf(
		    s, ", in place of the one%s sent %s%s before the week had ended",
		    d->superseded == 1 ? "" : "s", d->superseded_at ? "at " : "",
		    d->superseded_at ? d->superseded_at : "");
	if (d->until[0] && !d->cfg->resend)
		g_string_append(s, "; a run once the week has ended sends the complete week");
	return g_string_free(s, FALSE);
}

/* The manifest's one line on what happened to the e-mail. */
static void summarize(const delivery *d, int rc, const mq_err *err)
{
	const char *unfinished = d->skipped_partial ? ", of the week before it had ended" : "";
	char *what = d->sent ? sent_what(d) : xstrdup("");
	if (rc != 0)
		manifest_set_delivery(d->m, "failed: %s", err->msg);
	else if (d->written)
		manifest_set_delivery(d->m, "written to %s (not sent)", d->cfg->eml_path);
	else if (d->sent && d->skipped)
		manifest_set_delivery(d->m, "sent %zu message%s%s; %zu already sent before%s%s",
				      d->sent, d->sent == 1 ? "" : "s", what, d->skipped,
				      unfinished,
				      d->changed ? ", with other figures than these" : "");
	else if (d->sent)
		manifest_set_delivery(d->m, "sent %zu message%s%s", d->sent,
				      d->sent == 1 ? "" : "s", what);
	else if (d->changed)
		manifest_set_delivery(d->m,
				      "not sent again: already sent%s, with other figures "
				      "than these (use --resend to send these)",
				      unfinished);
	else
		manifest_set_delivery(d->m, "not sent again: already sent%s (use --resend)",
				      unfinished);
	free(what);
}

int deliver_reports(const run_config *cfg, const mval *root, const char *out_dir, manifest *m,
		    ts_ms counts_until, mq_err *err)
{
	int wanted = delivery_wanted(cfg, m, err);
	if (wanted <= 0)
		return wanted;
	plan plans[2];
	size_t nplans = plan_messages(cfg->email, m, plans);
	if (nplans == 0) {
		manifest_set_delivery(m, "not sent: no recipients for the reports");
		fprintf(
		    stderr,
		    "mqlreport: e-mail: no recipients configured for the reports; nothing sent\n");
		return 0;
	}
	delivery d = {.cfg = cfg,
		      .root = root,
		      .out_dir = out_dir,
		      .m = m,
		      .state = sentstate_open(out_dir, err)};
	if (counts_until != TS_NONE)
		ts_format_utc(counts_until, d.until, sizeof d.until);
	if (!d.state) {
		manifest_set_delivery(m, "failed: %s", err->msg);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < nplans && rc == 0; i++)
		rc = deliver_one(&d, &plans[i], err);
	summarize(&d, rc, err);
	sentstate_free(d.state);
	g_free(d.figures);
	free(d.superseded_at);
	return rc;
}
