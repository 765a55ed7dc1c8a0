/* cfgval.h — typed values of the INI configuration for every section's
 * reader (config.c, config_scoring.c, config_email.c). Each error is
 * MQ_CONFIG and names the file and line: "my.ini:4: [report] week: …".
 *
 * An absent key is no error: the reader leaves *dst as it was and returns 0.
 * Strings handed out are owned by the caller (free()). */
#ifndef MQL_CFGVAL_H
#define MQL_CFGVAL_H

#include <glib.h>

#include "base.h"

typedef struct cfgfile {
	GKeyFile *kf;
	const char *path; /* for messages and relative paths */
	mq_err *err;
} cfgfile;

/* The line of `key` in `group` of the file at path (1-based), the group's
 * own line when key is NULL or absent, or 0. GLib's key files do not keep
 * line numbers; messages need them. */
int cfg_line_of(const char *path, const char *group, const char *key);

/* Set the error for group.key (key NULL: the group's line). Returns -1. */
int cfg_bad(const cfgfile *f, const char *group, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The trimmed value, or NULL when the key is absent. */
char *cfg_value(const cfgfile *f, const char *group, const char *key);
/* A finite decimal number and nothing else ("60", not "60 points", "nan",
 * "0x10" or ""): value.h's rule. */
bool cfg_parse_number(const char *s, double *out);

int cfg_string(const cfgfile *f, const char *group, const char *key,
	       char **dst); /* no line breaks */
/* The name of an environment variable (letters, digits and _, not
 * starting with a digit), as the *_env keys hold. */
int cfg_env_name(const cfgfile *f, const char *group, const char *key, char **dst);
/* A path read from the file's folder when relative; a URL as it is. */
int cfg_path(const cfgfile *f, const char *group, const char *key, char **dst);
/* A source's location: as cfg_path(), but a value that begins like a URL
 * is one: its scheme read in lower case ("HTTPS://" as "https://"), and
 * refused naming its line when it is not http(s) ("s3://", "file://") or
 * names no server ("https:///leads.csv"). */
int cfg_location(const cfgfile *f, const char *group, const char *key, char **dst);
int cfg_number(const cfgfile *f, const char *group, const char *key, double *dst, double min,
	       double max);
int cfg_whole(const cfgfile *f, const char *group, const char *key, long *dst, long min, long max);
/* The value checks of value.h, for file values: */
int cfg_timezone(const cfgfile *f, const char *group, const char *key, char **dst);
int cfg_week(const cfgfile *f, const char *group, const char *key, char **dst);
int cfg_currency(const cfgfile *f, const char *group, const char *key,
		 char **dst); /* upper-cased */
int cfg_bool(const cfgfile *f, const char *group, const char *key,
	     bool *dst); /* true/false, yes/no, 1/0 */
/* Every key of the group is in `known` (NULL-terminated): a typo is an error. */
int cfg_check_keys(const cfgfile *f, const char *group, const char *const *known);
/* The error for key, unknown in group: the known key it is a typo of
 * (within an edit or two), else the group's keys. lists: NULL-terminated
 * lists of the known keys, the last followed by NULL. Returns -1. */
int cfg_unknown_key(const cfgfile *f, const char *group, const char *key,
		    const char *const *const *lists);

/* What GKeyFile lets pass silently, from the file's own lines: a group or
 * a key given twice (GKeyFile keeps the last; the error names both lines)
 * and a '#' inside a value (a comment only when it starts the line; header
 * names in [columns.*] may hold one). 0, or -1 with err (MQ_CONFIG). */
int cfg_scan(const char *path, mq_err *err);

/* Load the configuration file path into kf, a UTF-8 byte-order mark
 * skipped. Returns 0, or -1 with err (MQ_CONFIG; a line GKeyFile refuses
 * is named by its number). */
int cfg_keyfile_load(GKeyFile *kf, const char *path, mq_err *err);

/* Why the file at path (a CA bundle) cannot be read, as strerror() words
 * or "not a regular file" (a folder, a FIFO: opened without waiting), or
 * NULL when it can. */
const char *cfg_file_unreadable(const char *path);
/* What is wrong with the file at path, one cfg_file_unreadable() lets
 * pass, as a CA bundle: it holds no PEM certificate (no "-----BEGIN
 * CERTIFICATE-----" line: a DER certificate, a key alone, any other
 * text), on which every TLS connection would fail. NULL when it holds
 * one; else a sentence that starts with path and says what to do (how to
 * convert a DER certificate), or that it cannot be read. Caller frees. */
char *cfg_ca_not_pem(const char *path);
/* group.key, a CA bundle, read as cfg_path() reads it; when the key is
 * set, the file must be one this user can read (cfg_file_unreadable())
 * and hold a PEM certificate (cfg_ca_not_pem()), else the error names
 * its line, before any connection is tried. */
int cfg_ca_file(const cfgfile *f, const char *group, const char *key, char **dst);

/* What is wrong with a credential variable's value, as a fetch or the
 * e-mail would refuse it ("is not set or empty", a line break), or NULL. */
const char *cfg_env_problem(const char *var);
/* MQ_CONFIG for that variable, named by group.key at its line of the file
 * at config_path (or without one): "my.ini:31: [email] username_env: the
 * environment variable SMTP_USER is not set or empty". Returns -1. */
int cfg_env_unset(const char *config_path, const char *group, const char *key, const char *var,
		  const char *why, mq_err *err);

#endif
