/* publish.c — the week's folder appears whole or not at all: a staging
 * folder rendered in full is exchanged with the week's folder in one
 * rename, and staging folders of dead runs are swept (see publish.h).
 *
 * It creates, links, copies, exchanges and removes folders and files; it
 * renders nothing and decides nothing about a run's outcome (run.c does).
 * It must never follow a symbolic link for anything it creates, replaces
 * or removes, never remove a staging folder whose flock a live run holds,
 * and never leave the week's folder half old and half new. */
#include "publish.h"

#include <dirent.h>
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

#define STAGING_TAG ".staging-" /* ".<week>.staging-XXXXXX" */
#define STATE_FILE  "delivery.ini"
#define MAX_DEPTH   16 /* sub-folders removed below a staging folder */

struct staging {
	char *final;  /* the week's folder */
	char *parent; /* the folder both live in */
	char *path;   /* the staging folder */
	int fd;	      /* the staging folder, flocked while the run lives */
	bool published;
	mode_t later_mode; /* publish_later_mode() */
};

/* Remove name (below dirfd) and, for a folder, everything in it, never
 * following a link. Already gone is fine. Returns 0, or -1 with errno. */
static int remove_at(int dirfd, const char *name, int depth)
{
	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth >= MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	/* a folder of ours that is read-only (a week's folder made 0555, its
	 * mode carried over to the next): writable, as it is going anyway */
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 0700) != 0700)
		(void)fchmod(fd, (st.st_mode & 07777) | 0700);
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	int rc = 0, e = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    remove_at(fd, de->d_name, depth + 1) != 0) {
			rc = -1;
			e = errno;
		}
	}
	closedir(d);
	if (rc != 0) {
		errno = e;
		return -1;
	}
	return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -1;
}

/* Why a folder could not be removed, for its message: with a permission
 * refused on a folder of another user's, whose it is and what to run
 * (": it belongs to root: remove it as root: rm -rf 'PATH'"); "" else. */
static char *removal_hint(const char *path, int e)
{
	struct stat st;
	if ((e != EACCES && e != EPERM) || lstat(path, &st) != 0 || st.st_uid == geteuid())
		return g_strdup("");
	char *who = mq_user_name(st.st_uid);
	char *quoted = g_shell_quote(path);
	char *h =
	    g_strdup_printf(": it belongs to %s: remove it as %s: rm -rf %s", who, who, quoted);
	g_free(who);
	g_free(quoted);
	return h;
}

void publish_owner_warning(const char *final_dir)
{
	struct stat st;
	if (geteuid() == 0 || lstat(final_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid == geteuid())
		return;
	char *hint = removal_hint(final_dir, EACCES);
	fprintf(stderr,
		"mqlreport: warning: %s: a run as this user replaces this folder but cannot "
		"remove the old one, which then stays beside it%s\n",
		final_dir, hint);
	g_free(hint);
}

/* ".<name>.staging-XXXXXX", as publish_staging() makes them. */
static bool is_staging_name(const char *n)
{
	size_t len = strlen(n), tag = strlen(STAGING_TAG);
	return n[0] == '.' && len >= 2 + tag + 6 && !memcmp(n + len - 6 - tag, STAGING_TAG, tag);
}

/* The entries of dir whose name is a staging folder's. */
static GPtrArray *staging_names(DIR *d)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	struct dirent *de;
	while ((de = readdir(d)))
		if (is_staging_name(de->d_name))
			g_ptr_array_add(names, g_strdup(de->d_name));
	return names;
}

void publish_sweep(const char *parent)
{
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		if (errno != ENOENT)
			fprintf(stderr,
				"mqlreport: %s: cannot look for stale staging folders: %s\n",
				parent, strerror(errno));
		return;
	}
	DIR *d = fdopendir(dup(pfd));
	GPtrArray *names = d ? staging_names(d) : g_ptr_array_new();
	if (d)
		closedir(d);
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		int fd = openat(pfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue; /* not a folder: not one of ours */
		/* a live run holds the flock of its staging folder */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (remove_at(pfd, n, 0) == 0)
				fprintf(
				    stderr,
				    "mqlreport: removed %s/%s, left by a run that did not finish\n",
				    parent, n);
			else {
				int e = errno;
				char *at = g_build_filename(parent, n, NULL);
				char *hint = removal_hint(at, e);
				fprintf(stderr,
					"mqlreport: %s: cannot remove a stale staging folder: "
					"%s%s\n",
					at, strerror(e), hint);
				g_free(hint);
				g_free(at);
			}
		}
		close(fd);
	}
	g_ptr_array_free(names, TRUE);
	close(pfd);
}

