/* fetch_auth.c — a fetch's credentials from the environment, and what a
 * message must never show (see fetch_auth.h).
 *
 * It reads the environment and parses URLs; it sends nothing and prints
 * nothing, and must never copy a credential anywhere but the list it
 * returns (which callers use to redact). */
#include "fetch_auth.h"

#include <curl/curl.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

int fetch_auth_from_env(const fetch_opts *o, fetch_auth *a, mq_err *err)
{
	memset(a, 0, sizeof *a);
	struct {
		const char *var;
		const char **dst;
	} want[] = {{o->bearer_env, &a->bearer},
		    {o->basic_user_env, &a->user},
		    {o->basic_pass_env, &a->pass},
		    {o->header_env, &a->hvalue}};
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
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
		/* a line break would end the header it goes into and start another
		 * (a NUL cannot occur: the environment holds C strings) */
		if (strpbrk(v, "\r\n")) {
			mq_err_set(err, MQ_CONFIG,
				   "fetch: environment variable %s holds a line break (CR or LF); "
				   "a credential is one line",
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
		a->hname = o->header_name;
	}
	return 0;
}

char **fetch_auth_secrets(const char *url, const fetch_auth *a)
{
	GPtrArray *v = g_ptr_array_new();
	const char *creds[] = {a->bearer, a->pass, a->hvalue};
	for (size_t i = 0; i < G_N_ELEMENTS(creds); i++)
		if (creds[i] && creds[i][0])
			g_ptr_array_add(v, g_strdup(creds[i]));
	CURLU *u = curl_url();
	char *pass = NULL, *query = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE) == CURLUE_OK)
			g_ptr_array_add(v, g_strdup(pass));
		if (curl_url_get(u, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
			query = NULL;
	}
	char **pairs = g_strsplit(query ? query : "", "&", -1);
	for (size_t i = 0; pairs[i]; i++) {
		const char *val = strchr(pairs[i], '=');
		val = val ? val + 1 : pairs[i];
		if (strlen(val) < 4)
			continue; /* too short to be a secret; redacting would garble the text */
		g_ptr_array_add(v, g_strdup(val));
		char *plain = g_uri_unescape_string(val, NULL);
		if (plain && strcmp(plain, val) != 0)
			g_ptr_array_add(v, plain);
		else
			g_free(plain);
	}
	g_strfreev(pairs);
	curl_free(pass);
	curl_free(query);
	curl_url_cleanup(u);
	g_ptr_array_add(v, NULL);
	return (char **)g_ptr_array_free(v, FALSE);
}
