/* lock.h — one run at a time: the run lock (lock.c). */
#ifndef MQL_LOCK_H
#define MQL_LOCK_H

#include "base.h"
#include "config.h"

typedef struct run_lock run_lock;

/* Take the run lock (flock LOCK_EX|LOCK_NB on a file that stays in place;
 * the kernel frees it when a crashed run's process ends). The file is the
 * config's [lock] path; else .NAME.lock beside `folder`, the week's folder
 * the run publishes (--out DIR, or <out_root>/<week>), in its parent
 * resolved by realpath(), so that every spelling of one folder takes one
 * lock and runs into different folders do not wait for each other. The
 * parent is created when missing.
 * Returns the held lock, or NULL with err: MQ_LOCKED when another run
 * holds it (the message says which pid since when), MQ_CANTCREAT when the
 * file cannot be opened. */
run_lock *lock_acquire(const run_config *cfg, const char *folder, mq_err *err);
/* The same lock taken for a failed run's record alone, when
 * lock_acquire() could not open the file to write it (another user's lock
 * file): the file as it is, opened read-only without following a link,
 * a plain file of its own, flocked as a run flocks it; nothing is made or
 * written. Returns the held lock, or NULL (*held: because another run
 * holds it). */
run_lock *lock_acquire_to_record(const run_config *cfg, const char *folder, bool *held);
/* What lock_acquire() would refuse in the lock file as it is (a symbolic
 * link, a file that is not plain or has other links), for check; nothing
 * is made or opened. Returns 0, or -1 with err (MQ_CANTCREAT). */
int lock_check(const run_config *cfg, const char *folder, mq_err *err);
/* The lock file lock_acquire() takes for folder, its parent resolved
 * when it is there and as named when a run is still to make it; nothing is
 * made or opened. Caller frees. */
char *lock_file(const run_config *cfg, const char *folder);
/* Release and free (NULL is a no-op). The file stays. */
void lock_release(run_lock *l);

#endif
