/* notify.h — telling the operator that a run failed (notify.c). */
#ifndef MQL_NOTIFY_H
#define MQL_NOTIFY_H

#include "base.h"
#include "config.h"

/* What a failed run had done before it failed, for the notice to say. */
typedef struct notify_done {
	bool published;		 /* the week's outputs are in its folder */
	size_t delivered, total; /* report messages delivered, of how many */
	size_t unconfirmed;	 /* of the others, taken whole by the server but not
				    confirmed: they may have been delivered */
	const char *no_manifest; /* why no manifest was written (NULL: not said) */
	const char *week_dir;	 /* the week's folder the run wrote or would have,
				    absolute (NULL: not known) */
} notify_done;

/* Send a short plain-text notice of a failed run to the configured operator
 * address: the week (week_label, NULL: "unknown"), what was published and
 * delivered before the failure, the exit status, the error message, the
 * host and where the manifest is (manifest_path; NULL: "none", with
 * done->no_manifest saying why). Nothing is sent without an operator
 * address, a from address or an SMTP URL, or with --no-email; with --eml
 * the notice is written to FILE instead. A run stopped by a signal
 * (failure's status 128 + the signal) gets one try of at most 20 s, and a
 * second signal abandons it. Returns 0 (also when nothing was to be sent),
 * or -1 with err (the caller logs it; the run's own status stays what it
 * was). */
int notify_failure(const run_config *cfg, const char *week_label, const mq_err *failure,
		   const char *manifest_path, const notify_done *done, mq_err *err);

#endif
