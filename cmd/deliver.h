/* deliver.h — e-mailing the week's reports: what to send to whom, within
 * the size cap, or written to an .eml file instead (deliver.c).
 *
 * `mqlreport run` calls deliver_reports() once the outputs are published
 * and added to the run's manifest; it records its messages there. */
#ifndef MQL_DELIVER_H
#define MQL_DELIVER_H

#include "base.h"
#include "config.h"
#include "manifest.h"
#include "mval.h"

/* E-mail the week's workbook and PDF (the outputs added to m) to their
 * recipients, one message per distinct recipient list, with a plain-text
 * and an HTML body showing the headline KPIs of root's `summary`. Reports
 * that would take the message over [email] max_bytes are left out and the
 * bodies say where they are; then the trend picture, then the HTML body
 * (the plain text goes alone, and says so).
 *
 * counts_until is the moment the report was made at when its week had not
 * ended then (its counts partial; the clock, not SOURCE_DATE_EPOCH), or
 * TS_NONE for the complete week: a message is recorded sent with it.
 *
 * Nothing is sent when cfg->no_email, or when no [email] is configured, or
 * when out_dir's sent-state (sentstate.h) says a message was accepted
 * already (unless cfg->resend), except when that message was of the week
 * before it had ended and this report counts more of it (the complete
 * week, or a later moment of it): it is then sent, saying so. With cfg->eml_path the message is
 * written to that file instead (several messages: FILE, FILE.2, …) and nothing is marked sent. A
 * message is marked sent (out_dir/delivery.ini) only once the server accepted it. Returns 0, or -1
 * with err: MQ_UNAVAILABLE when the server refused (5xx) or kept failing after retries, MQ_CONFIG
 * for a missing credential variable or --eml without [email] or a sent-state that is not valid,
 * MQ_CANTCREAT when the state cannot be read or the state or the .eml cannot be written (nothing is
 * sent then). The outputs are never touched. */
/* The files `run --eml FILE` writes, as cfg's [email] lists plan the
 * messages: FILE, and FILE.2 when the reports go in a message each (a
 * stream, "-" or a device, takes both). Returns how many are in paths,
 * each for the caller to free; 0 without --eml. */
size_t deliver_eml_files(const run_config *cfg, char *paths[2]);
int deliver_reports(const run_config *cfg, const mval *root, const char *out_dir, manifest *m,
		    ts_ms counts_until, mq_err *err);

#endif
