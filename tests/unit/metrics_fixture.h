/* metrics_fixture.h — hand-made data sets and table-driven checks for the
 * metrics tests.
 *
 * Time: as_of is Monday 2026-11-23T00:00:00Z (the end of 2026-W47) and the
 * report timezone is UTC, so the 13 trend weeks start at as_of - (13 - i)
 * weeks. MF_DAY(d) is as_of + d days (d is negative for the past). */
#ifndef MQL_METRICS_FIXTURE_H
#define MQL_METRICS_FIXTURE_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dataset.h"
#include "metrics.h"
#include "mval.h"

#define MF_AS_OF  1795392000000LL /* 2026-11-23T00:00:00Z */
#define MF_DAY(d) (MF_AS_OF + (ts_ms)llround((double)(d) * (double)MS_PER_DAY))
#define MF_MIN(m) ((ts_ms)llround((double)(m)*60000.0))

static inline sym mf_sym(dataset *ds, const char *s)
{
	return s && *s ? pool_intern(ds->pool, s, strlen(s)) : 0;
}

static inline void mf_params(metrics_params *p)
{
	metrics_params_default(p);
	p->as_of = MF_AS_OF;
	for (int i = 0; i <= TREND_WEEKS; i++)
		p->week_start[i] = MF_AS_OF - (ts_ms)(TREND_WEEKS - i) * MS_PER_WEEK;
	for (int i = 0; i < TREND_WEEKS; i++)
		snprintf(p->week_label[i], sizeof p->week_label[i], "2026-W%02d", 35 + i);
	p->mql_source = MQL_EXPORT;
}

/* A lead created at `created`, with empty outcome fields. */
static inline uint32_t mf_lead(dataset *ds, const char *id, const char *channel,
			       const char *campaign, ts_ms created)
{
	VEC_RESERVE(ds->leads, ds->leads_cap, ds->nleads + 1);
	lead *l = &ds->leads[ds->nleads];
	memset(l, 0, sizeof *l);
	for (int f = 0; f < LT_COUNT; f++)
		lead_set_t(ds, l, f, TS_NONE);
	lead_set_t(ds, l, LT_CREATED, created);
	l->amount = NAN;
	l->company_size = -1;
	l->id = mf_sym(ds, id);
	l->channel = mf_sym(ds, channel ? channel : "unknown");
	l->campaign = mf_sym(ds, campaign ? campaign : "unknown");
	l->line = (uint32_t)ds->nleads + 2;
	return (uint32_t)ds->nleads++;
}

static inline void mf_set(dataset *ds, uint32_t i, int field, ts_ms t)
{
	lead_set_t(ds, &ds->leads[i], field, t);
}

static inline void mf_event(dataset *ds, uint32_t lead_idx, ts_ms at, const char *type,
			    const char *channel, const char *campaign)
{
	uint32_t tag = dataset_tag(ds, mf_sym(ds, type), mf_sym(ds, channel ? channel : "unknown"),
				   mf_sym(ds, campaign ? campaign : "unknown"));
	dataset_add_event(ds, at, lead_idx, tag);
}

static inline void mf_spend(dataset *ds, ts_ms day, const char *channel, const char *campaign,
			    double amount)
{
	VEC_RESERVE(ds->spend, ds->spend_cap, ds->nspend + 1);
	spend_row *s = &ds->spend[ds->nspend++];
	s->day = day;
	s->amount = amount;
	s->channel = mf_sym(ds, channel);
	s->campaign = mf_sym(ds, campaign ? campaign : "unknown");
}

/* An opportunity; closed may be TS_NONE; is_won / is_closed: 1, 0 or -1 (empty). */
static inline void mf_opp(dataset *ds, const char *id, uint32_t lead_idx, ts_ms created,
			  ts_ms closed, double amount, int is_won, int is_closed, const char *stage)
{
	VEC_RESERVE(ds->opps, ds->opps_cap, ds->nopps + 1);
	opportunity *o = &ds->opps[ds->nopps++];
	memset(o, 0, sizeof *o);
	o->id = mf_sym(ds, id);
	o->lead = lead_idx;
	o->created = created;
	o->closed = closed;
	o->amount = amount;
	o->is_won = (int8_t)is_won;
	o->is_closed = (int8_t)is_closed;
	o->stage = mf_sym(ds, stage);
	ds->has_opportunities = true;
}

/* One expected value: a path into the tree and a number (MF_NULL: null). */
#define MF_NULL NAN
typedef struct mf_expect {
	const char *path;
	double value;
} mf_expect;

static inline void mf_check(const mval *root, const mf_expect *ex, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const mval *v = mv_path(root, ex[i].path);
		if (!v) {
			print_error("%s: missing\n", ex[i].path);
			bad++;
			continue;
		}
		if (isnan(ex[i].value)) {
			if (!mv_is_null(v)) {
				print_error("%s: expected null, got %.12g\n", ex[i].path,
					    mv_num_of(v));
				bad++;
			}
			continue;
		}
		double got = mv_num_of(v);
		if (mv_kind_of(v) == MV_BOOL)
			got = mv_bool_of(v);
		if (isnan(got) || fabs(got - ex[i].value) > 1e-6 * fmax(1.0, fabs(ex[i].value))) {
			print_error("%s: expected %.12g, got %.12g\n", ex[i].path, ex[i].value,
				    got);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}
#define MF_CHECK(root, table) mf_check((root), (table), sizeof(table) / sizeof((table)[0]))

/* The row of array `rows` (a path) whose `key` member equals `value`. */
static inline const mval *mf_row(const mval *root, const char *rows, const char *key,
				 const char *value)
{
	const mval *arr = mv_path(root, rows);
	for (size_t i = 0; i < mv_len(arr); i++) {
		const char *s = mv_str_of(mv_get(mv_at(arr, i), key));
		if (s && strcmp(s, value) == 0)
			return mv_at(arr, i);
	}
	print_error("%s: no row with %s = %s\n", rows, key, value);
	fail();
	return NULL;
}

/* Row i of the table at path `rows` (an array or rows kept outside the
 * tree), owned by the caller (mv_free); fails the test when there is none. */
static inline mval *mf_take_row(const mval *root, const char *rows, size_t i)
{
	mv_cursor c = mv_cursor_of(mv_path(root, rows));
	const mval *r = NULL;
	for (size_t k = 0; k <= i; k++)
		r = mv_next(&c);
	if (!r) {
		print_error("%s: no row %zu\n", rows, i);
		fail();
	}
	mval *own = c.own;
	c.own = NULL; /* an MV_ROWS's row: the caller's now */
	if (!own) {   /* an array's: a copy through the rows' codec */
		char *buf = NULL;
		size_t len = 0, cap = 0;
		mv_encode(r, &buf, &len, &cap);
		own = mv_decode(buf, len);
		free(buf);
	}
	return own;
}
#endif
