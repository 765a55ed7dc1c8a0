/* rejects.c — rejects.csv (SPEC §3, §7): one row per rejected input row,
 * its fields as they were read, made inert for spreadsheets and with NULs
 * shown (csv_field_emit_inert). Renders only: decides nothing about rows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "afile.h"
#include "csvout.h"
#include "reports.h"

static void csv_field(FILE *fp, const char *s, bool first)
{
	if (!first)
		fputc(',', fp);
	csv_field_fput(fp, s);
}

static void to_stream(void *ctx, const char *p, size_t n)
{
	fwrite(p, 1, n, ctx);
}

int report_rejects_write(const dataset *ds, const char *path, mq_err *err)
{
	afile *f = afile_open(path, err);
	if (!f)
		return -1;
	FILE *fp = afile_stream(f);

	/* header: source,line,reason,field_1..field_N with N the widest row;
	 * each row then carries exactly its own raw fields (not padded) */
	size_t width = 0;
	for (size_t i = 0; i < ds->nrejects; i++)
		if (ds->rejects[i].nfields > width)
			width = ds->rejects[i].nfields;
	fputs("source,line,reason", fp);
	for (size_t j = 0; j < width; j++)
		fprintf(fp, ",field_%zu", j + 1);
	fputs("\r\n", fp);

	for (size_t i = 0; i < ds->nrejects; i++) {
		const reject *r = &ds->rejects[i];
		const char *src =
		    r->source >= 0 && r->source < SRC_COUNT ? source_name[r->source] : "";
		char line[24];
		snprintf(line, sizeof line, "%u", (unsigned)r->line);
		csv_field(fp, src, true);
		csv_field(fp, line, false);
		csv_field(fp, r->reason ? r->reason : "", false);
		for (size_t j = 0; j < r->nfields; j++) {
			fputc(',', fp);
			csv_field_emit_inert(r->fields[j] ? r->fields[j] : "",
					     r->fields[j] ? r->lens[j] : 0, to_stream, fp);
		}
		fputs("\r\n", fp);
	}
	if (ferror(fp)) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", path, strerror(errno));
		afile_abort(f);
		return -1;
	}
	return afile_commit(f, err);
}
