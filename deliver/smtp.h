/* smtp.h — sending a built e-mail message over SMTP (libcurl).
 *
 * The message comes whole from reports/mail.h (mail_build()); this only
 * delivers its bytes. Nothing here decides whether to send: cmd/ does. */
#ifndef MQL_SMTP_H
#define MQL_SMTP_H

#include <stddef.h>

#include "base.h"
#include "net_tls.h"

typedef struct mail_server {
	const char *url;  /* smtp://host:port (STARTTLS per tls) or smtps:// */
	const char *user; /* NULL: no AUTH */
	const char *password;
	enum net_tls tls;    /* smtp:// only: STARTTLS required (default), tried, or not used */
	const char *ca_file; /* NULL: the system's CA bundle */
	long timeout_s;	     /* the longest the server may stay silent (no reply, none of the
				message taken) at any step of a session; 0: 120 */
	long total_s;	     /* a whole session at most, its connection included; 0: no cap */
	int retries;	     /* on 4xx replies and transient transport errors */
	double backoff_s;    /* first back-off, doubling */
} mail_server;

/* The server's answer to a message it accepted: its code and its line as
 * it wrote it ("250 2.0.0 Ok: queued as 4F1A2"), whose queue id a mail
 * administrator traces the message by. */
typedef struct mail_reply {
	long code;
	char text[512];
	bool unconfirmed; /* on failure: the server took the whole message and did not answer
			     its end, so it may have been delivered all the same */
} mail_reply;

/* Send msg to every recipient (envelope: from and rcpt, NULL-terminated).
 * Returns 0 once the server accepted the message (its final reply in
 * *reply when not NULL), or -1 with err: MQ_UNAVAILABLE for a 5xx
 * reply, a TLS failure, a server without STARTTLS when it is required (no
 * AUTH is sent then), a server that offers no SMTPUTF8 when the local
 * part of from or of a recipient is not ASCII (jörg@example.com: a session
 * without a message asks first, and no MAIL is sent; a server that offers
 * it gets MAIL FROM with SMTPUTF8), or 4xx / transport errors after the
 * retries;
 * MQ_CONFIG without recipients or when the server refused the credentials;
 * MQ_SOFTWARE when libcurl cannot be set up; a session that timed out (a
 * step the server left unanswered for s->timeout_s, or longer than
 * s->total_s in all) is a transport error: MQ_UNAVAILABLE, retried, and
 * its QUIT is not waited for; 128 + the signal (stop.h)
 * when a stop signal arrived during the call (the session or the wait
 * before a retry ends at once; a signal that came before the call does not
 * stop it). The message names the recipients, the server as host:port
 * (never the URL's user info), what it refused (a recipient, the sender,
 * the message) and its reply text with libcurl's detail; never a
 * credential. With MQLREPORT_SMTP_DEBUG=1 the dialogue goes to stderr
 * without the message and with the AUTH exchange redacted. */
int mail_send(const mail_server *s, const char *from, const char *const *rcpt, const char *msg,
	      size_t len, mail_reply *reply, mq_err *err);

/* A session that proves the server and the credentials without sending:
 * EHLO, STARTTLS (per s->tls), AUTH, NOOP, QUIT; with from and rcpt (the
 * addresses a run would send; NULL: none), that the server offers SMTPUTF8
 * when one of them needs it. Returns 0, or -1 with err:
 * MQ_CONFIG when the credentials are refused, MQ_UNAVAILABLE when the
 * server cannot be reached, a step times out, TLS fails or SMTPUTF8 is
 * missing (mail_send()'s error), MQ_SOFTWARE when
 * libcurl cannot be set up, 128 + the signal (stop.h) when a stop signal
 * has arrived (before the call too: the session ends at once). */
int mail_probe(const mail_server *s, const char *from, const char *const *rcpt, mq_err *err);

#endif
