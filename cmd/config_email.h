/* config_email.h — the [email] group: where the reports and the failure
 * notice go and through which SMTP server (config_email.c). */
#ifndef MQL_CONFIG_EMAIL_H
#define MQL_CONFIG_EMAIL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "base.h"
#include "config.h"
#include "mail.h"
#include "net_tls.h"
#include "smtp.h"

/* String lists are NULL-terminated GLib vectors (g_strfreev); NULL means
 * empty. Addresses are bare (jane@example.com), as the envelope takes
 * them; a display name the configuration gives one (Jane Doe
 * <jane@example.com>) is in names, for the headers. */
struct email_cfg {
	char *smtp_url; /* smtp://host:587 or smtps://host:465; NULL: no e-mail */
	char *from;
	char **to, **cc;		   /* recipients of every report */
	char **workbook_to, **workbook_cc; /* the workbook's, replacing to/cc when set */
	char **pdf_to, **pdf_cc;	   /* the PDF's, replacing to/cc when set */
	char *username_env;		   /* env var names holding the SMTP credentials */
	char *password_env;
	enum net_tls starttls; /* smtp:// only; default required */
	char *ca_file;	       /* extra CA bundle for the SMTP server; NULL: the system's */
	int64_t max_bytes;     /* message size limit; default 10 MB (10,000,000 bytes) */
	char *operator_addr;   /* failure notices go here; NULL: none */
	char *subject;	       /* template; default "MQL report {{week}}: {{kpi:mqls}}" */
	int retries;	       /* on 4xx and transient errors; default 3 */
	double backoff_s;      /* first back-off, doubling; default 30 */
	long timeout_s;	       /* the SMTP server's longest silence at a step; default 120 */
	GHashTable *names;     /* address → its display name, as configured (UTF-8) */
};

/* The display name the configuration gives address, or NULL. Valid while
 * e is. */
const char *email_name_of(const email_cfg *e, const char *address);

/* The display names of a list of addresses, parallel to it (NULL where an
 * address has none). Free the vector only (g_free); NULL for a NULL list. */
const char **email_names_of(const email_cfg *e, char *const *list);

/* The keys of [email], NULL-terminated: all that config_email() accepts. */
extern const char *const config_email_keys[];
/* Read the [email] group of kf (path is for messages) into c->email,
 * created when the group exists. Returns 0, or -1 with err (MQ_CONFIG
 * naming the file, line and key). */
int config_email(GKeyFile *kf, const char *path, run_config *c, mq_err *err);
/* True for the group config_email() reads. */
bool config_email_owns(const char *group);
/* Free (NULL is a no-op). */
void email_cfg_free(email_cfg *o);

/* Recipients named but no smtp_url, on a run that would mail: it
 * publishes, mails nobody and exits 0 (run and check say so). */
bool email_mails_nobody(const run_config *c);
/* When email_mails_nobody(): say so on stderr, naming the file and the
 * line of the first recipient key, after "mqlreport: " and lead
 * ("warning: "), ending with then (what follows and what to do). */
void email_mails_nobody_warn(const run_config *c, const char *lead, const char *then);
/* An operator named but no smtp_url, on a run that would mail (neither
 * --no-email nor --eml): a failed run notifies nobody. */
bool email_notifies_nobody(const run_config *c);
/* When email_notifies_nobody(): say so on stderr, naming the operator's
 * line, after "mqlreport: " and lead ("warning: ", or "failure notice not
 * sent: "). */
void email_notice_nobody_warn(const run_config *c, const char *lead);
/* Warn on stderr, naming the file and line, of the recipient lists that
 * reach nobody (unless --no-email): to or cc set while both reports have
 * their own list in its place, and a report that has no to list of its
 * own nor to while the group names recipients for the other report or
 * copies for it. */
void email_lists_warn(const run_config *c);
/* What a run that would send e-mail (an smtp_url, neither --no-email nor
 * --eml) needs before it begins: [email] ca_file, when set, a regular file
 * this user can read; the SMTP credential variables ([email]
 * username_env, password_env) set, not empty, one line. Returns 0, or -1
 * with err (MQ_CONFIG naming the setting and the file's line), so that a
 * run stops before it reads or publishes anything, as check does. */
int email_vars_check(const run_config *c, mq_err *err);

/* The SMTP server of e, with the credentials read now from the environment
 * variables it names. s points into e and the environment: valid while
 * both are. Returns 0, or -1 with err (MQ_CONFIG: a named variable is not
 * set). */
int email_server(const email_cfg *e, mail_server *s, mq_err *err);

#endif
