/* fetch_driver — fetch_to_file() from the command line, for test_fetch.py.
 *
 *   fetch_driver URL DEST [key=value …]
 *
 * Keys are the config's fetch keys (allow_http, bearer_token_env,
 * basic_user_env, basic_password_env, header_name, header_value_env,
 * connect_timeout, timeout, low_speed_limit, low_speed_time, retries,
 * backoff, max_bytes, ca_file) plus cache=1 (cache beside DEST) and
 * progress=1. Exits with the error's status and prints its message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

static int set(fetch_opts *o, const char *key, const char *v, char **cache_dir, const char *dest)
{
	if (strcmp(key, "allow_http") == 0)
		o->allow_http = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	else if (strcmp(key, "bearer_token_env") == 0)
		o->bearer_env = strdup(v);
	else if (strcmp(key, "basic_user_env") == 0)
		o->basic_user_env = strdup(v);
	else if (strcmp(key, "basic_password_env") == 0)
		o->basic_pass_env = strdup(v);
	else if (strcmp(key, "header_name") == 0)
		o->header_name = strdup(v);
	else if (strcmp(key, "header_value_env") == 0)
		o->header_env = strdup(v);
	else if (strcmp(key, "connect_timeout") == 0)
		o->connect_timeout_s = atol(v);
	else if (strcmp(key, "timeout") == 0)
		o->total_timeout_s = atol(v);
	else if (strcmp(key, "low_speed_limit") == 0)
		o->low_speed_bytes = atol(v);
	else if (strcmp(key, "low_speed_time") == 0)
		o->low_speed_time_s = atol(v);
	else if (strcmp(key, "retries") == 0)
		o->retries = atoi(v);
	else if (strcmp(key, "backoff") == 0)
		o->backoff_s = atof(v);
	else if (strcmp(key, "max_bytes") == 0)
		o->max_bytes = atoll(v);
	else if (strcmp(key, "ca_file") == 0)
		o->ca_file = strdup(v);
	else if (strcmp(key, "progress") == 0)
		o->progress = strcmp(v, "1") == 0;
	else if (strcmp(key, "cache") == 0) {
		const char *slash = strrchr(dest, '/');
		*cache_dir = slash ? strndup(dest, (size_t)(slash - dest)) : strdup(".");
	} else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fetch_driver URL DEST [key=value …]\n");
		return 64;
	}
	fetch_opts o;
	fetch_opts_default(&o);
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "fetch_driver: %s: not key=value\n", argv[i]);
			return 64;
		}
		*eq = '\0';
		if (set(&o, argv[i], eq + 1, &o.cache_dir, argv[2]) != 0) {
			fprintf(stderr, "fetch_driver: unknown key %s\n", argv[i]);
			return 64;
		}
	}
	mq_err err = {0};
	int rc = fetch_to_file(argv[1], &o, argv[2], &err);
	fetch_opts_clear(&o);
	if (rc != 0) {
		fprintf(stderr, "mqlreport: %s\n", err.msg);
		return err.status;
	}
	return 0;
}
