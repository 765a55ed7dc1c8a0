/* ch.c — the ClickHouse HTTP client: one POST per statement through net/'s
 * checked options, the answer parsed as TabSeparated (or handed on as
 * RowBinary bytes) while it streams in, credentials from the environment,
 * retries of transient failures.
 *
 * It must not know any table of the model nor build SQL of its own beyond
 * quoting: callers write the statements. */
#include "ch.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "stop.h"

/* The streaming state of one answer. */
typedef struct answer {
	ch_row_fn fn;
	ch_bin_fn bfn; /* RowBinary: the bytes go to bfn, not fn */
	void *ctx;
	GString *line;	 /* a row not yet ended by \n; RowBinary: bytes not yet used */
	GString *errtxt; /* the body of a failed request (first 4 KiB) */
	char **fields;
	size_t fields_cap;
	long status; /* HTTP status, read at the first byte */
	CURL *h;
	long long rows;
	mq_err cb_err; /* what the callback said when it stopped */
	bool stopped;
	enum ch_reach reach; /* how far the request got */
} answer;

/* Bytes of successful answers and of request bodies, since the start
 * (the chunks of several nodes are fetched on threads at once). */
static atomic_llong bytes_in, bytes_out;

void ch_traffic(long long *in, long long *out)
{
	*in = atomic_load(&bytes_in);
	*out = atomic_load(&bytes_out);
}

/* Unescape a TabSeparated field in place (\t \n \\ \b \f \r \0 \' ). */
static void tsv_unescape(char *s)
{
	s = strchr(s, '\\'); /* a field without an escape: nothing to move */
	if (!s)
		return;
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r != '\\' || !r[1]) {
			*w++ = *r;
			continue;
		}
		r++;
		switch (*r) {
		case 't':
			*w++ = '\t';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case 'b':
			*w++ = '\b';
			break;
		case 'f':
			*w++ = '\f';
			break;
		case '0':
			*w++ = '\0';
			break;
		default:
			*w++ = *r;
			break;
		}
	}
	*w = 0;
}

static int emit_row(answer *a, char *line)
{
	bool escaped = strchr(line, '\\') != NULL;
	size_t n = 0;
	for (char *p = line;; n++) {
		VEC_RESERVE(a->fields, a->fields_cap, n + 1);
		a->fields[n] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = 0;
		p = tab + 1;
	}
	n++;
	if (escaped) /* a backslash somewhere in the row */
		for (size_t i = 0; i < n; i++)
			tsv_unescape(a->fields[i]);
	a->rows++;
	return a->fn ? a->fn(a->ctx, a->fields, n, &a->cb_err) : 0;
}

/* RowBinary: the unused bytes and these to the callback, which takes
 * whole rows; the rest waits for the next bytes. */
static int hand_bytes(answer *a, const char *data, size_t len)
{
	GString *rest = a->line;
	const unsigned char *p = (const unsigned char *)data;
	size_t n = len;
	if (rest->len) {
		g_string_append_len(rest, data, (gssize)len);
		p = (const unsigned char *)rest->str;
		n = rest->len;
	}
	size_t used = 0;
	if (a->bfn(a->ctx, p, n, &used, &a->cb_err) != 0)
		return -1;
	if (used > n)
		used = n;
	if (used)
		a->rows++; /* rows were handed: the request is not to be retried */
	if (rest->len)
		g_string_erase(rest, 0, (gssize)used);
	else
		g_string_append_len(rest, data + used, (gssize)(len - used));
	return 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	answer *a = arg;
	size_t len = size * nmemb;
	if (!a->status)
		curl_easy_getinfo(a->h, CURLINFO_RESPONSE_CODE, &a->status);
	if (a->status != 200) {
		if (a->errtxt->len < 4096)
			g_string_append_len(a->errtxt, data, (gssize)len);
		return len;
	}
	atomic_fetch_add(&bytes_in, (long long)len);
	if (a->bfn) {
		if (hand_bytes(a, data, len) != 0) {
			a->stopped = true;
			return 0;
		}
		return len;
	}
	size_t start = 0;
	for (const char *nl; (nl = memchr(data + start, '\n', len - start));) {
		size_t i = (size_t)(nl - data);
		g_string_append_len(a->line, data + start, (gssize)(i - start));
		start = i + 1;
		if (emit_row(a, a->line->str) != 0) {
			a->stopped = true;
			return 0; /* libcurl stops with CURLE_WRITE_ERROR */
		}
		g_string_truncate(a->line, 0);
	}
	g_string_append_len(a->line, data + start, (gssize)(len - start));
	return len;
}

