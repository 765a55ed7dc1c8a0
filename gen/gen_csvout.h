/* gen_csvout.h — the generator's buffered CSV output: fields, numbers,
 * timestamps and money written into a large buffer over one file.
 *
 * ob_room() and ob_putc() are inline: they run for every byte of a run that
 * can write gigabytes. */
#ifndef MQL_GEN_CSVOUT_H
#define MQL_GEN_CSVOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "afile.h"
#include "base.h"

enum { OBUF_CAP = 1 << 20 };

typedef struct obuf {
	afile *af;
	FILE *fp;
	char *buf;
	size_t len;
	bool failed;
	int64_t rows; /* data rows written */
	int id_style; /* enum gen_id_style: how ob_lead_id() spells a lead's number */
	int ts_style; /* enum gen_ts_style: how ob_ts() spells an instant */
	const char *const *type_names; /* event type names by kind; NULL: canonical */
} obuf;

/* --vendor: ISO 8601 (canonical, Marketo), "2026-03-04 10:11:12" (HubSpot)
 * or "3/4/2026 10:11:12 AM" (Salesforce's US locale), both in UTC. */
enum gen_ts_style { TSS_ISO, TSS_SPACE, TSS_US };

/* --id-style: L0000042 (the default), HubSpot-like Record IDs (plain
 * integers) or Salesforce-like 18-character ids. */
enum gen_id_style { ID_PREFIXED, ID_NUMERIC, ID_SALESFORCE };

void ob_flush(obuf *b);

/* Room for n more bytes (n <= OBUF_CAP). */
static inline char *ob_room(obuf *b, size_t n)
{
	if (b->len + n > OBUF_CAP)
		ob_flush(b);
	return b->buf + b->len;
}

static inline void ob_putc(obuf *b, char c)
{
	*ob_room(b, 1) = c;
	b->len++;
}

void ob_putn(obuf *b, const char *s, size_t n);
void ob_puts(obuf *b, const char *s);
/* A field, quoted by the project's one CSV rule (csvout.h). */
void ob_field(obuf *b, const char *s);
/* The end of a data row: a line break, counted. */
void ob_endrow(obuf *b);
/* v in decimal, zero-padded to `width` digits. */
void ob_u64(obuf *b, uint64_t v, int width);

/* Timestamp forms (SPEC §2) the generator writes. */
enum tfmt {
	TF_Z,	 /* 2026-03-04T10:11:12Z */
	TF_ZMS,	 /* 2026-03-04T10:11:12.250Z */
	TF_OFF,	 /* 2026-03-04T12:11:12+02:00: the same instant in local time */
	TF_DATE, /* 2026-03-04 (the instant is UTC midnight) */
};

/* Instant t in form `fmt` (enum tfmt); off_min is the local offset for
 * TF_OFF. TS_NONE writes nothing. */
void ob_ts(obuf *b, ts_ms t, int fmt, int off_min);
/* Money in cents: "1234.50", or "$1,234.50" in the `fancy` style. */
void ob_money(obuf *b, int64_t cents, bool fancy);
/* "L0000042": the lead id of lead number n (1-based). */
void ob_lead_id(obuf *b, uint64_t n);

#endif
