/* publish.h — the week's folder appears whole or not at all (publish.c).
 *
 * A run renders every output and the manifest into a staging folder beside
 * the week's folder ("out/.2026-W47.staging-XXXXXX"), then publish_swap()
 * exchanges the two folders in one rename and removes the old one. While
 * the run lives it holds an flock on its staging folder, so a later run
 * can tell a staging folder left by a killed run (nobody holds it) and
 * remove it (publish_sweep()). */
#ifndef MQL_PUBLISH_H
#define MQL_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include <sys/types.h>

#include "base.h"

typedef struct staging staging;

/* Remove the staging folders in `parent` whose run has ended (their flock
 * is free). Logs what it removed and what it could not; never fails the
 * run. */
void publish_sweep(const char *parent);

/* 0 when final_dir can be published as a whole: not ".", ".." or "/",
 * not a file, its nearest existing parent a folder this user can write,
 * and, when names is given, no sub-folder in it but one of the `count`
 * names the run writes (publishing would refuse any other). Else -1 with
 * err (MQ_CANTCREAT): checked by `check` and before a run reads anything. */
int publish_dir_check(const char *final_dir, const char *const *names, size_t count, mq_err *err);
/* Whether final_dir has a place beside it that this user can write (a
 * failed run's manifest goes there): it names a folder of its own (not
 * ".", ".." or "/"), nothing but a folder or a link is there (a file is
 * the user's, and nothing is written beside it), and its nearest existing
 * parent is a folder this user can write. */
bool publish_has_beside(const char *final_dir);
/* A new, locked staging folder beside final_dir (its parent is created
 * when missing). Returns it, or NULL with err (MQ_CANTCREAT). */
staging *publish_staging(const char *final_dir, mq_err *err);
/* Its path, for the renderers. */
const char *publish_staging_path(const staging *s);

/* Publish: carry over into the staging folder what the week's folder holds
 * besides the `n` names the run writes (delivery.ini by a checked copy,
 * other files by hard link; a sub-folder is refused), then exchange the
 * staging folder with final_dir atomically (renameat2 RENAME_EXCHANGE; a
 * plain rename when final_dir does not exist yet) and remove the old
 * folder. A symbolic link or a non-folder at final_dir is refused, as is a
 * filesystem that cannot exchange folders. Returns 0, or -1 with err
 * (MQ_CANTCREAT) and final_dir unchanged. */
int publish_swap(staging *s, const char *const *names, size_t n, mq_err *err);
/* The mode the published folder is still to get, or 0: the old week's
 * folder's mode is carried over, but one its owner cannot write (0555, a
 * week an operator froze) is published writable by its owner, so that the
 * run can still write its manifest and sent-state into it, and gets that
 * mode from publish_restore_mode() when the run ends. */
mode_t publish_later_mode(const staging *s);
/* For check: a week's folder of another user's (root's, from a rerun by
 * hand) is one a run replaces but cannot remove afterwards; say so on
 * stderr, with its owner and the command that removes it. Nothing for a
 * folder of this user's, or as root. */
void publish_owner_warning(const char *final_dir);
/* Give final_dir the mode publish_later_mode() returned (nothing for 0). */
void publish_restore_mode(const char *final_dir, mode_t mode);

/* Release the lock and free; a staging folder not published is removed
 * (NULL is a no-op). */
void publish_free(staging *s);

#endif
