/* smtp.c — SMTP delivery of a built message through libcurl (see smtp.h).
 *
 * One session per attempt; 4xx replies, transient transport errors and
 * timeouts are retried with a doubling back-off. An envelope address whose
 * local part is not ASCII goes only to a server that offers SMTPUTF8
 * (RFC 6531), which a session without a message asks first; libcurl then
 * names the extension in MAIL FROM. No step of a session
 * waits for a silent server longer than its timeout, the end of DATA and
 * the QUIT included, while a message the server keeps taking is never cut.
 * It must never change the message, send credentials over plain text when
 * TLS is required, retry a 5xx or a TLS failure, print the message or
 * the AUTH exchange, or send an address that is not ASCII to a server that
 * did not offer SMTPUTF8. */
#include "smtp.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
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
	long timed_out_s;	   /* the limit a timed-out session ran into; 0: none */
	enum {
		LIMIT_SILENCE, /* [email] timeout: a step the server left silent */
		LIMIT_SESSION, /* the cap on the whole session (mail_server.total_s) */
		LIMIT_LOGIN    /* the fixed cap on the connection, greeting and login */
	} limit;
	bool connected;		/* the connection was made */
	bool greeted;		/* the server said anything at all */
	size_t len, sent_bytes; /* the message's size and how much of it the server took */
	bool no_smtputf8;	/* the server answered, offering no SMTPUTF8 (RFC 6531) */
} session_result;

/* What ends a session early, watched from libcurl's progress callback,
 * which libcurl calls about once a second through every step of it, the
 * QUIT at clean-up included (where CURLOPT_TIMEOUT no longer applies). */
typedef struct watchdog {
	const net_handle *n; /* its reply lines are signs of life */
	int seen;	     /* stop signals before the session; one more ends it */
	double idle_s;	     /* silence that ends the session */
	double total_s;	     /* the whole session at most; 0: no cap */
	long login_s;	     /* the connection, greeting and login at most (libcurl's) */
	double start, alive; /* mq_mono_s(): the session's start, its last sign of life */
	double last_call;    /* mq_mono_s() of the callback's previous call */
	unsigned long lines_in;
	curl_off_t ulnow;     /* bytes of the message handed to the socket */
	curl_off_t unsent;    /* of those, bytes the server has not yet taken */
	curl_socket_t fds[4]; /* the session's open sockets; CURL_SOCKET_BAD: a free slot */
	enum { WD_RUNNING, WD_STOPPED, WD_SILENT, WD_TOO_LONG } ended;
} watchdog;

/* libcurl's socket-option callback: the watchdog keeps the session's
 * sockets (a connection may try two addresses at once) to see what they
 * still hold. */
static int on_socket_open(void *ctx, curl_socket_t fd, curlsocktype purpose)
{
	(void)purpose;
	watchdog *w = ctx;
	for (size_t i = 0; i < sizeof w->fds / sizeof w->fds[0]; i++)
		if (w->fds[i] == CURL_SOCKET_BAD) {
			w->fds[i] = fd;
			break;
		}
	return CURL_SOCKOPT_OK;
}

/* libcurl's close-socket callback: a closed socket is no longer watched. */
static int on_socket_close(void *ctx, curl_socket_t fd)
{
	watchdog *w = ctx;
	for (size_t i = 0; i < sizeof w->fds / sizeof w->fds[0]; i++)
		if (w->fds[i] == fd)
			w->fds[i] = CURL_SOCKET_BAD;
	return close(fd);
}

/* Bytes handed to the session's sockets that the server has not taken yet
 * (not acknowledged): a large message is still on its way to the server
 * for a while after libcurl has written its last byte. 0 when unknown. */
static curl_off_t unsent_bytes(const watchdog *w)
{
	curl_off_t sum = 0;
#ifdef TIOCOUTQ
	for (size_t i = 0; i < sizeof w->fds / sizeof w->fds[0]; i++) {
		int queued = 0;
		if (w->fds[i] != CURL_SOCKET_BAD && ioctl(w->fds[i], TIOCOUTQ, &queued) == 0 &&
		    queued > 0)
			sum += queued;
	}
#else
	(void)w;
#endif
	return sum;
}

/* When the server last took bytes of the message, for bytes found taken
 * at a call at `now` that were not at the previous one: the time of the
 * sockets' last acknowledgement (libcurl calls only about once a second
 * while it waits, so `now` may be a second late), never before that
 * previous call. */
