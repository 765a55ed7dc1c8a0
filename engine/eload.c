/* eload.c — `mqlreport load`: the accepted rows of each source, as ingest
 * read them, inserted into ClickHouse in RowBinary batches (an amount's
 * Float64 arrives exactly, where a server may read its text a unit in the
 * last place off); a load per file, idempotent (see eload.h).
 *
 * It must not parse, map or judge a row: ingest did, the same way as for a
 * run, and rejects and counts come from there unchanged. */
#include "eload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch.h"
#include "enodes.h"
#include "erejects.h"
#include "eschema.h"

static void put_str(GString *g, const char *s)
{
	g_string_append_c(g, '\t');
	ch_tsv_escape(g, s);
}

/* The row's values in RowBinary: a String, an Int64, a UInt32, an Int8 or
 * UInt8 (ch.h). */
static void rb_str(GString *g, const char *s)
{
	ch_rb_put_string(g, s, strlen(s));
}

static void rb_i64(GString *g, long long v)
{
	ch_rb_put_fixed(g, (uint64_t)v, 8);
}

static void rb_u32(GString *g, uint32_t v)
{
	ch_rb_put_fixed(g, v, 4);
}

static void rb_8(GString *g, int v)
{
	ch_rb_put_fixed(g, (uint64_t)(uint8_t)(int8_t)v, 1);
}

/* An amount as its Float64's bits, exactly (0 when empty), then amount_set. */
static void rb_amount(GString *g, double a)
{
	ch_rb_put_f64(g, isnan(a) ? 0 : a);
	rb_8(g, isnan(a) ? 0 : 1);
}

/* The columns each source's INSERT names, in the order the rows give them. */
static const char *const insert_cols[SRC_COUNT] = {
    [SRC_LEADS] = "leads (attempt, seq, lead_id, created_at, mql_at, accepted_at, rejected_at, "
		  "sql_at, first_contact_at, opportunity_at, won_at, lost_at, amount, amount_set, "
		  "company_size, channel, campaign, job_title, industry, country, converted_opp, "
		  "line)",
    [SRC_EVENTS] = "events (attempt, seq, lead_id, at, type, channel, campaign)",
    [SRC_SPEND] = "spend (attempt, seq, day, amount, channel, campaign)",
    [SRC_OPPORTUNITIES] = "opportunities (attempt, seq, opportunity_id, lead_id, created, "
			  "closed, amount, amount_set, stage, is_won, is_closed)",
};

static size_t source_rows(const dataset *ds, int s)
{
	switch (s) {
	case SRC_LEADS:
		return ds->nleads;
	case SRC_EVENTS:
		return ds->nevents;
	case SRC_SPEND:
		return ds->nspend;
	default:
		return ds->nopps;
	}
}

static const char *lead_id_of(const dataset *ds, uint32_t lead)
{
	return lead == NO_LEAD ? "" : ds_str(ds, ds->leads[lead].id);
}

/* The lead_id of event k, read in order: an orphan's (the last
 * norphan_ids events) as ingest kept it, through the cursor *opos. */
static const char *event_lead_id(const dataset *ds, size_t k, size_t *opos)
{
	uint32_t lead = ds_event_lead(ds, k);
	if (lead != NO_LEAD || k < ds->nevents - ds->norphan_ids)
		return lead_id_of(ds, lead);
	const char *id = ds_next_orphan_id(ds, opos);
	return id ? id : "";
}

/* Row k of source s (everything after attempt and seq) in RowBinary;
 * rows in order, *opos the cursor of event_lead_id(). */
