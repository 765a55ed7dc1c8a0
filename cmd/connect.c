/* connect.c — `mqlreport check --connect` (see connect.h): a ranged GET of
 * one byte from each HTTPS source, and an SMTP session of EHLO, STARTTLS,
 * AUTH, NOOP and QUIT with the e-mail server.
 *
 * It proves reachability and credentials only: it must not download an
 * export, send a message or write a file, and it never prints a secret.
 * Every libcurl call of the command is in this file, each option checked,
 * so that it can move onto the shared network layer in one piece. */
#include "connect.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_email.h"
#include "load.h"

/* A libcurl option that did not take is an error, never ignored: another
 * libcurl could otherwise silently drop the TLS or protocol rules. */
#define SETOPT(h, opt, val, err) setopt_ok(curl_easy_setopt((h), (opt), (val)), #opt, (err))

static bool setopt_ok(CURLcode c, const char *name, mq_err *err)
{
	if (c == CURLE_OK)
		return true;
	mq_err_set(err, MQ_SOFTWARE, "connect: libcurl refused %s: %s", name,
		   curl_easy_strerror(c));
	return false;
}

/* A URL as messages may show it: no user info, query or fragment. Caller frees. */
static char *shown_url(const char *url)
{
	CURLU *u = curl_url();
	char *s = NULL, *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out ? out : xstrdup("(unparseable URL)");
}

/* The value of a credential variable, or NULL with err (MQ_CONFIG). */
static const char *secret(const char *var, const char *what, mq_err *err)
{
	const char *v = getenv(var);
	if (!v || !*v) {
		mq_err_set(err, MQ_CONFIG, "%s: environment variable %s is not set or empty", what,
			   var);
		return NULL;
	}
	if (strpbrk(v, "\r\n")) {
		mq_err_set(err, MQ_CONFIG, "%s: the value of %s holds a line break", what, var);
		return NULL;
	}
	return v;
}

/* The first body byte ends the transfer: the probe reads nothing more. */
static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	(void)data;
	if (size * n > 0)
		*(bool *)ctx = true;
	return 0;
}

/* The request headers carrying the source's credentials; -1 with err. */
static int auth_headers(const fetch_opts *o, const char *what, struct curl_slist **hdrs,
			mq_err *err)
{
	char *line = NULL;
	if (o->bearer_env && *o->bearer_env) {
		const char *t = secret(o->bearer_env, what, err);
		if (!t)
			return -1;
		line = xasprintf("Authorization: Bearer %s", t);
	}
	if (line) {
		struct curl_slist *n = curl_slist_append(*hdrs, line);
		free(line);
		if (!n)
			goto nomem;
		*hdrs = n;
	}
	if (o->header_env && *o->header_env) {
		const char *v = secret(o->header_env, what, err);
		if (!v)
			return -1;
		if (!o->header_name || !*o->header_name || strpbrk(o->header_name, ":\r\n ")) {
			mq_err_set(err, MQ_CONFIG, "%s: header_value_env needs a valid header_name",
				   what);
			return -1;
		}
		line = xasprintf("%s: %s", o->header_name, v);
		struct curl_slist *n = curl_slist_append(*hdrs, line);
		free(line);
		if (!n)
			goto nomem;
		*hdrs = n;
	}
	return 0;
nomem:
	mq_err_set(err, MQ_SOFTWARE, "%s: out of memory for the request headers", what);
	return -1;
}

/* Set up h for a one-byte GET of url with o's settings. */
static int http_setup(CURL *h, const char *url, const fetch_opts *o, const char *what,
		      struct curl_slist **hdrs, bool *got_body, mq_err *err)
{
	if (!SETOPT(h, CURLOPT_URL, url, err) ||
	    !SETOPT(h, CURLOPT_PROTOCOLS_STR, o->allow_http ? "http,https" : "https", err) ||
	    !SETOPT(h, CURLOPT_NOSIGNAL, 1L, err) || !SETOPT(h, CURLOPT_RANGE, "0-0", err) ||
	    !SETOPT(h, CURLOPT_WRITEFUNCTION, on_body, err) ||
	    !SETOPT(h, CURLOPT_WRITEDATA, got_body, err) ||
	    !SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L, err) ||
	    !SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L, err) ||
	    !SETOPT(h, CURLOPT_CONNECTTIMEOUT,
		    o->connect_timeout_s > 0 ? o->connect_timeout_s : 15L, err) ||
	    !SETOPT(h, CURLOPT_TIMEOUT, 60L, err))
		return -1;
	if (o->ca_file && !SETOPT(h, CURLOPT_CAINFO, o->ca_file, err))
		return -1;
	if (o->basic_user_env && *o->basic_user_env) {
		if (!o->basic_pass_env || !*o->basic_pass_env) {
			mq_err_set(
			    err, MQ_CONFIG,
			    "%s: basic auth needs both basic_user_env and basic_password_env",
			    what);
			return -1;
		}
		const char *user = secret(o->basic_user_env, what, err);
		const char *pass = user ? secret(o->basic_pass_env, what, err) : NULL;
		if (!pass || !SETOPT(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC, err) ||
		    !SETOPT(h, CURLOPT_USERNAME, user, err) ||
		    !SETOPT(h, CURLOPT_PASSWORD, pass, err))
			return -1;
	}
	if (auth_headers(o, what, hdrs, err) != 0)
		return -1;
	return *hdrs && !SETOPT(h, CURLOPT_HTTPHEADER, *hdrs, err) ? -1 : 0;
}

