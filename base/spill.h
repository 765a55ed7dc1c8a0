/* spill.h — records kept in a temporary file rather than in memory.
 *
 * A report's rows that grow with the week's leads (the drill-down: one row
 * per MQL, SQL and win; on the engine path the values behind the medians)
 * go to a spill as they are made and are read back when needed, so that
 * memory does not grow with them. The file lives in the temporary folder
 * (TMPDIR, else /tmp), is removed from it at once (nothing is left behind,
 * even after a crash) and goes when the last reference is dropped.
 *
 * Writing is append-only and single-threaded; what is flushed may be read
 * by any number of threads at once (pread: no shared position) while no
 * thread writes.
 *
 * A spill that fails (its file cannot be created, written or read back)
 * does not stop the program where it fails, in the middle of the metrics
 * or of a renderer: it goes on with nothing written and zeros read, and
 * the first failure is kept for the whole program, so that spill_check()
 * stops the run before anything made from it is published. spill_probe()
 * tells beforehand whether the folder can hold a spill at all. */
#ifndef MQL_SPILL_H
#define MQL_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"

typedef struct spill spill;

spill *spill_new(void);
/* Append n bytes; returns where they start, for spill_get(). */
uint64_t spill_put(spill *s, const void *p, size_t n);
/* The bytes written so far reach the file, for spill_get(); more may be put. */
void spill_flush(spill *s);
/* spill_flush(), and the write buffer freed (a later spill_put() takes one again). */
void spill_seal(spill *s);
/* n bytes at off into buf; they must have been flushed. */
void spill_get(const spill *s, uint64_t off, void *buf, size_t n);
/* Bytes written so far. */
uint64_t spill_size(const spill *s);
/* References: spill_new() gives one; the file goes with the last. NULL is a no-op. */
spill *spill_ref(spill *s);
void spill_unref(spill *s);

/* A reader found bytes that are not what was written: kept as a spill's
 * failure (what: a few words of what was found). */
void spill_corrupt(const char *what);
/* 0 while no spill of the program has failed, else -1 with err
 * (MQ_CANTCREAT) naming the folder, the first failure and what to do. */
int spill_check(mq_err *err);
/* Whether the temporary folder can hold a spill: one is made, written,
 * read back and dropped; 0, or -1 with err as spill_check()'s. */
int spill_probe(mq_err *err);

#endif
