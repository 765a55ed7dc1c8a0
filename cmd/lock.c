/* lock.c — the run lock: one `mqlreport run` at a time per output folder
 * (see lock.h).
 *
 * It only takes and releases the lock and writes who holds it into the
 * file, for the message a second run prints (a lock taken read-only, for a
 * failed run's record alone, writes nothing). It must never remove the lock
 * file, nor wait for a lock another run holds: a second run stops at once,
 * nor open the file through a link (it truncates it). */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfgval.h"
#include "clock.h"

struct run_lock {
	int fd;
	char *path;
	bool writable; /* the file is the run's to write who holds it */
};

/* [lock] path, else .NAME.lock beside the folder the run publishes, in
 * that folder's parent as the system resolves it (links and "..", trailing
 * slashes dropped): `--out out/2026-W47`, `--out ./out/2026-W47/` and a run
 * into the default out/2026-W47 all take one lock, so that two of them
 * never publish or e-mail the same week at once. The parent is made when
 * missing; without `make`, a missing one gives NULL and no error. */
static char *lock_path(const run_config *cfg, const char *folder, bool make, mq_err *err)
{
	if (cfg->lock_path)
		return xstrdup(cfg->lock_path);
	char *base = NULL;
	char *parent = mq_path_parent(folder, &base);
	char *real = NULL;
	if (!make || mq_mkdirs(parent, err) == 0)
		real = realpath(parent, NULL);
	char *name = g_strdup_printf(".%s.lock", base);
	char *p = real ? g_build_filename(real, name, NULL) : NULL;
	if (!real && make && !mq_failed(err))
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot resolve the folder: %s", parent,
			   strerror(errno));
	char *out = p ? xstrdup(p) : NULL;
	g_free(p);
	g_free(name);
	free(base);
	free(parent);
	free(real);
	return out;
}

/* The error for a lock another run holds (or that cannot be taken). */
static void lock_refused(int fd, const char *path, int e, mq_err *err)
{
	char holder[128] = "";
	ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
	holder[n > 0 ? n : 0] = '\0';
	holder[strcspn(holder, "\n")] = '\0';
	if (e == EWOULDBLOCK)
		mq_err_set(err, MQ_LOCKED, "%s: another run holds the lock%s%s%s", path,
			   holder[0] ? " (" : "", holder, holder[0] ? ")" : "");
	else
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot lock: %s", path, strerror(e));
}

/* A lock file that is a symbolic link, refused. */
static void lock_link_refused(const char *path, mq_err *err)
{
	mq_err_set(err, MQ_CANTCREAT,
		   "%s: the lock file is a symbolic link; refusing to follow it (remove the link)",
		   path);
}

/* A lock file that is not a regular file, or has other links, refused. */
static void lock_shared_refused(const char *path, bool regular, mq_err *err)
{
	mq_err_set(err, MQ_CANTCREAT,
		   "%s: the lock file is not a plain file of its own (%s); refusing to use it "
		   "(remove it)",
		   path, !regular ? "not a regular file" : "it has other links");
}

/* Who may remove a file of who's in dir (st: its stat; owner: its
 * owner's name): this user when it can write the folder (and, in a sticky
 * one, owns it); else in a sticky folder the file's owner, the folder's or
 * root; else the folder's owner or root. Caller frees. */
static char *remover_of(const char *dir, const struct stat *st, const char *owner, const char *who)
{
	bool sticky = (st->st_mode & S_ISVTX) && st->st_uid != geteuid();
	if (!sticky && faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0)
		return g_strdup("this user");
	if (sticky && strcmp(who, "root") != 0)
		return st->st_uid == 0 ? g_strdup_printf("%s or root", who)
				       : g_strdup_printf("%s, %s or root", who, owner);
	return st->st_uid == 0 ? g_strdup("root") : g_strdup_printf("%s or root", owner);
}

/* After err, the message of a lock file [lock] path chose that this user
 * cannot make or open: that setting, its line, and where a lock can go. */