/* Credentials: the user and password named by the configuration's env vars. */
static void set_auth(net_handle *n, const engine_cfg *c)
{
	const char *user = c->user_env ? getenv(c->user_env) : NULL;
	const char *pass = c->password_env ? getenv(c->password_env) : NULL;
	if (user || pass) {
		NET_SETOPT(n, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		NET_SETOPT(n, CURLOPT_USERNAME, user ? user : "default");
		NET_SETOPT(n, CURLOPT_PASSWORD, pass ? pass : "");
	}
}

/* The URL of one request: the server, the database, the settings and, for
 * an insert, the statement itself. Caller frees. */
static char *request_url(const engine_cfg *c, const char *query, const char *settings)
{
	GString *u = g_string_new(c->url);
	if (u->len && u->str[u->len - 1] != '/')
		g_string_append_c(u, '/');
	char *db = g_uri_escape_string(c->database, NULL, FALSE);
	g_string_append_printf(u, "?database=%s", db);
	g_free(db);
	if (query) {
		char *q = g_uri_escape_string(query, NULL, FALSE);
		g_string_append_printf(u, "&query=%s", q);
		g_free(q);
	}
	if (settings && *settings)
		g_string_append_printf(u, "&%s", settings);
	return g_string_free(u, FALSE);
}

static void set_transport(net_handle *n, const engine_cfg *c, const char *url, answer *a)
{
	net_set_http(n, url, c->allow_http, c->ca_file, 15L);
	NET_SETOPT(n, CURLOPT_TIMEOUT, c->timeout_s > 0 ? c->timeout_s : 3600L);
	NET_SETOPT(n, CURLOPT_WRITEFUNCTION, on_body);
	NET_SETOPT(n, CURLOPT_WRITEDATA, a);
	set_auth(n, c);
}

/* What to do about a server's error, by ClickHouse's error code: the
 * exception's text alone names the server's view of it, not ours. */
typedef struct ch_hint {
	int code;
	int status; /* enum mq_status of the run's exit */
	const char *what;
} ch_hint;

static const ch_hint hints[] = {
    {60, MQ_CONFIG,
     "a table is missing on a node of the cluster: apply config/clickhouse/schema.sql "
     "on every node (docs/scale.md)"},
    {81, MQ_CONFIG,
     "the database [engine] database names does not exist on this node: create "
     "it and apply config/clickhouse/schema.sql on every node (docs/scale.md)"},
    {164, MQ_CONFIG,
     "the ClickHouse user may not change settings: give it readonly = 2 (run) "
     "or write access (load) in the server's users.xml"},
    {192, MQ_CONFIG, "check the user named by [engine] user_env"},
    {193, MQ_CONFIG, "check the password named by [engine] password_env"},
    {194, MQ_CONFIG, "the user needs a password: set [engine] password_env"},
    {279, MQ_UNAVAILABLE,
     "a node of the cluster does not answer: start it, or check the "
     "native (TCP) ports in remote_servers, and run again"},
};

/* A password refused (193) or wanted (194) while the variable that
 * [engine] password_env names is set but empty: that, rather than the
 * table's hint, is what to fix. NULL: the table's hint stands. */
static char *empty_password_hint(const engine_cfg *c, int code)
{
	const char *v = c->password_env ? getenv(c->password_env) : NULL;
	if ((code != 193 && code != 194) || !v || *v)
		return NULL;
	return g_strdup_printf("the variable %s, which [engine] password_env names, is empty: set "
			       "it to the ClickHouse user's password",
			       c->password_env);
}

/* The server's error code in its message ("Code: 81, ..."), or 0. */
static int error_code(const char *text)
{
	const char *at = strstr(text, "Code: ");
	return at ? atoi(at + 6) : 0;
}

/* libcurl calls this about once a second, also while the server computes
 * and sends nothing: a stop signal (stop.h) ends the request there. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)ctx;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return mq_stop_signal() != 0;
}

/* How far a request that ended with cc got: a timeout after the
 * connection was made is a server that took it and did not answer. */
static enum ch_reach reach_of(CURL *h, CURLcode cc)
{
	if (cc == CURLE_OK)
		return CH_ANSWERED;
	if (cc == CURLE_ABORTED_BY_CALLBACK)
		return CH_FAILED;
	curl_off_t connected = 0;
	if (curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected) != CURLE_OK)
		connected = 0;
	if (connected <= 0)
		return CH_NO_CONNECT;
	return cc == CURLE_OPERATION_TIMEDOUT ? CH_SILENT : CH_FAILED;
}

