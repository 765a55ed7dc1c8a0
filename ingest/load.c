/* load.c — every configured source into the data set (see load.h): the
 * configuration's defaults, each source in turn (leads first, so that
 * events and opportunities find their leads), a fetched URL through its
 * cached copy, and the index built at the end. It must not parse records
 * or read bytes itself: load_read.c and load_rows.c do. */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "digest.h"
#include "loader.h"
#include "locate.h"
#include "textenc.h"

/* ---- configuration ---- */

void ingest_cfg_default(ingest_cfg *c)
{
	*c = (ingest_cfg){0};
	c->timezone = xstrdup("UTC");
	c->currency = xstrdup("USD");
	c->max_field_bytes = 1u << 20;
	for (int s = 0; s < SRC_COUNT; s++) {
		c->src[s].preset = xstrdup("auto");
		fetch_opts_default(&c->src[s].fetch);
	}
}

source_cfg *ingest_cfg_add_spend(ingest_cfg *c, const char *name)
{
	c->spend_more = xrealloc(c->spend_more, (c->nspend_more + 1) * sizeof *c->spend_more);
	source_cfg *sc = &c->spend_more[c->nspend_more++];
	*sc = (source_cfg){.name = xstrdup(name), .preset = xstrdup("auto")};
	fetch_opts_default(&sc->fetch);
	return sc;
}

void source_cfg_clear(source_cfg *sc)
{
	free(sc->location);
	free(sc->preset);
	free(sc->timezone);
	free(sc->encoding);
	free(sc->name);
	free(sc->channel);
	strpairs_clear(&sc->columns);
	fetch_opts_clear(&sc->fetch);
	*sc = (source_cfg){0};
}

void ingest_cfg_clear(ingest_cfg *c)
{
	for (int s = 0; s < SRC_COUNT; s++)
		source_cfg_clear(&c->src[s]);
	for (size_t i = 0; i < c->nspend_more; i++)
		source_cfg_clear(&c->spend_more[i]);
	free(c->spend_more);
	g_strfreev(c->mql_status_values);
	free(c->timezone);
	free(c->currency);
	free(c->cache_dir);
	strpairs_clear(&c->channel_aliases);
	strpairs_clear(&c->type_aliases);
	strpairs_clear(&c->industry_aliases);
	strpairs_clear(&c->country_aliases);
	strpairs_clear(&c->campaign_aliases);
	*c = (ingest_cfg){0};
}

static void put_pairs(GString *b, const char *what, const strpairs *p)
{
	g_string_append_printf(b, "%s:", what);
	for (size_t i = 0; p && i < p->len; i++)
		g_string_append_printf(b, "%zu:%s=%zu:%s;", strlen(p->items[i].key),
				       p->items[i].key, strlen(p->items[i].value),
				       p->items[i].value);
	g_string_append_c(b, '\n');
}

void ingest_settings_digest(const ingest_cfg *c, const source_cfg *sc, int s, char out[17])
{
	GString *b = g_string_new(NULL);
	g_string_append_printf(
	    b,
	    "source:%s\npreset:%s\nencoding:%s\ndates:%d%d%s\ndecimal:%d\n"
	    "delimiter:%d\nchannel:%s\ncurrency:%s\nmax_field:%zu\n",
	    source_name[s], sc->preset ? sc->preset : "auto", sc->encoding ? sc->encoding : "auto",
	    sc->us_dates, sc->dmy_dates, sc->mdy_dates ? "m" : "", sc->decimal_comma, sc->delimiter,
	    sc->channel ? sc->channel : "", c->currency ? c->currency : "USD", c->max_field_bytes);
	put_pairs(b, "columns", &sc->columns);
	put_pairs(b, "aliases.channel", &c->channel_aliases);
	put_pairs(b, "aliases.type", &c->type_aliases);
	put_pairs(b, "aliases.industry", &c->industry_aliases);
	put_pairs(b, "aliases.country", &c->country_aliases);
	put_pairs(b, "aliases.campaign", &c->campaign_aliases);
	g_string_append_printf(b, "mql_status:%d%d:", c->mql_status, c->mql_status_dated);
	for (char **v = c->mql_status_values; c->mql_status && v && *v; v++)
		g_string_append_printf(b, "%zu:%s;", strlen(*v), *v);
	char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, b->str, (gssize)b->len);
	snprintf(out, 17, "%.16s", hex);
	g_free(hex);
	g_string_free(b, TRUE);
}

static GTimeZone *zone(const char *name, const char *what, mq_err *err)
{
	GTimeZone *tz = g_time_zone_new_identifier(name ? name : "UTC");
	if (!tz)
		mq_err_set(err, MQ_CONFIG, "%s: unknown time zone \"%s\"", what, name);
	return tz;
}

