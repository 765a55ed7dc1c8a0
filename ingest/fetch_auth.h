/* fetch_auth.h — the credentials of a fetch, read from the environment
 * variables the configuration names, and the list of what no message
 * about the fetch may show (fetch.c). */
#ifndef MQL_FETCH_AUTH_H
#define MQL_FETCH_AUTH_H

#include "base.h"
#include "fetch.h"

/* The values, borrowed from the environment (NULL: not configured). */
typedef struct fetch_auth {
	const char *bearer, *user, *pass; /* bearer token; basic auth */
	const char *hname, *hvalue;	  /* a custom header and its value */
} fetch_auth;

/* Read the credentials named in o. Returns 0, or -1 with err (MQ_CONFIG):
 * a variable named but unset or empty, or holding a line break; basic auth
 * with only one of its two variables; a custom header without a valid
 * name. */
int fetch_auth_from_env(const fetch_opts *o, fetch_auth *a, mq_err *err);

/* What no message may show: the credentials of a, and the password and
 * every query value (4 characters or more) of url, as written and
 * decoded. A NULL-terminated GLib vector: g_strfreev() it. */
char **fetch_auth_secrets(const char *url, const fetch_auth *a);

#endif