static double taken_at(const watchdog *w, double now)
{
	double at = now;
#ifdef TCP_INFO
	for (size_t i = 0; i < sizeof w->fds / sizeof w->fds[0]; i++) {
		struct tcp_info ti;
		socklen_t len = sizeof ti;
		if (w->fds[i] != CURL_SOCKET_BAD &&
		    getsockopt(w->fds[i], IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
		    len >= sizeof ti) {
			double acked = now - ti.tcpi_last_ack_recv / 1000.0;
			if (acked < at)
				at = acked;
		}
	}
#endif
	return at > w->last_call ? at : w->last_call;
}

/* The session's sockets shut for reading, once the watchdog has ended it:
 * the wait for the QUIT's reply then ends at once rather than at libcurl's
 * next call, a second later. Only for reading: the QUIT is still written,
 * and no write meets a closed socket (a SIGPIPE, which nothing ignores). */
static void cut_sockets(const watchdog *w)
{
	for (size_t i = 0; i < sizeof w->fds / sizeof w->fds[0]; i++)
		if (w->fds[i] != CURL_SOCKET_BAD)
			shutdown(w->fds[i], SHUT_RD);
}

/* libcurl's progress callback: ends the session when a stop signal arrives,
 * when the server has been silent for w->idle_s (no reply line, no byte of
 * the message taken: a message that moves is never cut, however long it
 * takes), or when the session has lasted w->total_s. Once ended, whatever
 * libcurl still does (the QUIT) ends at once, and what the server took is
 * counted as it was then. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal;
	watchdog *w = ctx;
	if (w->ended != WD_RUNNING)
		return 1;
	double now = mq_mono_s();
	unsigned long lines = net_lines_in(w->n);
	curl_off_t unsent = unsent_bytes(w);
	if (ulnow != w->ulnow || unsent != w->unsent || lines != w->lines_in) {
		/* only bytes taken meanwhile: they were taken at their ack */
		bool acked = ulnow == w->ulnow && lines == w->lines_in && unsent < w->unsent;
		w->alive = acked ? taken_at(w, now) : now;
		w->ulnow = ulnow;
		w->unsent = unsent;
		w->lines_in = lines;
	}
	w->last_call = now;
	if (mq_stop_count() > w->seen)
		w->ended = WD_STOPPED;
	else if (w->total_s > 0 && now - w->start >= w->total_s)
		w->ended = WD_TOO_LONG;
	else if (now - w->alive >= w->idle_s)
		w->ended = WD_SILENT;
	if (w->ended != WD_RUNNING)
		cut_sockets(w);
	return w->ended != WD_RUNNING;
}

/* The limits of a session: the connection with its greeting, TLS and
 * login within 30 s (or the cap when less), the whole session within
 * s->total_s when it caps it, and every wait for the server within
 * s->timeout_s of its last sign of life: the watchdog of on_progress(). libcurl's clock of a reply
 * starts when the command is written, which for the end of DATA may be long before a large message
 * has reached the server, and it does not end the QUIT after a step that timed out: it is left only
 * as a backstop. */
static void set_limits(net_handle *n, const mail_server *s, int seen, watchdog *w)
{
	long idle = s->timeout_s > 0 ? s->timeout_s : 120L;
	long connect = s->total_s > 0 && s->total_s < 30L ? s->total_s : 30L;
	NET_SETOPT(n, CURLOPT_CONNECTTIMEOUT, connect);
	NET_SETOPT(n, CURLOPT_SERVER_RESPONSE_TIMEOUT, 86400L);
	if (s->total_s > 0)
		NET_SETOPT(n, CURLOPT_TIMEOUT, s->total_s);
	*w = (watchdog){.n = n,
			.seen = seen,
			.idle_s = (double)idle,
			.total_s = (double)(s->total_s > 0 ? s->total_s : 0),
			.login_s = connect,
			.start = mq_mono_s()};
	w->alive = w->last_call = w->start;
	for (size_t i = 0; i < sizeof w->fds / sizeof w->fds[0]; i++)
		w->fds[i] = CURL_SOCKET_BAD;
	NET_SETOPT(n, CURLOPT_SOCKOPTFUNCTION, on_socket_open);
	NET_SETOPT(n, CURLOPT_SOCKOPTDATA, w);
	NET_SETOPT(n, CURLOPT_CLOSESOCKETFUNCTION, on_socket_close);
	NET_SETOPT(n, CURLOPT_CLOSESOCKETDATA, w);
	NET_SETOPT(n, CURLOPT_NOPROGRESS, 0L);
	NET_SETOPT(n, CURLOPT_XFERINFOFUNCTION, on_progress);
	NET_SETOPT(n, CURLOPT_XFERINFODATA, w);
}