/* One request. Returns 0, 1 for a transient failure worth a retry (nothing
 * was handed to the callback), or -1 with err. */
static int attempt(const engine_cfg *c, const char *url, const char *body, size_t len, answer *a,
		   mq_err *err)
{
	net_handle n;
	if (net_open(&n, "http", "MQLREPORT_HTTP_DEBUG", NULL, err) != 0) {
		net_close(&n);
		return -1;
	}
	a->h = n.h;
	set_transport(&n, c, url, a);
	NET_SETOPT(&n, CURLOPT_POST, 1L);
	NET_SETOPT(&n, CURLOPT_POSTFIELDS, body);
	NET_SETOPT(&n, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	NET_SETOPT(&n, CURLOPT_NOPROGRESS, 0L);
	NET_SETOPT(&n, CURLOPT_XFERINFOFUNCTION, on_progress);
	int rc = 0;
	if (net_options_ok(&n, err) != 0) {
		net_close(&n);
		return -1;
	}
	CURLcode cc = curl_easy_perform(n.h);
	atomic_fetch_add(&bytes_out, (long long)len);
	a->reach = reach_of(n.h, cc);
	if (!a->status)
		curl_easy_getinfo(n.h, CURLINFO_RESPONSE_CODE, &a->status);
	if (a->stopped) {
		*err = a->cb_err;
		rc = -1;
	} else if (cc == CURLE_ABORTED_BY_CALLBACK && mq_stop_signal()) {
		rc = -1;
		mq_err_set(err, mq_stop_status(mq_stop_signal()),
			   "ClickHouse at %s: the query was stopped by %s", c->url,
			   mq_stop_name(mq_stop_signal()));
	} else if (cc != CURLE_OK) {
		rc = net_transient(cc) && a->rows == 0 ? 1 : -1;
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse at %s: %s", c->url, net_why(&n, cc));
	} else if (a->status != 200) {
		g_strchomp(a->errtxt->str);
		rc = (a->status == 503 && a->rows == 0) ? 1 : -1;
		int code = error_code(a->errtxt->str);
		/* a node that answers the node asked, but lacks a table: a
		 * setup to complete, not a node to wait for */
		if (code == 279 && strstr(a->errtxt->str, "There is no table"))
			code = 60;
		const ch_hint *h = NULL;
		for (size_t k = 0; k < G_N_ELEMENTS(hints) && !h; k++)
			if (hints[k].code == code)
				h = &hints[k];
		char *own = empty_password_hint(c, code);
		const char *what = own ? own : h ? h->what : NULL;
		mq_err_set(err, h ? h->status : MQ_UNAVAILABLE,
			   "ClickHouse at %s: HTTP %ld: %.500s%s%s", c->url, a->status,
			   a->errtxt->str, what ? "\n  " : "", what ? what : "");
		g_free(own);
	} else if (a->line->len && a->bfn) {
		rc = -1;
		mq_err_set(err, MQ_UNAVAILABLE,
			   "ClickHouse: answer cut short: it ends %zu bytes into a row",
			   a->line->len);
	} else if (a->line->len) {
		rc = -1;
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: answer cut short: %.200s",
			   a->line->str);
	}
	net_close(&n);
	return rc;
}

