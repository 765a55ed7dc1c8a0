/* fetchprep.c — the checks before a source is fetched (see fetchprep.h),
 * shared by run, check, score and load, so that each says the same thing
 * before the first request.
 *
 * It reads the environment and the file system; it must never make a
 * folder, write a file or open a connection. */
#include "fetchprep.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfgval.h"

/* Whether the source is fetched. */
static bool fetched(const source_cfg *sc)
{
	return sc->location && is_url(sc->location);
}

/* The credential variables of one fetched source sc of group `group`. */
static int source_vars(const run_config *c, GKeyFile *kf, const char *group, const source_cfg *sc,
		       mq_err *err)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
	    {"bearer_token_env", offsetof(fetch_opts, bearer_env)},
	    {"basic_user_env", offsetof(fetch_opts, basic_user_env)},
	    {"basic_password_env", offsetof(fetch_opts, basic_pass_env)},
	    {"header_value_env", offsetof(fetch_opts, header_env)},
	};
	for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
		const char *var = *(char *const *)((const char *)&sc->fetch + keys[k].off);
		const char *why = var && *var ? cfg_env_problem(var) : NULL;
		if (!why)
			continue;
		bool own = kf && g_key_file_has_key(kf, group, keys[k].key, NULL);
		return cfg_env_unset(c->config_path, own ? group : "fetch", keys[k].key, var, why,
				     err);
	}
	return 0;
}

int fetchprep_vars(const run_config *c, mq_err *err)
{
	GKeyFile *kf = g_key_file_new();
	mq_err ignored = {0};
	if (!c->config_path || cfg_keyfile_load(kf, c->config_path, &ignored) != 0) {
		g_key_file_free(kf);
		kf = NULL;
	}
	int rc = 0;
	for (int s = 0; s < SRC_COUNT && rc == 0; s++) {
		char group[64];
		snprintf(group, sizeof group, "source.%s", source_name[s]);
		if (fetched(&c->in.src[s]))
			rc = source_vars(c, kf, group, &c->in.src[s], err);
	}
	for (size_t i = 0; i < c->in.nspend_more && rc == 0; i++) {
		const source_cfg *sc = &c->in.spend_more[i];
		char *group = g_strdup_printf("source.spend.%s", sc->name ? sc->name : "");
		if (fetched(sc))
			rc = source_vars(c, kf, group, sc, err);
		g_free(group);
	}
	if (kf)
		g_key_file_free(kf);
	return rc;
}

/* Where the cache folder was chosen, for its messages: "[report]
 * cache_dir, my.ini:5", or the default's words. Caller frees. */
static char *cache_setting(const run_config *c)
{
	int line = c->config_path && c->in.cache_dir
		       ? cfg_line_of(c->config_path, "report", "cache_dir")
		       : 0;
	if (line > 0 && line != cfg_line_of(c->config_path, "report", NULL))
		return g_strdup_printf("[report] cache_dir, %s:%d", c->config_path, line);
	return g_strdup("the default cache_dir: cache, in the working folder");
}

/* The error for a cache folder `shown` that is there and that this user
 * may not write (e: the errno); st its stat. */
static void cache_denied(const run_config *c, const char *shown, const struct stat *st, int e,
			 mq_err *err)
{
	char *setting = cache_setting(c);
	char *me = mq_user_name(geteuid()), *owner = mq_user_name(st->st_uid);
	char *quoted = g_shell_quote(shown);
	char *remover = st->st_uid == 0 ? g_strdup("root") : g_strdup_printf("%s or root", owner);
	if (st->st_uid != geteuid())
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: the fetch cache folder cannot be written by this user, %s: %s "
			   "(%s). It belongs to %s, whose run made it (a check or a run as %s, "
			   "perhaps by sudo): as %s, give it to the user the runs are made as: "
			   "chown -R %s %s, or remove it (the next run downloads every source "
			   "again): rm -rf %s",
			   shown, me, strerror(e), setting, owner, owner, remover, me, quoted,
			   quoted);
	else
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: the fetch cache folder cannot be written by this user, %s, its "
			   "owner: %s (%s): make it writable: chmod u+rwx %s",
			   shown, me, strerror(e), setting, quoted);
	g_free(remover);
	g_free(quoted);
	g_free(owner);
	g_free(me);
	g_free(setting);
}

/* Run as root into a folder of another user's: the cache it writes will
 * be root's, which that user's runs cannot write. */
static void cache_root_warning(const char *shown, const char *parent)
{
	struct stat pst;
	if (geteuid() != 0 || stat(parent, &pst) != 0 || pst.st_uid == 0)
		return;
	char *owner = mq_user_name(pst.st_uid), *quoted = g_shell_quote(shown);
	fprintf(stderr,
		"mqlreport: warning: %s: the fetch cache is written as root, in a folder of "
		"%s's; the runs as %s cannot write it then, and fail: check as %s "
		"(runuser -u %s -- mqlreport check …), or give it back afterwards: chown -R %s "
		"%s\n",
		shown, owner, owner, owner, owner, owner, quoted);
	g_free(quoted);
	g_free(owner);
}

int fetchprep_cache(const run_config *c, mq_err *err)
{
	bool any = false;
	for (int s = 0; s < SRC_COUNT; s++)
		any = any || fetched(&c->in.src[s]);
	for (size_t i = 0; i < c->in.nspend_more; i++)
		any = any || fetched(&c->in.spend_more[i]);
	if (!any)
		return 0;
	const char *dir = c->in.cache_dir ? c->in.cache_dir : "cache";
	char *shown = g_canonicalize_filename(dir, NULL);
	char *parent = g_path_get_dirname(shown);
	struct stat st;
	int rc = 0;
	if (stat(shown, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			char *setting = cache_setting(c);
			mq_err_set(err, MQ_CANTCREAT,
				   "%s: the fetch cache folder is a file (%s): remove the file, or "
				   "set [report] cache_dir to a folder",
				   shown, setting);
			g_free(setting);
			rc = -1;
		} else if (faccessat(AT_FDCWD, shown, W_OK | X_OK, AT_EACCESS) != 0) {
			cache_denied(c, shown, &st, errno, err);
			rc = -1;
		} else if (st.st_uid == 0) {
			cache_root_warning(shown, parent);
		}
	} else {
		/* a run makes it, and the folders up to it: the nearest that is
		 * there must take them */
		char *up = g_strdup(parent);
		while (lstat(up, &st) != 0 && errno == ENOENT && strcmp(up, "/") != 0) {
			char *next = g_path_get_dirname(up);
			g_free(up);
			up = next;
		}
		if (faccessat(AT_FDCWD, up, W_OK | X_OK, AT_EACCESS) != 0) {
			int e = errno;
			char *setting = cache_setting(c);
			char *me = mq_user_name(geteuid()), *owner = mq_user_name(st.st_uid);
			char *quoted = g_shell_quote(shown);
			mq_err_set(
			    err, MQ_CANTCREAT,
			    "%s: the fetch cache folder cannot be made: %s cannot write %s "
			    "(%s; it belongs to %s) (%s): set [report] cache_dir to a folder "
			    "this user can write, or make it for this user: install -d -o %s "
			    "%s",
			    shown, me, up, strerror(e), owner, setting, me, quoted);
			g_free(quoted);
			g_free(owner);
			g_free(me);
			g_free(setting);
			rc = -1;
		} else {
			cache_root_warning(shown, up);
		}
		g_free(up);
	}
	g_free(parent);
	g_free(shown);
	return rc;
}
