/* fetch.c — sources over HTTP(S) with libcurl (see fetch.h).
 *
 * One request per attempt into a temp file beside dest. Status, size cap,
 * Content-Type, the first line and truncation are checked before the temp
 * file is renamed over dest. Redirects are followed by hand so that each hop
 * is checked (https only; credentials dropped on another host). ETag and
 * Last-Modified are kept in dest + ".meta" for conditional requests. */
#include "fetch.h"

#include "afile.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
	memset(o, 0, sizeof *o);
}

/* The state of one request, filled by the header and write callbacks. */
typedef struct xfer {
	FILE *fp;      /* the temp file receiving a 2xx body */
	int64_t bytes; /* body bytes of the current response */
	int64_t max_bytes;
	bool too_big;
	bool write_failed;
	long status;		/* of the current response (from its status line) */
	int64_t content_length; /* -1: not given */
	long retry_after_s;	/* -1: not given */
	char content_type[128];
	char content_encoding[64]; /* the body is decoded: Content-Length counts other bytes */
	char etag[512];
	char last_modified[128];
	char head[HEAD_BYTES]; /* the first bytes of the body */
	size_t head_len;
	/* progress */
	bool bar; /* draw a bar on stderr */
	double started, last_draw;
	const char *label;
} xfer;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	if (s <= 0)
		return;
	struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - floor(s)) * 1e9)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Copy a header value without surrounding blanks and the line end. */
static void header_value(char *dst, size_t size, const char *v, size_t len)
{
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' ' ||
		       v[len - 1] == '\t'))
		len--;
	if (len >= size)
		len = size - 1;
	/* control characters never reach a stored or re-sent header */
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] >= 0x20 && v[i] != 0x7f)
			dst[n++] = v[i];
	dst[n] = '\0';
}

static bool header_is(const char *line, size_t len, const char *name, const char **value,
		      size_t *vlen)
{
	size_t n = strlen(name);
	if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
		return false;
	*value = line + n + 1;
	*vlen = len - n - 1;
	return true;
}

static size_t on_header(char *data, size_t size, size_t nitems, void *ctx)
{
	xfer *x = ctx;
	size_t len = size * nitems;
	const char *v;
	size_t vlen;
	char buf[512];
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after a 100 Continue or on each hop): start over */
		const char *sp = memchr(data, ' ', len);
		x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		x->content_length = -1;
		x->retry_after_s = -1;
		x->content_type[0] = x->content_encoding[0] = x->etag[0] = x->last_modified[0] =
		    '\0';
	} else if (header_is(data, len, "Content-Type", &v, &vlen)) {
		header_value(x->content_type, sizeof x->content_type, v, vlen);
	} else if (header_is(data, len, "Content-Encoding", &v, &vlen)) {
		header_value(x->content_encoding, sizeof x->content_encoding, v, vlen);
	} else if (header_is(data, len, "ETag", &v, &vlen)) {
		header_value(x->etag, sizeof x->etag, v, vlen);
	} else if (header_is(data, len, "Last-Modified", &v, &vlen)) {
		header_value(x->last_modified, sizeof x->last_modified, v, vlen);
	} else if (header_is(data, len, "Content-Length", &v, &vlen)) {
		header_value(buf, sizeof buf, v, vlen);
		char *end;
		long long n = strtoll(buf, &end, 10);
		x->content_length = (end != buf && *end == '\0' && n >= 0) ? n : -1;
	} else if (header_is(data, len, "Retry-After", &v, &vlen)) {
		/* delta-seconds or an HTTP date */
		header_value(buf, sizeof buf, v, vlen);
		char *end;
		long n = strtol(buf, &end, 10);
		if (end != buf && *end == '\0' && n >= 0) {
			x->retry_after_s = n;
		} else {
			time_t t = curl_getdate(buf, NULL);
			if (t != -1)
				x->retry_after_s = t > time(NULL) ? (long)(t - time(NULL)) : 0;
		}
	}
	return len;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	xfer *x = ctx;
	size_t len = size * nmemb;
	if (x->head_len < HEAD_BYTES) {
		size_t k = HEAD_BYTES - x->head_len < len ? HEAD_BYTES - x->head_len : len;
		memcpy(x->head + x->head_len, data, k);
		x->head_len += k;
	}
	if (x->status < 200 || x->status > 299)
		return len; /* an error page: kept out of the file */
	/* the size cap, enforced here because CURLOPT_MAXFILESIZE_LARGE does
	 * not stop a transfer whose length was not announced */
	if (x->bytes + (int64_t)len > x->max_bytes) {
		x->too_big = true;
		return 0;
	}
	if (fwrite(data, 1, len, x->fp) != len) {
		x->write_failed = true;
		return 0;
	}
	x->bytes += (int64_t)len;
	return len;
}