/* A request, retried while it fails transiently; *how (when not NULL) is
 * how far its last try got. */
static int request(const engine_cfg *c, const char *query_in_url, const char *settings,
		   const char *body, size_t len, ch_row_fn fn, ch_bin_fn bfn, void *ctx,
		   enum ch_reach *how, mq_err *err)
{
	int rc = 1;
	unsigned delay = 1;
	for (int i = 0; rc == 1 && i <= (c->retries > 0 ? c->retries : 0); i++) {
		if (i) {
			if (mq_stop_signal() || mq_stop_sleep(delay, 0))
				break; /* the last try's error stands */
			delay *= 2;
		}
		answer a = {.fn = fn,
			    .bfn = bfn,
			    .ctx = ctx,
			    .line = g_string_new(NULL),
			    .errtxt = g_string_new(NULL)};
		mq_err e = {0};
		char *url = request_url(c, query_in_url, settings);
		rc = attempt(c, url, body, len, &a, &e);
		if (how)
			*how = a.reach;
		g_free(url);
		g_string_free(a.line, TRUE);
		g_string_free(a.errtxt, TRUE);
		free(a.fields);
		if (rc != 0)
			*err = e;
	}
	return rc == 0 ? 0 : -1;
}

/* A query: an error after the first bytes of an answer would come as text
 * at the end of a 200 answer, which RowBinary cannot tell from rows and
 * TabSeparated only by its shape; the server is to finish the query before
 * it answers (wait_end_of_query), so that an error is a 500. It holds the
 * answer meanwhile, in memory up to ANSWER_BUFFER (a chunk's answer is
 * some 25 MB by default), on its disk beyond. */
#define ANSWER_BUFFER "67108864"
static int query(const engine_cfg *c, const char *sql, const char *format, const char *settings,
		 ch_row_fn fn, ch_bin_fn bfn, void *ctx, enum ch_reach *how, mq_err *err)
{
	char *set = xasprintf("wait_end_of_query=1&buffer_size=" ANSWER_BUFFER "%s%s",
			      settings && *settings ? "&" : "", settings ? settings : "");
	char *body = xasprintf("%s\nFORMAT %s", sql, format);
	int rc = request(c, NULL, set, body, strlen(body), fn, bfn, ctx, how, err);
	free(body);
	free(set);
	return rc;
}

int ch_query(const engine_cfg *c, const char *sql, const char *settings, ch_row_fn fn, void *ctx,
	     mq_err *err)
{
	return query(c, sql, "TabSeparated", settings, fn, NULL, ctx, NULL, err);
}

int ch_query_reach(const engine_cfg *c, const char *sql, ch_row_fn fn, void *ctx,
		   enum ch_reach *how, mq_err *err)
{
	*how = CH_NO_CONNECT;
	return query(c, sql, "TabSeparated", NULL, fn, NULL, ctx, how, err);
}

int ch_query_rowbinary(const engine_cfg *c, const char *sql, const char *settings, ch_bin_fn fn,
		       void *ctx, mq_err *err)
{
	return query(c, sql, "RowBinary", settings, NULL, fn, ctx, NULL, err);
}

bool ch_rb_varint(ch_rb *r, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned i = 0, shift = 0; i < 10 && r->p + i < r->end; i++, shift += 7) {
		x |= (uint64_t)(r->p[i] & 0x7f) << shift;
		if (!(r->p[i] & 0x80)) {
			r->p += i + 1;
			*v = x;
			return true;
		}
	}
	return false;
}

