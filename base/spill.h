/* spill.h — records kept in a temporary file rather than in memory.
 *
 * A report's rows that grow with the week's leads (the drill-down: one row
 * per MQL, SQL and win) go to a spill as they are made and are read back
 * one at a time by whoever renders them, so that memory does not grow with
 * them. The file lives in the temporary folder (TMPDIR, else /tmp), is
 * removed from it at once (nothing is left behind, even after a crash) and
 * goes when the last reference is dropped.
 *
 * Writing is append-only and single-threaded; what is flushed may be read
 * by any number of threads at once (pread: no shared position) while no
 * thread writes. A temporary file
 * that cannot be created or written stops the program with a message that
 * names the folder, as an allocation that fails does: it stands in for
 * memory, and the report cannot be made without it. */
#ifndef MQL_SPILL_H
#define MQL_SPILL_H

#include <stddef.h>
#include <stdint.h>

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

#endif