static void lock_setting_note(const run_config *cfg, mq_err *err)
{
	size_t used = strlen(err->msg);
	int line = cfg->config_path ? cfg_line_of(cfg->config_path, "lock", "path") : 0;
	char *me = mq_user_name(geteuid());
	snprintf(err->msg + used, sizeof err->msg - used,
		 " ([lock] path, %s:%d, chose this lock file: name one in a folder that %s, the "
		 "user the runs are made as, can write (for the service, under "
		 "/var/lib/mqlreport, the one folder its unit lets it write), or remove the "
		 "setting to lock beside the week's folder)",
		 cfg->config_path ? cfg->config_path : "configuration", line, me);
	g_free(me);
}

/* A lock file this user may not open, or may not make, as a run meets it
 * (e: the errno). One another user's run left says what can be known:
 * whose it is, whose the folder it is in is (the user the runs of that
 * folder are meant to run as), and the rm that lets this user's runs in,
 * once no run of the lock's owner is going; else the folder it is made in
 * is named. */
static void lock_denied(const run_config *cfg, const char *path, int e, mq_err *err)
{
	struct stat st, dst;
	char *dir = g_path_get_dirname(path);
	if (lstat(path, &st) == 0 && st.st_uid != geteuid() && stat(dir, &dst) == 0) {
		char *who = mq_user_name(st.st_uid), *owner = mq_user_name(dst.st_uid);
		char *me = mq_user_name(geteuid()), *remover = remover_of(dir, &dst, owner, who);
		char *quoted = g_shell_quote(path);
		if (dst.st_uid == geteuid())
			mq_err_set(err, MQ_CANTCREAT,
				   "%s: cannot open the lock file: %s (it belongs to %s, whose run "
				   "left it; this user, %s, owns the folder it is in, %s: once no "
				   "run as %s is going, remove the lock file as %s: rm -f %s; and "
				   "run this folder's runs as %s, not as %s)",
				   path, strerror(e), who, me, dir, who, me, quoted, me, who);
		else if (dst.st_uid == 0) /* a shared folder: no user's to run as */
			mq_err_set(err, MQ_CANTCREAT,
				   "%s: cannot open the lock file: %s (it belongs to %s, whose run "
				   "left it; the folder it is in, %s, belongs to root: once no run "
				   "as %s is going, remove the lock file as %s: rm -f %s)",
				   path, strerror(e), who, dir, who, remover, quoted);
		else
			mq_err_set(
			    err, MQ_CANTCREAT,
			    "%s: cannot open the lock file: %s (it belongs to %s, whose run "
			    "left it; the folder it is in, %s, belongs to %s: run as %s, the "
			    "folder's owner; or, for runs as %s, once no run as %s is going, "
			    "remove the lock file as %s: rm -f %s)",
			    path, strerror(e), who, dir, owner, owner, me, who, remover, quoted);
		g_free(quoted);
		g_free(remover);
		g_free(me);
		g_free(owner);
		g_free(who);
		g_free(dir);
		return;
	}
	if (cfg->lock_path) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot open the lock file: %s", path,
			   strerror(e));
		lock_setting_note(cfg, err);
	} else {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: cannot open the lock file: %s (a run writes its lock and "
			   "its staging folder in %s, beside the output folder: make that "
			   "folder writable, or choose another output folder)",
			   path, strerror(e), dir);
	}
	g_free(dir);
}

/* Open the lock file without following a link and make sure it is a
 * plain file of its own: it is truncated and written below, so a link
 * planted in its place (symbolic or hard) must not lead elsewhere.
 * Returns the descriptor, or -1 with err. */
static int lock_open(const run_config *cfg, const char *path, mq_err *err)
{
	char *dir = g_path_get_dirname(path);
	if (mq_mkdirs(dir, err) != 0) {
		if (cfg->lock_path)
			lock_setting_note(cfg, err);
		g_free(dir);
		return -1;
	}
	g_free(dir);
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == ELOOP)
			lock_link_refused(path, err);
		else if (errno == EACCES || errno == EROFS || errno == EPERM)
			lock_denied(cfg, path, errno, err);
		else
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot open the lock file: %s", path,
				   strerror(errno));
		return -1;
	}
	struct stat st = {0};
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		lock_shared_refused(path, S_ISREG(st.st_mode), err);
		close(fd);
		return -1;
	}
	return fd;
}

