/* csvout.h — one field of CSV output, quoted by one rule for every file the
 * program writes (rejects.csv, the score CSV, the sample exports).
 *
 * The rule (RFC 4180, plus blanks): a field is quoted when it holds a comma,
 * a double quote, CR or LF, or begins or ends with a space or a tab (so
 * that a reader that trims fields keeps them); a quote inside is doubled.
 * Every other byte is written as it is. */
#ifndef MQL_CSVOUT_H
#define MQL_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Where the bytes go: called with runs of the field's output in order. */
typedef void (*csv_sink)(void *ctx, const char *p, size_t n);

bool csv_field_needs_quotes(const char *s, size_t n);

/* Write the n bytes of s as one field (no separator) to sink. */
void csv_field_emit(const char *s, size_t n, csv_sink sink, void *ctx);

/* A field of a file meant to be opened in a spreadsheet (rejects.csv),
 * inert there and still exact (docs/outputs.md): a backslash is written \\
 * and a NUL byte \0; then a field that begins with = + - @ ' tab or CR gets
 * one leading ' so that no spreadsheet reads it as a formula (OWASP "CSV
 * injection"); then the quoting rule above. To recover the raw bytes: drop
 * one leading ' from a field that has one, then replace \\ by \ and \0 by
 * NUL, reading left to right. */
void csv_field_emit_inert(const char *s, size_t n, csv_sink sink, void *ctx);

/* The same to a stdio stream; s NULL is an empty field. */
void csv_field_fput(FILE *fp, const char *s);

#endif
