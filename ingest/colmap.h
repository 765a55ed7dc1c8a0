/* colmap.h — canonical columns, vendor presets and header matching.
 *
 * A preset names the vendor headers of each canonical column (several
 * spellings each), whether US
 * dates and the literal `null` occur, and value aliases (vendor channel
 * labels, activity type ids). The canonical column names themselves match
 * under every preset. An explicit `column = header` list from the config
 * replaces the preset's names for the columns it lists.
 *
 * A name matches the header written as it is (trimmed, in any case, under
 * Unicode's case folding) first; only when no header is, the headers whose
 * letters and digits are its own (colmap_fold()). */
#ifndef MQL_COLMAP_H
#define MQL_COLMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "base.h"
#include "csvr.h"
#include "dataset.h"
#include "strpairs.h"

/* Canonical columns of every source (SPEC §3), plus converted_opportunity_id:
 * the CRM's id of the opportunity a lead was converted into. */
enum canon_col {
	CC_LEAD_ID,
	CC_CREATED_AT,
	CC_MQL_AT,
	CC_ACCEPTED_AT,
	CC_REJECTED_AT,
	CC_SQL_AT,
	CC_FIRST_CONTACT_AT,
	CC_OPPORTUNITY_AT,
	CC_WON_AT,
	CC_LOST_AT,
	CC_CHANNEL,
	CC_CAMPAIGN,
	CC_JOB_TITLE,
	CC_COMPANY_SIZE,
	CC_INDUSTRY,
	CC_COUNTRY,
	CC_AMOUNT,
	CC_CONVERTED_OPP,
	CC_OCCURRED_AT,
	CC_TYPE,
	CC_DATE,
	CC_CURRENCY,
	CC_OPPORTUNITY_ID,
	CC_CLOSED_AT,
	CC_STAGE,
	CC_IS_WON,
	CC_IS_CLOSED,
	CC_LEAD_STATUS, /* the CRM's status of a lead (mql_source = status) */
	CC_COUNT
};
extern const char *const colmap_column[CC_COUNT]; /* "lead_id", "created_at", … */

/* CC_CREATED_AT + t is the column of lead time field t (enum lead_time). */
#define CC_LEAD_TIME(t) (CC_CREATED_AT + (t))

/* True when source s has column c. */
bool colmap_has(int source, int c);
/* The required columns of source s in SPEC order, ending with -1. */
const int *colmap_required(int source);

typedef struct colmap_alias {
	const char *from, *to;
} colmap_alias;

/* A preset, as data. */
typedef struct colmap_preset {
	const char *name;
	bool us_dates;			     /* M/D/YYYY dates */
	bool null_literal;		     /* the text `null` is an empty field */
	const colmap_alias *channel_aliases; /* NULL-terminated by from */
	const colmap_alias *type_aliases;
	const colmap_alias *industry_aliases; /* the vendor's industry picklist; may be NULL */
} colmap_preset;

/* The preset called name ("canonical", "hubspot", "salesforce", "marketo"),
 * or NULL. */
const colmap_preset *colmap_preset_named(const char *name);

/* The binding of one source's header row. */
typedef struct colmap {
	const colmap_preset *preset;
	int col[CC_COUNT];    /* header index of each canonical column; -1 absent */
	int alike[CC_COUNT];  /* a column a preset's name or its own bound to the
				 leftmost of headers that differ only in case,
				 spaces and symbols ("Amount (€)", "Amount ($)"):
				 the next of them, unread; -1: none */
	int nalike[CC_COUNT]; /* how many of them are unread so */
	size_t nheader;
} colmap;

/* Where a header row is, for the messages about it and what they advise. */
typedef struct colmap_where {
	const char *name;  /* the file, as configured */
	uint32_t line;	   /* the header's line */
	const char *group; /* the file's configuration group after "source." and "columns.":
			      "leads", or "spend.NAME" for a further spend file */
	bool quoted;	   /* the header's first field was written in quotes */
} colmap_where;

/* Bind the header row hdr[0..n) of source s. preset_name "auto" or NULL
 * detects the preset: the one whose names bind every required column and
 * the most columns in all (canonical first on a tie). `columns` (may be
 * NULL) is the config's canonical column → header list. Header columns
 * left unbound, duplicates included, are added to `unknown` (may be NULL)
 * as header → 1, or → 2 for a second column of the name of one that is read
 * (the same name trimmed and in any case, as find_header() matches as
 * written); of those written otherwise than the one read ("Channel" after
 * "channel"), `repeated` (may be NULL) gets header → the one read;
 * those of them that look like an optional column the header lacks (a
 * renamed "Amount USD"), to `like` (may be NULL) as header → 1 + column.
 * Returns 0, or -1 with err: MQ_CONFIG for an unknown preset or column
 * name in `columns`, MQ_DATAERR (message `<name>:<line>: missing required
 * column "x" (header has: …)` and what to set in at's group, from `at`)
 * when a required column is absent, and when a header `columns` names is
 * not in the file, is read as another column, or is not in the file as
 * written but matches several of its headers by colmap_fold();
 * `optional_ok` lists required columns that may be absent (-1 ended, or
 * NULL). */
int colmap_bind(colmap *m, int source, const char *preset_name, const strpairs *columns,
		const csvr_field *hdr, size_t n, const colmap_where *at, const int *optional_ok,
		kvcounts *unknown, strpairs *repeated, kvcounts *like, mq_err *err);

/* The columns m binds; *complete (may be NULL) gets whether every
 * required column of source s is among them, optional_ok as for
 * colmap_bind(). After colmap_bind() failed with MQ_DATAERR, m holds the
 * closest binding it tried (the preset that bound the most columns), so
 * that a caller can tell a header that lacks a column from a line that is
 * no header at all. */
int colmap_bound(const colmap *m, int source, const int *optional_ok, bool *complete);

/* The loose key of a header: its letters and digits of any script (and
 * the marks that belong to them, a vowel sign of Devanagari), after NFKC
 * and Unicode case folding; "Create Date", "create_date" and "CREATE-DATE"
 * are all "createdate", "Дата создания" is "датасоздания". Text that is not
 * UTF-8 keeps its ASCII letters and digits, lower-cased. An empty key
 * matches nothing. Returns a new string; the caller free()s it. */
char *colmap_fold(const char *s, size_t len);

#endif
