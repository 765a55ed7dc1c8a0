/* xlsx.h — the executive workbook's pieces beyond reports.h.
 *
 * report_xlsx_write() (reports.h) lays the tree out as templates/workbook.ini
 * says; each number keeps its value and gets the Excel format of its mv_fmt. */
#ifndef MQL_XLSX_H
#define MQL_XLSX_H

#include <stddef.h>

#include "mval.h"

/* The Excel number format of a number in format f ("#,##0", "0.0%", …);
 * money carries the currency (`"$"#,##0.00`, `#,##0.00 "CHF"`). NULL for the
 * General format. The result lives in buf (n bytes) or is static. */
const char *xlsx_num_format(mv_fmt f, bool integral, const char *currency, char *buf, size_t n);

#endif
