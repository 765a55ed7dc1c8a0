/* smtp.c — SMTP delivery of a built message through libcurl (see smtp.h).
 *
 * One session per attempt; 4xx replies and transient transport errors are
 * retried with a doubling back-off. It must never change the message, send
 * credentials over plain text when TLS is required, retry a 5xx or a TLS
 * failure, or print the message or the AUTH exchange. */
#include "smtp.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net.h"
#include "stop.h"

typedef struct upload {
	const char *data;
	size_t len, pos;
} upload;

static size_t on_read(char *dst, size_t size, size_t nmemb, void *ctx)
{
	upload *u = ctx;
	size_t room = size * nmemb, left = u->len - u->pos;
	size_t n = left < room ? left : room;
	memcpy(dst, u->data + u->pos, n);
	u->pos += n;
	return n;
}

/* How one session ended. */
typedef struct session_result {
	CURLcode rc;
	long code; /* the server's last reply code (CURLINFO_RESPONSE_CODE); 0: none */
	char why[CURL_ERROR_SIZE]; /* libcurl's detail (CURLOPT_ERRORBUFFER) */
	char sent[256];		   /* the last command sent ("RCPT TO:<a@b>") */
	char reply[512];	   /* the server's last reply, as it wrote it */
} session_result;

/* libcurl's progress callback: a stop signal that arrives during the
 * session (more than *seen) ends it at once. */
static int on_progress(void *seen, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return mq_stop_count() > *(const int *)seen;
}

/* The session's options: server, TLS, credentials, envelope, message. */
static void set_session(net_handle *n, const mail_server *s, const char *env_from,
			struct curl_slist *to, upload *u, const int *seen)
{
	NET_SETOPT(n, CURLOPT_URL, s->url);
	NET_SETOPT(n, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	NET_SETOPT(n, CURLOPT_USE_SSL, net_use_ssl(s->tls));
	net_set_tls_verify(n, s->ca_file);
	if (s->user) {
		NET_SETOPT(n, CURLOPT_USERNAME, s->user);
		NET_SETOPT(n, CURLOPT_PASSWORD, s->password ? s->password : "");
	}
	NET_SETOPT(n, CURLOPT_CONNECTTIMEOUT, 30L);
	NET_SETOPT(n, CURLOPT_TIMEOUT, s->timeout_s > 0 ? s->timeout_s : 120L);
	NET_SETOPT(n, CURLOPT_MAIL_FROM, env_from);
	NET_SETOPT(n, CURLOPT_MAIL_RCPT, to);
	NET_SETOPT(n, CURLOPT_UPLOAD, 1L);
	NET_SETOPT(n, CURLOPT_READFUNCTION, on_read);
	NET_SETOPT(n, CURLOPT_READDATA, u);
	NET_SETOPT(n, CURLOPT_NOPROGRESS, 0L);
	NET_SETOPT(n, CURLOPT_XFERINFOFUNCTION, on_progress);
	NET_SETOPT(n, CURLOPT_XFERINFODATA, seen);
	/* the session's QUIT goes within the transfer, through this handle and
	 * its progress callback, not from libcurl's cache at clean-up, where a
	 * server still busy with DATA would hold it for minutes */
	NET_SETOPT(n, CURLOPT_FORBID_REUSE, 1L);
	net_keep_dialogue(n);
}

/* One SMTP session. Returns 0 when it ran (res says how it ended), or -1
 * with err when libcurl could not be set up. */
static int send_once(const mail_server *s, const char *from, const char *const *rcpt,
		     const char *msg, size_t len, const int *seen, session_result *res, mq_err *err)
{
	memset(res, 0, sizeof *res);
	struct curl_slist *to = NULL;
	for (size_t i = 0; rcpt[i]; i++) {
		char *a = xasprintf("<%s>", rcpt[i]);
		to = net_slist_append(to, a);
		free(a);
	}
	char *env_from = xasprintf("<%s>", from);
	upload u = {.data = msg, .len = len};
	net_handle n;
	int rc = -1;
	if (net_open(&n, "smtp", "MQLREPORT_SMTP_DEBUG", NULL, err) == 0) {
		set_session(&n, s, env_from, to, &u, seen);
		if (net_options_ok(&n, err) == 0) {
			res->rc = curl_easy_perform(n.h);
			if (curl_easy_getinfo(n.h, CURLINFO_RESPONSE_CODE, &res->code) != CURLE_OK)
				res->code = 0; /* no reply code: judged by res->rc alone */
			snprintf(res->why, sizeof res->why, "%s", net_why(&n, res->rc));
			snprintf(res->sent, sizeof res->sent, "%s", net_last_command(&n));
			snprintf(res->reply, sizeof res->reply, "%s", net_last_reply(&n));
			rc = 0;
		}
	}
	net_close(&n);
	curl_slist_free_all(to);
	free(env_from);
	return rc;
}

/* A failed session worth another: a 4xx reply or a transient transport
 * error; never a 5xx, a TLS failure or refused credentials. */
static bool worth_retry(const session_result *res)
{
	if (net_tls_failure(res->rc) || res->rc == CURLE_LOGIN_DENIED)
		return false;
	if (res->code >= 500 && res->code <= 599)
		return false;
	if (res->code >= 400 && res->code <= 499)
		return true;
	return net_transient(res->rc);
}

/* What the server refused, from the command it answered: "the recipient
 * <a@b>", "the sender <a@b>", "the message", or "the session". */
static char *refused_what(const session_result *res)
{
	static const struct {
		const char *verb, *what;
	} verbs[] = {{"RCPT TO:", "the recipient"}, {"MAIL FROM:", "the sender"}};
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		size_t k = strlen(verbs[i].verb);
		if (g_ascii_strncasecmp(res->sent, verbs[i].verb, k) == 0) {
			const char *addr = res->sent + k;
			addr += strspn(addr, " ");
			return xasprintf("%s %.*s", verbs[i].what, (int)strcspn(addr, " "), addr);
		}
	}
	return xstrdup(g_ascii_strncasecmp(res->sent, "DATA", 4) == 0 ? "the message"
								      : "the session");
}