/* Read source s into ds. */
static int load_source(dataset *ds, const ingest_cfg *cfg, int s, symmap *lead_of,
		       early_file *early, mq_err *err)
{
	const source_cfg *sc = &cfg->src[s];
	source_stats *st = &ds->src[s];
	/* a glob stands for its newest match, which is what every message,
	 * log and output names (an early file's, found before its turn) */
	char *found = NULL;
	if (early && early->path)
		found = xstrdup(early->path);
	else if (locate_is_glob(sc->location) && !(found = locate_newest(sc->location, NULL, err)))
		return -1;
	const char *loc = found ? found : sc->location;
	/* messages, logs and outputs name a URL without its secrets */
	char *shown = is_url(loc) ? fetch_url_for_log(loc) : xstrdup(loc);
	loader L = {.ds = ds,
		    .out = ds,
		    .cfg = cfg,
		    .err = err,
		    .src = s,
		    .name = shown,
		    .lead_of = lead_of,
		    .in = {.pool = ds->pool}};
	leadix lx = {0};
	char *dest = NULL;
	int rc = -1, enc;

	st->present = true;
	ingest_settings_digest(cfg, sc, s, st->settings);
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
		/* a pass over every lead (a cache miss each in a large data
		 * set) only when the leads can name their opportunity */
		for (size_t i = 0; ds->leads_have_converted && i < ds->nleads; i++)
			if (ds->leads[i].converted_opp &&
			    symmap_get(&L.conv_of, ds->leads[i].converted_opp) == NO_LEAD)
				symmap_set(&L.conv_of, ds->leads[i].converted_opp, (uint32_t)i);
		ds->has_opportunities = true;
	}
	L.r = csvr_new(shown, cfg->max_field_bytes, loader_on_record, &L);
	csvr_set_delim(L.r, sc->delimiter);

	const char *path = loc;
	if (is_url(loc)) {
		const char *dir = cfg->cache_dir ? cfg->cache_dir : "cache";
		if (g_mkdir_with_parents(dir, 0755) != 0) {
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot create the folder: %s", dir,
				   strerror(errno));
			goto done;
		}
		dest = xasprintf("%s/%s.csv", dir, source_name[s]);
		if (fetch_to_file(sc->location, &sc->fetch, dest, err) != 0)
			goto done;
		path = dest;
	}
	if (loader_read_path(&L, path, enc, early) != 0)
		goto done;
	for (int c = 0; c < CC_COUNT; c++)
		if (L.warn[c]) {
			kvcounts_add(&st->warnings_by_field, colmap_column[c], L.warn[c]);
			/* of a source read from several files, the first file's */
			if (!kvcounts_get(&st->warn_line_by_field, colmap_column[c]))
				kvcounts_add(&st->warn_line_by_field, colmap_column[c],
					     L.warn_line[c]);
		}
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
	free(found);
	return rc;
}

/* What the summed spend source held before one more of its files. */
typedef struct spend_mark {
	source_stats st;	 /* the counts; its kvcounts are copies, owned */
	size_t nspend, nrejects; /* the data set's rows and rejects */
} spend_mark;

/* What `now` counts beyond `before` (a copy of it taken earlier). */
static void kv_added(kvcounts *to, const kvcounts *now, const kvcounts *before)
{
	for (size_t i = 0; i < now->len; i++) {
		int64_t n = now->items[i].n - kvcounts_get(before, now->items[i].key);
		if (n)
			kvcounts_add(to, now->items[i].key, n);
	}
}

static void mark_spend(spend_mark *m, const dataset *ds)
{
	const source_stats *st = &ds->src[SRC_SPEND];
	*m = (spend_mark){.nspend = ds->nspend, .nrejects = ds->nrejects};
	m->st.bytes = st->bytes;
	m->st.rows_read = st->rows_read;
	m->st.rows_accepted = st->rows_accepted;
	m->st.rows_rejected = st->rows_rejected;
	m->st.footer_lines = st->footer_lines;
	m->st.preamble_lines = st->preamble_lines;
	m->st.point3 = st->point3;
	m->st.point_other = st->point_other;
	m->st.sign_other = st->sign_other;
	kvcounts_add_all(&m->st.rejected_by_reason, &st->rejected_by_reason);
	kvcounts_add_all(&m->st.warnings_by_field, &st->warnings_by_field);
}

static void mark_clear(spend_mark *m)
{
	kvcounts_clear(&m->st.rejected_by_reason);
	kvcounts_clear(&m->st.warnings_by_field);
}

/* Note what one of several spend files added to the summed source since
 * the mark m: its counts, rows and rejects. */