bool ch_rb_fixed(ch_rb *r, uint64_t n, size_t size, const unsigned char **at)
{
	if (n > (size_t)(r->end - r->p) / size)
		return false;
	*at = r->p;
	r->p += n * size;
	return true;
}

bool ch_rb_string(ch_rb *r, const char **s, size_t *n)
{
	ch_rb c = *r;
	uint64_t len;
	const unsigned char *at;
	if (!ch_rb_varint(&c, &len) || !ch_rb_fixed(&c, len, 1, &at))
		return false;
	*s = (const char *)at;
	*n = (size_t)len;
	*r = c;
	return true;
}

static uint64_t little_endian(const unsigned char *b, size_t size)
{
	uint64_t v = 0;
	for (size_t k = size; k-- > 0;)
		v = v << 8 | b[k];
	return v;
}

bool ch_rb_row(ch_rb *r, const char *layout, ch_rb_val *out)
{
	ch_rb c = *r;
	for (size_t i = 0; layout[i]; i++) {
		ch_rb_val *v = &out[i];
		*v = (ch_rb_val){0};
		if (layout[i] == 's') {
			if (!ch_rb_string(&c, &v->s, &v->n))
				return false;
			continue;
		}
		size_t size = (size_t)(layout[i] - '0');
		if (size != 1 && size != 2 && size != 4 && size != 8)
			abort(); /* a layout of the program's own: never the data's */
		const unsigned char *at;
		if (!ch_rb_fixed(&c, 1, size, &at))
			return false;
		v->u = little_endian(at, size);
	}
	*r = c;
	return true;
}

uint64_t ch_rb_u64_at(const unsigned char *at, size_t i)
{
	return little_endian(at + 8 * i, 8);
}

void ch_rb_put_string(GString *g, const char *s, size_t n)
{
	uint64_t v = n;
	do {
		unsigned char b = v & 0x7f;
		v >>= 7;
		g_string_append_c(g, (char)(b | (v ? 0x80 : 0)));
	} while (v);
	g_string_append_len(g, s, (gssize)n);
}

void ch_rb_put_fixed(GString *g, uint64_t v, size_t size)
{
	for (size_t k = 0; k < size; k++, v >>= 8)
		g_string_append_c(g, (char)(v & 0xff));
}

void ch_rb_put_f64(GString *g, double x)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof bits);
	ch_rb_put_fixed(g, bits, sizeof bits);
}

int ch_insert(const engine_cfg *c, const char *table, const char *format, const char *settings,
	      const char *body, size_t len, mq_err *err)
{
	char *q = xasprintf("INSERT INTO %s FORMAT %s", table, format);
	int rc = request(c, q, settings, body, len, NULL, NULL, NULL, NULL, err);
	free(q);
	return rc;
}

static int first_int(void *ctx, char **f, size_t n, mq_err *err)
{
	(void)err;
	long long *out = ctx;
	if (n >= 1)
		*out = strtoll(f[0], NULL, 10);
	return 0;
}

int ch_scalar(const engine_cfg *c, const char *sql, long long *out, mq_err *err)
{
	*out = 0;
	return ch_query(c, sql, NULL, first_int, out, err);
}

void ch_tsv_escape_n(GString *g, const char *s, size_t n, bool quote)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\t':
			g_string_append(g, "\\t");
			break;
		case '\n':
			g_string_append(g, "\\n");
			break;
		case '\r':
			g_string_append(g, "\\r");
			break;
		case '\\':
			g_string_append(g, "\\\\");
			break;
		case '\0':
			g_string_append(g, "\\0");
			break;
		case '\'':
			g_string_append(g, quote ? "\\'" : "'");
			break;
		default:
			g_string_append_c(g, s[i]);
			break;
		}
	}
}

void ch_tsv_escape(GString *g, const char *s)
{
	ch_tsv_escape_n(g, s, strlen(s), false);
}

void ch_sql_quote(GString *g, const char *s)
{
	g_string_append_c(g, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			g_string_append_c(g, '\\');
		g_string_append_c(g, *s);
	}
	g_string_append_c(g, '\'');
}
