/* load_fixture.h — what the loader's tests share: a text dump of a data
 * set for whole-set comparisons, the configuration of a load, temporary
 * files and the rejects as "line:reason;" text. For cmocka tests only. */
#ifndef MQL_LOAD_FIXTURE_H
#define MQL_LOAD_FIXTURE_H

#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "timeparse.h"

typedef struct buf {
	char *s;
	size_t len, cap;
} buf;

static inline void bput(buf *b, const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	VEC_RESERVE(b->s, b->cap, b->len + (size_t)n + 1);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, aq);
	va_end(aq);
	b->len += (size_t)n;
}

static inline void put_time(buf *b, const char *key, ts_ms t)
{
	if (t == TS_NONE)
		return;
	char s[32];
	ts_format_utc(t, s, sizeof s);
	bput(b, " %s=%s", key, s);
}

static inline void put_amount(buf *b, double a)
{
	if (isnan(a))
		bput(b, " amount=-");
	else
		bput(b, " amount=%.2f", a);
}

static inline const char *lead_name(const dataset *ds, uint32_t i)
{
	return i == NO_LEAD ? "-" : ds_str(ds, ds->leads[i].id);
}

/* Everything ingest decides, one line per row (lines in the source left
 * out: twins in other layouts have other line numbers). */
static inline char *dump(const dataset *ds)
{
	static const char *const tn[LT_COUNT] = {"created", "mql", "accepted", "rejected", "sql",
						 "contact", "opp", "won",      "lost"};
	buf b = {0};
	bput(&b, "leads_have_mql=%d has_opportunities=%d dup_leads=%lld dup_opps=%lld\n",
	     ds->leads_have_mql, ds->has_opportunities, (long long)ds->duplicate_leads,
	     (long long)ds->duplicate_opps);
	for (size_t i = 0; i < ds->nleads; i++) {
		const lead *l = &ds->leads[i];
		bput(&b, "lead %s", ds_str(ds, l->id));
		for (int t = 0; t < LT_COUNT; t++)
			put_time(&b, tn[t], lead_t(ds, l, t));
		bput(&b, " ch=%s camp=%s title=%s size=%lld ind=%s country=%s",
		     ds_str(ds, l->channel), ds_str(ds, l->campaign), ds_str(ds, l->job_title),
		     (long long)l->company_size, ds_str(ds, l->industry), ds_str(ds, l->country));
		put_amount(&b, l->amount);
		bput(&b, " conv=%s\n", ds_str(ds, l->converted_opp));
	}
	for (size_t i = 0; i < ds->nevents; i++) {
		const event *e = &ds->events[i];
		bput(&b, "event %s", lead_name(ds, ds_event_lead(ds, i)));
		put_time(&b, "at", ev_at(ds, e));
		bput(&b, " type=%s kind=%d ch=%s camp=%s\n", ds_str(ds, ds_tag(ds, e)->type),
		     ev_kind_of(e), ds_str(ds, ds_tag(ds, e)->channel),
		     ds_str(ds, ds_tag(ds, e)->campaign));
	}
	for (size_t i = 0; i < ds->nspend; i++) {
		const spend_row *r = &ds->spend[i];
		bput(&b, "spend");
		put_time(&b, "day", r->day);
		put_amount(&b, r->amount);
		bput(&b, " ch=%s camp=%s\n", ds_str(ds, r->channel), ds_str(ds, r->campaign));
	}
	for (size_t i = 0; i < ds->nopps; i++) {
		const opportunity *o = &ds->opps[i];
		bput(&b, "opp %s lead=%s", ds_str(ds, o->id), lead_name(ds, o->lead));
		put_time(&b, "created", o->created);
		put_time(&b, "closed", o->closed);
		bput(&b, " stage=%s won=%d isclosed=%d", ds_str(ds, o->stage), o->is_won,
		     o->is_closed);
		put_amount(&b, o->amount);
		bput(&b, "\n");
	}
	if (!b.s)
		bput(&b, "");
	return b.s;
}

/* "rows read/accepted/rejected" of a source. */
static inline void assert_rows(const dataset *ds, int s, int64_t read, int64_t acc, int64_t rej)
{
	const source_stats *st = &ds->src[s];
	if (st->rows_read != read || st->rows_accepted != acc || st->rows_rejected != rej)
		fail_msg("%s: rows %lld/%lld/%lld, want %lld/%lld/%lld", source_name[s],
			 (long long)st->rows_read, (long long)st->rows_accepted,
			 (long long)st->rows_rejected, (long long)read, (long long)acc,
			 (long long)rej);
	assert_int_equal(st->rows_read, st->rows_accepted + st->rows_rejected);
}

static inline void cfg_set(ingest_cfg *c, int s, const char *loc)
{
	free(c->src[s].location);
	c->src[s].location = loc ? xstrdup(loc) : NULL;
}

static inline ingest_cfg cfg_of(const char *leads, const char *events, const char *spend,
				const char *opps)
{
	ingest_cfg c;
	ingest_cfg_default(&c);
	cfg_set(&c, SRC_LEADS, leads);
	cfg_set(&c, SRC_EVENTS, events);
	cfg_set(&c, SRC_SPEND, spend);
	cfg_set(&c, SRC_OPPORTUNITIES, opps);
	return c;
}

static inline dataset *load_ok(const ingest_cfg *c)
{
	dataset *ds = dataset_new();
	mq_err err = {0};
	if (ingest_load(ds, c, &err) != 0)
		fail_msg("ingest_load: %s", err.msg);
	return ds;
}

static inline char *write_tmp(const char *dir, const char *name, const char *content, size_t len)
{
	char *path = g_build_filename(dir, name, NULL);
	assert_true(g_file_set_contents(path, content, (gssize)len, NULL));
	return path;
}

static inline char *write_str(const char *dir, const char *name, const char *content)
{
	return write_tmp(dir, name, content, strlen(content));
}

static inline char *join_rejects(const dataset *ds, int s)
{
	buf b = {0};
	bput(&b, "");
	for (size_t i = 0; i < ds->nrejects; i++)
		if (ds->rejects[i].source == s)
			bput(&b, "%u:%s;", ds->rejects[i].line, ds->rejects[i].reason);
	return b.s;
}

#endif