/* A session's server options: the URL, TLS and the credentials. */
static void set_server(net_handle *n, const mail_server *s)
{
	NET_SETOPT(n, CURLOPT_URL, s->url);
	NET_SETOPT(n, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	NET_SETOPT(n, CURLOPT_USE_SSL, net_use_ssl(s->tls));
	net_set_tls_verify(n, s->ca_file);
	if (s->user) {
		NET_SETOPT(n, CURLOPT_USERNAME, s->user);
		NET_SETOPT(n, CURLOPT_PASSWORD, s->password ? s->password : "");
	}
}

/* The session's options: server, TLS, credentials, envelope, message. */
static void set_session(net_handle *n, const mail_server *s, const char *env_from,
			struct curl_slist *to, upload *u)
{
	set_server(n, s);
	NET_SETOPT(n, CURLOPT_MAIL_FROM, env_from);
	NET_SETOPT(n, CURLOPT_MAIL_RCPT, to);
	NET_SETOPT(n, CURLOPT_UPLOAD, 1L);
	NET_SETOPT(n, CURLOPT_READFUNCTION, on_read);
	NET_SETOPT(n, CURLOPT_READDATA, u);
	/* the session's QUIT goes within the transfer, through this handle and
	 * its progress callback, not from libcurl's cache at clean-up, where a
	 * server still busy with DATA would hold it for minutes */
	NET_SETOPT(n, CURLOPT_FORBID_REUSE, 1L);
	net_keep_dialogue(n);
}

/* A session that ran out of time, as libcurl or the watchdog saw it:
 * recorded in res with the limit it ran into. */
static void note_timeout(const mail_server *s, const watchdog *w, session_result *res)
{
	if (w->ended == WD_SILENT || w->ended == WD_TOO_LONG) {
		res->rc = CURLE_OPERATION_TIMEDOUT;
		res->why[0] = '\0'; /* "Callback aborted" would only mislead */
	}
	if (res->rc != CURLE_OPERATION_TIMEDOUT)
		return;
	/* libcurl's own clock, when it ended the session, is the session's cap or
	 * the cap on the connection with its greeting and login (set_limits()) */
	bool capped = w->ended == WD_TOO_LONG ||
		      (w->ended != WD_SILENT && s->total_s > 0 &&
		       (w->login_s >= s->total_s || mq_mono_s() - w->start >= (double)s->total_s));
	res->limit = capped ? LIMIT_SESSION : w->ended == WD_SILENT ? LIMIT_SILENCE : LIMIT_LOGIN;
	res->timed_out_s = capped			 ? s->total_s
			   : res->limit == LIMIT_SILENCE ? (long)w->idle_s
							 : w->login_s;
	curl_off_t connect_us = 0;
	res->connected =
	    curl_easy_getinfo(w->n->h, CURLINFO_CONNECT_TIME_T, &connect_us) == CURLE_OK &&
	    connect_us > 0;
	res->greeted = net_lines_in(w->n) > 0;
}

/* Run a session whose options are set; how it ended into res. */
static void perform(net_handle *n, const mail_server *s, const watchdog *w, session_result *res)
{
	res->rc = curl_easy_perform(n->h);
	if (curl_easy_getinfo(n->h, CURLINFO_RESPONSE_CODE, &res->code) != CURLE_OK)
		res->code = 0; /* no reply code: judged by res->rc alone */
	snprintf(res->why, sizeof res->why, "%s", net_why(n, res->rc));
	snprintf(res->sent, sizeof res->sent, "%s", net_last_command(n));
	snprintf(res->reply, sizeof res->reply, "%s", net_last_reply(n));
	if (res->rc != CURLE_OK) {
		note_timeout(s, w, res);
		/* how much of the message the server took, however the session
		 * ended: all of it, and its end may have been delivered
		 * (unconfirmed()) */
		res->sent_bytes = w->ulnow > w->unsent ? (size_t)(w->ulnow - w->unsent) : 0;
	}
}

/* Whether an address's local part (before its last @) is all ASCII. */
static bool ascii_local_part(const char *addr)
{
	const char *at = strrchr(addr, '@');
	for (const char *p = addr; *p && p != at; p++)
		if ((unsigned char)*p >= 0x80)
			return false;
	return true;
}

/* The first envelope address, the sender's first, whose local part is not
 * ASCII (jörg@example.com), which only a server offering SMTPUTF8 takes;
 * NULL when there is none. */
static const char *wide_address(const char *from, const char *const *rcpt)
{
	if (!ascii_local_part(from))
		return from;
	for (size_t i = 0; rcpt[i]; i++)
		if (!ascii_local_part(rcpt[i]))
			return rcpt[i];
	return NULL;
}

/* Whether the keywords of an EHLO reply ("PIPELINING SMTPUTF8 ") hold kw,
 * compared as RFC 5321 has them, without regard to case. */
static bool offers(const char *ext, const char *kw)
{
	char **words = g_strsplit(ext, " ", -1);
	bool found = false;
	for (char **w = words; *w && !found; w++)
		found = g_ascii_strcasecmp(*w, kw) == 0;
	g_strfreev(words);
	return found;
}

/* A session without a message (EHLO, STARTTLS and AUTH as the message's
 * session has them, NOOP, QUIT): what mail_probe() proves, and what tells
 * whether the server offers SMTPUTF8 before an address that is not ASCII
 * is sent to it. seen: as for set_limits(). Returns 0 when it ran (res says
 * how it ended, res->no_smtputf8 when the server answered without the
 * extension), or -1 with err when libcurl could not be set up. */
static int noop_session(const mail_server *s, int seen, session_result *res, mq_err *err)
{
	memset(res, 0, sizeof *res);
	net_handle n;
	watchdog w;
	int rc = -1;
	if (net_open(&n, "smtp", "MQLREPORT_SMTP_DEBUG", NULL, err) == 0) {
		set_server(&n, s);
		NET_SETOPT(&n, CURLOPT_CUSTOMREQUEST, "NOOP");
		NET_SETOPT(&n, CURLOPT_NOBODY, 1L);
		NET_SETOPT(&n, CURLOPT_FORBID_REUSE, 1L);
		net_keep_dialogue(&n);
		set_limits(&n, s, seen, &w);
		if (net_options_ok(&n, err) == 0) {
			perform(&n, s, &w, res);
			res->no_smtputf8 =
			    res->rc == CURLE_OK && !offers(net_smtp_extensions(&n), "SMTPUTF8");
			rc = 0;
		}
	}
	net_close(&n);
	return rc;
}

/* One SMTP session, after one that asks for SMTPUTF8 when smtputf8 (the
 * message's own is then not begun unless the server offers it). Returns 0
 * when it ran (res says how it ended), or -1 with err when libcurl could
 * not be set up. */
static int send_once(const mail_server *s, const char *from, const char *const *rcpt,
		     const char *msg, size_t len, bool smtputf8, int seen, session_result *res,
		     mq_err *err)
{
	if (smtputf8) {
		if (noop_session(s, seen, res, err) != 0)
			return -1;
		if (res->rc != CURLE_OK || res->no_smtputf8)
			return 0;
	}
	memset(res, 0, sizeof *res);
	res->len = len;
	struct curl_slist *to = NULL;
	for (size_t i = 0; rcpt[i]; i++) {
		char *a = xasprintf("<%s>", rcpt[i]);
		to = net_slist_append(to, a);
		free(a);
	}
	char *env_from = xasprintf("<%s>", from);
	upload u = {.data = msg, .len = len};
	net_handle n;
	watchdog w;
	int rc = -1;
	if (net_open(&n, "smtp", "MQLREPORT_SMTP_DEBUG", NULL, err) == 0) {
		set_session(&n, s, env_from, to, &u);
		set_limits(&n, s, seen, &w);
		if (net_options_ok(&n, err) == 0) {
			perform(&n, s, &w, res);
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

/* A session that failed after the server took the whole message and
 * before it answered its end: the message may have been delivered, and a
 * retry could deliver it twice. */
static bool unconfirmed(const session_result *res)
{
	return res->rc != CURLE_OK && res->code < 400 &&
	       g_ascii_strncasecmp(res->sent, "DATA", 4) == 0 &&
	       strncmp(res->reply, "354", 3) == 0 && res->len > 0 && res->sent_bytes >= res->len;
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

/* The step a timed-out session waited at, and the limit that ended it,
 * for its error and its retry's log line: "did not answer the end of the
 * message within 10 s ([email] timeout)", "sent no greeting within 30 s,
 * the most the connection, its greeting and the login may take". Caller
 * frees. */
static char *timed_out_at(const mail_server *s, const session_result *res)
{
	char *limit =
	    res->limit == LIMIT_SESSION
		? xasprintf("within %ld s, the most this session may last", res->timed_out_s)
	    : res->limit == LIMIT_LOGIN
		? xasprintf("within %ld s, the most the connection, its greeting and the login "
			    "may take",
			    res->timed_out_s)
		: xasprintf("within %ld s ([email] timeout)", res->timed_out_s);
	char *at;
	if (!res->connected)
		at = xasprintf("did not take the connection %s", limit);
	else if (!res->greeted)
		/* a port that speaks TLS first (smtps, 465) waits for the client */
		at = xasprintf("sent no greeting %s%s", limit,
			       g_ascii_strncasecmp(s->url, "smtp://", 7) == 0
				   ? " (a port that expects TLS from the first byte, as 465 does, "
				     "greets no smtp:// client: check [email] smtp_url)"
				   : "");
	else if (g_ascii_strncasecmp(res->sent, "DATA", 4) == 0 &&
		 strncmp(res->reply, "354", 3) == 0)
		at = res->sent_bytes < res->len
			 ? xasprintf("stopped taking the message after %zu of its %zu bytes and "
				     "said nothing more %s",
				     res->sent_bytes, res->len, limit)
			 : xasprintf("did not answer the end of the message %s", limit);
	else
		at =
		    xasprintf("did not answer \"%s\" %s", res->sent[0] ? res->sent : "EHLO", limit);
	free(limit);
	return at;
}

/* "the SMTP server host:port did not answer …": a timed-out step with
 * the server it was. Caller frees. */
static char *timed_out_step(const mail_server *s, const session_result *res)
{
	char *server = net_url_host_port(s->url);
	char *at = timed_out_at(s, res);
	char *text =
	    xasprintf("the SMTP server %s %s", server ? server : "(unreadable smtp_url)", at);
	free(at);
	free(server);
	return text;
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
	/* the whole message taken, its end unanswered: not sent again */
	const char *maybe = unconfirmed(res) ? "; it may have been delivered all the same, so it "
					       "is not sent again in this run"
					     : "";
	int stop = mq_stop_signal();
	if (res->rc == CURLE_ABORTED_BY_CALLBACK && stop) {
		mq_err_set(err, mq_stop_status(stop),
			   "e-mail to %s: the session with the SMTP server %s was stopped by %s%s; "
			   "the message is not recorded as sent",
			   to, host, mq_stop_name(stop),
			   unconfirmed(res) ? " after the server took the whole message; it may "
					      "have been delivered all the same"
					    : "");
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
	} else if (res->timed_out_s > 0) {
		char *at = timed_out_at(s, res);
		mq_err_set(err, MQ_UNAVAILABLE,
			   "e-mail to %s: the SMTP server %s %s%s%s; the message is not recorded "
			   "as sent%s%s%s",
			   to, host, at, after, maybe, res->why[0] ? " (libcurl: " : "", res->why,
			   res->why[0] ? ")" : "");
		free(at);
	} else if (res->code >= 400) {
		char *what = refused_what(res);
		mq_err_set(err, MQ_UNAVAILABLE,
			   "e-mail to %s: the SMTP server %s refused %s%s: \"%s\" (libcurl: %s)",
			   to, host, what, after, res->reply[0] ? res->reply : "no reply text",
			   res->why);
		free(what);
	} else {
		mq_err_set(err, MQ_UNAVAILABLE, "e-mail to %s: the SMTP server %s: %s%s%s%s%s%s",
			   to, host, res->why, res->reply[0] ? " (its last reply: \"" : "",
			   res->reply, res->reply[0] ? "\")" : "", after, maybe);
	}
	g_free(to);
	free(server);
}

/* The error of a message not sent because an address of its envelope is
 * not ASCII and the server offers no SMTPUTF8: which address, and what to
 * do. */
static void smtputf8_missing(const mail_server *s, const char *from, const char *const *rcpt,
			     const char *wide, mq_err *err)
{
	char *server = net_url_host_port(s->url);
	char *to = g_strjoinv(", ", (char **)rcpt);
	mq_err_set(err, MQ_UNAVAILABLE,
		   "e-mail to %s: the SMTP server %s does not accept addresses that are not "
		   "ASCII (it offers no SMTPUTF8), and %s %s is one; nothing was sent: write "
		   "an ASCII address for it in [email], or send through a server that offers "
		   "SMTPUTF8",
		   to, server ? server : "(unreadable smtp_url)",
		   wide == from ? "the sender" : "the recipient", wide);
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
	if (reply)
		reply->unconfirmed = false;
	/* a stop signal from now on ends the sending; one before is the caller's */
	int seen = mq_stop_count();
	const char *wide = wide_address(from, rcpt);
	for (int attempt = 0;; attempt++) {
		session_result res;
		if (send_once(s, from, rcpt, msg, len, wide != NULL, seen, &res, err) != 0)
			return -1;
		if (res.no_smtputf8) {
			smtputf8_missing(s, from, rcpt, wide, err);
			return -1;
		}
		if (res.rc == CURLE_OK) {
			if (reply) {
				reply->code = res.code;
				snprintf(reply->text, sizeof reply->text, "%s", res.reply);
			}
			return 0;
		}
		/* never again once the server took it all: a late delivery and a
		 * retry would give the recipients two copies */
		bool retry = worth_retry(&res) && !unconfirmed(&res) && mq_stop_count() == seen;
		if (!retry || attempt >= s->retries) {
			if (reply)
				reply->unconfirmed = unconfirmed(&res);
			/* "after retries" only when there were some */
			session_failed(s, rcpt, &res, retry && attempt > 0, err);
			return -1;
		}
		double delay = s->backoff_s * pow(2.0, attempt);
		/* a step that timed out is named, not the last reply before it */
		char *what =
		    res.timed_out_s > 0
			? timed_out_step(s, &res)
			: xasprintf("%s (%s)", res.reply[0] ? res.reply : "no reply", res.why);
		fprintf(stderr, "mqlreport: e-mail: %s; retry %d of %d in %.1f s\n", what,
			attempt + 1, s->retries, delay);
		free(what);
		if (mq_stop_sleep(delay, seen)) {
			res.rc = CURLE_ABORTED_BY_CALLBACK; /* stopped while waiting to retry */
			session_failed(s, rcpt, &res, false, err);
			return -1;
		}
	}
}

int mail_probe(const mail_server *s, const char *from, const char *const *rcpt, mq_err *err)
{
	/* any stop signal ends it: nothing is left to do after one */
	session_result res;
	if (noop_session(s, 0, &res, err) != 0)
		return -1;
	char *server = net_url_host_port(s->url);
	const char *host = server ? server : "(unreadable smtp_url)";
	CURLcode c = res.rc;
	const char *why = res.reply[0] && c == CURLE_LOGIN_DENIED ? res.reply : res.why;
	int stop = mq_stop_signal();
	if (c == CURLE_ABORTED_BY_CALLBACK && stop) {
		mq_err_set(err, mq_stop_status(stop),
			   "e-mail: the session with the SMTP server %s was stopped by %s", host,
			   mq_stop_name(stop));
	} else if (res.timed_out_s > 0) {
		/* the step that timed out, and the limit that ended it */
		char *at = timed_out_at(s, &res);
		mq_err_set(err, MQ_UNAVAILABLE, "e-mail: the SMTP server %s %s", host, at);
		free(at);
	} else if (c == CURLE_LOGIN_DENIED)
		mq_err_set(err, MQ_CONFIG,
			   "e-mail: the SMTP server %s refused the credentials (%s): check "
			   "the variables [email] username_env and password_env name",
			   host, why);
	else if (c == CURLE_USE_SSL_FAILED) /* reached, and it said so */
		mq_err_set(err, MQ_UNAVAILABLE,
			   "e-mail: the SMTP server %s offers no STARTTLS and TLS is "
			   "required (smtps:// for TLS from the first byte; starttls "
			   "= try or never only for a local relay)",
			   host);
	else if (c != CURLE_OK)
		mq_err_set(err, MQ_UNAVAILABLE, "e-mail: the SMTP server %s cannot be reached: %s",
			   host, why);
	free(server);
	if (c != CURLE_OK)
		return -1;
	/* an address a run would send that only SMTPUTF8 carries */
	const char *wide = from && rcpt ? wide_address(from, rcpt) : NULL;
	if (wide && res.no_smtputf8) {
		smtputf8_missing(s, from, rcpt, wide, err);
		return -1;
	}
	return 0;
}
