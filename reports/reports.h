/* reports.h — the renderers. Each takes the finished report tree (metrics
 * plus the `report` header) and writes one file atomically. They only
 * render: no metric is computed here. Each returns 0, or -1 with err set
 * (MQ_CANTCREAT when the file cannot be written). */
#ifndef MQL_REPORTS_H
#define MQL_REPORTS_H

#include "dataset.h"
#include "mval.h"

int report_json_write(const mval *root, const char *path, mq_err *err);
/* metrics.json of root with the value of its top-level member `key`
 * written as `value` instead (the tree itself unchanged: another thread
 * may be reading it). */
int report_json_write_as(const mval *root, const char *key, const mval *value, const char *path,
			 mq_err *err);
/* The same in two steps, so that the tree is rendered while the value
 * of one of its top-level members is not known yet (a run's header waits
 * for the inputs' digests): report_json_draft() renders root into memory
 * but for the value of its member `key`, the tree unchanged (another
 * thread may be reading it); report_json_draft_write() writes the file
 * with `value` in that place (nothing, when root had no such member) and
 * frees the draft, as report_json_draft_free() does. The draft holds the
 * whole text in memory, where report_json_write_as() streams it. */
typedef struct json_draft json_draft;
json_draft *report_json_draft(const mval *root, const char *key);
int report_json_draft_write(json_draft *d, const mval *value, const char *path, mq_err *err);
void report_json_draft_free(json_draft *d);
/* The JSON text of a tree, as metrics.json holds it. Caller frees with g_free. */
char *report_json_string(const mval *root);
/* The SHA-256 (hex) of the report's figures: every top-level part of the
 * tree but `report` (the header: when it was made, from which files, by
 * which version), each as `"key":` and its compact JSON and a line feed, in
 * the tree's order. Equal for two runs of a week exactly when what they
 * report is equal, whatever the files' bytes or the moment. Caller frees
 * with g_free. */
char *report_figures_sha256(const mval *root);
int report_xlsx_write(const mval *root, const char *path, mq_err *err);
/* The workbook's settings from the configuration ([report] paper, company). */
typedef struct xlsx_opts {
	const char *paper;   /* "a4" (default) or "letter" */
	const char *company; /* document property; NULL: none */
	/* The last row a sheet may use, 0-based; 0: Excel's (1,048,575). Tests
	 * lower it to see a table cut short without writing a million rows. */
	unsigned last_row;
} xlsx_opts;
int report_xlsx_write_opts(const mval *root, const char *path, const xlsx_opts *o, mq_err *err);
int report_pdf_write(const mval *root, const char *path, mq_err *err);
/* What the PDF shows beyond the tree: the paper, and the attribution model
 * that drives revenue and ROI (its config name, "first_touch"; NULL: the
 * tree's report.attribution, else first_touch). */
typedef struct report_pdf_opts {
	const char *paper; /* "a4" (NULL: a4) or "letter" */
	const char *attribution;
} report_pdf_opts;
/* report_pdf_write with options; o NULL: A4 and the tree's model. */
int report_pdf_write_opts(const mval *root, const char *path, const report_pdf_opts *o,
			  mq_err *err);
/* rejects.csv: source, line, reason, then the raw fields. */
int report_rejects_write(const dataset *ds, const char *path, mq_err *err);

#endif
