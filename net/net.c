/* net.c — the network layer below fetch and SMTP delivery (see net.h).
 *
 * It knows libcurl, not the protocols' rules: no retry loops, no status
 * codes, no files. It must never print a secret (a credential, a token in a
 * URL query, the SMTP AUTH exchange) nor let a refused option pass unseen. */
#include "net.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- global state ---- */

static CURLcode global_rc;

/* curl_global_init() exactly once per process, whichever thread asks first. */
static CURLcode global_init(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
		g_once_init_leave(&once, 1);
	}
	return global_rc;
}

/* ---- the debug log ---- */

/* Header names whose values never reach a log. */
static bool secret_header(const char *line, size_t len, const char *custom)
{
	static const char *const names[] = {
	    "authorization", "proxy-authorization", "cookie",	      "set-cookie", "x-api-key",
	    "api-key",	     "x-auth-token",	    "x-access-token",
	};
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return false;
	size_t n = (size_t)(colon - line);
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (strlen(names[i]) == n && g_ascii_strncasecmp(line, names[i], n) == 0)
			return true;
	if (custom && strlen(custom) == n && g_ascii_strncasecmp(line, custom, n) == 0)
		return true;
	/* anything that calls itself a token, a secret or a password */
	char *name = g_ascii_strdown(line, (gssize)n);
	bool secret = strstr(name, "token") || strstr(name, "secret") || strstr(name, "password");
	g_free(name);
	return secret;
}

/* The line with the "user:password@" of any URL in it replaced by
 * "[redacted]@" (a Location may carry credentials). */
static GString *without_userinfo(const char *p, size_t n)
{
	GString *s = g_string_new_len(p, (gssize)n);
	for (char *scheme = strstr(s->str, "://"); scheme; scheme = strstr(scheme, "://")) {
		size_t start = (size_t)(scheme - s->str) + 3;
		size_t end = start + strcspn(s->str + start, "/?# \t'\"<>"); /* the authority */
		const char *at = g_strrstr_len(s->str + start, (gssize)(end - start), "@");
		if (at) {
			size_t cut = (size_t)(at - s->str) - start;
			g_string_erase(s, (gssize)start, (gssize)cut);
			g_string_insert(s, (gssize)start, "[redacted]");
			end = end - cut + strlen("[redacted]");
		}
		scheme = s->str + end;
	}
	return s;
}

/* Print a line with any URL query cut ("GET /x.csv?…", "Location: …?…"): a
 * query may hold a token. A request line keeps its protocol. */
static void print_line(const char *proto, const char *tag, const char *p, size_t n)
{
	GString *s = without_userinfo(p, n);
	const char *q = strchr(s->str, '?');
	if (!q) {
		fprintf(stderr, "mqlreport: %s %s %s\n", proto, tag, s->str);
		g_string_free(s, TRUE);
		return;
	}
	const char *end = s->str + s->len, *tail = end; /* " HTTP/1.1" of a request line */
	const char *sp = strrchr(q, ' ');
	if (sp && end - (sp + 1) >= 5 && memcmp(sp + 1, "HTTP/", 5) == 0)
		tail = sp;
	fprintf(stderr, "mqlreport: %s %s %.*s?…%s\n", proto, tag, (int)(q - s->str), s->str, tail);
	g_string_free(s, TRUE);
}

/* An SMTP AUTH command ("AUTH PLAIN …"), not an HTTP "Authorization:". */
static bool smtp_auth_command(const char *p, size_t n)
{
	return n >= 4 && g_ascii_strncasecmp(p, "AUTH", 4) == 0 && (n == 4 || p[4] == ' ');
}

/* Append p[0..n) to buf (of size cap, holding a string) with every byte that
 * is not printable ASCII as '?': a server's text goes into messages and
 * JSON as it is. Cut at the buffer's end. */