/* What the probe's outcome means: 0 reachable, or -1 with err. */
static int http_verdict(CURLcode rc, long code, bool got_body, const char *what,
			const char *curl_msg, mq_err *err)
{
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && got_body)) {
		mq_err_set(err, MQ_UNAVAILABLE, "%s: cannot be reached: %s", what, curl_msg);
		return -1;
	}
	if (code == 401 || code == 403) {
		mq_err_set(err, MQ_CONFIG,
			   "%s: the server refused the credentials (HTTP %ld): check the variables "
			   "the configuration names",
			   what, code);
		return -1;
	}
	/* 416: an empty export has no first byte, yet the server answered */
	if (code >= 400 && code != 416) {
		mq_err_set(err, MQ_UNAVAILABLE, "%s: the server answered HTTP %ld", what, code);
		return -1;
	}
	printf("connect: %s: OK (HTTP %ld)\n", what, code);
	return 0;
}

static int probe_source(const char *url, const fetch_opts *o, mq_err *err)
{
	char *what = shown_url(url);
	int rc = -1;
	if (strncmp(url, "https://", 8) != 0 &&
	    !(o->allow_http && strncmp(url, "http://", 7) == 0)) {
		mq_err_set(
		    err, MQ_CONFIG,
		    "%s: only https:// URLs are fetched (set allow_http = true for plain http)",
		    what);
		free(what);
		return -1;
	}
	CURL *h = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	bool got_body = false;
	if (!h) {
		mq_err_set(err, MQ_SOFTWARE, "connect: cannot start libcurl");
		goto done;
	}
	if (!SETOPT(h, CURLOPT_ERRORBUFFER, errbuf, err) ||
	    http_setup(h, url, o, what, &hdrs, &got_body, err) != 0)
		goto done;
	CURLcode c = curl_easy_perform(h);
	long code = 0;
	if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
		code = 0;
	rc = http_verdict(c, code, got_body, what, errbuf[0] ? errbuf : curl_easy_strerror(c), err);
done:
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	free(what);
	return rc;
}

int connect_sources(const run_config *cfg, mq_err *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		mq_err_set(err, MQ_SOFTWARE, "connect: libcurl cannot be initialised");
		return -1;
	}
	int rc = 0;
	for (int s = 0; s < SRC_COUNT && rc == 0; s++) {
		const source_cfg *sc = &cfg->in.src[s];
		if (sc->location &&
		    (!strncmp(sc->location, "https://", 8) || !strncmp(sc->location, "http://", 7)))
			rc = probe_source(sc->location, &sc->fetch, err);
	}
	curl_global_cleanup();
	return rc;
}

/* Set up h for an SMTP session that ends with NOOP (no MAIL, no DATA). */
static int smtp_setup(CURL *h, const mail_server *s, char *errbuf, mq_err *err)
{
	long ssl = s->tls == NET_TLS_REQUIRED ? (long)CURLUSESSL_ALL
		   : s->tls == NET_TLS_TRY    ? (long)CURLUSESSL_TRY
					       : (long)CURLUSESSL_NONE;
	if (!SETOPT(h, CURLOPT_URL, s->url, err) ||
	    !SETOPT(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps", err) ||
	    !SETOPT(h, CURLOPT_ERRORBUFFER, errbuf, err) || !SETOPT(h, CURLOPT_NOSIGNAL, 1L, err) ||
	    !SETOPT(h, CURLOPT_USE_SSL, ssl, err) || !SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L, err) ||
	    !SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L, err) ||
	    !SETOPT(h, CURLOPT_CONNECTTIMEOUT, 30L, err) ||
	    !SETOPT(h, CURLOPT_TIMEOUT, s->timeout_s > 0 ? s->timeout_s : 120L, err) ||
	    /* a custom command without a body: EHLO, (STARTTLS, AUTH,) NOOP, QUIT */
	    !SETOPT(h, CURLOPT_CUSTOMREQUEST, "NOOP", err) || !SETOPT(h, CURLOPT_NOBODY, 1L, err))
		return -1;
	if (s->ca_file && !SETOPT(h, CURLOPT_CAINFO, s->ca_file, err))
		return -1;
	if (s->user && (!SETOPT(h, CURLOPT_USERNAME, s->user, err) ||
			!SETOPT(h, CURLOPT_PASSWORD, s->password ? s->password : "", err)))
		return -1;
	return 0;
}

int connect_smtp(const run_config *cfg, mq_err *err)
{
	const email_cfg *o = cfg->email;
	if (!o || !o->smtp_url)
		return 0;
	mail_server srv;
	if (email_server(o, &srv, err) != 0)
		return -1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		mq_err_set(err, MQ_SOFTWARE, "connect: libcurl cannot be initialised");
		return -1;
	}
	char *what = shown_url(o->smtp_url);
	char errbuf[CURL_ERROR_SIZE] = "";
	int rc = -1;
	CURL *h = curl_easy_init();
	if (!h)
		mq_err_set(err, MQ_SOFTWARE, "connect: cannot start libcurl");
	if (h && smtp_setup(h, &srv, errbuf, err) == 0) {
		CURLcode c = curl_easy_perform(h);
		const char *why = errbuf[0] ? errbuf : curl_easy_strerror(c);
		if (c == CURLE_LOGIN_DENIED)
			mq_err_set(err, MQ_CONFIG,
				   "e-mail: %s: the server refused the credentials (%s): check the "
				   "variables [email] username_env and password_env name",
				   what, why);
		else if (c != CURLE_OK)
			mq_err_set(err, MQ_UNAVAILABLE, "e-mail: %s: cannot be reached: %s", what,
				   why);
		else
			printf("connect: %s: OK (the server accepted %sNOOP)\n", what,
			       srv.user ? "the credentials and " : "");
		rc = c == CURLE_OK ? 0 : -1;
	}
	curl_easy_cleanup(h);
	curl_global_cleanup();
	free(what);
	return rc;
}