char *lock_file(const run_config *cfg, const char *folder)
{
	mq_err err = {0};
	char *path = lock_path(cfg, folder, false, &err);
	if (path)
		return path;
	/* a parent still to be made: the file a run makes in it, as named */
	char *base = NULL;
	char *parent = mq_path_parent(folder, &base);
	char *name = g_strdup_printf(".%s.lock", base);
	char *p = g_build_filename(parent, name, NULL);
	path = xstrdup(p);
	g_free(p);
	g_free(name);
	free(base);
	free(parent);
	return path;
}

int lock_check(const run_config *cfg, const char *folder, mq_err *err)
{
	/* a missing parent: a run makes it, and a lock file in it */
	char *path = lock_path(cfg, folder, false, err);
	struct stat st;
	int rc = 0;
	if (path && lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			lock_link_refused(path, err);
			rc = -1;
		} else if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
			lock_shared_refused(path, S_ISREG(st.st_mode), err);
			rc = -1;
		} else if (faccessat(AT_FDCWD, path, R_OK | W_OK, AT_EACCESS) != 0) {
			lock_denied(cfg, path, errno, err); /* a run would open it to write */
			rc = -1;
		}
	} else if (path) {
		/* a run makes it, and the folders up to it: the nearest that is
		 * there must take them */
		char *dir = g_path_get_dirname(path);
		while (lstat(dir, &st) != 0 && errno == ENOENT && strcmp(dir, "/") != 0 &&
		       strcmp(dir, ".") != 0) {
			char *up = g_path_get_dirname(dir);
			g_free(dir);
			dir = up;
		}
		if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0) {
			lock_denied(cfg, path, errno, err);
			rc = -1;
		}
		g_free(dir);
	}
	free(path);
	return rc;
}

run_lock *lock_acquire(const run_config *cfg, const char *folder, mq_err *err)
{
	char *path = lock_path(cfg, folder, true, err);
	if (!path)
		return NULL;
	int fd = lock_open(cfg, path, err);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		lock_refused(fd, path, errno, err);
		close(fd);
		free(path);
		return NULL;
	}
	/* who holds it, for the message a second run prints */
	char who[128], now[32];
	mq_utc_now(now, sizeof now);
	int n = snprintf(who, sizeof who, "pid %ld since %s\n", (long)getpid(), now);
	if (ftruncate(fd, 0) == 0 && pwrite(fd, who, (size_t)n, 0) < 0) {
		/* only informative */
	}
	run_lock *l = xcalloc(1, sizeof *l);
	l->fd = fd;
	l->path = path;
	l->writable = true;
	return l;
}

run_lock *lock_acquire_to_record(const run_config *cfg, const char *folder, bool *held)
{
	*held = false;
	mq_err err = {0};
	char *path = lock_path(cfg, folder, false, &err);
	struct stat st;
	/* a FIFO or a device is not opened at all */
	bool plain = path && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
	int fd = plain ? open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
	bool own = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1;
	if (!own || flock(fd, LOCK_EX | LOCK_NB) != 0) {
		*held = own && errno == EWOULDBLOCK;
		if (fd >= 0)
			close(fd);
		free(path);
		return NULL;
	}
	run_lock *l = xcalloc(1, sizeof *l);
	l->fd = fd;
	l->path = path;
	return l;
}

void lock_release(run_lock *l)
{
	if (!l)
		return;
	/* the file stays: removing it would let a third run lock a new file
	 * while a second still waits on the old one */
	if (l->writable && ftruncate(l->fd, 0) != 0) {
		/* only informative */
	}
	flock(l->fd, LOCK_UN);
	close(l->fd);
	free(l->path);
	free(l);
}
