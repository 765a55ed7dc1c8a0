/* run.h — the steps of `mqlreport run`, for the commands and delivery code
 * that reuse them. */
#ifndef MQL_RUN_H
#define MQL_RUN_H

#include "commands.h"
#include "manifest.h"
#include "mval.h"

enum output_kind { OUTPUT_JSON, OUTPUT_XLSX, OUTPUT_PDF, OUTPUT_REJECTS };
#define RUN_OUTPUTS 4

typedef struct run_output {
	char name[64]; /* file name inside the output folder */
	enum output_kind kind;
} run_output;

/* The output files of the ctx's week, in the order they are written. */
void run_outputs(const run_ctx *ctx, run_output out[RUN_OUTPUTS]);
/* The folder the outputs land in: --out DIR, else <out_root>/<week>. Caller frees. */
char *run_out_dir(const run_ctx *ctx);
/* 0 when a run could publish into run_out_dir() (publish_dir_check() with
 * the run's own file names) and the temporary folder can hold the rows
 * that wait there (spill_probe()), else -1 with err (MQ_CANTCREAT). */
int run_out_check(const run_ctx *ctx, mq_err *err);
/* `report` of SPEC §8 for the loaded ctx, made at generated_at. New tree. */
mval *run_report_header(const run_ctx *ctx, ts_ms generated_at);
/* metrics_compute() with `report` first. New tree. */
mval *run_compute(const run_ctx *ctx);
/* The data-health gate over root's `data_quality.health`: logs every
 * warning and failure; returns 0, or -1 with err (MQ_DATAERR naming each
 * failed check) when a check with policy fail tripped. */
int run_health_gate(const run_ctx *ctx, const mval *root, mq_err *err);
/* Render every output into dir (the run's staging folder: publishing the
 * week is publish.h's), each with its digest for the manifest, in
 * run_outputs()' order. Returns 0, or -1 with err. */
int run_render(const run_ctx *ctx, const mval *root, const char *dir,
	       manifest_digest dig[RUN_OUTPUTS], mq_err *err);
/* A log line on stderr: "mqlreport: …". */
void run_log(const run_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