/* The error of a failed session that is not retried (again): who the
 * message was for, the server (host:port, never the URL's user info),
 * what it refused and its reply in its own words, and libcurl's detail. */
static void session_failed(const mail_server *s, const char *const *rcpt, const session_result *res,
			   bool retried, mq_err *err)
{
	char *server = net_url_host_port(s->url);
	char *to = g_strjoinv(", ", (char **)rcpt);
	const char *host = server ? server : "(unreadable smtp_url)";
	const char *after = retried ? " after retries" : "";
	int stop = mq_stop_signal();
	if (res->rc == CURLE_ABORTED_BY_CALLBACK && stop) {
		mq_err_set(err, mq_stop_status(stop),
			   "e-mail to %s: the session with the SMTP server %s was stopped by %s; "
			   "the message is not recorded as sent",
			   to, host, mq_stop_name(stop));
	} else if (res->rc == CURLE_LOGIN_DENIED) {
		mq_err_set(err, MQ_CONFIG,
			   "e-mail: the SMTP server %s refused the credentials (%s): check the "
			   "variables [email] username_env and password_env name",
			   host, res->reply[0] ? res->reply : res->why);
	} else if (res->rc == CURLE_USE_SSL_FAILED) {
		mq_err_set(err, MQ_UNAVAILABLE,
			   "e-mail: the SMTP server %s offers no STARTTLS and TLS is required; "
			   "nothing was sent",
			   host);
	} else if (res->code >= 400) {
		char *what = refused_what(res);
		mq_err_set(err, MQ_UNAVAILABLE,
			   "e-mail to %s: the SMTP server %s refused %s%s: \"%s\" (libcurl: %s)",
			   to, host, what, after, res->reply[0] ? res->reply : "no reply text",
			   res->why);
		free(what);
	} else {
		mq_err_set(err, MQ_UNAVAILABLE, "e-mail to %s: the SMTP server %s: %s%s%s%s%s", to,
			   host, res->why, res->reply[0] ? " (its last reply: \"" : "", res->reply,
			   res->reply[0] ? "\")" : "", after);
	}
	g_free(to);
	free(server);
}

