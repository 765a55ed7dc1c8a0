/* optonce.h — an option that takes one value, given twice on a command
 * line: GLib's parser keeps the last value without a word, so that
 * `--config a.ini --config b.ini` would run on b.ini alone. Every command
 * refuses it before parsing. */
#ifndef MQL_OPTONCE_H
#define MQL_OPTONCE_H

#include <glib.h>

#include "base.h"

/* Whether argv[1..argc) gives an option of tables (a NULL-ended list of
 * GOptionEntry arrays) that takes a value more than once: -1 with err set
 * (MQ_USAGE, naming both values and `mqlreport <cmd> --help`), else 0.
 * Flags and callbacks may repeat; "--" ends the options. */
int opt_given_twice(const char *cmd, const GOptionEntry *const *tables, int argc, char **argv,
		    mq_err *err);

#endif
