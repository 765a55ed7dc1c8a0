/* xlsx_check.h — a written workbook read back, to find a part that did not
 * reach the file whole. */
#ifndef MQL_XLSX_CHECK_H
#define MQL_XLSX_CHECK_H

#include "base.h"

/* 0 when every XML part of the workbook in file inflates to its stated size
 * and ends with the end tag of its root element, else -1 with err
 * (MQ_CANTCREAT) naming the workbook as `name`, the part and, as the likely
 * cause, the temporary folder. Reads the file in pieces: its memory does
 * not grow with it. */
int xlsx_check_parts(const char *file, const char *name, mq_err *err);

#endif