/* "out/2026-W47/" → "out/2026-W47". New string. */
static char *trim_slashes(const char *p)
{
	char *s = xstrdup(p);
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

/* A temp file of base/afile.c ("NAME.tmp.XXXXXX") that a killed run left. */
static bool is_temp_name(const char *n)
{
	size_t len = strlen(n);
	return len > 11 && !memcmp(n + len - 11, ".tmp.", 5);
}

static bool is_published(const char *n, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(n, names[i]))
			return true;
	return false;
}

/* A folder the week's folder holds that no run wrote: refused when
 * published (link_foreign), so named before anything is read. */
static int foreign_folder(const char *dir, const char *const *names, size_t count, mq_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0; /* not there yet, or said when it is read */
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		const char *n = de->d_name;
		struct stat st;
		if (!strcmp(n, ".") || !strcmp(n, "..") || is_temp_name(n) ||
		    is_published(n, names, count) ||
		    fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
			continue;
		mq_err_set(err, MQ_CANTCREAT,
			   "%s/%s: a folder mqlreport did not write is in the week's folder, which "
			   "is replaced as a whole when published; move it elsewhere",
			   dir, n);
		rc = -1;
	}
	closedir(d);
	return rc;
}

/* The nearest of the folder's parents that exists must be a folder the
 * run can create folders in ("out = /etc/hostname/out" cannot be made). */
static int parent_usable(const char *final_dir, mq_err *err)
{
	char *p = g_path_get_dirname(final_dir);
	while (!g_file_test(p, G_FILE_TEST_EXISTS) && strcmp(p, ".") != 0 && strcmp(p, "/") != 0) {
		char *up = g_path_get_dirname(p);
		g_free(p);
		p = up;
	}
	int rc = 0;
	if (!g_file_test(p, G_FILE_TEST_IS_DIR)) {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: is a file, not a folder, so %s cannot be made under it (--out or "
			   "[report] out)",
			   p, final_dir);
		rc = -1;
	} else if (access(p, W_OK | X_OK) != 0) {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: cannot write there (%s), so %s cannot be made: --out or [report] "
			   "out names a folder this user can write",
			   p, strerror(errno), final_dir);
		rc = -1;
	}
	g_free(p);
	return rc;
}

int publish_dir_check(const char *final_dir, const char *const *names, size_t count, mq_err *err)
{
	char *t = trim_slashes(final_dir), *base = g_path_get_basename(t);
	int rc = 0;
	if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(base, "/")) {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: the output folder is replaced as a whole when published; name a "
			   "folder of its own (e.g. out/week)",
			   final_dir);
		rc = -1;
	} else if (g_file_test(t, G_FILE_TEST_IS_SYMLINK)) {
		/* refused when published (examine_final): said before reading */
		mq_err_set(
		    err, MQ_CANTCREAT,
		    "%s: is a symbolic link; the week's folder is replaced as a whole and no "
		    "link is followed: name the real folder instead",
		    final_dir);
		rc = -1;
	} else if (g_file_test(t, G_FILE_TEST_EXISTS) && !g_file_test(t, G_FILE_TEST_IS_DIR)) {
		/* said before any source is read, not after */
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: is a file, not a folder: the outputs need a folder of their own "
			   "(--out or [report] out)",
			   final_dir);
		rc = -1;
	} else {
		rc = parent_usable(t, err) != 0 ||
			     (names && foreign_folder(t, names, count, err) != 0)
			 ? -1
			 : 0;
	}
	g_free(base);
	free(t);
	return rc;
}

bool publish_has_beside(const char *final_dir)
{
	char *t = trim_slashes(final_dir), *base = g_path_get_basename(t);
	mq_err err = {0};
	struct stat st;
	/* a file --out names by mistake is the user's: nothing goes beside it */
	bool file = lstat(t, &st) == 0 && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode);
	bool ok = !file && strcmp(base, ".") != 0 && strcmp(base, "..") != 0 &&
		  strcmp(base, "/") != 0 && parent_usable(t, &err) == 0;
	g_free(base);
	free(t);
	return ok;
}

