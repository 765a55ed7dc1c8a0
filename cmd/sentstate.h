/* sentstate.h — which of a week's messages a mail server has accepted
 * already: <week's folder>/delivery.ini (sentstate.c), so that a rerun of
 * the week sends nothing twice unless asked to (--resend).
 *
 * The file is a GLib key file, one group per message:
 *   [message workbook+pdf]
 *   week=2026-W47
 *   message_id=<mqlreport.2026-W47.workbook-pdf.…@example.com>
 *   to=ceo@example.com, cmo@example.com
 *   cc=archive@example.com
 *   accepted_at=2026-11-23T07:00:12Z
 *   reply=250
 *   reply_text=250 2.0.0 Ok: queued as 4F1A2
 *   figures=<report_figures_sha256(): the figures, the report header left out>
 * and, for a report made before its week had ended (its counts partial):
 *   partial=true
 *   counts_until=2026-11-18T12:00:00Z
 * the moment, by the clock, that the run was made at: the report counted
 * what had happened before it. An entry without `partial` (every file
 * written before the key existed) is of the complete week. */
#ifndef MQL_SENTSTATE_H
#define MQL_SENTSTATE_H

#include <stdbool.h>

#include "base.h"

typedef struct sentstate sentstate;

/* One accepted message. */
typedef struct sent_entry {
	char *week;	    /* "2026-W47": the week the message reported */
	char *message_id;   /* "<…@…>" */
	char *to, *cc;	    /* "a@x, b@y"; "" when none */
	char *accepted_at;  /* UTC, "2026-11-23T07:00:12Z" */
	long reply;	    /* the server's reply code */
	char *reply_text;   /* its reply line; NULL or "": not recorded */
	char *figures;	    /* report_figures_sha256() of what was sent; NULL: not recorded */
	bool partial;	    /* its week had not ended when the report was made */
	char *counts_until; /* partial: UTC, when it was made; NULL or "": not recorded */
} sent_entry;

/* The sent-state of the week's folder out_dir: empty when its file does
 * not exist. Owned by the caller. A file that cannot be read (a symbolic
 * link, not a regular file, a read error) is NULL with err MQ_CANTCREAT;
 * one that is not a valid key file NULL with err MQ_CONFIG: never taken
 * for "nothing sent". */
sentstate *sentstate_open(const char *out_dir, mq_err *err);
/* Free (NULL is a no-op). Nothing is written. */
void sentstate_free(sentstate *s);

/* True when the message `key` ("workbook+pdf", "workbook" or "pdf") of
 * `week` was accepted already: a folder that --out names for every week
 * holds the last week sent, and another week's message is not this one's
 * (an entry without its week, written before the week was recorded, takes
 * it from its Message-ID; one without either counts as this week's). Then,
 * when e is non-NULL, fills e with new strings (NULL for a field the file
 * lacks) that sent_entry_clear() frees. */
bool sentstate_find(const sentstate *s, const char *key, const char *week, sent_entry *e);
/* Free the strings sentstate_find() put into e. */
void sent_entry_clear(sent_entry *e);

/* Record the message `key` as accepted (e is only read), in place of what
 * was recorded under `key` before, and rewrite the file atomically at once. Call it only after the
 * server accepted the message. Returns 0, or -1 with err (MQ_CANTCREAT). */
int sentstate_mark(sentstate *s, const char *key, const sent_entry *e, mq_err *err);

#endif
