/* mail_body.h — the blocks of the weekly e-mail that mail_render() fills
 * in from the report tree: the subject's headline, the health banner, the
 * KPI table, the "What changed" sentences, the trend image and the list of
 * files (mail_body.c). Each block is complete (its own wrapper) or empty,
 * so a template never shows an empty paragraph. Every string returned is
 * new (caller frees with free()). */
#ifndef MQL_MAIL_BODY_H
#define MQL_MAIL_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "mval.h"

/* "44 MQLs (+19%), cost per MQL €259.81 (−6%)": MQLs first, then the
 * largest other movements of what_changed (as changes.h ranks them), at most
 * max_items, stopping before the text would exceed max_chars characters;
 * each amount in the precision of the body's sentence on its row. */
char *mail_headline(const mval *root, size_t max_items, size_t max_chars);

/* "Week 47, Mon 16 – Sun 22 Nov 2026 (UTC)" (long) or "week 47 (16–22 Nov)". */
char *mail_week_title(const mval *root, bool long_form);

/* What the figures rest on, under the title: what decides an MQL and the
 * data's cut-off in the report's zone ("MQLs: the leads export's MQL date.
 * Data before Mon 23 Nov 2026 00:00 Europe/Berlin."), the cut-off on a
 * line of its own; paragraphs in HTML, wrapped lines in text. Caller frees. */
char *mail_basis_block(const mval *root, bool html);

/* The data-health warnings, one per line (text) or in a shaded box (HTML);
 * "" when there are none. */
char *mail_health_block(const mval *root, bool html);

/* The reports a message carries, as flags. */
enum { MAIL_WORKBOOK = 1, MAIL_PDF = 2 };
/* Which reports a message carries, from its `reports` variable: the kinds
 * of the reports attached, "workbook" and "pdf", separated by spaces; both
 * when it has no such variable (NULL), as a template rendered outside a
 * message. */
unsigned mail_carried(const char *reports);

/* The headline KPIs of `summary`: label, this week, last week and the change
 * in the metric's unit (pp for rates and ROI); in HTML a table with an arrow
 * coloured by the metric's direction (two lines a KPI when the figures are
 * too long for four columns on a phone), in text aligned columns with
 * "better"/"worse" in lines of at most 78 characters. Both carry the same
 * labels and figures, every figure whole; a cost per unit of 0 (no spend)
 * reads "—", without a change or a verdict. */
char *mail_kpi_table(const mval *root, bool html);
/* The notes under the KPI table (a paragraph each in HTML, wrapped lines in
 * text): which changes are left uncoloured as not yet comparable
 * (changes_young_note), why a cell shows a dash when one does (a cost
 * without spend too), the rows
 * left out and the attribution model; "" when none applies. Each refers
 * only to what the message carries (mail_carried's flags): a message of
 * the PDF alone points to no workbook and no folder. Caller frees. */
char *mail_kpi_notes(const mval *root, bool html, unsigned carries);

/* The "What changed" sentences (changes.h), at most max; "" when none. */
char *mail_changes_block(const mval *root, size_t max, bool html);

/* The "Qualification" sentence (changes_qualification) under its heading,
 * after the week's figures; "" when there is none. */
char *mail_qualification_block(const mval *root, bool html);

/* The inline trend image: <img src="cid:CID" alt="ALT"> in a block (HTML
 * only; "" in text or when cid is empty). */
char *mail_image_block(const char *cid, const char *alt, bool html);

/* What is attached and what was left out (note: the reason, may be ""). */
char *mail_files_block(const char *attached, const char *note, bool html);

/* Text wrapped at spaces to width columns (UTF-8 characters), each line
 * after the first starting with indent. */
char *mail_wrap(const char *s, size_t width, const char *first, const char *indent);

#endif