static void put_row(GString *g, const dataset *ds, int s, size_t k, size_t *opos)
{
	if (s == SRC_LEADS) {
		const lead *l = &ds->leads[k];
		rb_str(g, ds_str(ds, l->id));
		for (int f = 0; f < LT_COUNT; f++)
			rb_i64(g, (long long)lead_t(ds, l, f));
		rb_amount(g, l->amount);
		rb_i64(g, (long long)l->company_size);
		rb_str(g, ds_str(ds, l->channel));
		rb_str(g, ds_str(ds, l->campaign));
		rb_str(g, ds_str(ds, l->job_title));
		rb_str(g, ds_str(ds, l->industry));
		rb_str(g, ds_str(ds, l->country));
		rb_str(g, ds_str(ds, l->converted_opp));
		rb_u32(g, l->line);
	} else if (s == SRC_EVENTS) {
		const event *e = &ds->events[k];
		const ev_tag *t = ds_tag(ds, e);
		rb_str(g, event_lead_id(ds, k, opos));
		rb_i64(g, (long long)ev_at(ds, e));
		rb_str(g, ds_str(ds, t->type));
		rb_str(g, ds_str(ds, t->channel));
		rb_str(g, ds_str(ds, t->campaign));
	} else if (s == SRC_SPEND) {
		const spend_row *r = &ds->spend[k];
		rb_i64(g, (long long)r->day);
		ch_rb_put_f64(g, r->amount);
		rb_str(g, ds_str(ds, r->channel));
		rb_str(g, ds_str(ds, r->campaign));
	} else {
		const opportunity *o = &ds->opps[k];
		rb_str(g, ds_str(ds, o->id));
		rb_str(g, o->lead == NO_LEAD && o->lead_ref ? ds_str(ds, o->lead_ref)
							    : lead_id_of(ds, o->lead));
		rb_i64(g, (long long)o->created);
		rb_i64(g, (long long)o->closed);
		rb_amount(g, o->amount);
		rb_str(g, ds_str(ds, o->stage));
		rb_8(g, o->is_won);
		rb_8(g, o->is_closed);
	}
}

/* Every row of file f under one attempt, batch by batch, each with its
 * place in the file (seq). */
static int insert_rows(const engine_cfg *c, const dataset *ds, const eload_file *f,
		       const char *attempt, mq_err *err)
{
	engine_cfg once = *c;
	once.retries = 0; /* a failed batch fails the attempt: no batch is sent twice */
	size_t n = f->nrows, opos = 0, batch = c->batch_rows > 0 ? (size_t)c->batch_rows : 100000;
	GString *g = g_string_sized_new(1 << 20);
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		rb_str(g, attempt);
		rb_u32(g, (uint32_t)k);
		put_row(g, ds, f->source, f->row0 + k, &opos);
		if ((k + 1) % batch == 0 || k + 1 == n) {
			rc = ch_insert(&once, insert_cols[f->source], "RowBinary",
				       "insert_distributed_sync=1", g->str, g->len, err);
			g_string_truncate(g, 0);
			if (c->progress)
				fprintf(stderr, "\rloading %s: %zu of %zu rows",
					source_name[f->source], k + 1, n);
		}
	}
	if (c->progress && n)
		fprintf(stderr, "\n");
	g_string_free(g, TRUE);
	return rc;
}

static void put_counts(GString *g, const kvcounts *k)
{
	GString *t = g_string_new(NULL);
	for (size_t i = 0; i < k->len; i++)
		g_string_append_printf(t, "%s%s=%lld", i ? ";" : "", k->items[i].key,
				       (long long)k->items[i].n);
	put_str(g, t->str);
	g_string_free(t, TRUE);
}

/* The record that makes an attempt's rows count, stamped *clock: the
 * milliseconds now, after the previous record of this load, so that a
 * run reads the files of one load in the order loaded. */
