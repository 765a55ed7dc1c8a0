/* score_fixture.h — hand-made data sets for the scoring tests. */
#ifndef MQL_SCORE_FIXTURE_H
#define MQL_SCORE_FIXTURE_H

#include <math.h>
#include <string.h>

#include "dataset.h"

/* 2026-11-02T00:00:00Z, a Monday; as_of below is three weeks later. */
#define FX_BASE 1793577600000LL
/* 2026-11-23T00:00:00Z = FX_BASE + 21 days */
#define FX_AS_OF 1795392000000LL
/* 2026-08-24T00:00:00Z = FX_AS_OF - 13 weeks */
#define FX_13W 1787529600000LL

static inline ts_ms fx_day(double d)
{
	return FX_BASE + (ts_ms)llround(d * (double)MS_PER_DAY);
}

static inline sym fx_sym(dataset *ds, const char *s)
{
	return s && *s ? pool_intern(ds->pool, s, strlen(s)) : 0;
}

/* Append a lead created at `created`; title/industry/country may be NULL. */
static inline uint32_t fx_lead(dataset *ds, const char *id, ts_ms created, const char *title,
			       int64_t size, const char *industry, const char *country)
{
	VEC_RESERVE(ds->leads, ds->leads_cap, ds->nleads + 1);
	lead *l = &ds->leads[ds->nleads];
	memset(l, 0, sizeof *l);
	for (int f = 0; f < LT_COUNT; f++)
		lead_set_t(ds, l, f, TS_NONE);
	lead_set_t(ds, l, LT_CREATED, created);
	l->amount = NAN;
	l->company_size = size;
	l->id = fx_sym(ds, id);
	l->channel = fx_sym(ds, "unknown");
	l->campaign = fx_sym(ds, "unknown");
	l->job_title = fx_sym(ds, title);
	l->industry = fx_sym(ds, industry);
	l->country = fx_sym(ds, country);
	l->line = (uint32_t)ds->nleads + 2;
	return (uint32_t)ds->nleads++;
}

static inline void fx_event(dataset *ds, uint32_t lead_idx, ts_ms at, const char *type)
{
	sym unknown = fx_sym(ds, "unknown");
	dataset_add_event(ds, at, lead_idx, dataset_tag(ds, fx_sym(ds, type), unknown, unknown));
}

#endif
