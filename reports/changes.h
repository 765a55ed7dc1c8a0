/* changes.h — the "What changed" sentences of the workbook and the e-mail,
 * phrased from the tree's what_changed rows and the catalogue. */
#ifndef MQL_CHANGES_H
#define MQL_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "mval.h"

/* How many movements the outputs name: the same few in the workbook, the
 * PDF and the e-mail. */
#define CHANGES_MAX 4

/* At most max sentences, the largest movements first (by move_ratio: the
 * week's move against the KPI's usual weekly move; then, for rows with too
 * few weeks, by the size of the change), each saying whether this week lies
 * outside the 13 weeks' normal variation; without a movement, the one of
 * changes_none_sentence() when it has one. NULL-terminated; free with
 * g_strfreev. */
char **changes_sentences(const mval *root, size_t max);

/* The week in one sentence, above the movements: "A usual week: no
 * headline figure moved outside its usual range of the last 13 weeks.", or
 * "An unusual week: revenue fell and MQLs rose outside their usual range
 * of the last 13 weeks." (the unusual ones, largest movement first). Only
 * the rows that can be judged count (enough weeks, comparable with last
 * week, resting on enough cases); NULL when none can. A row outside its
 * range that is not judged is named after it: "… Not judged, though
 * outside its usual range: MQL → SQL rate (not yet comparable)." g_free() it. */
char *changes_verdict(const mval *root);

/* The sentence in place of the movements when there are none to name (no
 * verdict, no change other than 0): "Nothing to compare with yet: the
 * exports hold no week before this one, …" when last week has no figure,
 * "… this week's and last week's figures are all zero or empty." or "… no
 * headline figure has a value both this week and last week." when no
 * figure has a value other than zero both weeks, or "No headline figure
 * changed from last week."; NULL
 * when the verdict or a sentence says what changed. g_free() it. */
char *changes_none_sentence(const mval *root);

/* How many of what_changed's rows that can be judged lie outside the usual
 * range; -1 when no row can be judged. The verdict's count, for the
 * subject. */
int changes_unusual_count(const mval *root);

/* Whether a what_changed row moved from last week: a change other than 0,
 * or, where there is no relative change (last week at zero), a figure
 * other than last week's. */
bool changes_moved(const mval *row);

/* The what_changed rows that moved (changes_moved), in the sentences' order (largest
 * movement first), at most max of them into rows. Returns how many. */
size_t changes_ranked(const mval *root, const mval **rows, size_t max);

/* "+19%" / "−2.1 pp" / "—" of a what_changed row; *good is +1, −1 or 0. */
void changes_text(const mval *row, char *buf, size_t n, int *good);

/* Whether a summary or what_changed row's week ("this_week", "last_week")
 * holds a cost per lead, MQL or customer of 0: one without spend, which
 * does not apply (shown "—", never "$0.00", and no change from or to it is
 * a movement). */
bool changes_no_spend(const mval *row, const char *week);
/* The same of KPI kpi's value v, as a table's cell holds it. */
bool changes_no_spend_value(const char *kpi, const mval *v);
/* changes_no_spend() of either week. */
bool changes_no_spend_either(const mval *row);
/* Why such a cost has a dash, for the notes under the figures. */
extern const char changes_no_spend_text[];

/* True when a summary or what_changed row's KPI is not yet comparable with
 * last week (the catalogue's `young`: a cohort still converting) and it
 * has a value this week: a dash has no youth to speak of (a week of no
 * MQL has no MQL → SQL rate at all). */
bool changes_young(const mval *row);

/* True when a summary or what_changed row's value this week rests on fewer
 * cases than the report's low-sample minimum (its low_sample): the outputs
 * show it in grey, flagged, and give its change no verdict. */
bool changes_few(const mval *row);

/* The report's low-sample minimum (qualification.low_sample_min), or -1
 * when the tree does not say. */
long changes_low_sample_min(const mval *root);
/* Whether n, a figure's count of cases, is from 1 to under min (a known
 * low-sample minimum): the figure rests on few cases. False for a null or
 * a text, and when min is not known (0 or less). */
bool changes_few_cases(const mval *n, long min);
/* "only 3 cases" of such a row; of one that rests on no case at all, what
 * it lacks (the catalogue's no_cases of its KPI: "no deal won" of a ROI),
 * or "no case". Free with g_free. */
char *changes_cases_text(const mval *row);
/* What a summary or what_changed row is flagged with beside its figure:
 * "only 3 cases" when it rests on few (changes_few), else "not yet
 * comparable" when its KPI is (changes_young), else NULL. Free with
 * g_free. */
char *changes_flag_text(const mval *row);
/* The note for the rows among rows[0..n) that rest on few cases: "Read
 * with care and not judged better or worse, as this week's figure rests on
 * fewer than 30 cases: Median time to SQL: 3 cases.", then for those on no
 * case at all "In grey and not judged better or worse, as this week's
 * figure rests on no case and measures nothing yet: ROI (no deal won).";
 * NULL when none does. Free with g_free. */
char *changes_few_note(const mval *root, const mval *const *rows, size_t n);

/* True when a summary or what_changed row shows a dash: this week's value,
 * last week's or the change is undefined. */
bool changes_has_dash(const mval *row);
/* The sentence that says why a KPI shows a dash, for the note under a
 * table or the tiles that show one. */
extern const char changes_dash_text[];

/* Why revenue and wins seem not to agree, when the week's won deals
 * (windows.1w.won_deals, with an amount or without) outnumber its wins (an
 * opportunities source books a customer's further deals in their own week,
 * SPEC §6): "Revenue adds up the amounts of 4 deals won this week; Wins
 * counts the 2 leads won for the first time, so a customer's further deals
 * add to revenue, not to wins.", with " (1 of them without an amount, which
 * adds 0)" after "this week" when some have none; NULL otherwise. g_free()
 * it. */
char *changes_deals_note(const mval *root);

/* The rows no figure counts, by source, for the readers of the e-mail and
 * the PDF (the operator's log and the workbook say more): "Left out of every
 * figure: 9 rows the reader could not use (leads 3, events 4, spend 2); the
 * workbook's Data quality sheet says why, and rejects.csv in the report's
 * folder lists them." NULL when none was rejected. g_free() it. */
char *changes_rejects_note(const mval *root);
/* The same, ending where the reader can look (" the workbook's …"), or
 * after the counts when `where` is NULL: for a message that carries
 * neither the workbook nor a way to the report's folder. g_free() it. */
char *changes_rejects_note_where(const mval *root, const char *where);

/* The note for the KPIs of rows[0..n) (summary or what_changed rows; NULL
 * ones skipped) whose change is not yet comparable with last week
 * (changes_young), which the outputs leave uncoloured: "Not judged better
 * or worse, as not yet comparable with last week: MQL → SQL rate: this
 * week's MQLs have had …."; NULL when none is. Free with g_free. */
char *changes_young_note(const mval *const *rows, size_t n);

/* The qualification-health sentence from the tree's qualification table:
 * the share of MQLs sales rejected, the share of SQLs never MQLs, and which
 * way the score's threshold errs with the sweep's candidate; NULL without
 * the table or its lean. Free with g_free. */
char *changes_qualification(const mval *root);

/* What decides the report's MQLs, as words: "MQLs: a score of 60 or more,
 * its behavioural points halving every 14 days", "… its points not
 * decaying", or "MQLs: the leads export's MQL date" (or lead status).
 * Caller frees (g_free). */
char *changes_mql_basis(const mval *root);

#endif
