/* locate.h — a source's location as people name their exports: a glob in
 * the file name (exports/hubspot-crm-exports-all-contacts-*.csv) stands
 * for the newest file that matches it. */
#ifndef MQL_LOCATE_H
#define MQL_LOCATE_H

#include "base.h"

/* True when the last part of a path holds a glob character (* ? [); a URL
 * is never a glob (its query has a '?'). */
bool locate_is_glob(const char *location);

/* The newest file matching pattern, whose glob characters may only be in
 * the file name (the folder is taken as written). Newest: by the date in
 * the file name (YYYY-MM-DD or YYYYMMDD anywhere in it) when every match
 * has one, else by modification time; a tie goes to the later mtime, then
 * the later name. Returns a new string ("folder/name"), or NULL with err
 * MQ_NOINPUT naming the pattern when no file matches. *nmatch (may be
 * NULL) gets the number of matching files. */
char *locate_newest(const char *pattern, int *nmatch, mq_err *err);

#endif
