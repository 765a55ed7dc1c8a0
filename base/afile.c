/* afile.c — files that appear whole or not at all (see afile.h).
 *
 * A temp file beside the target, flushed, fsynced and renamed over it. It
 * must never leave a temp file behind nor put a half-written file in place.
 * Follows no link: the temp file is created new (mkstemp's O_EXCL), and
 * the rename replaces whatever name stands at the target, a symbolic link
 * included, without writing through it. */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct afile {
	char *path;
	char *tmp; /* NULL: written straight to path (afile_open_named) */
	FILE *fp;
	mode_t mode; /* given to the file when committed */
};

afile *afile_open(const char *path, mq_err *err)
{
	afile *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->tmp = xasprintf("%s.tmp.XXXXXX", path);
	f->mode = 0644;
	int fd = mkostemp(f->tmp, O_CLOEXEC);
	if (fd < 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot create: %s", path, strerror(errno));
		goto fail;
	}
	f->fp = fdopen(fd, "wb");
	if (!f->fp) {
		mq_err_set(err, MQ_CANTCREAT, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(f->tmp);
		goto fail;
	}
	return f;
fail:
	free(f->path);
	free(f->tmp);
	free(f);
	return NULL;
}

FILE *afile_stream(afile *f)
{
	return f->fp;
}
void afile_set_mode(afile *f, mode_t mode)
{
	f->mode = mode;
}
const char *afile_temp_path(const afile *f)
{
	return f->tmp;
}

static void afile_release(afile *f)
{
	free(f->path);
	free(f->tmp);
	free(f);
}

/* What a path names when it is no file to put a new one in place of. */
static const char *kind_of(mode_t m)
{
	return S_ISDIR(m)    ? "a folder"
	       : S_ISSOCK(m) ? "a socket"
	       : S_ISBLK(m)  ? "a block device"
			     : "not a regular file";
}

/* Whether only its owner, root or this user, can put a name into the
 * folder that holds path: a link found there was not planted by another
 * user (as one in /tmp could be). */
static bool private_folder(const char *path)
{
	char *dir = g_path_get_dirname(path);
	struct stat st;
	bool ok = stat(dir, &st) == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH)) &&
		  (st.st_uid == 0 || st.st_uid == geteuid());
	g_free(dir);
	return ok;
}

/* A device or a FIFO opened to be written to, never replaced. */
static afile *open_stream(const char *path, mq_err *err)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!fp) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot open: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	afile *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->fp = fp;
	return f;
}

/* What afile_open_named() does with path. */
typedef enum named_kind {
	NAMED_STDOUT,  /* "-" */
	NAMED_STREAM,  /* a device or a FIFO, or a link to one in a private folder */
	NAMED_FILE,    /* none there yet, a file, or a link replaced (afile_open) */
	NAMED_REFUSED, /* a folder, a socket, a block device; *mode says which */
} named_kind;

static named_kind named_kind_of(const char *path, mode_t *mode)
{
	struct stat lst, st;
	if (strcmp(path, "-") == 0)
		return NAMED_STDOUT;
	if (lstat(path, &lst) != 0 || S_ISREG(lst.st_mode))
		return NAMED_FILE;
	if (S_ISCHR(lst.st_mode) || S_ISFIFO(lst.st_mode))
		return NAMED_STREAM; /* /dev/null, a FIFO: written to */
	if (S_ISLNK(lst.st_mode))
		/* /dev/stdout and the like are written through; any other link
		 * is replaced, not followed, as afile_open() does */
		return stat(path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) &&
			       private_folder(path)
			   ? NAMED_STREAM
			   : NAMED_FILE;
	*mode = lst.st_mode;
	return NAMED_REFUSED;
}

bool afile_streams(const char *path)
{
	mode_t mode;
	named_kind k = named_kind_of(path, &mode);
	return k == NAMED_STDOUT || k == NAMED_STREAM;
}

afile *afile_open_named(const char *path, mq_err *err)
{
	mode_t mode = 0;
	switch (named_kind_of(path, &mode)) {
	case NAMED_STDOUT: {
		afile *f = xcalloc(1, sizeof *f);
		f->path = xstrdup("standard output");
		f->fp = stdout;
		return f;
	}
	case NAMED_STREAM:
		return open_stream(path, err);
	case NAMED_FILE:
		return afile_open(path, err);
	case NAMED_REFUSED:
	default:
		mq_err_set(err, MQ_CANTCREAT, "%s: is %s: name a file (or -, for standard output)",
			   path, kind_of(mode));
		return NULL;
	}
}

/* A file named by afile_open_named() that is written straight to: flushed
 * and, unless it is standard output, closed. */
static int direct_commit(afile *f, mq_err *err)
{
	int rc = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp)) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", f->path, strerror(errno));
		rc = -1;
	}
	if (f->fp != stdout && fclose(f->fp) != 0 && rc == 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", f->path, strerror(errno));
		rc = -1;
	}
	afile_release(f);
	return rc;
}

int afile_commit(afile *f, mq_err *err)
{
	if (!f->tmp)
		return direct_commit(f, err);
	int rc = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", f->path, strerror(errno));
		rc = -1;
	}
	/* mkstemp makes 0600 files; outputs are ordinary files unless set */
	if (rc == 0 && fchmod(fileno(f->fp), f->mode) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot set its mode: %s", f->path,
			   strerror(errno));
		rc = -1;
	}
	if (fclose(f->fp) != 0 && rc == 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", f->path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(f->tmp, f->path) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot rename into place: %s", f->path,
			   strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		(void)unlink(f->tmp); /* the error is reported; a leftover temp is harmless */
	afile_release(f);
	return rc;
}

void afile_abort(afile *f)
{
	if (!f)
		return;
	/* abandoning the file: its close and removal can only fail for a temp
	 * file nobody reads (its name marks it as one); what went straight to
	 * a device or a pipe is there already */
	if (f->fp != stdout)
		(void)fclose(f->fp);
	if (f->tmp)
		(void)unlink(f->tmp);
	afile_release(f);
}

int atomic_write_named(const char *path, const void *data, size_t len, mq_err *err)
{
	afile *f = afile_open_named(path, err);
	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f->fp) != len) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", f->path, strerror(errno));
		afile_abort(f);
		return -1;
	}
	return afile_commit(f, err);
}

int atomic_write(const char *path, const void *data, size_t len, mq_err *err)
{
	afile *f = afile_open(path, err);
	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f->fp) != len) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", path, strerror(errno));
		afile_abort(f);
		return -1;
	}
	return afile_commit(f, err);
}