static void human_bytes(double b, char *buf, size_t size)
{
	if (b < 1024)
		snprintf(buf, size, "%.0f B", b);
	else if (b < 1024.0 * 1024)
		snprintf(buf, size, "%.1f KiB", b / 1024);
	else if (b < 1024.0 * 1024 * 1024)
		snprintf(buf, size, "%.1f MiB", b / (1024.0 * 1024));
	else
		snprintf(buf, size, "%.2f GiB", b / (1024.0 * 1024 * 1024));
}

/* One frame of the progress bar: label, bar (when the size is known),
 * bytes, rate, ETA. */
static void draw_bar(xfer *x, double dlnow, double dltotal)
{
	double t = now_s();
	x->last_draw = t;
	char got[32], rate_s[32];
	human_bytes(dlnow, got, sizeof got);
	fprintf(stderr, "\r%-14.14s ", x->label);
	if (dltotal > 0) {
		int filled = (int)(20.0 * dlnow / dltotal);
		if (filled > 20)
			filled = 20;
		fprintf(stderr, "[%.*s%*s] ", filled, "####################", 20 - filled, "");
	}
	fprintf(stderr, "%s", got);
	double el = t - x->started;
	if (el > 0 && dlnow > 0) {
		double rate = dlnow / el;
		human_bytes(rate, rate_s, sizeof rate_s);
		fprintf(stderr, "  %s/s", rate_s);
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
	if (x->bar && now_s() - x->last_draw >= 0.2)
		draw_bar(x, (double)dlnow, (double)dltotal);
	return 0;
}

char *fetch_url_for_log(const char *url)
{
	CURLU *u = curl_url();
	char *out = NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		char *q = NULL;
		bool had_query = curl_url_get(u, CURLUPART_QUERY, &q, 0) == CURLUE_OK;
		curl_free(q);
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		curl_url_set(u, CURLUPART_QUERY, NULL, 0);
		curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
		char *s = NULL;
		if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
			out = xasprintf("%s%s", s, had_query ? "?…" : "");
			curl_free(s);
		}
	}
	curl_url_cleanup(u);
	return out ? out : xstrdup("(unparseable URL)");
}

/* "host:port" of a URL, or NULL. Caller frees. */
static char *url_origin(const char *url)
{
	CURLU *u = curl_url();
	char *out = NULL, *host = NULL, *port = NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
		out = xasprintf("%s:%s", host, port);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

/* Header names whose values never reach a log. */
static bool secret_header(const char *line, size_t len, const char *custom)
{
	static const char *const names[] = {"authorization", "proxy-authorization", "cookie",
					    "set-cookie",    "x-api-key",	    "api-key",
					    "x-auth-token",  "x-access-token"};
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return false;
	size_t n = (size_t)(colon - line);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && strncasecmp(line, names[i], n) == 0)
			return true;
	if (custom && strlen(custom) == n && strncasecmp(line, custom, n) == 0)
		return true;
	/* anything that calls itself a token or a secret */
	char name[128];
	size_t k = n < sizeof name - 1 ? n : sizeof name - 1;
	for (size_t i = 0; i < k; i++)
		name[i] = (char)(line[i] >= 'A' && line[i] <= 'Z' ? line[i] + 32 : line[i]);
	name[k] = '\0';
	return strstr(name, "token") || strstr(name, "secret") || strstr(name, "password");
}

/* A debug line with any URL query cut ("GET /x.csv?…" , "Location: …?…"):
 * a query may hold a token. The request line keeps its protocol. */
static void print_without_query(const char *tag, const char *p, size_t n)
{
	const char *q = memchr(p, '?', n);
	if (!q) {
		fprintf(stderr, "mqlreport: http %s %.*s\n", tag, (int)n, p);
		return;
	}
	const char *tail = p + n; /* " HTTP/1.1" of a request line, if any */
	for (const char *t = p + n; t > q; t--) {
		if (t[-1] == ' ') {
			if ((size_t)(p + n - t) >= 5 && memcmp(t, "HTTP/", 5) == 0)
				tail = t - 1;
			break;
		}
	}
	fprintf(stderr, "mqlreport: http %s %.*s?…%.*s\n", tag, (int)(q - p), p,
		(int)(p + n - tail), tail);
}

