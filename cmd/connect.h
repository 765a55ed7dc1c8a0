/* connect.h — `mqlreport check --connect`: prove that the configured
 * servers answer, with the configured credentials, without fetching an
 * export or sending a message (connect.c). */
#ifndef MQL_CONNECT_H
#define MQL_CONNECT_H

#include "base.h"
#include "config.h"

/* Open every https:// (or allowed http://) source with a GET of its first
 * byte (Range: bytes=0-0), sending the source's credentials. Prints one
 * line per source. Returns 0, or -1 with err: MQ_UNAVAILABLE when a server
 * cannot be reached or answers with an error, MQ_CONFIG when it refuses the
 * credentials (401/403), a credential variable is unset, or the URL is not
 * allowed. */
int connect_sources(const run_config *cfg, mq_err *err);

/* Open the [email] SMTP server: EHLO, STARTTLS (as [email] starttls says),
 * AUTH with the credentials the configuration names, NOOP and QUIT; no
 * message. Nothing to do without an smtp_url. Returns 0, or -1 with err:
 * MQ_UNAVAILABLE when the server cannot be reached or refuses TLS,
 * MQ_CONFIG when it refuses the credentials or a variable is unset. */
int connect_smtp(const run_config *cfg, mq_err *err);

#endif