static void note_file(dataset *ds, const spend_mark *m, const char *name)
{
	source_stats *st = &ds->src[SRC_SPEND];
	const source_stats *b = &m->st;
	st->files = xrealloc(st->files, (st->nfiles + 1) * sizeof *st->files);
	source_file *f = &st->files[st->nfiles++];
	*f = (source_file){.name = xstrdup(name),
			   .location = xstrdup(st->location),
			   .preset = xstrdup(st->preset),
			   .bytes = st->bytes - b->bytes,
			   .rows_read = st->rows_read - b->rows_read,
			   .rows_accepted = st->rows_accepted - b->rows_accepted,
			   .rows_rejected = st->rows_rejected - b->rows_rejected,
			   .footer_lines = st->footer_lines - b->footer_lines,
			   .preamble_lines = st->preamble_lines - b->preamble_lines,
			   .point3 = st->point3 - b->point3,
			   .point_other = st->point_other - b->point_other,
			   .point3_line = st->point3_line, /* this file's: zeroed before it */
			   .sign_other = st->sign_other - b->sign_other,
			   .sign_line = st->sign_line, /* this file's: zeroed before it */
			   .enc = st->enc,	       /* this file's: zeroed before it */
			   .row0 = m->nspend,
			   .nrows = ds->nspend - m->nspend,
			   .reject0 = m->nrejects,
			   .nrejects = ds->nrejects - m->nrejects};
	kv_added(&f->rejected_by_reason, &st->rejected_by_reason, &b->rejected_by_reason);
	kv_added(&f->warnings_by_field, &st->warnings_by_field, &b->warnings_by_field);
	memcpy(f->amount_unread, st->amount_unread, sizeof f->amount_unread); /* this file's too */
	memcpy(f->sha256, st->sha256, sizeof f->sha256);
	memcpy(f->settings, st->settings, sizeof f->settings);
}

/* The summed source's location lists its files; its digest, of several
 * files, is that of their digests (each file named in the report). */
static void sum_spend_files(source_stats *st)
{
	GString *where = g_string_new(NULL);
	const char **hex = xmalloc((st->nfiles ? st->nfiles : 1) * sizeof *hex);
	for (size_t i = 0; i < st->nfiles; i++) {
		g_string_append_printf(where, "%s%s", i ? ", " : "", st->files[i].location);
		hex[i] = st->files[i].sha256;
	}
	free(st->location);
	st->location = g_string_free(where, FALSE);
	if (st->nfiles > 1)
		digest_of_digests(hex, st->nfiles, st->sha256);
	free(hex);
}

/* Where a spend file is: the URL itself, or the local file's device and
 * inode (a glob's newest match), so that two sections naming one file in
 * two ways are seen as one. */
typedef struct spend_where {
	const char *section; /* "spend" or the NAME of [source.spend.NAME] */
	char *url;
	dev_t dev;
	ino_t ino;
	bool known;
} spend_where;

static void spend_where_of(const source_cfg *sc, const char *section, spend_where *w)
{
	*w = (spend_where){.section = section};
	if (is_url(sc->location)) {
		w->url = xstrdup(sc->location);
		w->known = true;
		return;
	}
	mq_err quiet = {0};
	char *path = locate_is_glob(sc->location) ? locate_newest(sc->location, NULL, &quiet)
						  : xstrdup(sc->location);
	struct stat st;
	if (path && stat(path, &st) == 0) {
		w->dev = st.st_dev;
		w->ino = st.st_ino;
		w->known = true;
	}
	free(path); /* a file that is not there is load_source()'s to report */
}

static bool same_place(const spend_where *a, const spend_where *b)
{
	if (!a->known || !b->known || !a->url != !b->url)
		return false;
	return a->url ? strcmp(a->url, b->url) == 0 : a->dev == b->dev && a->ino == b->ino;
}

/* Every spend section names a file of its own: one file named twice (a
 * glob that matches the other section's file, a link, "./spend.csv") would
 * count its spend twice. */
