/* csvr.h — the one streaming CSV reader every source goes through.
 *
 * Push-style over libcsv in strict mode (CSV_STRICT | CSV_STRICT_FINI):
 * local files and HTTP bodies both feed bytes with csvr_feed(), in chunks of
 * any size. A UTF-8 BOM at the start is skipped; LF, CR and CRLF end lines;
 * blank lines (and lines of only spaces and tabs) are not records. Spaces
 * are part of a field; every chunking of the same bytes gives the same
 * records and the same error. Each record (the header row included) is
 * handed to the callback with the 1-based line on which it starts.
 *
 * Errors are sticky: after the first one, csvr_feed() and csvr_finish()
 * return -1 and csvr_error() says where: "leads.csv:12:7: unterminated quote".
 *
 * Ownership: csvr_new() copies `name`; field pointers passed to the callback
 * are valid only during the call. csvr_free(NULL) is a no-op. */
#ifndef MQL_CSVR_H
#define MQL_CSVR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct csvr_field {
	const char *s; /* not NUL-terminated; may contain NUL bytes */
	size_t len;
} csvr_field;

/* Return 0 to go on, non-zero to stop reading (csvr_feed then returns -1
 * with the message set by csvr_fail(), if any). */
typedef int (*csvr_record_fn)(void *ctx, const csvr_field *fields, size_t n, uint32_t line);

typedef struct csvr csvr;

/* max_field: the largest field accepted, in bytes (0: 1 MiB); a larger one
 * is an error, so a runaway quote cannot eat memory. */
csvr *csvr_new(const char *name, size_t max_field, csvr_record_fn fn, void *ctx);
int csvr_feed(csvr *r, const void *data, size_t len);
/* End of input: flushes the last record, reports an unterminated quote. */
int csvr_finish(csvr *r);
const char *csvr_error(const csvr *r);
/* From a callback: stop with this message (copied). */
void csvr_fail(csvr *r, const char *msg);
uint64_t csvr_bytes(const csvr *r); /* bytes fed so far */

/* For a reader of the second part of a stream, cut at a line start: no BOM
 * is looked for, and the first line is numbered `line`. Call before the
 * first csvr_feed(). */
void csvr_start_at(csvr *r, uint32_t line);
/* Bytes held back of a record not yet complete (0 at a record boundary). */
size_t csvr_pending(const csvr *r);
/* The line of the next byte to be fed. */
uint32_t csvr_line(const csvr *r);
void csvr_free(csvr *r);

/* The field separator (',' by default): ';', '\t', '|' … for a dialect;
 * 0 chooses it from the first lines (csvr_sniff_delim) before any record
 * is handed on. Call before the first csvr_feed(). */
void csvr_set_delim(csvr *r, int delim);
/* The separator in use (after sniffing, the one chosen). */
int csvr_delim(const csvr *r);
/* Of `,` `;` tab and `|`, the one held equally often (outside quotes) by
 * the longest run of consecutive lines among the first 32 (a header and
 * its rows), then the one with the larger such count; `,` on a tie or
 * when none occurs. */
int csvr_sniff_delim(const void *data, size_t len);
/* After the last record, csvr_finish() calls the callback once more with
 * no fields (n = 0) at the line after the input. */
void csvr_want_end(csvr *r);
/* Records of up to nfields fields (the header's width) with no quote are
 * the common shape, which the reader splits on a shorter path; any other
 * record is read as before. Records and errors are the same either way. */
void csvr_expect(csvr *r, size_t nfields);
/* From a callback: true when the reader knows the record it hands on to be
 * plain ASCII, every byte from its first field's to its last field's end
 * below 0x80 and not NUL (a record of the common shape, checked while it
 * was split); false says nothing. */
bool csvr_plain(const csvr *r);
/* From a callback: true when the first field of the record it hands on
 * was written in quotes ("Leads by source, last 90 days" alone on its
 * line is a report's title, whatever separators it holds). */
bool csvr_quoted(const csvr *r);

/* Whether the splitter may find the separators of the common record shape
 * by 64-byte compares where the processor has them (AVX-512BW; the
 * default), rather than by 16-byte ones as on every other processor; the
 * records are the same. Returns whether the 64-byte compares are used. */
bool csvr_set_wide(csvr *r, bool on);

#endif
