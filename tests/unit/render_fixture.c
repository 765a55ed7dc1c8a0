/* render_fixture DIR [LAST_ROW]: write metrics.json, report.xlsx, report.pdf
 * and rejects.csv of the hand-built tree (report_tree.h) into DIR, so that
 * the outputs can be inspected without the whole pipeline. LAST_ROW lowers
 * the workbook's last row (xlsx_opts.last_row) to see tables cut short.
 * Exit 0, or 73 with a message. */
#include <stdio.h>
#include <stdlib.h>

#include "report_tree.h"
#include "reports.h"

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: render_fixture DIR [LAST_ROW]\n");
		return 64;
	}
	xlsx_opts xo = {.last_row = argc == 3 ? (unsigned)strtoul(argv[2], NULL, 10) : 0};
	mval *root = tree_build();
	dataset *ds = dataset_new();
	const char *fields[] = {"L9", "", "2026-13-01"};
	size_t lens[] = {2, 0, 10};
	dataset_reject(ds, SRC_LEADS, 4, "unparseable_created_at", fields, lens, 3);
	mq_err err = {0};
	char *json = xasprintf("%s/metrics.json", argv[1]);
	char *xlsx = xasprintf("%s/report.xlsx", argv[1]);
	char *pdf = xasprintf("%s/report.pdf", argv[1]);
	char *rej = xasprintf("%s/rejects.csv", argv[1]);
	int rc = report_json_write(root, json, &err) ||
		 report_xlsx_write_opts(root, xlsx, &xo, &err) ||
		 report_pdf_write(root, pdf, &err) || report_rejects_write(ds, rej, &err);
	if (rc)
		fprintf(stderr, "render_fixture: %s\n", err.msg);
	free(json);
	free(xlsx);
	free(pdf);
	free(rej);
	dataset_free(ds);
	mv_free(root);
	return rc ? err.status : 0;
}