staging *publish_staging(const char *final_dir, mq_err *err)
{
	if (publish_dir_check(final_dir, NULL, 0, err) != 0)
		return NULL;
	staging *s = xcalloc(1, sizeof *s);
	s->fd = -1;
	s->final = trim_slashes(final_dir);
	char *base = g_path_get_basename(s->final);
	s->parent = g_path_get_dirname(s->final);
	if (mq_mkdirs(s->parent, err) != 0)
		goto fail;
	char *tmpl = xasprintf("%s/.%s" STAGING_TAG "XXXXXX", s->parent, base);
	if (!mkdtemp(tmpl)) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot create a staging folder: %s", s->parent,
			   strerror(errno));
		free(tmpl);
		goto fail;
	}
	s->path = tmpl;
	s->fd = open(s->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->fd < 0 || flock(s->fd, LOCK_EX | LOCK_NB) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot lock the staging folder: %s", s->path,
			   strerror(errno));
		goto fail;
	}
	g_free(base);
	return s;
fail:
	g_free(base);
	publish_free(s);
	return NULL;
}

const char *publish_staging_path(const staging *s)
{
	return s->path;
}

/* Copy all of in to out. Returns 0, or -1 with errno. */
static int copy_fd(int in, int out, bool *read_failed)
{
	char buf[16384];
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*read_failed = n < 0;
			return n < 0 ? -1 : 0;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			off += w;
		}
	}
}

/* The week's sent-state, copied into staging: a state that cannot be read
 * stops the run before anything is published or sent (never "not sent"). */
static int copy_state(staging *s, int ofd, mq_err *err)
{
	int in = openat(ofd, STATE_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (in < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		const char *why = in < 0 && errno == ELOOP
				      ? "it is a symbolic link, which is not followed"
				  : in < 0 ? strerror(errno)
					   : "it is not a regular file";
		mq_err_set(err, MQ_CANTCREAT,
			   "%s/" STATE_FILE ": cannot read the week's sent-state (%s); nothing "
			   "published or sent: repair or remove it (removed, the week counts as "
			   "not sent)",
			   s->final, why);
		if (in >= 0)
			close(in);
		return -1;
	}
	int out =
	    openat(s->fd, STATE_FILE, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	bool read_failed = false;
	int rc = out < 0 ? -1 : copy_fd(in, out, &read_failed);
	if (rc == 0 && (fsync(out) != 0 || close(out) != 0)) {
		out = -1;
		rc = -1;
	}
	int e = errno;
	if (out >= 0 && rc != 0)
		close(out);
	close(in);
	if (rc != 0)
		mq_err_set(err, MQ_CANTCREAT,
			   "%s/" STATE_FILE ": cannot %s the week's sent-state: %s", s->final,
			   read_failed ? "read" : "carry over", strerror(e));
	return rc;
}

/* Anything else the week's folder holds, kept by a hard link (a link is
 * linked, not followed); a sub-folder is refused. */
static int link_foreign(staging *s, int ofd, const char *n, mq_err *err)
{
	struct stat st;
	if (fstatat(ofd, n, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s/%s: %s", s->final, n, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s/%s: a folder mqlreport did not write is in the week's folder, which "
			   "is replaced as a whole when published; move it elsewhere",
			   s->final, n);
		return -1;
	}
	if (linkat(ofd, n, s->fd, n, 0) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s/%s: cannot keep it in the new folder: %s",
			   s->final, n, strerror(errno));
		return -1;
	}
	return 0;
}

/* What the week's folder holds besides the run's own files, into staging. */
static int carry_over(staging *s, const char *const *names, size_t count, mq_err *err)
{
	int ofd = open(s->final, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = ofd >= 0 ? fdopendir(ofd) : NULL;
	if (!d) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot read the folder: %s", s->final,
			   strerror(errno));
		if (ofd >= 0)
			close(ofd);
		return -1;
	}
	int rc = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno != 0) {
				mq_err_set(err, MQ_CANTCREAT, "%s: cannot read the folder: %s",
					   s->final, strerror(errno));
				rc = -1;
			}
			break;
		}
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || is_published(n, names, count) ||
		    is_temp_name(n))
			continue;
		rc =
		    !strcmp(n, STATE_FILE) ? copy_state(s, ofd, err) : link_foreign(s, ofd, n, err);
		if (rc != 0)
			break;
	}
	closedir(d);
	return rc;
}

