/* fetch.c — sources over HTTP(S) with libcurl (see fetch.h).
 *
 * One request per attempt into a temp file beside dest. Status, size cap,
 * Content-Type, the first bytes and truncation are checked before the temp
 * file is renamed over dest. Redirects are followed by hand so that each hop
 * is checked (https only; credentials dropped on another host). ETag and
 * Last-Modified are kept in dest + ".meta" for conditional requests.
 *
 * It must never leave a half file at dest, send credentials to a host other
 * than the configured one, or print a credential (the debug log is
 * net.h's, which redacts them). */
#include "fetch.h"

#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "clock.h"
#include "fetch_auth.h"
#include "fetch_body.h"
#include "fetch_cache.h"
#include "net.h"
#include "stop.h"

#define MAX_REDIRECTS	  5
#define MAX_RETRY_AFTER_S 300 /* a longer Retry-After is cut to this */
#define HEAD_BYTES	  512 /* body bytes kept for sniffing */

void fetch_opts_default(fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->connect_timeout_s = 15;
	o->total_timeout_s = 600;
	o->low_speed_bytes = 1024;
	o->low_speed_time_s = 30;
	o->retries = 4;
	o->backoff_s = 1.0;
	o->max_bytes = INT64_C(4) << 30;
}

void fetch_opts_clear(fetch_opts *o)
{
	if (!o)
		return;
	free(o->bearer_env);
	free(o->basic_user_env);
	free(o->basic_pass_env);
	free(o->header_name);
	free(o->header_env);
	free(o->cache_dir);
	free(o->ca_file);
	free(o->where);
	free(o->group);
	memset(o, 0, sizeof *o);
}

/* ---- the body ---- */

/* The state of one request, filled by the write and progress callbacks. */
typedef struct xfer {
	CURL *h;       /* for the status of the response being received */
	FILE *fp;      /* the temp file receiving a 2xx body */
	int64_t bytes; /* body bytes written to fp */
	int64_t max_bytes;
	bool too_big;
	bool write_failed;
	int write_errno;
	char head[HEAD_BYTES]; /* the first bytes of the body */
	size_t head_len;
	/* progress */
	bool bar; /* draw a bar on stderr */
	double started, last_draw;
	const char *label;
} xfer;

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	xfer *x = ctx;
	size_t len = size * nmemb;
	if (x->head_len < HEAD_BYTES) {
		size_t k = MIN(HEAD_BYTES - x->head_len, len);
		memcpy(x->head + x->head_len, data, k);
		x->head_len += k;
	}
	long status = 0;
	if (curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
		status = 0; /* unknown: kept out of the file, as an error page */
	if (status < 200 || status > 299)
		return len; /* an error page: kept out of the file */
	/* the size cap, enforced here because CURLOPT_MAXFILESIZE_LARGE does
	 * not stop a transfer whose length was not announced */
	if (x->bytes + (int64_t)len > x->max_bytes) {
		x->too_big = true;
		return 0;
	}
	if (fwrite(data, 1, len, x->fp) != len) {
		x->write_failed = true;
		x->write_errno = errno;
		return 0;
	}
	x->bytes += (int64_t)len;
	return len;
}

/* ---- the progress bar ---- */

/* "98 B", "1.5 KiB", "2.0 MiB": GLib's IEC sizes, with "B" for bytes. */
static char *human_bytes(double b)
{
	if (b < 1024)
		return g_strdup_printf("%.0f B", b);
	return g_format_size_full((guint64)b, G_FORMAT_SIZE_IEC_UNITS);
}

/* One frame of the progress bar: label, bar (when the size is known),
 * bytes, rate, ETA. */
static void draw_bar(xfer *x, double dlnow, double dltotal)
{
	double t = mq_mono_s();
	x->last_draw = t;
	char *got = human_bytes(dlnow);
	fprintf(stderr, "\r%-14.14s ", x->label);
	if (dltotal > 0) {
		int filled = MIN((int)(20.0 * dlnow / dltotal), 20);
		fprintf(stderr, "[%.*s%*s] ", filled, "####################", 20 - filled, "");
	}
	fprintf(stderr, "%s", got);
	g_free(got);
	double el = t - x->started;
	if (el > 0 && dlnow > 0) {
		double rate = dlnow / el;
		char *rate_s = human_bytes(rate);
		fprintf(stderr, "  %s/s", rate_s);
		g_free(rate_s);
		if (dltotal > dlnow && rate > 0) {
			long eta = (long)((dltotal - dlnow) / rate);
			fprintf(stderr, "  ETA %ld:%02ld", eta / 60, eta % 60);
		}
	}
	fprintf(stderr, "\033[K");
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)ultotal;
	(void)ulnow;
	xfer *x = ctx;
	if (x->bar && mq_mono_s() - x->last_draw >= 0.2)
		draw_bar(x, (double)dlnow, (double)dltotal);
	return mq_stop_signal() != 0; /* a stop ends the transfer; its temp file goes */
}

