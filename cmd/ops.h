/* ops.h — the e-mail delivery of the reports with its sent-state.
 *
 * `mqlreport run` calls, after publishing, ops_deliver(), which records
 * its messages in the run's manifest (manifest.h). */
#ifndef MQL_OPS_H
#define MQL_OPS_H

#include "config.h"
#include "config_email.h"
#include "manifest.h"
#include "dataset.h"
#include "mval.h"

/* ---- delivery ---- */

/* E-mail the week's workbook and PDF (the outputs added to r) to their
 * recipients, one message per distinct recipient list, with a plain-text
 * and an HTML body showing the headline KPIs of root's `summary`.
 *
 * Nothing is sent when cfg->no_email, or when no [email] is configured, or
 * when out_dir's delivery state says a message was accepted already (unless
 * cfg->resend). With cfg->eml_path the message is written to that file
 * instead (several messages: FILE, FILE.2, …) and nothing is marked sent.
 * A message is marked sent (out_dir/delivery.json) only once the server
 * accepted it. Returns 0, or -1 with err: MQ_UNAVAILABLE when the server
 * refused (5xx) or kept failing after retries, MQ_CONFIG for a missing
 * credential variable, MQ_CANTCREAT when the state or the .eml cannot be
 * written. The outputs are never touched. */
int ops_deliver(const run_config *cfg, const mval *root, const char *out_dir, manifest *r,
		mq_err *err);

#endif
