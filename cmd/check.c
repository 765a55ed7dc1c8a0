/* check.c — `mqlreport check`: validate the configuration and every source,
 * print what was read, write no report. Exits as a run would on bad input. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "run.h"
#include "timeparse.h"

static void print_counts(const char *title, const kvcounts *c)
{
	if (c->len == 0)
		return;
	printf("  %s:\n", title);
	for (size_t i = 0; i < c->len; i++)
		printf("    %-28s %lld\n", c->items[i].key, (long long)c->items[i].n);
}

/* The as_of-dependent quality of one source, from the computed tree. */
static const mval *source_quality(const mval *dq, const char *name)
{
	const mval *rows = mv_get(dq, "sources");
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *r = mv_at(rows, i);
		const char *s = mv_str_of(mv_get(r, "source"));
		if (s && !strcmp(s, name))
			return r;
	}
	return NULL;
}

/* The first n rejected rows: where, why, and the raw values. */
static void print_rejects(const dataset *ds, int n)
{
	if (n <= 0 || ds->nrejects == 0)
		return;
	size_t shown = (size_t)n < ds->nrejects ? (size_t)n : ds->nrejects;
	printf("rejected rows (the first %zu of %zu):\n", shown, ds->nrejects);
	for (size_t i = 0; i < shown; i++) {
		const reject *r = &ds->rejects[i];
		printf("  %s:%u: %s:", ds->src[r->source].location, r->line, r->reason);
		for (size_t f = 0; f < r->nfields; f++)
			printf("%s \"%.*s\"", f ? "," : "", (int)(r->lens[f] > 80 ? 80 : r->lens[f]),
			       r->fields[f]);
		printf("\n");
	}
}

int cmd_check(int argc, char **argv)
{
	run_ctx ctx;
	mq_err err = { 0 };
	mval *root = NULL;
	gint show_rejects = 0;
	const GOptionEntry extra[] = {
		{ "show-rejects", 0, 0, G_OPTION_ARG_INT, &show_rejects,
		  "Print the first N rejected rows with their reason and raw values", "N" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	if (ctx_parse(&ctx, "check", "validate the configuration and every source", extra, &argc,
		      &argv, &err) != 0)
		goto done;
	if (argc > 1) {
		mq_err_set(&err, MQ_USAGE, "unexpected argument \"%s\" (try mqlreport check --help)",
			   argv[1]);
		goto done;
	}
	if (ctx_load(&ctx, &err) != 0)
		goto done;

	root = run_compute(&ctx);
	const mval *dq = mv_get(root, "data_quality");
	char asof[32];
	ts_format_utc(ctx.mp.as_of, asof, sizeof asof);
	printf("week %s (as_of %s, time zone %s)\n", ctx.week_label, asof,
	       ctx.cfg.in.timezone ? ctx.cfg.in.timezone : "UTC");
	int stale = 0;
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *st = &ctx.ds->src[s];
		if (!st->present)
			continue;
		printf("%s: %s (preset %s, %lld bytes)\n", source_name[s], st->location,
		       st->preset ? st->preset : "canonical", (long long)st->bytes);
		printf("  rows read %lld, accepted %lld, rejected %lld\n", (long long)st->rows_read,
		       (long long)st->rows_accepted, (long long)st->rows_rejected);
		print_counts("rejected by reason", &st->rejected_by_reason);
		print_counts("warnings by field", &st->warnings_by_field);
		if (st->preamble_lines || st->footer_lines)
			printf("  report lines skipped: %lld before the header, %lld after the data\n",
			       (long long)st->preamble_lines, (long long)st->footer_lines);
		if (st->unknown_columns.len) {
			printf("  ignored columns:");
			for (size_t i = 0; i < st->unknown_columns.len; i++)
				printf("%s \"%s\"", i ? "," : "", st->unknown_columns.items[i].key);
			printf("\n");
		}
		const mval *q = source_quality(dq, source_name[s]);
		if (q) {
			char newest[32] = "none";
			ts_ms t = mv_time_of(mv_get(q, "newest_timestamp"));
			if (t != TS_NONE)
				ts_format_utc(t, newest, sizeof newest);
			bool is_stale = mv_bool_of(mv_get(q, "stale"));
			stale += is_stale;
			printf("  newest timestamp %s, %lld at or after as_of%s\n", newest,
			       (long long)mv_int_of(mv_get(q, "timestamps_after_as_of")),
			       is_stale ? ", STALE (nothing in the 7 days before as_of)" : "");
		}
	}
	printf("duplicates: %lld leads, %lld opportunities; orphaned: %lld events, %lld "
	       "opportunities; unknown event types: %lld\n",
	       (long long)ctx.ds->duplicate_leads, (long long)ctx.ds->duplicate_opps,
	       (long long)mv_int_of(mv_get(dq, "orphaned_events")),
	       (long long)mv_int_of(mv_get(dq, "orphaned_opportunities")),
	       (long long)mv_int_of(mv_get(dq, "unknown_event_types")));
	print_rejects(ctx.ds, show_rejects);
	printf("check: OK, %zu row%s rejected%s\n", ctx.ds->nrejects, ctx.ds->nrejects == 1 ? "" : "s",
	       stale ? ", stale sources present" : "");
done:
	mv_free(root);
	ctx_free(&ctx);
	return mq_failed(&err) ? report_error(&err) : MQ_OK;
}