/* ---- URLs ---- */

char *fetch_url_for_log(const char *url)
{
	CURLU *u = curl_url();
	char *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		char *q = NULL;
		bool had_query = curl_url_get(u, CURLUPART_QUERY, &q, 0) == CURLUE_OK;
		curl_free(q);
		/* a part that cannot be cleared could be a secret: nothing is shown */
		bool cleared = curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
			       curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
			       curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
			       curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK;
		char *s = NULL;
		if (cleared && curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
			out = xasprintf("%s%s", s, had_query ? "?…" : "");
			curl_free(s);
		}
	}
	curl_url_cleanup(u);
	return out ? out : xstrdup("(unparseable URL)");
}

/* Any credential variable named, or user info in the URL (fetch.h). */
bool fetch_has_credentials(const char *url, const fetch_opts *o)
{
	if ((o->bearer_env && o->bearer_env[0]) || (o->basic_user_env && o->basic_user_env[0]) ||
	    (o->basic_pass_env && o->basic_pass_env[0]) || (o->header_env && o->header_env[0]))
		return true;
	CURLU *u = curl_url();
	bool has = false;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		const CURLUPart parts[] = {CURLUPART_USER, CURLUPART_PASSWORD};
		for (size_t i = 0; i < G_N_ELEMENTS(parts) && !has; i++) {
			char *v = NULL;
			has = curl_url_get(u, parts[i], &v, 0) == CURLUE_OK && v && v[0];
			curl_free(v);
		}
	}
	curl_url_cleanup(u);
	return has;
}

/* "host:port" of a URL, or NULL. Caller frees. */
static char *url_origin(const char *url)
{
	return net_url_host_port(url);
}

/* mkdir -p of the folder holding path; -1 with err when it cannot be made. */
static int make_parent(const char *path, mq_err *err)
{
	char *dir = g_path_get_dirname(path);
	int rc = g_mkdir_with_parents(dir, 0755);
	if (rc != 0)
		mq_err_set(err, MQ_CANTCREAT, "fetch: cannot create the folder %s: %s", dir,
			   strerror(errno));
	g_free(dir);
	return rc == 0 ? 0 : -1;
}

/* ---- one response ---- */

/* What a finished request's response said, read from libcurl. */
typedef struct response {
	long status;
	int64_t content_length; /* -1: not given */
	bool identity;		/* not content-encoded: the length counts body bytes */
	long retry_after_s;	/* -1: not given */
	char content_type[128];
	char etag[512];
	char last_modified[128];
} response;

/* The value of the response's last `name` header, or NULL. Valid until the
 * next call. */
static const char *header_last(CURL *h, const char *name)
{
	struct curl_header *hh = NULL;
	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hh) != CURLHE_OK)
		return NULL;
	if (hh->amount > 1 &&
	    curl_easy_header(h, name, hh->amount - 1, CURLH_HEADER, -1, &hh) != CURLHE_OK)
		return NULL;
	return hh->value;
}

/* Retry-After in seconds, at most MAX_RETRY_AFTER_S; -1 when not given or
 * unreadable. libcurl reads both forms (delta-seconds, an HTTP date). */
static long retry_after(CURL *h)
{
	const char *v = header_last(h, "Retry-After");
	curl_off_t s = 0;
	if (!v || curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &s) != CURLE_OK)
		return -1;
	/* libcurl says 0 both for "now" and for a value it cannot read */
	bool number = v[0] && v[strspn(v, "0123456789")] == '\0';
	if (s == 0 && !number && curl_getdate(v, NULL) == -1)
		return -1;
	return s <= 0 ? 0 : s > MAX_RETRY_AFTER_S ? MAX_RETRY_AFTER_S : (long)s;
}