/* The debug callback (MQLREPORT_HTTP_DEBUG=1): headers and libcurl's notes,
 * with secret header values replaced. Bodies are never shown. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ctx)
{
	(void)h;
	const char *custom = ctx;
	const char *tag;
	switch (type) {
	case CURLINFO_TEXT:
		tag = "*";
		break;
	case CURLINFO_HEADER_IN:
		tag = "<";
		break;
	case CURLINFO_HEADER_OUT:
		tag = ">";
		break;
	default:
		return 0;
	}
	const char *p = data, *end = data + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t shown = len;
		while (shown && (p[shown - 1] == '\r'))
			shown--;
		if (shown) {
			if (type != CURLINFO_TEXT && secret_header(p, shown, custom)) {
				const char *colon = memchr(p, ':', shown);
				fprintf(stderr, "mqlreport: http %s %.*s: [redacted]\n", tag,
					(int)(colon - p), p);
			} else {
				print_without_query(tag, p, shown);
			}
		}
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

static char *meta_path(const char *dest)
{
	return xasprintf("%s.meta", dest);
}

static char *url_digest(const char *url)
{
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, url, -1);
}

/* Read the validators kept for url beside dest. False when there are none
 * (or they belong to another URL, or dest is gone). */
static bool meta_read(const char *dest, const char *url, char *etag, size_t esize, char *lm,
		      size_t lsize)
{
	struct stat st;
	if (stat(dest, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	char *path = meta_path(dest);
	FILE *fp = fopen(path, "r");
	free(path);
	if (!fp)
		return false;
	char *digest = url_digest(url);
	bool same_url = false;
	etag[0] = lm[0] = '\0';
	char line[1024];
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "url-sha256 ", 11) == 0)
			same_url = strcmp(line + 11, digest) == 0;
		else if (strncmp(line, "etag ", 5) == 0)
			g_strlcpy(etag, line + 5, esize);
		else if (strncmp(line, "last-modified ", 14) == 0)
			g_strlcpy(lm, line + 14, lsize);
	}
	fclose(fp);
	g_free(digest);
	return same_url && (etag[0] || lm[0]);
}

/* Keep the validators of a new body (or forget old ones). Best effort: a
 * missing cache only costs a download. */
static void meta_write(const char *dest, const char *url, const char *etag, const char *lm)
{
	char *path = meta_path(dest);
	if (!etag[0] && !lm[0]) {
		unlink(path);
		free(path);
		return;
	}
	char *digest = url_digest(url);
	GString *meta = g_string_new(NULL);
	g_string_append_printf(meta, "url-sha256 %s\n", digest);
	g_free(digest);
	if (etag[0])
		g_string_append_printf(meta, "etag %s\n", etag);
	if (lm[0])
		g_string_append_printf(meta, "last-modified %s\n", lm);
	/* through afile: a new temp file, renamed over whatever stands there */
	mq_err ignored = {0};
	atomic_write_mode(path, meta->str, meta->len, 0600, &ignored);
	g_string_free(meta, TRUE);
	free(path);
}

/* mkdir -p of the folder holding path. */
static void make_parent(const char *path)
{
	char *dir = g_path_get_dirname(path);
	g_mkdir_with_parents(dir, 0755);
	g_free(dir);
}

