/* fetch.h — sources over HTTP(S) with libcurl.
 *
 * A fetched body is checked (status, size cap, Content-Type, truncation) and
 * only then moved into place, so a failed fetch never leaves a half file. */
#ifndef MQL_FETCH_H
#define MQL_FETCH_H

#include "base.h"

typedef struct fetch_opts {
	bool allow_http;      /* plain http:// only when the config says so */
	char *bearer_env;     /* env var holding a bearer token; NULL: none */
	char *basic_user_env; /* env vars for basic auth; NULL: none */
	char *basic_pass_env;
	char *header_name;	/* a custom header, e.g. "X-Api-Key" */
	char *header_env;	/* env var holding its value */
	long connect_timeout_s; /* default 15 */
	long total_timeout_s;	/* default 600 */
	long low_speed_bytes;	/* default 1024 bytes/s … */
	long low_speed_time_s;	/* … for 30 s */
	int retries;		/* default 4 */
	double backoff_s;	/* first back-off, doubling; default 1 */
	int64_t max_bytes;	/* body size cap; default 4 GiB */
	char *cache_dir;	/* ETag / Last-Modified cache; NULL: no cache */
	char *ca_file;		/* extra CA bundle; NULL: the system's */
	bool progress;		/* a progress bar on stderr */
	/* For messages, both owned; NULL without a configuration file. where
	 * starts every failure of the fetch: the file, line and key of the
	 * URL ("my.ini:6: [source.events] location"); group is where a
	 * message says a setting goes ("source.events"). */
	char *where;
	char *group;
} fetch_opts;

void fetch_opts_default(fetch_opts *o);
void fetch_opts_clear(fetch_opts *o);

/* Download url into dest (written to a temp file beside it, renamed when
 * whole). Returns 0, or -1 with err set: MQ_UNAVAILABLE after retries (the
 * message names the setting that ended the fetch, when one did, and what
 * to do), MQ_CANTCREAT when dest's folder cannot be written, or MQ_CONFIG
 * for a URL or credentials the options forbid (credentials over plain
 * http:// among them). */
int fetch_to_file(const char *url, const fetch_opts *o, const char *dest, mq_err *err);

/* A probe of url with o's transport and credentials: a GET of its first
 * byte, nothing written. Returns 0 when the server answered (its status in
 * *status), or -1 with err: MQ_CONFIG for a URL the options forbid, an
 * unset credential variable or credentials the server refused (401/403),
 * MQ_UNAVAILABLE when it cannot be reached or answers another error. */
int fetch_probe(const char *url, const fetch_opts *o, long *status, mq_err *err);

/* Whether a fetch of url with o sends credentials: a variable named for
 * a bearer token, basic auth or a custom header, or a user (and password)
 * in the URL. */
bool fetch_has_credentials(const char *url, const fetch_opts *o);

/* A URL as logs and messages may show it: no user info, no query, no
 * fragment (any of them may hold a secret); "?…" marks a removed query.
 * Caller frees. */
char *fetch_url_for_log(const char *url);

static inline bool is_url(const char *s)
{
	return s && (__builtin_strncmp(s, "http://", 7) == 0 ||
		     __builtin_strncmp(s, "https://", 8) == 0);
}

#endif