static void read_response(CURL *h, response *resp)
{
	memset(resp, 0, sizeof *resp);
	if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status) != CURLE_OK)
		resp->status = 0; /* no status: a failure, never a success */
	curl_off_t length = -1;
	if (curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) != CURLE_OK)
		length = -1;
	resp->content_length = length;
	char *type = NULL;
	if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) != CURLE_OK)
		type = NULL; /* unknown: the body is judged by its bytes */
	fetch_clean_copy(resp->content_type, sizeof resp->content_type, type);
	const char *enc = header_last(h, "Content-Encoding");
	resp->identity = !enc || !enc[0] || g_ascii_strcasecmp(enc, "identity") == 0;
	fetch_clean_copy(resp->etag, sizeof resp->etag, header_last(h, "ETag"));
	fetch_clean_copy(resp->last_modified, sizeof resp->last_modified,
			 header_last(h, "Last-Modified"));
	resp->retry_after_s = retry_after(h);
}

static bool retryable_status(long s)
{
	return s == 408 || s == 429 || (s >= 500 && s <= 599);
}

/* ---- one attempt ---- */

enum outcome { OUT_DONE, OUT_NOT_MODIFIED, OUT_REDIRECT, OUT_RETRY, OUT_FAIL };

/* What a failure's message adds: the setting that ended it, or the fix. */
enum hint {
	HINT_NONE,
	HINT_NOT_FOUND,	  /* 404, 410: the export's URL changed */
	HINT_TIMEOUT,	  /* the whole transfer took longer than timeout */
	HINT_CONNECT,	  /* no connection within connect_timeout */
	HINT_LOW_SPEED,	  /* slower than low_speed_limit for low_speed_time */
	HINT_UNREACHABLE, /* refused, or no such host */
	HINT_CA_FILE,	  /* ca_file cannot be read */
	HINT_UNTRUSTED,	  /* the server's certificate is not trusted */
	HINT_SERVER,	  /* 5xx, a body cut short: the server had trouble */
};

typedef struct attempt_result {
	enum outcome out;
	enum hint hint;
	int exit;	/* for OUT_FAIL: MQ_SOFTWARE when libcurl failed us; 0: unavailable */
	long status;	/* HTTP */
	double delay_s; /* Retry-After, when the server sent one; -1 otherwise */
	char *redirect; /* for OUT_REDIRECT; owned */
	char why[512];
} attempt_result;

static void set_why(attempt_result *r, enum outcome out, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_why(attempt_result *r, enum outcome out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	r->out = out;
}

/* What stays the same across the attempts and hops of one fetch, and where
 * the fetch is. */
typedef struct fetch_job {
	const char *url; /* as configured: the cache belongs to it */
	const fetch_opts *o;
	const char *dest;
	const char *label; /* dest's file name, for the log */
	fetch_auth a;
	bool conditional; /* the validators below are sent */
	char etag[512], lm[128];
	char **secrets; /* what a message must never show: a GLib vector */
	char *shown;	/* url as the log shows it */
	char *named;	/* shown, after where the configuration names it: errors start so */
	char *cur;	/* the URL of the next request */
	char *origin;	/* "host:port" that credentials may go to */
	bool send_auth;
	int attempts, redirects;
	double started;
} fetch_job;

/* A whole 2xx body: done, unless it is plainly not the CSV export (an HTML
 * page, a JSON error): then the source did not deliver, and the message
 * shows what came instead. */
static void judge_body(const xfer *x, const response *resp, const fetch_job *j, attempt_result *r)
{
	const char *type = resp->content_type[0] ? resp->content_type : "none";
	switch (fetch_body_kind(resp->content_type, x->head, x->head_len)) {
	case BODY_CSV:
		r->out = OUT_DONE;
		break;
	case BODY_HTML:
		set_why(r, OUT_FAIL,
			"HTTP %ld returned an HTML page (Content-Type \"%s\"), not a CSV export",
			resp->status, type);
		break;
	case BODY_JSON: {
		char shown[200];
		fetch_body_excerpt(x->head, x->head_len, (const char *const *)j->secrets, shown,
				   sizeof shown);
		set_why(r, OUT_FAIL,
			"HTTP %ld returned JSON (Content-Type \"%s\"), not a CSV export: %s. The "
			"server answered with an error or another format instead of the export: "
			"check the credentials, the URL and that the export is set to CSV",
			resp->status, type, shown);
		break;
	}
	}
}

/* Which limit ended a transfer that timed out: timeout when it ran that
 * long, connect_timeout when it never got connected (TLS included), else
 * the low-speed limit. */
static enum hint timeout_hint(const net_handle *n, const fetch_job *j)
{
	curl_off_t total = 0, connected = 0;
	bool tls = g_ascii_strncasecmp(j->cur, "https://", 8) == 0;
	if (curl_easy_getinfo(n->h, CURLINFO_TOTAL_TIME_T, &total) != CURLE_OK)
		total = 0;
	if (curl_easy_getinfo(n->h, tls ? CURLINFO_APPCONNECT_TIME_T : CURLINFO_CONNECT_TIME_T,
			      &connected) != CURLE_OK)
		connected = 0;
	/* microseconds; a tenth of a second short of the limit is the limit */
	if (j->o->total_timeout_s > 0 &&
	    total >= (curl_off_t)j->o->total_timeout_s * 1000000 - 100000)
		return HINT_TIMEOUT;
	return connected == 0 ? HINT_CONNECT : HINT_LOW_SPEED;
}

/* The hint for a transfer libcurl ended with rc. */
static enum hint transfer_hint(CURLcode rc, const net_handle *n, const fetch_job *j)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return timeout_hint(n, j);
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		return HINT_UNREACHABLE;
	case CURLE_SSL_CACERT_BADFILE:
		return HINT_CA_FILE;
	case CURLE_PEER_FAILED_VERIFICATION:
		return HINT_UNTRUSTED;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return HINT_SERVER;
	default:
		return HINT_NONE;
	}
}