static int record_load(const engine_cfg *c, const dataset *ds, const eload_file *f,
		       const char *attempt, long long *clock, mq_err *err)
{
	int s = f->source;
	GString *g = g_string_new(f->sha256);
	put_str(g, attempt);
	put_str(g, source_name[s]);
	put_str(g, f->location ? f->location : "");
	put_str(g, f->preset ? f->preset : "");
	g_string_append_printf(g, "\t%lld\t%lld\t%lld\t%lld", (long long)f->bytes,
			       (long long)f->rows_read, (long long)f->rows_accepted,
			       (long long)f->rows_rejected);
	put_counts(g, f->rejected_by_reason);
	put_counts(g, f->warnings_by_field);
	long long dups = s == SRC_LEADS		  ? ds->duplicate_leads
			 : s == SRC_OPPORTUNITIES ? ds->duplicate_opps
						  : 0;
	*clock = MAX(*clock + 1, (long long)(g_get_real_time() / 1000));
	g_string_append_printf(g, "\t%lld\t%d\t%zu\t%lld\t%lld\t%lld", dups,
			       s == SRC_LEADS && ds->leads_have_mql, f->nrows, *clock,
			       (long long)f->preamble_lines, (long long)f->footer_lines);
	put_str(g, c->zone[s] ? c->zone[s] : "UTC");
	put_str(g, f->settings ? f->settings : "");
	g_string_append_printf(g, "\t%lld\t%lld", (long long)f->sign_other,
			       (long long)f->thousandths);
	put_str(g, f->amount_unread ? f->amount_unread : "");
	g_string_append_c(g, '\n');
	int rc = ch_insert(c,
			   "loads (load_id, attempt, source, location, preset, bytes, rows_read, "
			   "rows_accepted, rows_rejected, rejected_by_reason, warnings_by_field, "
			   "duplicates, leads_have_mql, rows_inserted, loaded_at, preamble_lines, "
			   "footer_lines, timezone, settings, amounts_other_sign, "
			   "amounts_thousandths, amount_unread)",
			   "TabSeparated", "insert_distributed_sync=1", g->str, g->len, err);
	g_string_free(g, TRUE);
	return rc;
}

/* The settings and location of each recorded load of a file's bytes. */
static int on_read_as(void *arg, char **f, size_t n, mq_err *err)
{
	if (n != 2) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: a loads row of %zu fields, not 2", n);
		return -1;
	}
	g_ptr_array_add(arg, g_strdup(f[0]));
	g_ptr_array_add(arg, g_strdup(f[1]));
	return 0;
}

/* Whether some file of source s in ds is read with settings d. */
static bool read_with(const dataset *ds, int s, const char *d)
{
	const source_stats *st = &ds->src[s];
	if (!st->nfiles)
		return strcmp(st->settings, d) == 0;
	for (size_t k = 0; k < st->nfiles; k++)
		if (strcmp(st->files[k].settings, d) == 0)
			return true;
	return false;
}

/* Whether file f is recorded: a load of its bytes for its source read with
 * its settings ('' : recorded before loads kept them). A load of the same
 * bytes read otherwise is another file's when another file of this load
 * is read that way from another place (two spend files of a week without
 * spend, the header alone, each with its own fixed channel): f is then
 * not loaded yet. Otherwise the tables hold f's rows read the old way
 * (other columns, aliases, currency, fixed channel), and it is refused. */
static int already_loaded(const engine_cfg *c, const dataset *ds, const eload_file *f, bool *yes,
			  mq_err *err)
{
	GString *q = g_string_new("SELECT DISTINCT settings, location FROM loads WHERE load_id = ");
	ch_sql_quote(q, f->sha256);
	g_string_append(q, " AND source = ");
	ch_sql_quote(q, source_name[f->source]);
	g_string_append(q, " ORDER BY settings, location");
	GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
	int rc = ch_query(c, q->str, NULL, on_read_as, rows, err);
	g_string_free(q, TRUE);
	const char *mine = f->settings ? f->settings : "";
	const char *loc = f->location ? f->location : "";
	const char *other_loc = NULL;
	*yes = false;
	for (guint i = 0; rc == 0 && i + 1 < rows->len; i += 2) {
		const char *set = g_ptr_array_index(rows, i), *at = g_ptr_array_index(rows, i + 1);
		if (!*set || strcmp(set, mine) == 0)
			*yes = true;
		else if (!other_loc && (strcmp(at, loc) == 0 || !read_with(ds, f->source, set)))
			other_loc = at;
	}
	if (rc == 0 && !*yes && other_loc) {
		if (strcmp(other_loc, loc) == 0)
			mq_err_set(
			    err, MQ_CONFIG,
			    "%s: %s was loaded before with other reading settings (columns, "
			    "aliases, dialect, currency or a spend file's fixed channel), so "
			    "the tables hold its rows read the old way: load every file again "
			    "into an empty database with these settings (docs/scale.md)",
			    source_name[f->source], loc);
		else
			mq_err_set(
			    err, MQ_CONFIG,
			    "%s: %s has the bytes of %s, loaded before with reading settings "
			    "(columns, aliases, dialect, currency or a spend file's fixed "
			    "channel) that no %s file of this configuration has, so the "
			    "tables hold rows read another way, which a run with this "
			    "configuration refuses: load every file again into an empty "
			    "database with these settings (docs/scale.md)",
			    source_name[f->source], loc, other_loc, source_name[f->source]);
		rc = -1;
	}
	g_ptr_array_free(rows, TRUE);
	return rc;
}