/* The mode a new week's folder gets: 0755 less the umask. */
static mode_t new_folder_mode(void)
{
	mode_t u = umask(022);
	umask(u);
	return 0755 & ~u;
}

/* Exchange staging and the week's folder, or rename staging into place. */
static int swap(staging *s, bool exists, mq_err *err)
{
	if (!exists) {
		if (rename(s->path, s->final) == 0)
			return 0;
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot publish: %s", s->final, strerror(errno));
		return -1;
	}
	if (renameat2(AT_FDCWD, s->path, AT_FDCWD, s->final, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: the filesystem cannot exchange two folders atomically (renameat2 "
			   "RENAME_EXCHANGE: %s), so the week cannot be published all at once; "
			   "nothing was published: keep the output folder on a local filesystem "
			   "(ext4, xfs, btrfs, tmpfs)",
			   s->final, strerror(errno));
	else
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot publish: %s", s->final, strerror(errno));
	return -1;
}

/* The week's folder as it stands: 1 a folder (its stat in *st), 0 none,
 * -1 something else in the way (err). */
static int examine_final(const staging *s, struct stat *st, mq_err *err)
{
	if (lstat(s->final, st) != 0) {
		if (errno == ENOENT)
			return 0;
		mq_err_set(err, MQ_CANTCREAT, "%s: %s", s->final, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st->st_mode)) {
		mq_err_set(
		    err, MQ_CANTCREAT,
		    "%s: is a symbolic link; the week's folder is replaced as a whole and no "
		    "link is followed: name the real folder instead",
		    s->final);
		return -1;
	}
	if (!S_ISDIR(st->st_mode)) {
		mq_err_set(err, MQ_CANTCREAT, "%s: is in the way: not a folder", s->final);
		return -1;
	}
	return 1;
}

int publish_swap(staging *s, const char *const *names, size_t count, mq_err *err)
{
	struct stat st;
	int exists = examine_final(s, &st, err);
	if (exists < 0)
		return -1;
	mode_t mode = exists ? st.st_mode & 07777 : new_folder_mode();
	/* the files carried over first: a week's folder made read-only (0555)
	 * gives the staging folder its mode, in which they could not be put;
	 * the run writes into it still (its manifest, its sent-state), so it
	 * stays writable by its owner until the run ends */
	if (exists && carry_over(s, names, count, err) != 0)
		return -1;
	if ((mode & S_IRWXU) != S_IRWXU) {
		s->later_mode = mode;
		mode |= S_IRWXU;
	}
	if (fchmod(s->fd, mode) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: %s", s->path, strerror(errno));
		return -1;
	}
	if (fsync(s->fd) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", s->path, strerror(errno));
		return -1;
	}
	if (swap(s, exists, err) != 0)
		return -1;
	s->published = true;
	int pfd = open(s->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0 || fsync(pfd) != 0)
		fprintf(stderr, "mqlreport: %s: cannot sync the folder: %s\n", s->parent,
			strerror(errno));
	if (pfd >= 0)
		close(pfd);
	/* the old folder now has the staging folder's name */
	if (exists && remove_at(AT_FDCWD, s->path, 0) != 0) {
		int e = errno;
		char *hint = removal_hint(s->path, e);
		fprintf(stderr, "mqlreport: %s: cannot remove the previous outputs: %s%s\n",
			s->path, strerror(e), *hint ? hint : " (the next run tries again)");
		g_free(hint);
	}
	return 0;
}

mode_t publish_later_mode(const staging *s)
{
	return s->published ? s->later_mode : 0;
}

void publish_restore_mode(const char *final_dir, mode_t mode)
{
	if (mode && chmod(final_dir, mode) != 0)
		fprintf(stderr, "mqlreport: %s: cannot give it back its mode %04o: %s\n", final_dir,
			(unsigned)mode, strerror(errno));
}

void publish_free(staging *s)
{
	if (!s)
		return;
	if (s->path && !s->published && remove_at(AT_FDCWD, s->path, 0) != 0) {
		int e = errno;
		char *hint = removal_hint(s->path, e);
		fprintf(stderr, "mqlreport: %s: cannot remove the staging folder: %s%s\n", s->path,
			strerror(e), hint);
		g_free(hint);
	}
	if (s->fd >= 0)
		close(s->fd);
	free(s->final);
	g_free(s->parent);
	free(s->path);
	free(s);
}