/* What to do about a failure: its hint as words, each naming the setting
 * to change and the group it goes in (or [fetch], for every source); ""
 * without one. */
static void hint_words(const fetch_job *j, enum hint h, char *out, size_t size)
{
	const fetch_opts *o = j->o;
	char grp[96];
	if (o->group)
		snprintf(grp, sizeof grp, "[%s]", o->group);
	else
		snprintf(grp, sizeof grp, "the source's group");
	out[0] = '\0';
	switch (h) {
	case HINT_NONE:
		break;
	case HINT_NOT_FOUND:
		snprintf(out, size,
			 ": the server has no export at this URL: the export's URL changed; set "
			 "the new one in %s",
			 grp);
		break;
	case HINT_TIMEOUT:
		snprintf(
		    out, size,
		    ": the download did not end within timeout = %ld seconds: raise timeout in "
		    "%s (or [fetch]) for a large export or a slow server, or run again later",
		    o->total_timeout_s, grp);
		break;
	case HINT_CONNECT:
		snprintf(out, size,
			 ": no connection within connect_timeout = %ld seconds: check the URL's "
			 "host and port and the network, or raise connect_timeout in %s (or "
			 "[fetch])",
			 o->connect_timeout_s, grp);
		break;
	case HINT_LOW_SPEED:
		snprintf(out, size,
			 ": the server sent less than low_speed_limit = %ld bytes a second for "
			 "low_speed_time = %ld seconds: run again later, or raise low_speed_time "
			 "in %s (or [fetch]) for a server that pauses",
			 o->low_speed_bytes, o->low_speed_time_s, grp);
		break;
	case HINT_UNREACHABLE:
		snprintf(out, size,
			 ": nothing answers at that address: check the URL's host and port, or run "
			 "again later (raise retries in %s or [fetch] if it happens often)",
			 grp);
		break;
	case HINT_CA_FILE:
		snprintf(out, size,
			 ": ca_file %s cannot be read: name the private CA's bundle (PEM) in %s "
			 "ca_file, or remove ca_file to trust the system's",
			 o->ca_file ? o->ca_file : "", grp);
		break;
	case HINT_UNTRUSTED:
		snprintf(out, size,
			 ": the server's certificate is not trusted%s%s%s: a server whose "
			 "certificate a private CA signed needs that CA's bundle (PEM) in %s "
			 "ca_file",
			 o->ca_file ? " (checked against ca_file " : "",
			 o->ca_file ? o->ca_file : "", o->ca_file ? ")" : "", grp);
		break;
	case HINT_SERVER:
		snprintf(
		    out, size,
		    ": the server had trouble: run again later; raise retries or timeout in %s "
		    "(or [fetch]) if it happens often",
		    grp);
		break;
	}
}

/* What a finished request means. The checks go from the transfer's own
 * failures to the status and then the body. */
