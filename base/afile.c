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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct afile {
	char *path;
	char *tmp;
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

int afile_commit(afile *f, mq_err *err)
{
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
	 * file nobody reads (its name marks it as one) */
	(void)fclose(f->fp);
	(void)unlink(f->tmp);
	afile_release(f);
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
