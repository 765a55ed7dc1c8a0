/* notify.c — the failure notice: a short plain-text message to the
 * operator address when a run fails (see notify.h).
 *
 * It only tells: it carries no report, never changes the run's exit
 * status, and is not retried beyond what the SMTP send itself does. It is
 * never sent for a run refused by the lock (the caller does not call it
 * then). */
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "afile.h"
#include "clock.h"
#include "config_email.h"
#include "mail.h"
#include "mail_body.h"
#include "stop.h"

#define STOP_NOTICE_TIMEOUT_S 20L /* the notice of a run stopped by a signal */

/* path as the shell reads it: quoted only when it needs to be */
static char *shell_word(const char *path)
{
	for (const char *c = path; *c; c++)
		if (!g_ascii_isalnum(*c) && !strchr("/._-+,:@%=_", *c))
			return g_shell_quote(path);
	return g_strdup(path);
}

/* " word" onto s, quoted for the shell where it needs to be. */
static void append_word(GString *s, const char *word)
{
	char *q = shell_word(word);
	g_string_append_printf(s, " %s", q);
	g_free(q);
}

/* The command that runs the same week again as this run did: the options
 * it was given that decide its figures and where it writes (cli.c keeps
 * them, paths absolute, an option and its value each), and --out naming
 * the week's folder it used when it was given none (the default out/ of
 * its working folder, which a command pasted in another folder would
 * miss, with the week's delivery.ini and lock), in --out's place after
 * --config and --data. Caller frees. */
static char *rerun_command(const run_config *cfg, const char *week, const char *week_dir)
{
	GString *s = g_string_new("mqlreport run");
	char *const *w = cfg ? cfg->rerun_args : NULL;
	char *out =
	    cfg && !cfg->out_dir && week_dir ? g_canonicalize_filename(week_dir, NULL) : NULL;
	for (size_t i = 0; w && w[i]; i++) {
		if (out && !(i % 2) && strcmp(w[i], "--config") && strcmp(w[i], "--data")) {
			g_string_append(s, " --out");
			append_word(s, out);
			g_clear_pointer(&out, g_free);
		}
		append_word(s, w[i]);
	}
	if (out) {
		g_string_append(s, " --out");
		append_word(s, out);
		g_free(out);
	}
	g_string_append_printf(s, " --week %s", week);
	return g_string_free(s, FALSE);
}

/* The notice's sentence on messages the server took whole without
 * confirming them: they may have been delivered. "" when none. Caller
 * frees. */
static char *maybe_delivered(const notify_done *d)
{
	if (!d || !d->unconfirmed)
		return xstrdup("");
	bool one = d->unconfirmed == 1;
	char *which = d->delivered > 0
			  ? xasprintf("%zu more report message%s", d->unconfirmed, one ? "" : "s")
		      : one && d->total == 1
			  ? xstrdup("The report message")
			  : xasprintf("%zu report message%s", d->unconfirmed, one ? "" : "s");
	char *s = xasprintf(" %s may have reached %s recipients all the same: the mail server "
			    "took %s whole but did not confirm %s before the run failed.",
			    which, one ? "its" : "their", one ? "it" : "them", one ? "it" : "them");
	free(which);
	return s;
}

/* What the run did before it failed, and what running the week again
 * does: the notice's first paragraph and its advice. Caller frees both. */
static void outcome(const notify_done *d, char **what, char **next)
{
	char *maybe = maybe_delivered(d);
	if (d && d->published && d->delivered > 0) {
		*what = xasprintf("The week's outputs were published in its folder, and %zu of "
				  "its %zu report message%s reached the mail server before the "
				  "run failed: the manifest lists which, and to whom.%s",
				  d->delivered, d->total, d->total == 1 ? "" : "s", maybe);
	} else if (d && d->published && d->unconfirmed > 0) {
		*what = xasprintf("The week's outputs were published in its folder.%s", maybe);
	} else {
		*what = xstrdup(d && d->published
				    ? "The week's outputs were published in its folder, but no "
				      "report message reached the mail server."
				    : "No report was sent to its recipients, and the outputs of "
				      "earlier weeks are untouched.");
	}
	free(maybe);
	if (d && d->unconfirmed > 0)
		*next = xstrdup("ask a recipient whether the report arrived first: running the "
				"same week again sends what its delivery.ini does not record as "
				"sent, and a message the server did not confirm is not recorded, "
				"so it goes out again (with the same Message-ID). The command:");
	else if (d && d->published && d->delivered > 0)
		*next = xstrdup("read the manifest first: running the same week again sends "
				"what its delivery.ini does not record as sent, so a message "
				"sent but not recorded goes out twice. The command:");
	else
		*next = xstrdup("run the same week again; the report is sent then:");
}

