/* deliver.c — e-mailing the week's reports (see deliver.h): which
 * messages (one per distinct recipient list), what fits in the size cap,
 * and whether each goes to the server, to an .eml file, or nowhere because
 * the week was sent already.
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
#include "sentstate.h"

#define NOTE_SLACK 4096 /* room for the bodies' "left out" note when sizing */

/* One message to send: which reports, to whom. */
typedef struct plan {
	const char *key; /* "workbook+pdf", "workbook", "pdf" */
	const manifest_output *att[2];
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
static char *message_id(const manifest *r, const char *week, const char *key, const char *from,
			bool resend)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(c, (const guchar *)week, (gssize)strlen(week));
	size_t nouts;
	const manifest_output *outs = manifest_outputs(r, &nouts);
	for (size_t i = 0; i < nouts; i++) {
		g_checksum_update(c, (const guchar *)outs[i].kind, (gssize)strlen(outs[i].kind));
		g_checksum_update(c, (const guchar *)outs[i].sha256, 64);
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

/* Build the message of plan p; the attachments that fit in max_bytes are
 * attached, the others named in the note. */
static char *compose(const run_config *cfg, const mval *root, const manifest *r, const plan *p,
		     const char *out_dir, size_t *len, manifest_message *rec, mq_err *err)
{
	const email_cfg *o = cfg->email;
	const char *week = manifest_week(r) ? manifest_week(r) : "unknown";
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
	char **attached = g_new0(char *, 3), **left = g_new0(char *, 3);
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
			const manifest_output *a = p->att[i];
			int64_t need = mail_base64_size(a->bytes) + 512;
			if (used + need <= budget) {
				att[natt++] = (mail_attachment){.path = a->path,
								.filename = a->name,
								.mime_type = mime_of(a->kind)};
				attached[na++] = g_strdup(a->name);
				g_string_append_printf(names, "%s%s", names->len ? ", " : "",
						       a->name);
				used += need;
			} else {
				char *sz = g_format_size((guint64)a->bytes);
				char *lim = g_format_size((guint64)o->max_bytes);
				char *where = g_build_filename(out_dir, a->name, NULL);
				g_string_append_printf(note,
						       "%s%s (%s) is not attached: with it the "
						       "message would exceed the %s "
						       "limit. It is in the report folder: %s.",
						       note->len ? " " : "", a->name, sz, lim,
						       where);
				g_free(where);
				g_free(sz);
				g_free(lim);
				left[nl++] = g_strdup(a->name);
			}
		}
	}
	rec->reports = xstrdup(p->key);
	rec->to = g_strdupv((char **)p->to);
	rec->cc = g_strdupv((char **)p->cc);
	rec->message_id = xstrdup(id);
	rec->attached = attached;
	rec->left_out = left;
	attached = left = NULL;
	if (nl)
		fprintf(stderr, "mqlreport: e-mail %s: %s\n", p->key, note->str);
fail:
	g_strfreev(attached);
	g_strfreev(left);
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

int deliver_reports(const run_config *cfg, const mval *root, const char *out_dir, manifest *r,
		    mq_err *err)
{
	const email_cfg *o = cfg->email;
	if (!o || (!o->smtp_url && !cfg->eml_path)) {
		manifest_set_delivery(r, "not sent: no [email] smtp_url configured");
		if (cfg->eml_path) {
			mq_err_set(err, MQ_CONFIG,
				   "--eml needs an [email] group with from and recipients");
			return -1;
		}
		return 0;
	}
	if (cfg->no_email && !cfg->eml_path) {
		manifest_set_delivery(r, "not sent: --no-email");
		fprintf(stderr, "mqlreport: e-mail: not sent (--no-email)\n");
		return 0;
	}
	if (!o->from) {
		mq_err_set(err, MQ_CONFIG, "e-mail: [email] has no from address");
		return -1;
	}

	const manifest_output *wb = manifest_output_of(r, "workbook"), *pdf = manifest_output_of(r, "pdf");
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
		manifest_set_delivery(r, "not sent: no recipients for the reports");
		fprintf(
		    stderr,
		    "mqlreport: e-mail: no recipients configured for the reports; nothing sent\n");
		return 0;
	}

	sentstate *state = sentstate_open(out_dir);
	mail_server srv;
	bool have_server = false;
	int rc = -1;
	size_t sent = 0, skipped = 0, written = 0;
	for (size_t i = 0; i < nplans; i++) {
		const plan *p = &plans[i];
		manifest_message *rec = manifest_add_message(r);

		sent_entry prev;
		if (!cfg->eml_path && !cfg->resend && sentstate_find(state, p->key, &prev)) {
			rec->reports = xstrdup(p->key);
			rec->to = g_strdupv((char **)p->to);
			rec->cc = g_strdupv((char **)p->cc);
			rec->status = xstrdup("already_sent");
			rec->at = xstrdup(prev.accepted_at ? prev.accepted_at : "");
			rec->message_id = prev.message_id ? xstrdup(prev.message_id) : NULL;
			fprintf(stderr,
				"mqlreport: e-mail %s: already sent at %s to %s; not sent again "
				"(use --resend)\n",
				p->key, prev.accepted_at ? prev.accepted_at : "?",
				prev.to ? prev.to : "?");
			sent_entry_clear(&prev);
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
			if (email_server(o, &srv, err) != 0) {
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
		mq_utc_now(now, sizeof now);
		rec->status = xstrdup("sent");
		rec->at = xstrdup(now);
		rec->reply = reply;
		/* marked sent only now, once the server has accepted it */
		char *to = g_strjoinv(", ", (char **)p->to);
		char *cc = p->cc ? g_strjoinv(", ", (char **)p->cc) : g_strdup("");
		sent_entry e = {
		    .message_id = rec->message_id, .to = to, .cc = cc, .accepted_at = now, .reply = reply};
		fprintf(stderr, "mqlreport: e-mail %s: accepted by the server (%ld) for %s%s%s\n",
			p->key, reply, to, cc[0] ? ", cc " : "", cc);
		int m = sentstate_mark(state, p->key, &e, err);
		g_free(to);
		g_free(cc);
		if (m != 0)
			goto done;
		sent++;
	}
	rc = 0;
done:
	if (rc == 0) {
		if (written)
			manifest_set_delivery(r, "written to %s (not sent)", cfg->eml_path);
		else if (sent && skipped)
			manifest_set_delivery(r, "sent %zu message(s); %zu already sent before", sent,
				     skipped);
		else if (sent)
			manifest_set_delivery(r, "sent %zu message(s)", sent);
		else
			manifest_set_delivery(r, "not sent again: already sent (use --resend)");
	} else {
		manifest_set_delivery(r, "failed: %s", err->msg);
	}
	sentstate_free(state);
	return rc;
}