static void new_attempt(char out[33])
{
	for (int i = 0; i < 4; i++)
		snprintf(out + 8 * i, 9, "%08x", g_random_int());
}

/* One attempt at file r->file: named, its rows and rejects in, then
 * recorded unless another load recorded the file meanwhile (r->by_another). */
static int load_once(const engine_cfg *c, const dataset *ds, eload_result *r, long long *clock,
		     mq_err *err)
{
	const eload_file *f = &r->file;
	new_attempt(r->attempt);
	int rc = eattempt_register(c, f->sha256, f->source, r->attempt, err);
	if (rc == 0)
		rc = insert_rows(c, ds, f, r->attempt, err);
	if (rc == 0)
		rc = erejects_insert(c, ds, f->source, f->reject0, f->reject_end, r->attempt, err);
	if (rc == 0)
		rc = already_loaded(c, ds, f, &r->by_another, err);
	if (rc == 0 && !r->by_another)
		rc = record_load(c, ds, f, r->attempt, clock, err);
	return rc;
}

/* Source s as one file: all of its rows and rejects. */
static eload_file whole_source(const dataset *ds, int s)
{
	const source_stats *st = &ds->src[s];
	return (eload_file){.source = s,
			    .location = st->location,
			    .preset = st->preset,
			    .sha256 = st->sha256,
			    .settings = st->settings,
			    .bytes = st->bytes,
			    .rows_read = st->rows_read,
			    .rows_accepted = st->rows_accepted,
			    .rows_rejected = st->rows_rejected,
			    .footer_lines = st->footer_lines,
			    .preamble_lines = st->preamble_lines,
			    .sign_other = st->sign_other,
			    .thousandths = st->thousandths,
			    .amount_unread = st->amount_unread,
			    .rejected_by_reason = &st->rejected_by_reason,
			    .warnings_by_field = &st->warnings_by_field,
			    .nrows = source_rows(ds, s),
			    .reject_end = ds->nrejects};
}

/* One of the files of source s, read from several. */
static eload_file one_file(int s, const source_file *sf)
{
	return (eload_file){.source = s,
			    .location = sf->location,
			    .preset = sf->preset,
			    .sha256 = sf->sha256,
			    .settings = sf->settings,
			    .bytes = sf->bytes,
			    .rows_read = sf->rows_read,
			    .rows_accepted = sf->rows_accepted,
			    .rows_rejected = sf->rows_rejected,
			    .footer_lines = sf->footer_lines,
			    .preamble_lines = sf->preamble_lines,
			    .sign_other = sf->sign_other,
			    .thousandths = sf->thousandths,
			    .rejected_by_reason = &sf->rejected_by_reason,
			    .warnings_by_field = &sf->warnings_by_field,
			    .row0 = sf->row0,
			    .nrows = sf->nrows,
			    .reject0 = sf->reject0,
			    .reject_end = sf->reject0 + sf->nrejects};
}

