/* afile.h — files that appear whole or not at all (SPEC §7).
 *
 * afile_open() creates a temp file beside `path`; afile_commit() flushes,
 * fsyncs and renames it over `path`; afile_abort() removes it. Either frees
 * the handle. The file is 0600 while it is written and gets the mode of
 * afile_set_mode() (0644 unless set) when committed. No link is followed:
 * the temp file is new (O_EXCL) and the rename replaces a symbolic link at
 * `path` rather than writing through it. A file the user names on the
 * command line is opened by afile_open_named(), which writes to a device
 * or a pipe rather than replace it. */
#ifndef MQL_AFILE_H
#define MQL_AFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "base.h"

typedef struct afile afile;

afile *afile_open(const char *path, mq_err *err); /* NULL with err (MQ_CANTCREAT) */
/* The same, the file getting `mode` on commit (afile_open: 0644). */
afile *afile_open_mode(const char *path, mode_t mode, mq_err *err);
FILE *afile_stream(afile *f);
void afile_set_mode(afile *f, mode_t mode);  /* e.g. 0600 for a private file */
const char *afile_temp_path(const afile *f); /* for libraries that want a path */
int afile_commit(afile *f, mq_err *err);     /* 0, or -1 with err (MQ_CANTCREAT) */
void afile_abort(afile *f);

/* Write `len` bytes to path atomically (mode 0644, or `mode`). */
int atomic_write(const char *path, const void *data, size_t len, mq_err *err);

/* A file the user named (--eml FILE, score --out FILE), opened as they
 * mean it: "-" is standard output; a character device or a FIFO (/dev/null,
 * a named pipe) is written to, never replaced, and so is one a symbolic link
 * names when the link's folder only its owner, root or this user, can
 * write (/dev/stdout); a folder, a socket or a block device is refused
 * (MQ_CANTCREAT); anything else as afile_open(), which replaces any other
 * link rather than follow it (one planted in /tmp must not redirect a
 * root's write). */
afile *afile_open_named(const char *path, mq_err *err);
int atomic_write_named(const char *path, const void *data, size_t len, mq_err *err);
/* True when afile_open_named(path) writes to path as a stream ("-", a
 * device, a FIFO): a second message goes there too, not to path.2. */
bool afile_streams(const char *path);
int atomic_write_mode(const char *path, const void *data, size_t len, mode_t mode, mq_err *err);

#endif