static void judge(CURLcode rc, const net_handle *n, const xfer *x, const response *resp,
		  const fetch_job *j, attempt_result *r)
{
	long status = resp->status;
	r->status = status;
	if (x->too_big) {
		set_why(r, OUT_FAIL, "body larger than the limit of %lld bytes (max_bytes)",
			(long long)j->o->max_bytes);
	} else if (x->write_failed) {
		set_why(r, OUT_FAIL, "%s: cannot write: %s", j->dest, strerror(x->write_errno));
		r->exit = MQ_CANTCREAT; /* a full disk, not the server */
	} else if (rc == CURLE_ABORTED_BY_CALLBACK && mq_stop_signal()) {
		set_why(r, OUT_FAIL, "the download was stopped by %s",
			mq_stop_name(mq_stop_signal()));
		r->exit = mq_stop_status(mq_stop_signal());
	} else if (rc != CURLE_OK) {
		enum outcome out = net_transient(rc) ? OUT_RETRY : OUT_FAIL;
		if (rc == CURLE_PARTIAL_FILE && resp->content_length >= 0)
			set_why(r, out, "body cut short after %lld of %lld bytes",
				(long long)x->bytes, (long long)resp->content_length);
		else if (rc == CURLE_PARTIAL_FILE) /* chunked, or no length given */
			set_why(r, out, "body cut short after %lld bytes, before its end",
				(long long)x->bytes);
		else
			set_why(r, out, "%s%s%s", curl_easy_strerror(rc), n->errbuf[0] ? ": " : "",
				n->errbuf);
		r->hint = transfer_hint(rc, n, j);
	} else if (status == 304 && j->conditional) {
		r->out = OUT_NOT_MODIFIED;
	} else if (status == 304) {
		set_why(r, OUT_FAIL,
			"HTTP 304 Not Modified to a request that asked for the whole export (no "
			"copy was cached to compare with): the server answers wrongly");
	} else if (status >= 300 && status <= 399) {
		char *loc = NULL;
		if (curl_easy_getinfo(n->h, CURLINFO_REDIRECT_URL, &loc) != CURLE_OK)
			loc = NULL; /* reported below as a redirect without a Location */
		if (!loc) {
			set_why(r, OUT_FAIL, "HTTP %ld without a Location", status);
		} else {
			r->redirect = xstrdup(loc);
			r->out = OUT_REDIRECT;
		}
	} else if (status < 200 || status > 299) {
		set_why(r, retryable_status(status) ? OUT_RETRY : OUT_FAIL, "HTTP %ld", status);
		r->delay_s = (double)resp->retry_after_s;
		r->hint = status == 404 || status == 410 ? HINT_NOT_FOUND
			  : retryable_status(status)	 ? HINT_SERVER
							 : HINT_NONE;
	} else if (status == 206) {
		set_why(r, OUT_FAIL,
			"HTTP 206: a partial body where the whole export was asked for");
	} else if (resp->content_length >= 0 && x->bytes != resp->content_length &&
		   resp->identity) {
		/* libcurl reports a short body itself; this also catches a long one */
		set_why(r, OUT_RETRY, "body cut short: %lld of %lld bytes", (long long)x->bytes,
			(long long)resp->content_length);
		r->hint = HINT_SERVER;
	} else if (x->bytes == 0) {
		set_why(r, OUT_FAIL, "HTTP %ld with an empty body (no header row)", status);
	} else {
		judge_body(x, resp, j, r);
	}
}