static int spend_files_distinct(const ingest_cfg *cfg, mq_err *err)
{
	size_t n = cfg->nspend_more + 1;
	spend_where *w = xcalloc(n, sizeof *w);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const source_cfg *sc = i ? &cfg->spend_more[i - 1] : &cfg->src[SRC_SPEND];
		if (!sc->location)
			continue;
		spend_where_of(sc, i ? sc->name : "spend", &w[i]);
		for (size_t k = 0; k < i && rc == 0; k++) {
			if (!same_place(&w[k], &w[i]))
				continue;
			const source_cfg *other =
			    k ? &cfg->spend_more[k - 1] : &cfg->src[SRC_SPEND];
			mq_err_set(
			    err, MQ_CONFIG,
			    "[source.spend.%s] location %s is the same file as [source.%s%s]'s "
			    "(%s): its spend would count twice; give each spend section a file "
			    "of its own",
			    w[i].section, sc->location, k ? "spend." : "", w[k].section,
			    other->location);
			rc = -1;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(w[i].url);
	free(w);
	return rc;
}

/* The spend: [source.spend] and every [source.spend.NAME], summed as one
 * source; each file noted in st->files. */
static int load_spend(dataset *ds, const ingest_cfg *cfg, symmap *lead_of, mq_err *err)
{
	if (!cfg->nspend_more)
		return load_source(ds, cfg, SRC_SPEND, lead_of, NULL, err);
	if (spend_files_distinct(cfg, err) != 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i <= cfg->nspend_more; i++) {
		ingest_cfg one = *cfg; /* the same settings with this file as the spend */
		if (i > 0)
			one.src[SRC_SPEND] = cfg->spend_more[i - 1];
		if (!one.src[SRC_SPEND].location)
			continue;
		spend_mark m;
		mark_spend(&m, ds);
		/* a line is a file's: the first "1.500" of this file, and its
		 * rows read as windows-1252, kept apart */
		source_stats *st = &ds->src[SRC_SPEND];
		uint32_t first3 = st->point3_line, first_sign = st->sign_line;
		st->point3_line = st->sign_line = 0;
		char first_unread[sizeof st->amount_unread];
		memcpy(first_unread, st->amount_unread, sizeof first_unread);
		st->amount_unread[0] = '\0';
		enc_rows before = st->enc;
		st->enc = (enc_rows){0};
		rc = load_source(ds, &one, SRC_SPEND, lead_of, NULL, err);
		if (rc == 0)
			note_file(ds, &m, i ? cfg->spend_more[i - 1].name : "spend");
		st->point3_line = first3 ? first3 : st->point3_line;
		st->sign_line = first_sign ? first_sign : st->sign_line;
		if (first_unread[0])
			memcpy(st->amount_unread, first_unread, sizeof first_unread);
		enc_rows_add(&before, &st->enc, 0);
		st->enc = before;
		mark_clear(&m);
	}
	sum_spend_files(&ds->src[SRC_SPEND]);
	return rc;
}

/* cfg->stop asked, once per call (loader.h). */
bool load_stopped(const ingest_cfg *cfg, const char *what, mq_err *err)
{
	int status = cfg->stop ? cfg->stop() : 0;
	if (status)
		mq_err_set(err, status, "stopped while reading %s", what);
	return status != 0;
}

int ingest_load(dataset *ds, const ingest_cfg *cfg, mq_err *err)
{
	static const int order[SRC_COUNT] = {SRC_LEADS, SRC_EVENTS, SRC_SPEND, SRC_OPPORTUNITIES};
	symmap lead_of = {0};
	int rc = -1;
	ds->keep_orphan_ids = cfg->keep_orphan_ids;
	/* the events file's digest begins now, while the leads are read and
	 * indexed: a core is free for it then */
	early_file early;
	early_open(&early, cfg, SRC_EVENTS);
	for (int i = 0; i < SRC_COUNT; i++) {
		int s = order[i];
		if (load_stopped(cfg, "the sources", err))
			goto done;
		if (s == SRC_SPEND && cfg->nspend_more) {
			if (load_spend(ds, cfg, &lead_of, err) != 0)
				goto done;
			continue;
		}
		if (!cfg->src[s].location) {
			if (s != SRC_OPPORTUNITIES) {
				mq_err_set(err, MQ_NOINPUT, "no %s source configured",
					   source_name[s]);
				goto done;
			}
			continue;
		}
		if (load_source(ds, cfg, s, &lead_of, s == SRC_EVENTS ? &early : NULL, err) != 0)
			goto done;
	}
	/* the amounts that may be thousands read as thousandths, file by file */
	for (int s = 0; s < SRC_COUNT; s++) {
		source_stats *st = &ds->src[s];
		st->thousandths =
		    st->nfiles ? 0 : file_thousandths(st->point3, st->point_other, cfg->currency);
		for (size_t i = 0; i < st->nfiles; i++) {
			source_file *f = &st->files[i];
			f->thousandths = file_thousandths(f->point3, f->point_other, cfg->currency);
			st->thousandths += f->thousandths;
		}
	}
	/* what growth left unused goes back before the events are placed */
	free(lead_of.v);
	lead_of = (symmap){0};
	ds->leads_cap = ds->nleads;
	ds->leads = xrealloc(ds->leads, (ds->nleads ? ds->nleads : 1) * sizeof *ds->leads);
	pool_trim(ds->pool);
	if (load_stopped(cfg, "the sources (before indexing them)", err))
		goto done;
	dataset_index(ds);
	rc = 0;
done:
	early_close(&early);
	free(lead_of.v);
	return rc;
}
