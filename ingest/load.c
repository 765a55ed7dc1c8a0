/* load.c — every configured source into the data set (see load.h): the
 * configuration's defaults, each source in turn (leads first, so that
 * events and opportunities find their leads), a fetched URL through its
 * cached copy, and the index built at the end. It must not parse records
 * or read bytes itself: load_read.c and load_rows.c do. */
#include "load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "textenc.h"

/* ---- configuration ---- */

void ingest_cfg_default(ingest_cfg *c)
{
	*c = (ingest_cfg){ 0 };
	c->timezone = xstrdup("UTC");
	c->currency = xstrdup("USD");
	c->max_field_bytes = 1u << 20;
	for (int s = 0; s < SRC_COUNT; s++) {
		c->src[s].preset = xstrdup("auto");
		fetch_opts_default(&c->src[s].fetch);
	}
}

void ingest_cfg_clear(ingest_cfg *c)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		source_cfg *sc = &c->src[s];
		free(sc->location);
		free(sc->preset);
		free(sc->timezone);
		free(sc->encoding);
		strpairs_clear(&sc->columns);
		fetch_opts_clear(&sc->fetch);
	}
	free(c->timezone);
	free(c->currency);
	free(c->cache_dir);
	strpairs_clear(&c->channel_aliases);
	strpairs_clear(&c->type_aliases);
	strpairs_clear(&c->industry_aliases);
	strpairs_clear(&c->country_aliases);
	*c = (ingest_cfg){ 0 };
}

static GTimeZone *zone(const char *name, const char *what, mq_err *err)
{
	GTimeZone *tz = g_time_zone_new_identifier(name ? name : "UTC");
	if (!tz)
		mq_err_set(err, MQ_CONFIG, "%s: unknown time zone \"%s\"", what, name);
	return tz;
}

/* Read source s into ds. */
static int load_source(dataset *ds, const ingest_cfg *cfg, int s, symmap *lead_of, mq_err *err)
{
	const source_cfg *sc = &cfg->src[s];
	source_stats *st = &ds->src[s];
	/* messages, logs and outputs name a URL without its secrets */
	char *shown = is_url(sc->location) ? fetch_url_for_log(sc->location) : xstrdup(sc->location);
	loader L = { .ds = ds, .out = ds, .cfg = cfg, .err = err, .src = s, .name = shown, .lead_of = lead_of,
		     .in = { .pool = ds->pool } };
	leadix lx = { 0 };
	char *dest = NULL;
	int rc = -1, enc;

	st->present = true;
	free(st->location);
	st->location = xstrdup(shown);
	free(st->preset);
	st->preset = xstrdup(sc->preset && strcmp(sc->preset, "auto") ? sc->preset : "canonical");
	if (textenc_parse(sc->encoding, shown, &enc, err) != 0)
		goto done;
	if (!(L.rtz = zone(cfg->timezone, "report", err)))
		goto done;
	if (!(L.tz = zone(sc->timezone ? sc->timezone : cfg->timezone, source_name[s], err)))
		goto done;
	L.unknown = pool_intern(ds->pool, "unknown", 7);
	if (s == SRC_EVENTS) {
		leadix_build(&lx, ds);
		L.lx = &lx;
	}
	if (s == SRC_OPPORTUNITIES) {
		for (size_t i = 0; i < ds->nleads; i++)
			if (ds->leads[i].converted_opp && symmap_get(&L.conv_of, ds->leads[i].converted_opp) == NO_LEAD)
				symmap_set(&L.conv_of, ds->leads[i].converted_opp, (uint32_t)i);
		ds->has_opportunities = true;
	}
	L.r = csvr_new(shown, cfg->max_field_bytes, loader_on_record, &L);
	csvr_set_delim(L.r, sc->delimiter);

	const char *path = sc->location;
	if (is_url(sc->location)) {
		const char *dir = cfg->cache_dir ? cfg->cache_dir : "cache";
		if (g_mkdir_with_parents(dir, 0755) != 0) {
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot create the folder: %s", dir, strerror(errno));
			goto done;
		}
		dest = xasprintf("%s/%s.csv", dir, source_name[s]);
		if (fetch_to_file(sc->location, &sc->fetch, dest, err) != 0)
			goto done;
		path = dest;
	}
	if (loader_read_path(&L, path, enc) != 0)
		goto done;
	for (int c = 0; c < CC_COUNT; c++)
		if (L.warn[c])
			kvcounts_add(&st->warnings_by_field, colmap_column[c], L.warn[c]);
	rc = 0;
done:
	csvr_free(L.r);
	if (L.tz)
		g_time_zone_unref(L.tz);
	if (L.rtz)
		g_time_zone_unref(L.rtz);
	free(L.opp_of.v);
	free(L.conv_of.v);
	free(L.ch_alias.v);
	free(L.ty_alias.v);
	dialect_free_shared(&L);
	loader_rows_free(&L);
	leadix_free(&lx);
	free(dest);
	free(shown);
	return rc;
}

int ingest_load(dataset *ds, const ingest_cfg *cfg, mq_err *err)
{
	static const int order[SRC_COUNT] = { SRC_LEADS, SRC_EVENTS, SRC_SPEND, SRC_OPPORTUNITIES };
	symmap lead_of = { 0 };
	int rc = -1;
	for (int i = 0; i < SRC_COUNT; i++) {
		int s = order[i];
		if (!cfg->src[s].location) {
			if (s != SRC_OPPORTUNITIES) {
				mq_err_set(err, MQ_NOINPUT, "no %s source configured", source_name[s]);
				goto done;
			}
			continue;
		}
		if (load_source(ds, cfg, s, &lead_of, err) != 0)
			goto done;
	}
	dataset_index(ds);
	rc = 0;
done:
	free(lead_of.v);
	return rc;
}