/* The transport: protocols, TLS, timeouts, callbacks. */
static void set_transport(net_handle *n, const char *url, const fetch_opts *o, xfer *x)
{
	net_set_http(n, url, o->allow_http, o->ca_file, o->connect_timeout_s);
	if (o->total_timeout_s > 0)
		NET_SETOPT(n, CURLOPT_TIMEOUT, o->total_timeout_s);
	if (o->low_speed_bytes > 0 && o->low_speed_time_s > 0) {
		NET_SETOPT(n, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
		NET_SETOPT(n, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	}
	NET_SETOPT(n, CURLOPT_ACCEPT_ENCODING, ""); /* whatever libcurl can decode */
	NET_SETOPT(n, CURLOPT_WRITEFUNCTION, on_body);
	NET_SETOPT(n, CURLOPT_WRITEDATA, x);
	NET_SETOPT(n, CURLOPT_NOPROGRESS, 0L);
	NET_SETOPT(n, CURLOPT_XFERINFOFUNCTION, on_progress);
	NET_SETOPT(n, CURLOPT_XFERINFODATA, x);
}

/* "If-Modified-Since: Sun, 22 Nov 2026 23:00:00 GMT" of t, in HTTP's one
 * date format, whatever the locale. Caller frees. */
static char *if_modified_since(time_t t)
{
	static const char *const wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&t, &tm);
	return xasprintf("If-Modified-Since: %s, %02d %s %04d %02d:%02d:%02d GMT", wday[tm.tm_wday],
			 tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
}

/* What we ask for: credentials (while on the configured host), Accept and
 * the cache's validators. Returns the header list (the caller frees it) and
 * in *hline the line holding a secret (the caller wipes and frees it). */
static struct curl_slist *set_request(net_handle *n, const fetch_job *j, char **hline)
{
	struct curl_slist *hdrs =
	    net_slist_append(NULL, "Accept: text/csv, text/plain;q=0.9, */*;q=0.5");
	const fetch_auth *a = &j->a;
	if (j->send_auth) {
		if (a->bearer) {
			NET_SETOPT(n, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
			NET_SETOPT(n, CURLOPT_XOAUTH2_BEARER, a->bearer);
		} else if (a->user) {
			NET_SETOPT(n, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
			NET_SETOPT(n, CURLOPT_USERNAME, a->user);
			NET_SETOPT(n, CURLOPT_PASSWORD, a->pass ? a->pass : "");
		}
		if (a->hname) {
			*hline = xasprintf("%s: %s", a->hname, a->hvalue);
			hdrs = net_slist_append(hdrs, *hline);
		}
	}
	if (j->conditional && j->etag[0]) {
		char *c = xasprintf("If-None-Match: %s", j->etag);
		hdrs = net_slist_append(hdrs, c);
		free(c);
	}
	/* If-Modified-Since, as a header of our own: libcurl's time condition
	 * would also take a 200 whose Last-Modified is not newer for a 304 and
	 * drop its body, the new export a server sent with an old date */
	time_t since = j->conditional && j->lm[0] ? curl_getdate(j->lm, NULL) : -1;
	if (since != -1) {
		char *c = if_modified_since(since);
		hdrs = net_slist_append(hdrs, c);
		free(c);
	}
	NET_SETOPT(n, CURLOPT_HTTPHEADER, hdrs);
	return hdrs;
}

/* Put a checked body in place (the fetched data stays private to its
 * owner) and keep its validators. Frees f. */
static void keep_body(afile *f, const fetch_job *j, const response *resp, int64_t bytes,
		      attempt_result *r)
{
	mq_err e = {0};
	afile_set_mode(f, 0600);
	if (afile_commit(f, &e) != 0) {
		set_why(r, OUT_FAIL, "%s", e.msg);
		r->exit = e.status;
		return;
	}
	if (j->o->cache_dir)
		fetch_cache_write(j->dest, j->url, resp->etag, resp->last_modified);
	snprintf(r->why, sizeof r->why, "%lld bytes", (long long)bytes);
}

/* One request for j->cur into a temp file; on success the temp is renamed
 * over j->dest. */
static void attempt(const fetch_job *j, attempt_result *r)
{
	memset(r, 0, sizeof *r);
	r->delay_s = -1;
	mq_err e = {0};
	afile *f = afile_open(j->dest, &e);
	if (!f) {
		/* the folder it goes in, not the server: cannot write output */
		set_why(r, OUT_FAIL, "%s", e.msg);
		r->exit = e.status;
		return;
	}
	xfer x = {.fp = afile_stream(f),
		  .max_bytes = j->o->max_bytes > 0 ? j->o->max_bytes : INT64_MAX,
		  .bar = j->o->progress && isatty(STDERR_FILENO),
		  .started = mq_mono_s(),
		  .label = j->label};
	net_handle n;
	struct curl_slist *hdrs = NULL;
	char *hline = NULL;
	if (net_open(&n, "http", "MQLREPORT_HTTP_DEBUG", j->o->header_name, &e) == 0) {
		x.h = n.h;
		set_transport(&n, j->cur, j->o, &x);
		hdrs = set_request(&n, j, &hline);
		net_options_ok(&n, &e);
	}
	if (mq_failed(&e)) {
		set_why(r, OUT_FAIL, "%s", e.msg);
		r->exit = e.status;
	} else {
		CURLcode rc = curl_easy_perform(n.h);
		response resp;
		read_response(n.h, &resp);
		if (x.bar) {
			/* the last frame: what arrived, at what rate */
			draw_bar(&x, (double)x.bytes, (double)MAX(resp.content_length, 0));
			fputs("\n", stderr);
		}
		judge(rc, &n, &x, &resp, j, r);
		if (r->out == OUT_DONE) {
			keep_body(f, j, &resp, x.bytes, r);
			f = NULL;
		}
	}
	afile_abort(f);
	net_close(&n);
	curl_slist_free_all(hdrs);
	if (hline) {
		/* the header held a secret: do not leave it in freed memory */
		memset(hline, 0, strlen(hline));
		free(hline);
	}
}

/* ---- the fetch: attempts, hops, retries ---- */

/* Check the URL and the credentials, and read the cache (dest NULL: a
 * probe, which has none). Returns 0, or -1 with err; job_end() either way. */
static int job_start(fetch_job *j, const char *url, const fetch_opts *o, const char *dest,
		     mq_err *err)
{
	memset(j, 0, sizeof *j);
	j->url = url;
	j->o = o;
	j->dest = dest;
	j->shown = fetch_url_for_log(url);
	j->named = o->where ? xasprintf("%s: %s", o->where, j->shown) : xstrdup(j->shown);
	j->cur = xstrdup(url);
	j->origin = url_origin(url);
	j->send_auth = true;
	const char *slash = dest ? strrchr(dest, '/') : NULL;
	j->label = slash ? slash + 1 : dest ? dest : j->shown;
	if (strncmp(url, "https://", 8) != 0 &&
	    !(o->allow_http && strncmp(url, "http://", 7) == 0)) {
		mq_err_set(
		    err, MQ_CONFIG,
		    "%s: only https:// URLs are fetched (set allow_http = true for plain http)",
		    j->named);
		return -1;
	}
	if (!j->origin) {
		mq_err_set(err, MQ_CONFIG, "%s: not a valid URL", j->named);
		return -1;
	}
	if (strncmp(url, "http://", 7) == 0 && fetch_has_credentials(url, o)) {
		mq_err_set(err, MQ_CONFIG,
			   "%s: credentials are never sent in the clear, and this URL is plain "
			   "http://: fetch it from https://, or remove its credentials",
			   j->named);
		return -1;
	}
	if (fetch_auth_from_env(o, &j->a, err) != 0)
		return -1;
	j->secrets = fetch_auth_secrets(url, &j->a);
	if (!dest)
		return 0; /* a probe: nothing is written */
	if (make_parent(dest, err) != 0)
		return -1;
	j->conditional = o->cache_dir &&
			 fetch_cache_read(dest, url, j->etag, sizeof j->etag, j->lm, sizeof j->lm);
	return 0;
}

static void job_end(fetch_job *j)
{
	g_strfreev(j->secrets);
	free(j->shown);
	free(j->named);
	free(j->cur);
	free(j->origin);
}

/* Take a hop (https only; credentials only on the same host). Returns 0 to
 * go on, or -1 with err. Takes r->redirect. */
static int follow(fetch_job *j, attempt_result *r, mq_err *err)
{
	j->attempts--; /* a hop is not an attempt */
	char *next_shown = fetch_url_for_log(r->redirect);
	int rc = -1;
	if (++j->redirects > MAX_REDIRECTS) {
		mq_err_set(err, MQ_UNAVAILABLE, "%s: more than %d redirects", j->named,
			   MAX_REDIRECTS);
	} else if (g_ascii_strncasecmp(r->redirect, "https://", 8) != 0) {
		mq_err_set(err, MQ_UNAVAILABLE,
			   "%s: redirect to %s refused: redirects are followed to https:// only",
			   j->named, next_shown);
	} else {
		char *next_origin = url_origin(r->redirect);
		if (!next_origin || strcmp(next_origin, j->origin) != 0) {
			j->send_auth = false; /* never carry credentials to another host */
			free(j->origin);
			j->origin = next_origin ? next_origin : xstrdup("");
		} else {
			free(next_origin);
		}
		fprintf(stderr, "mqlreport: fetch %s: HTTP %ld, redirected to %s%s\n", j->label,
			r->status, next_shown, j->send_auth ? "" : " (without credentials)");
		free(j->cur);
		j->cur = r->redirect;
		r->redirect = NULL;
		rc = 0;
	}
	free(next_shown);
	free(r->redirect);
	return rc;
}

/* Wait before the next attempt: Retry-After, else the doubling back-off.
 * Returns 0 to go on, or -1 with err once the retries are spent. */
static int back_off(fetch_job *j, const attempt_result *r, mq_err *err)
{
	const fetch_opts *o = j->o;
	if (j->attempts > o->retries) {
		char hint[512];
		hint_words(j, r->hint, hint, sizeof hint);
		mq_err_set(err, MQ_UNAVAILABLE, "%s: %s (gave up after %d attempt%s)%s", j->named,
			   r->why, j->attempts, j->attempts == 1 ? "" : "s", hint);
		return -1;
	}
	double delay = r->delay_s >= 0 ? r->delay_s : o->backoff_s * pow(2.0, j->attempts - 1);
	fprintf(stderr, "mqlreport: fetch %s: %s; retry %d of %d in %.1f s\n", j->label, r->why,
		j->attempts, o->retries, delay);
	if (mq_stop_sleep(delay, 0)) {
		int sig = mq_stop_signal();
		mq_err_set(err, mq_stop_status(sig), "%s: stopped by %s while waiting to retry",
			   j->named, mq_stop_name(sig));
		return -1;
	}
	return 0;
}

static int job_run(fetch_job *j, mq_err *err)
{
	j->started = mq_mono_s();
	fprintf(stderr, "mqlreport: fetch %s: GET %s%s\n", j->label, j->shown,
		j->conditional ? " (conditional)" : "");
	for (;;) {
		attempt_result r;
		j->attempts++;
		attempt(j, &r);
		switch (r.out) {
		case OUT_DONE:
			fprintf(stderr, "mqlreport: fetch %s: HTTP %ld, %s in %.1f s\n", j->label,
				r.status, r.why, mq_mono_s() - j->started);
			return 0;
		case OUT_NOT_MODIFIED:
			fprintf(
			    stderr,
			    "mqlreport: fetch %s: not modified (HTTP 304), using the cached copy\n",
			    j->label);
			return 0;
		case OUT_REDIRECT:
			if (follow(j, &r, err) != 0)
				return -1;
			continue;
		case OUT_RETRY:
			if (back_off(j, &r, err) != 0)
				return -1;
			continue;
		case OUT_FAIL: {
			char hint[512];
			hint_words(j, r.hint, hint, sizeof hint);
			mq_err_set(err, r.exit ? r.exit : MQ_UNAVAILABLE, "%s: %s%s%s", j->named,
				   r.why,
				   r.status == 401 || r.status == 403
				       ? " (not retried: check the credentials the config names)"
				   : r.status >= 400 && r.status <= 499 ? " (not retried)"
									: "",
				   hint);
			return -1;
		}
		}
	}
}

int fetch_to_file(const char *url, const fetch_opts *o, const char *dest, mq_err *err)
{
	fetch_opts defaults;
	if (!o) {
		fetch_opts_default(&defaults);
		o = &defaults;
	}
	fetch_job j;
	int rc = job_start(&j, url, o, dest, err);
	if (rc == 0)
		rc = job_run(&j, err);
	job_end(&j);
	return rc;
}

/* ---- a probe: is the source there, and are the credentials taken? ---- */

/* The first body byte ends the transfer: a probe reads nothing more. */
static size_t on_probe_body(char *data, size_t size, size_t n, void *ctx)
{
	(void)data;
	if (size * n > 0)
		*(bool *)ctx = true;
	return 0;
}

/* What the probe's answer means: 0, or -1 with err. */
static int probe_verdict(CURLcode rc, long code, bool got_body, const char *why, const fetch_job *j,
			 mq_err *err)
{
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && got_body)) {
		mq_err_set(err, MQ_UNAVAILABLE, "%s: cannot be reached: %s", j->named, why);
		return -1;
	}
	if (code == 401 || code == 403) {
		mq_err_set(err, MQ_CONFIG,
			   "%s: the server refused the credentials (HTTP %ld): check the variables "
			   "the configuration names",
			   j->named, code);
		return -1;
	}
	/* 416: an empty export has no first byte, yet the server answered */
	if (code >= 400 && code != 416) {
		mq_err_set(err, MQ_UNAVAILABLE, "%s: the server answered HTTP %ld", j->named, code);
		return -1;
	}
	return 0;
}

int fetch_probe(const char *url, const fetch_opts *o, long *status, mq_err *err)
{
	fetch_job j;
	int rc = job_start(&j, url, o, NULL, err);
	net_handle n = {0};
	struct curl_slist *hdrs = NULL;
	char *hline = NULL;
	if (rc == 0)
		rc = net_open(&n, "http", "MQLREPORT_HTTP_DEBUG", o->header_name, err);
	if (rc == 0) {
		bool got_body = false;
		xfer x = {0};
		set_transport(&n, url, o, &x);
		/* set_transport()'s progress callback stays: it draws no bar
		 * here (x.bar unset), and a stop signal ends the probe at once */
		NET_SETOPT(&n, CURLOPT_RANGE, "0-0");
		NET_SETOPT(&n, CURLOPT_WRITEFUNCTION, on_probe_body);
		NET_SETOPT(&n, CURLOPT_WRITEDATA, &got_body);
		hdrs = set_request(&n, &j, &hline);
		rc = net_options_ok(&n, err);
		if (rc == 0) {
			CURLcode c = curl_easy_perform(n.h);
			long code = 0;
			if (curl_easy_getinfo(n.h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
				code = 0;
			*status = code;
			rc = probe_verdict(c, code, got_body, net_why(&n, c), &j, err);
		}
	}
	net_close(&n);
	curl_slist_free_all(hdrs);
	if (hline) {
		memset(hline, 0, strlen(hline));
		free(hline);
	}
	job_end(&j);
	return rc;
}
