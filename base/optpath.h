/* optpath.h — a path option whose value starts with "~": the shell
 * expands ~ only at the start of a word, so `--out=~/reports` (or a
 * quoted "~/reports") arrives as written, and taken as it is it would
 * make a folder named "~" in the current one. Every command refuses it
 * once its options are parsed. */
#ifndef MQL_OPTPATH_H
#define MQL_OPTPATH_H

#include <glib.h>

#include "base.h"

/* Whether an option of tables (a NULL-ended list of GOptionEntry arrays,
 * parsed) that takes a path (G_OPTION_ARG_FILENAME) holds a value
 * starting with "~" ("~", "~/reports", "~bob/reports"): -1 with err set (MQ_USAGE, naming the
 * option and its value, that the shell did not expand it, and how to write it), else 0. */
int opt_path_unexpanded(const GOptionEntry *const *tables, mq_err *err);

#endif