/* The notice as a whole message; NULL with err. Caller frees. */
static char *build_notice(const run_config *cfg, const char *week, const mq_err *failure,
			  const char *manifest_path, const notify_done *done, size_t *len,
			  mq_err *err)
{
	const email_cfg *o = cfg->email;
	char host[256] = "", now[32], status[16];
	gethostname(host, sizeof host - 1);
	mq_utc_now(now, sizeof now);
	int st = failure ? failure->status : MQ_SOFTWARE;
	snprintf(status, sizeof status, "%d", st);
	char *what, *next, *rerun = rerun_command(cfg, week, done ? done->week_dir : NULL);
	outcome(done, &what, &next);
	/* paragraphs in lines a mail reader shows as they are */
	char *advice_text = xasprintf(
	    "What the exit statuses mean and what to do next: operations.md, section \"When a run "
	    "fails\" (%s/operations.md where mqlreport is installed under the prefix it was "
	    "built for, docs/operations.md in its source). Once the cause is fixed, %s",
	    MQL_DOCDIR, next);
	char *said = mail_wrap(what, 72, "", ""), *advice = mail_wrap(advice_text, 72, "", "");
	free(advice_text);
	/* the error, often a long sentence, in the 78 columns of the lines
	 * around it, under its label's column */
	char *error =
	    mail_wrap(failure ? failure->msg : "", 78, "Error:        ", "              ");
	/* a path stays whole on its line, spaces and all; why there is none
	 * is wrapped as the error is */
	char *none =
	    xasprintf("none (%s)", done && done->no_manifest ? done->no_manifest : "not written");
	char *manifest = manifest_path ? xasprintf("Manifest:     %s", manifest_path)
				       : mail_wrap(none, 78, "Manifest:     ", "              ");
	free(none);
	mail_var vars[] = {
	    {"outcome", said},	    {"advice", advice}, {"rerun", rerun},
	    {"week", week},	    {"status", status}, {"status_name", mq_strerror(st)},
	    {"error", error},	    {"host", host},	{"time", now},
	    {"manifest", manifest},
	};
	char *text = mail_render(mail_template("failure.txt"), NULL, vars,
				 sizeof vars / sizeof vars[0], false);
	free(what);
	free(next);
	free(said);
	free(advice);
	free(error);
	free(manifest);
	g_free(rerun);
	char *subject =
	    xasprintf("mqlreport FAILED: week %s, exit %d (%s)", week, st, mq_strerror(st));
	char *id = xasprintf("<mqlreport.failure.%s.%ld.%ld@%s>", week, (long)time(NULL),
			     (long)getpid(), strchr(o->from, '@') + 1);
	const char *to[] = {o->operator_addr, NULL};
	const char *to_name[] = {email_name_of(o, o->operator_addr), NULL};
	mail_message m = {.from = o->from,
			  .from_name = email_name_of(o, o->from),
			  .to = to,
			  .to_names = to_name,
			  .subject = subject,
			  .text = text,
			  .message_id = id,
			  .date = time(NULL)};
	char *msg = mail_build(&m, len, err);
	free(text);
	free(subject);
	free(id);
	return msg;
}

int notify_failure(const run_config *cfg, const char *week_label, const mq_err *failure,
		   const char *manifest_path, const notify_done *done, mq_err *err)
{
	const email_cfg *o = cfg ? cfg->email : NULL;
	if (!o || !o->operator_addr || !o->from || (!o->smtp_url && !cfg->eml_path))
		return 0;
	if (cfg->no_email && !cfg->eml_path)
		return 0;
	const char *week = week_label ? week_label : "unknown";
	size_t len = 0;
	char *msg = build_notice(cfg, week, failure, manifest_path, done, &len, err);
	if (!msg)
		return -1;
	int rc = -1;
	if (cfg->eml_path) {
		rc = atomic_write_named(cfg->eml_path, msg, len, err);
		if (rc == 0)
			fprintf(stderr, "mqlreport: failure notice written to %s (not sent)\n",
				cfg->eml_path);
	} else {
		mail_server srv;
		if (email_server(o, &srv, err) == 0) {
			if (failure && mq_stop_is_status(failure->status)) {
				/* asked to stop: one short try, before the scheduler's
				 * patience (systemd's 90 s) runs out; a second signal
				 * ends it */
				srv.retries = 0;
				srv.total_s = STOP_NOTICE_TIMEOUT_S;
			}
			const char *rcpt[] = {o->operator_addr, NULL};
			rc = mail_send(&srv, o->from, rcpt, msg, len, NULL, err);
			if (rc == 0)
				fprintf(stderr, "mqlreport: failure notice sent to %s\n",
					o->operator_addr);
		}
	}
	free(msg);
	return rc;
}
