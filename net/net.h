/* net.h — libcurl as fetch (ingest/) and SMTP delivery (deliver/) use it.
 *
 * One place for what both need: libcurl's global set-up done once, options
 * that are checked (a refused option is an error, never silently ignored),
 * TLS verification, a debug log that never shows a secret, and which
 * failures are worth a retry. Protocol logic stays with the callers. */
#ifndef MQL_NET_H
#define MQL_NET_H

#include <curl/curl.h>
#include <stdbool.h>

#include "base.h"
#include "net_tls.h"

/* An easy handle and what its options and debug log need. It must stay at
 * one address from net_open() to net_close(): libcurl keeps pointers to
 * errbuf and debug. */
typedef struct net_handle {
	CURL *h;
	char errbuf[CURL_ERROR_SIZE]; /* libcurl's detail of the last failure */
	const char *refused;	      /* the first option libcurl refused; NULL: none */
	CURLcode refused_rc;	      /* and why */
	struct net_debug {
		const char *proto;	   /* "http" or "smtp": the log's prefix */
		const char *secret_header; /* one more header whose value is secret */
		bool in_auth;		   /* inside an SMTP AUTH exchange */
		bool log;		   /* print the dialogue on stderr */
		bool keep;		   /* keep the last command and reply (below) */
		bool reply_open;	   /* the last reply line said more lines follow */
		bool quitting;		   /* QUIT sent: nothing more is kept */
		char sent[256];		   /* the last command sent; "AUTH" in an exchange */
		char reply[512];	   /* the server's last reply, its lines joined */
		bool in_ehlo;		   /* reading the reply to EHLO */
		unsigned ehlo_lines;	   /* of that reply, the lines read */
		char ehlo[512];		   /* the last EHLO reply's keywords (below) */
		unsigned long lines_in;	   /* reply lines received, QUIT's included */
	} debug;
} net_handle;

/* Start a handle: libcurl's global state (set up once per process), an easy
 * handle with CURLOPT_ERRORBUFFER and CURLOPT_NOSIGNAL and, when the
 * environment variable `debug_env` is set to anything but "" or "0", the
 * debug log on stderr ("mqlreport: PROTO > …"). The log shows headers and
 * libcurl's notes, never a body, and redacts: the values of secret headers
 * (Authorization, cookies, API keys, anything named token, secret or
 * password, and `secret_header`), URL queries and user:password in URLs,
 * and everything the client sends in an SMTP AUTH exchange.
 * Returns 0, or -1 with err (MQ_SOFTWARE); call net_close() either way. */
int net_open(net_handle *n, const char *proto, const char *debug_env, const char *secret_header,
	     mq_err *err);

/* Keep the last command the client sent and the server's last reply (an
 * SMTP session's, for the message that says why it failed): see
 * net_last_command() and net_last_reply(). Nothing of an AUTH exchange but
 * its verb is kept, and every byte that is not printable ASCII becomes '?'. */
void net_keep_dialogue(net_handle *n);

/* The last command sent ("RCPT TO:<a@example.com>") and the server's last
 * reply ("550 5.1.1 <a@example.com>: no such user"), "" when none was seen
 * or net_keep_dialogue() was not called. Valid until net_close(). */
const char *net_last_command(const net_handle *n);
const char *net_last_reply(const net_handle *n);

/* The extensions the SMTP server offered in its last reply to EHLO (the
 * one after STARTTLS where there was one), as the keywords that start its
 * lines after the first, each followed by a space ("PIPELINING SIZE
 * SMTPUTF8 "); "" when it offered none, answered no EHLO, or
 * net_keep_dialogue() was not called. Valid until net_close(). */
const char *net_smtp_extensions(const net_handle *n);

/* How many reply lines the server has sent so far (with net_keep_dialogue()):
 * a count that moves while the server answers, for a watchdog. */
unsigned long net_lines_in(const net_handle *n);

/* "host:port" of a URL, the scheme's port when it names none; NULL when
 * it cannot be read. No user info, path or query: safe to show. Caller
 * frees. */
char *net_url_host_port(const char *url);

/* What is wrong with url for a connection ("its port \"5870x\" is not a
 * number from 1 to 65535", "it names no host"), newly allocated; NULL when
 * nothing is. The scheme is the caller's to check. */
char *net_url_problem(const char *url);

/* Free the easy handle (a closed or zeroed handle is a no-op). */
void net_close(net_handle *n);

/* Set an option and remember the first one libcurl refuses; check them all
 * with net_options_ok() before the transfer. */
#define NET_SETOPT(n, option, value)                                                               \
	net_setopt_result((n), #option, curl_easy_setopt((n)->h, option, value))
void net_setopt_result(net_handle *n, const char *name, CURLcode rc);

/* 0 when every option was taken, else -1 with err (MQ_SOFTWARE: "libcurl
 * refused option CURLOPT_X: …"). */
int net_options_ok(const net_handle *n, mq_err *err);

/* Verify the peer's certificate and host name, against ca_file when given
 * (NULL or "": the system's CA bundle). */
void net_set_tls_verify(net_handle *n, const char *ca_file);

/* An HTTP(S) request of url: https only unless allow_http, redirects not
 * followed (callers check each hop), TLS verified (net_set_tls_verify),
 * the connect timeout (<= 0: 15 s). */
void net_set_http(net_handle *n, const char *url, bool allow_http, const char *ca_file,
		  long connect_timeout_s);

/* curl_slist_append() that aborts when memory runs out, as xmalloc does. */
struct curl_slist *net_slist_append(struct curl_slist *list, const char *s);

/* CURLOPT_USE_SSL's value for a TLS mode. */
long net_use_ssl(enum net_tls tls);

/* What went wrong, for a message: libcurl's detail, else its text for rc. */
const char *net_why(const net_handle *n, CURLcode rc);

/* A failure that may pass on its own (no answer, a dropped or cut-short
 * connection, a timeout): worth a retry. */
bool net_transient(CURLcode rc);

/* A TLS failure (handshake, certificate, STARTTLS refused): never retried. */
bool net_tls_failure(CURLcode rc);

#endif