int mail_send(const mail_server *s, const char *from, const char *const *rcpt, const char *msg,
	      size_t len, mail_reply *reply, mq_err *err)
{
	if (!rcpt || !rcpt[0]) {
		mq_err_set(err, MQ_CONFIG, "e-mail: no recipients");
		return -1;
	}
	/* a stop signal from now on ends the sending; one before is the caller's */
	int seen = mq_stop_count();
	for (int attempt = 0;; attempt++) {
		session_result res;
		if (send_once(s, from, rcpt, msg, len, &seen, &res, err) != 0)
			return -1;
		if (res.rc == CURLE_OK) {
			if (reply) {
				reply->code = res.code;
				snprintf(reply->text, sizeof reply->text, "%s", res.reply);
			}
			return 0;
		}
		bool retry = worth_retry(&res) && mq_stop_count() == seen;
		if (!retry || attempt >= s->retries) {
			/* "after retries" only when there were some */
			session_failed(s, rcpt, &res, retry && attempt > 0, err);
			return -1;
		}
		double delay = s->backoff_s * pow(2.0, attempt);
		fprintf(stderr, "mqlreport: e-mail: %s (%s); retry %d of %d in %.1f s\n",
			res.reply[0] ? res.reply : "no reply", res.why, attempt + 1, s->retries,
			delay);
		if (mq_stop_sleep(delay, seen)) {
			res.rc = CURLE_ABORTED_BY_CALLBACK; /* stopped while waiting to retry */
			session_failed(s, rcpt, &res, false, err);
			return -1;
		}
	}
}

int mail_probe(const mail_server *s, mq_err *err)
{
	net_handle n;
	int rc = -1;
	char *server = net_url_host_port(s->url);
	const char *host = server ? server : "(unreadable smtp_url)";
	if (net_open(&n, "smtp", "MQLREPORT_SMTP_DEBUG", NULL, err) == 0) {
		NET_SETOPT(&n, CURLOPT_URL, s->url);
		NET_SETOPT(&n, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
		NET_SETOPT(&n, CURLOPT_USE_SSL, net_use_ssl(s->tls));
		net_set_tls_verify(&n, s->ca_file);
		if (s->user) {
			NET_SETOPT(&n, CURLOPT_USERNAME, s->user);
			NET_SETOPT(&n, CURLOPT_PASSWORD, s->password ? s->password : "");
		}
		NET_SETOPT(&n, CURLOPT_CONNECTTIMEOUT, 30L);
		NET_SETOPT(&n, CURLOPT_TIMEOUT, s->timeout_s > 0 ? s->timeout_s : 120L);
		/* a command without a body: EHLO, (STARTTLS, AUTH,) NOOP, QUIT */
		NET_SETOPT(&n, CURLOPT_CUSTOMREQUEST, "NOOP");
		NET_SETOPT(&n, CURLOPT_NOBODY, 1L);
		net_keep_dialogue(&n);
		if (net_options_ok(&n, err) == 0) {
			CURLcode c = curl_easy_perform(n.h);
			const char *reply = net_last_reply(&n);
			const char *why =
			    reply[0] && c == CURLE_LOGIN_DENIED ? reply : net_why(&n, c);
			if (c == CURLE_LOGIN_DENIED)
				mq_err_set(
				    err, MQ_CONFIG,
				    "e-mail: the SMTP server %s refused the credentials (%s): "
				    "check "
				    "the variables [email] username_env and password_env name",
				    host, why);
			else if (c == CURLE_USE_SSL_FAILED) /* reached, and it said so */
				mq_err_set(
				    err, MQ_UNAVAILABLE,
				    "e-mail: the SMTP server %s offers no STARTTLS and TLS is "
				    "required (smtps:// for TLS from the first byte; starttls "
				    "= try or never only for a local relay)",
				    host);
			else if (c != CURLE_OK)
				mq_err_set(err, MQ_UNAVAILABLE,
					   "e-mail: the SMTP server %s cannot be reached: %s", host,
					   why);
			rc = c == CURLE_OK ? 0 : -1;
		}
	}
	net_close(&n);
	free(server);
	return rc;
}