/* The files of ds to load, in the order a run reads them. */
static eload_result *files_of(const dataset *ds, size_t *n)
{
	size_t cap = SRC_COUNT + ds->src[SRC_SPEND].nfiles;
	eload_result *out = xcalloc(cap, sizeof *out);
	*n = 0;
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *st = &ds->src[s];
		if (!st->present)
			continue;
		if (!st->nfiles)
			out[(*n)++].file = whole_source(ds, s);
		for (size_t k = 0; k < st->nfiles; k++)
			out[(*n)++].file = one_file(s, &st->files[k]);
	}
	return out;
}

/* Load one file (see eload_run). */
static int load_file(const engine_cfg *c, const dataset *ds, eload_result *r, long long *clock,
		     mq_err *err)
{
	if (already_loaded(c, ds, &r->file, &r->skipped, err) != 0)
		return -1;
	if (!r->skipped) {
		int rc = -1;
		for (int a = 0; rc != 0 && a <= c->retries; a++) {
			mq_err e = {0};
			r->attempts = a + 1;
			rc = load_once(c, ds, r, clock, &e);
			if (rc != 0)
				*err = e;
			/* a server that failed may not fail again; a setup that is
			 * wrong (a table missing, a user refused) or a stop signal
			 * would, and each attempt leaves rows to remove */
			if (rc != 0 && e.status != MQ_UNAVAILABLE)
				break;
		}
		if (rc != 0)
			return -1;
		r->skipped = r->by_another;
		r->rows = r->by_another ? 0 : (long long)r->file.nrows;
	}
	r->recorded = true;
	/* what killed or failed attempts of this file left, this run's too */
	return eattempt_sweep(c, r->file.sha256, r->file.source, &r->swept, err);
}

/* Which of the n files are loaded when file i (0: the first) failed, into
 * out; recorded: it is in `loads`, and what failed was the removal of its
 * unfinished attempts. */
static void loaded_so_far(size_t i, size_t n, bool recorded, char *out, size_t size)
{
	bool more = i + 1 < n;
	if (recorded)
		snprintf(out, size,
			 "it is loaded%s, but what unfinished attempts of it wrote is not all "
			 "removed%s",
			 i ? ", as are the files before it" : "",
			 more ? "; the files after it are not loaded" : "");
	else if (i)
		snprintf(out, size, "the files before it are loaded; it is not%s",
			 more ? ", nor are the files after it" : "");
	else
		snprintf(out, size, "no file was loaded");
}

int eload_run(const engine_cfg *c, const dataset *ds, eload_result **out, size_t *nout, mq_err *err)
{
	size_t n;
	eload_result *r = files_of(ds, &n);
	*out = r;
	*nout = 0;
	/* every node first, with every table a load writes (through the
	 * Distributed tables into each node's own) or drops partitions of: a
	 * file whose table is missing would otherwise fail after the files
	 * before it were loaded, a sweep after the rows are in half-way
	 * through the files, and a hung node hold the first insert for
	 * timeout_s */
	if (enodes_ready(c, enodes_tables,
			 "nothing was loaded (a load needs every node: it removes what killed "
			 "loads left on each)",
			 false, err) != 0 ||
	    eschema_check(c, err) != 0)
		return -1;
	long long clock = 0;
	for (size_t i = 0; i < n; i++) {
		*nout = i + 1;
		mq_err e = {0};
		if (load_file(c, ds, &r[i], &clock, &e) != 0) {
			/* which file, and which files are loaded */
			char what[200];
			loaded_so_far(i, n, r[i].recorded, what, sizeof what);
			mq_err_set(
			    err, e.status,
			    "%s %s: %.600s\n  %s: run mqlreport load again once the cause is "
			    "fixed (it skips what is loaded and removes what an unfinished "
			    "attempt wrote)",
			    source_name[r[i].file.source], r[i].file.location, e.msg, what);
			return -1;
		}
	}
	return 0;
}
