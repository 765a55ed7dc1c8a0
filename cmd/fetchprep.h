/* fetchprep.h — what a run needs before it fetches a source: the
 * credential variables the configuration names, and a cache folder it can
 * write (fetchprep.c). */
#ifndef MQL_FETCHPREP_H
#define MQL_FETCHPREP_H

#include "base.h"
#include "config.h"

/* Every credential variable of a fetched source ([source.*] or [fetch]
 * keys) set, not empty and one line. Returns 0, or -1 with err (MQ_CONFIG)
 * naming the file, line, group and key that name the variable. */
int fetchprep_vars(const run_config *c, mq_err *err);

/* The cache folder the fetched sources are downloaded into ([report]
 * cache_dir, default "cache"), when a source is fetched: there and
 * writable by this user, or one it can make. Returns 0, or -1 with err
 * (MQ_CANTCREAT) naming the folder, its owner, the setting and the fix.
 * Run as root into a folder of another user's, it warns that the files it
 * writes there will be root's. */
int fetchprep_cache(const run_config *c, mq_err *err);

#endif