static bool transient_curl_error(CURLcode c)
{
	switch (c) {
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

static bool retryable_status(long s)
{
	return s == 408 || s == 429 || (s >= 500 && s <= 599);
}

/* An HTML page where a CSV export was expected: by its type, or by a first
 * byte of '<' (after a BOM and blanks), which no CSV header starts with. */
static bool looks_like_html(const xfer *x)
{
	if (strncasecmp(x->content_type, "text/html", 9) == 0 ||
	    strncasecmp(x->content_type, "application/xhtml", 17) == 0)
		return true;
	size_t i = 0;
	if (x->head_len >= 3 && memcmp(x->head, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < x->head_len && (x->head[i] == ' ' || x->head[i] == '\t' || x->head[i] == '\r' ||
				   x->head[i] == '\n'))
		i++;
	return i < x->head_len && x->head[i] == '<';
}

enum outcome { OUT_DONE, OUT_NOT_MODIFIED, OUT_REDIRECT, OUT_RETRY, OUT_FAIL };

typedef struct auth {
	const char *bearer, *user, *pass, *hname, *hvalue;
} auth;

/* Read the credentials named in o from the environment. */
static int auth_from_env(const fetch_opts *o, auth *a, mq_err *err)
{
	memset(a, 0, sizeof *a);
	struct {
		const char *var;
		const char **dst;
	} want[] = {{o->bearer_env, &a->bearer},
		    {o->basic_user_env, &a->user},
		    {o->basic_pass_env, &a->pass},
		    {o->header_env, &a->hvalue}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (!want[i].var || !want[i].var[0])
			continue;
		const char *v = getenv(want[i].var);
		if (!v || !v[0]) {
			mq_err_set(
			    err, MQ_CONFIG,
			    "fetch: environment variable %s (named in the config) is not set",
			    want[i].var);
			return -1;
		}
		*want[i].dst = v;
	}
	if ((o->basic_user_env != NULL) != (o->basic_pass_env != NULL)) {
		mq_err_set(err, MQ_CONFIG,
			   "fetch: basic auth needs both basic_user_env and basic_password_env");
		return -1;
	}
	if (o->header_env && o->header_env[0]) {
		if (!o->header_name || !o->header_name[0] || strpbrk(o->header_name, ":\r\n ")) {
			mq_err_set(err, MQ_CONFIG,
				   "fetch: header_value_env needs a valid header_name");
			return -1;
		}
		if (strpbrk(a->hvalue, "\r\n")) {
			mq_err_set(err, MQ_CONFIG, "fetch: the value of %s holds a line break",
				   o->header_env);
			return -1;
		}
		a->hname = o->header_name;
	}
	return 0;
}

typedef struct attempt_result {
	enum outcome out;
	long status;
	double delay_s; /* Retry-After, when the server sent one; -1 otherwise */
	char *redirect; /* for OUT_REDIRECT; owned */
	char why[512];
} attempt_result;

/* One request for `url` into a temp file; on success the temp is renamed over dest. */
static void attempt(const char *url, const char *orig_url, const fetch_opts *o, const auth *a,
		    bool send_auth, const char *etag, const char *lm, const char *dest,
		    const char *label, attempt_result *r)
{
	memset(r, 0, sizeof *r);
	r->delay_s = -1;
	xfer x = {.max_bytes = o->max_bytes > 0 ? o->max_bytes : INT64_MAX,
		  .content_length = -1,
		  .retry_after_s = -1,
		  .bar = o->progress && isatty(STDERR_FILENO),
		  .started = now_s(),
		  .label = label};
	struct curl_slist *hdrs = NULL;
	char *hline = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	/* the body goes to a new temp file beside dest (base/afile.c) */
	mq_err ferr = {0};
	afile *af = afile_open_mode(dest, 0600, &ferr);
	if (!af) {
		g_strlcpy(r->why, ferr.msg, sizeof r->why);
		r->out = OUT_FAIL;
		return;
	}
	x.fp = afile_stream(af);
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(r->why, sizeof r->why, "cannot start libcurl");
		r->out = OUT_FAIL;
		goto done;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, o->allow_http ? "http,https" : "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "mqlreport");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file && o->ca_file[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
			 o->connect_timeout_s > 0 ? o->connect_timeout_s : 15L);
	if (o->total_timeout_s > 0)
		curl_easy_setopt(h, CURLOPT_TIMEOUT, o->total_timeout_s);
	if (o->low_speed_bytes > 0 && o->low_speed_time_s > 0) {
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	}
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* whatever libcurl can decode */
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
	const char *dbg = getenv("MQLREPORT_HTTP_DEBUG");
	if (dbg && dbg[0] && strcmp(dbg, "0") != 0) {
		curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
		curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(h, CURLOPT_DEBUGDATA, (void *)o->header_name);
	}
	hdrs = curl_slist_append(hdrs, "Accept: text/csv, text/plain;q=0.9, */*;q=0.5");
	if (send_auth) {
		if (a->bearer) {
			curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
			curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, a->bearer);
		} else if (a->user) {
			curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
			curl_easy_setopt(h, CURLOPT_USERNAME, a->user);
			curl_easy_setopt(h, CURLOPT_PASSWORD, a->pass ? a->pass : "");
		}
		if (a->hname) {
			hline = xasprintf("%s: %s", a->hname, a->hvalue);
			hdrs = curl_slist_append(hdrs, hline);
		}
	}
	if (etag && etag[0]) {
		char *c = xasprintf("If-None-Match: %s", etag);
		hdrs = curl_slist_append(hdrs, c);
		free(c);
	}
	if (lm && lm[0]) {
		char *c = xasprintf("If-Modified-Since: %s", lm);
		hdrs = curl_slist_append(hdrs, c);
		free(c);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);

	CURLcode rc = curl_easy_perform(h);
	if (x.bar) {
		/* the last frame: what arrived, at what rate */
		draw_bar(&x, (double)x.bytes,
			 (double)(x.content_length > 0 ? x.content_length : 0));
		fputs("\n", stderr);
	}
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	if (x.too_big) {
		snprintf(r->why, sizeof r->why,
			 "body larger than the limit of %lld bytes (max_bytes)",
			 (long long)o->max_bytes);
		r->out = OUT_FAIL;
	} else if (x.write_failed) {
		snprintf(r->why, sizeof r->why, "%s: cannot write: %s", dest, strerror(errno));
		r->out = OUT_FAIL;
	} else if (rc != CURLE_OK) {
		snprintf(r->why, sizeof r->why, "%s%s%s", curl_easy_strerror(rc),
			 errbuf[0] ? ": " : "", errbuf);
		if (rc == CURLE_PARTIAL_FILE)
			snprintf(r->why, sizeof r->why, "body cut short after %lld of %lld bytes",
				 (long long)x.bytes, (long long)x.content_length);
		r->out = transient_curl_error(rc) ? OUT_RETRY : OUT_FAIL;
	} else if (status == 304 && ((etag && etag[0]) || (lm && lm[0]))) {
		r->out = OUT_NOT_MODIFIED;
	} else if (status >= 300 && status <= 399) {
		char *loc = NULL;
		curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
		if (!loc) {
			snprintf(r->why, sizeof r->why, "HTTP %ld without a Location", status);
			r->out = OUT_FAIL;
		} else {
			r->redirect = xstrdup(loc);
			r->out = OUT_REDIRECT;
		}
	} else if (status < 200 || status > 299) {
		snprintf(r->why, sizeof r->why, "HTTP %ld", status);
		r->out = retryable_status(status) ? OUT_RETRY : OUT_FAIL;
		if (x.retry_after_s >= 0)
			r->delay_s =
			    (double)(x.retry_after_s > MAX_RETRY_AFTER_S ? MAX_RETRY_AFTER_S
									 : x.retry_after_s);
	} else if (status == 206) {
		snprintf(r->why, sizeof r->why,
			 "HTTP 206: a partial body where the whole export was asked for");
		r->out = OUT_FAIL;
	} else if (x.content_length >= 0 && x.bytes != x.content_length &&
		   (!x.content_encoding[0] || !strcasecmp(x.content_encoding, "identity"))) {
		/* libcurl reports a short body itself; this also catches a long one */
		snprintf(r->why, sizeof r->why, "body cut short: %lld of %lld bytes",
			 (long long)x.bytes, (long long)x.content_length);
		r->out = OUT_RETRY;
	} else if (x.bytes == 0) {
		snprintf(r->why, sizeof r->why, "HTTP %ld with an empty body (no header row)",
			 status);
		r->out = OUT_FAIL;
	} else if (looks_like_html(&x)) {
		snprintf(r->why, sizeof r->why,
			 "HTTP %ld returned an HTML page (Content-Type \"%s\"), not a CSV export",
			 status, x.content_type);
		r->out = OUT_FAIL;
	} else {
		r->out = OUT_DONE;
	}
	x.fp = NULL;
	if (r->out == OUT_DONE) {
		/* flushed, fsynced, given mode 0600 and renamed over dest */
		int c = afile_commit(af, &ferr);
		af = NULL;
		if (c != 0) {
			g_strlcpy(r->why, ferr.msg, sizeof r->why);
			r->out = OUT_FAIL;
		} else {
			if (o->cache_dir)
				meta_write(dest, orig_url, x.etag, x.last_modified);
			snprintf(r->why, sizeof r->why, "%lld bytes", (long long)x.bytes);
		}
	}
done:
	afile_abort(af); /* NULL once committed */
	if (h)
		curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	if (hline) {
		/* the header held a secret: do not leave it in freed memory */
		memset(hline, 0, strlen(hline));
		free(hline);
	}
}

int fetch_to_file(const char *url, const fetch_opts *o, const char *dest, mq_err *err)
{
	fetch_opts defaults;
	if (!o) {
		fetch_opts_default(&defaults);
		o = &defaults;
	}
	char *shown = fetch_url_for_log(url);
	char *cur = xstrdup(url);
	char *origin = url_origin(url);
	char etag[512] = "", lm[128] = "";
	int rc = -1;
	auth a;
	if (strncmp(url, "https://", 8) != 0 &&
	    !(o->allow_http && strncmp(url, "http://", 7) == 0)) {
		mq_err_set(
		    err, MQ_CONFIG,
		    "%s: only https:// URLs are fetched (set allow_http = true for plain http)",
		    shown);
		goto done;
	}
	if (!origin) {
		mq_err_set(err, MQ_CONFIG, "%s: not a valid URL", shown);
		goto done;
	}
	if (auth_from_env(o, &a, err) != 0)
		goto done;
	make_parent(dest);
	bool conditional = o->cache_dir && meta_read(dest, url, etag, sizeof etag, lm, sizeof lm);
	const char *base = strrchr(dest, '/');
	base = base ? base + 1 : dest;

	int attempts = 0, redirects = 0;
	bool send_auth = true;
	double started = now_s();
	fprintf(stderr, "mqlreport: fetch %s: GET %s%s\n", base, shown,
		conditional ? " (conditional)" : "");
	for (;;) {
		attempt_result r;
		attempts++;
		attempt(cur, url, o, &a, send_auth, conditional ? etag : NULL,
			conditional ? lm : NULL, dest, base, &r);
		switch (r.out) {
		case OUT_DONE:
			fprintf(stderr, "mqlreport: fetch %s: HTTP %ld, %s in %.1f s\n", base,
				r.status, r.why, now_s() - started);
			rc = 0;
			goto done;
		case OUT_NOT_MODIFIED:
			fprintf(
			    stderr,
			    "mqlreport: fetch %s: not modified (HTTP 304), using the cached copy\n",
			    base);
			rc = 0;
			goto done;
		case OUT_REDIRECT: {
			attempts--; /* a hop is not an attempt */
			char *next_shown = fetch_url_for_log(r.redirect);
			if (++redirects > MAX_REDIRECTS) {
				mq_err_set(err, MQ_UNAVAILABLE, "%s: more than %d redirects", shown,
					   MAX_REDIRECTS);
			} else if (strncasecmp(r.redirect, "https://", 8) != 0) {
				mq_err_set(err, MQ_UNAVAILABLE,
					   "%s: redirect to %s refused: redirects are followed to "
					   "https:// only",
					   shown, next_shown);
			} else {
				char *next_origin = url_origin(r.redirect);
				if (!next_origin || strcmp(next_origin, origin) != 0) {
					send_auth =
					    false; /* never carry credentials to another host */
					free(origin);
					origin = next_origin ? next_origin : xstrdup("");
				} else {
					free(next_origin);
				}
				fprintf(stderr,
					"mqlreport: fetch %s: HTTP %ld, redirected to %s%s\n", base,
					r.status, next_shown,
					send_auth ? "" : " (without credentials)");
				free(cur);
				cur = r.redirect;
				free(next_shown);
				continue;
			}
			free(next_shown);
			free(r.redirect);
			goto done;
		}
		case OUT_RETRY:
			if (attempts <= o->retries) {
				double delay = o->backoff_s * pow(2.0, attempts - 1);
				if (r.delay_s >= 0)
					delay = r.delay_s;
				fprintf(stderr,
					"mqlreport: fetch %s: %s; retry %d of %d in %.1f s\n", base,
					r.why, attempts, o->retries, delay);
				sleep_s(delay);
				continue;
			}
			mq_err_set(err, MQ_UNAVAILABLE, "%s: %s (gave up after %d attempts)", shown,
				   r.why, attempts);
			goto done;
		case OUT_FAIL:
			mq_err_set(err, MQ_UNAVAILABLE, "%s: %s%s", shown, r.why,
				   r.status == 401 || r.status == 403
				       ? " (not retried: check the credentials the config names)"
				   : r.status >= 400 && r.status <= 499 ? " (not retried)"
									: "");
			goto done;
		}
	}
done:
	free(shown);
	free(cur);
	free(origin);
	return rc;
}