static void keep_text(char *buf, size_t cap, const char *p, size_t n)
{
	size_t at = strlen(buf);
	for (size_t i = 0; i < n && at + 1 < cap; i++) {
		unsigned char c = (unsigned char)p[i];
		buf[at++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[at] = '\0';
}

/* Keep the keyword of a line of the reply to EHLO for
 * net_smtp_extensions(): a new EHLO (or HELO) starts the list again. */
static void keep_extension(struct net_debug *d, curl_infotype type, const char *p, size_t n)
{
	/* a line of the AUTH exchange is credentials in base64 ("eHl…"
	 * would read as an EHLO), or the server's challenge */
	if (d->in_auth)
		return;
	if (type == CURLINFO_HEADER_OUT) {
		bool hello = n >= 4 && (g_ascii_strncasecmp(p, "EHLO", 4) == 0 ||
					g_ascii_strncasecmp(p, "HELO", 4) == 0);
		if (hello) {
			d->ehlo[0] = '\0';
			d->ehlo_lines = 0;
		}
		d->in_ehlo = hello;
		return;
	}
	if (type != CURLINFO_HEADER_IN || !d->in_ehlo || n < 3)
		return;
	if (d->ehlo_lines++ > 0 && n > 4 && p[0] == '2') {
		/* "250-SMTPUTF8", "250 SIZE 10240000": the keyword */
		size_t k = 4;
		while (k < n && p[k] != ' ')
			k++;
		keep_text(d->ehlo, sizeof d->ehlo, p + 4, k - 4);
		keep_text(d->ehlo, sizeof d->ehlo, " ", 1);
	}
	if (n < 4 || p[3] != '-')
		d->in_ehlo = false; /* the reply's last line */
}

/* Keep a line of the dialogue for net_last_command() / net_last_reply(). */
static void keep_line(struct net_debug *d, curl_infotype type, const char *p, size_t n)
{
	/* the farewell after a failure would hide the reply that says why */
	if (type == CURLINFO_HEADER_OUT && n == 4 && g_ascii_strncasecmp(p, "QUIT", 4) == 0)
		d->quitting = true;
	if (d->quitting)
		return;
	keep_extension(d, type, p, n);
	if (type == CURLINFO_HEADER_OUT) {
		d->sent[0] = '\0';
		keep_text(d->sent, sizeof d->sent, d->in_auth ? "AUTH" : p, d->in_auth ? 4 : n);
		return;
	}
	if (type != CURLINFO_HEADER_IN || n < 3 || (d->in_auth && p[0] == '3'))
		return; /* a note, or a challenge of the AUTH exchange */
	if (d->reply_open && d->reply[0]) {
		/* "550-first line" then "550 second": one reply, joined */
		keep_text(d->reply, sizeof d->reply, " ", 1);
		keep_text(d->reply, sizeof d->reply, p + (n > 4 ? 4 : n), n > 4 ? n - 4 : 0);
	} else {
		d->reply[0] = '\0';
		keep_text(d->reply, sizeof d->reply, p, n);
	}
	d->reply_open = n >= 4 && p[3] == '-';
	if (!d->reply_open && n >= 4 && d->reply[3] == '-')
		d->reply[3] = ' '; /* the joined reply reads as one line */
}

/* One line of the dialogue, its secrets removed. */
static void debug_line(struct net_debug *d, curl_infotype type, const char *tag, const char *p,
		       size_t n)
{
	const char *user;
	/* from AUTH until the server's answer to it, the client sends credentials */
	if (type == CURLINFO_HEADER_OUT && smtp_auth_command(p, n))
		d->in_auth = true;
	if (type == CURLINFO_HEADER_IN)
		d->lines_in++;
	if (d->keep && n)
		keep_line(d, type, p, n);
	if (type == CURLINFO_HEADER_IN && n >= 3 && p[0] != '3')
		d->in_auth = false; /* 235 accepted, or an error: the exchange is over */
	if (!n || !d->log)
		return;
	if (type == CURLINFO_HEADER_OUT && d->in_auth) {
		fprintf(stderr, "mqlreport: %s %s [redacted]\n", d->proto, tag);
	} else if (type != CURLINFO_TEXT && secret_header(p, n, d->secret_header)) {
		const char *colon = memchr(p, ':', n);
		fprintf(stderr, "mqlreport: %s %s %.*s: [redacted]\n", d->proto, tag,
			(int)(colon - p), p);
	} else if (type == CURLINFO_TEXT && (user = g_strstr_len(p, (gssize)n, " with user '"))) {
		/* libcurl's note "Server auth using Basic with user 'name'" */
		fprintf(stderr, "mqlreport: %s %s %.*s with user [redacted]\n", d->proto, tag,
			(int)(user - p), p);
	} else {
		print_line(d->proto, tag, p, n);
	}
}

/* The debug callback: headers and libcurl's notes, line by line. Bodies
 * (and so the message of an SMTP transfer) are never shown. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ctx)
{
	(void)h;
	const char *tag = type == CURLINFO_TEXT		? "*"
			  : type == CURLINFO_HEADER_IN	? "<"
			  : type == CURLINFO_HEADER_OUT ? ">"
							: NULL;
	if (!tag)
		return 0;
	const char *p = data, *end = data + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t shown = len;
		while (shown && p[shown - 1] == '\r')
			shown--;
		debug_line(ctx, type, tag, p, shown);
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

/* ---- handles and options ---- */

/* libcurl's dialogue through on_debug(), which logs it, keeps its last
 * lines, or both, as n->debug says. */
static void listen_dialogue(net_handle *n)
{
	NET_SETOPT(n, CURLOPT_DEBUGFUNCTION, on_debug);
	NET_SETOPT(n, CURLOPT_DEBUGDATA, &n->debug);
	NET_SETOPT(n, CURLOPT_VERBOSE, 1L);
}

static bool debug_wanted(const char *env)
{
	const char *v = env ? getenv(env) : NULL;
	return v && v[0] && strcmp(v, "0") != 0;
}

int net_open(net_handle *n, const char *proto, const char *debug_env, const char *secret_header,
	     mq_err *err)
{
	memset(n, 0, sizeof *n);
	n->debug.proto = proto;
	n->debug.secret_header = secret_header;
	CURLcode rc = global_init();
	if (rc != CURLE_OK) {
		mq_err_set(err, MQ_SOFTWARE, "cannot start libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	n->h = curl_easy_init();
	if (!n->h) {
		mq_err_set(err, MQ_SOFTWARE, "cannot start libcurl");
		return -1;
	}
	NET_SETOPT(n, CURLOPT_ERRORBUFFER, n->errbuf);
	NET_SETOPT(n, CURLOPT_NOSIGNAL, 1L);
	if (debug_wanted(debug_env)) {
		n->debug.log = true;
		listen_dialogue(n);
	}
	return net_options_ok(n, err);
}

void net_keep_dialogue(net_handle *n)
{
	n->debug.keep = true;
	listen_dialogue(n);
}

const char *net_last_command(const net_handle *n)
{
	return n->debug.sent;
}

const char *net_last_reply(const net_handle *n)
{
	return n->debug.reply;
}

const char *net_smtp_extensions(const net_handle *n)
{
	return n->debug.ehlo;
}

unsigned long net_lines_in(const net_handle *n)
{
	return n->debug.lines_in;
}

char *net_url_host_port(const char *url)
{
	CURLU *u = curl_url();
	char *out = NULL, *host = NULL, *port = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
		out = xasprintf("%s:%s", host, port);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

/* The text after the host's ':' up to the path, for a message (never the
 * user information, which may hold a password). */
static char *port_text(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *end = p + strcspn(p, "/?#");
	const char *at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	if (*p == '[') { /* an IPv6 literal: its colons are not the port's */
		const char *close = memchr(p, ']', (size_t)(end - p));
		if (close)
			p = close;
	}
	const char *colon = memchr(p, ':', (size_t)(end - p));
	return colon ? g_strndup(colon + 1, (size_t)(end - colon - 1)) : NULL;
}

char *net_url_problem(const char *url)
{
	CURLU *u = curl_url();
	if (!u)
		abort(); /* out of memory, as xmalloc */
	char *why = NULL, *host = NULL, *port = NULL;
	CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (rc == CURLUE_BAD_PORT_NUMBER) {
		/* with user information the cut may fall inside a password
		 * holding / ? or #: not quoted then */
		char *t = strchr(url, '@') ? NULL : port_text(url);
		why = t ? xasprintf("its port \"%s\" is not a number from 1 to 65535", t)
			: xstrdup("its port is not a number from 1 to 65535 (a / ? or # in the "
				  "user information must be percent-encoded)");
		g_free(t);
	} else if (rc == CURLUE_NO_HOST ||
		   (rc == CURLUE_OK && (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
					!host || !host[0]))) {
		why = xstrdup("it names no host (scheme://host[:port])");
	} else if (rc != CURLUE_OK) {
		why = xasprintf("it is not a URL that libcurl reads (%s)", curl_url_strerror(rc));
	} else if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port &&
		   strtol(port, NULL, 10) <= 0) {
		why = xasprintf("its port \"%s\" is not a number from 1 to 65535", port);
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return why;
}

void net_close(net_handle *n)
{
	if (n->h)
		curl_easy_cleanup(n->h);
	n->h = NULL;
}

void net_setopt_result(net_handle *n, const char *name, CURLcode rc)
{
	if (rc != CURLE_OK && !n->refused) {
		n->refused = name;
		n->refused_rc = rc;
	}
}

int net_options_ok(const net_handle *n, mq_err *err)
{
	if (!n->refused)
		return 0;
	mq_err_set(err, MQ_SOFTWARE, "libcurl refused option %s: %s", n->refused,
		   curl_easy_strerror(n->refused_rc));
	return -1;
}

void net_set_tls_verify(net_handle *n, const char *ca_file)
{
	NET_SETOPT(n, CURLOPT_SSL_VERIFYPEER, 1L);
	NET_SETOPT(n, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca_file && ca_file[0])
		NET_SETOPT(n, CURLOPT_CAINFO, ca_file);
}

void net_set_http(net_handle *n, const char *url, bool allow_http, const char *ca_file,
		  long connect_timeout_s)
{
	NET_SETOPT(n, CURLOPT_URL, url);
	NET_SETOPT(n, CURLOPT_PROTOCOLS_STR, allow_http ? "http,https" : "https");
	NET_SETOPT(n, CURLOPT_FOLLOWLOCATION, 0L);
	NET_SETOPT(n, CURLOPT_USERAGENT, "mqlreport");
	net_set_tls_verify(n, ca_file);
	NET_SETOPT(n, CURLOPT_CONNECTTIMEOUT, connect_timeout_s > 0 ? connect_timeout_s : 15L);
}

struct curl_slist *net_slist_append(struct curl_slist *list, const char *s)
{
	struct curl_slist *l = curl_slist_append(list, s);
	if (!l) {
		fprintf(stderr, "mqlreport: out of memory\n");
		abort();
	}
	return l;
}

long net_use_ssl(enum net_tls tls)
{
	switch (tls) {
	case NET_TLS_TRY:
		return (long)CURLUSESSL_TRY;
	case NET_TLS_NEVER:
		return (long)CURLUSESSL_NONE;
	case NET_TLS_REQUIRED:
	default:
		return (long)CURLUSESSL_ALL;
	}
}

const char *net_why(const net_handle *n, CURLcode rc)
{
	return n->errbuf[0] ? n->errbuf : curl_easy_strerror(rc);
}

/* ---- failures ---- */

bool net_transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

bool net_tls_failure(CURLcode rc)
{
	switch (rc) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		return true;
	default:
		return false;
	}
}
