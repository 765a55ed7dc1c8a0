/* reports.h — the renderers. Each takes the finished report tree (metrics
 * plus the `report` header) and writes one file atomically. They only
 * render: no metric is computed here. Each returns 0, or -1 with err set
 * (MQ_CANTCREAT when the file cannot be written). */
#ifndef MQL_REPORTS_H
#define MQL_REPORTS_H

#include "dataset.h"
#include "mval.h"

int report_json_write(const mval *root, const char *path, mq_err *err);
/* The JSON text of a tree, as metrics.json holds it. Caller frees with g_free. */
char *report_json_string(const mval *root);
int report_xlsx_write(const mval *root, const char *path, mq_err *err);
/* The workbook's settings from the configuration ([report] paper, company). */
typedef struct xlsx_opts {
	const char *paper;   /* "a4" (default) or "letter" */
	const char *company; /* document property; NULL: none */
} xlsx_opts;
int report_xlsx_write_opts(const mval *root, const char *path, const xlsx_opts *o, mq_err *err);
int report_pdf_write(const mval *root, const char *path, mq_err *err);
/* rejects.csv: source, line, reason, then the raw fields. */
int report_rejects_write(const dataset *ds, const char *path, mq_err *err);

#endif
